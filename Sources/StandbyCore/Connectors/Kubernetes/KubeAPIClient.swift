import Foundation

/// Sends requests to one API server with a connection's credentials: JSON in and out, errors as
/// ``KubeAPIError``.
///
/// Retries (429 with `Retry-After`, 5xx, dropped connections) are the ``HTTPClient``'s. When the
/// server answers 401 to an exec plugin's credential, the plugin is run again once (the
/// credential was revoked or rotated before its expiry).
final class KubeAPIClient: @unchecked Sendable {
    let connection: KubeConnection
    private let lock = NSLock()
    /// HTTP clients by client certificate: an exec plugin may hand out a new one.
    private var clients: [[UInt8]: HTTPClient] = [:]

    init(connection: KubeConnection) {
        self.connection = connection
    }

    /// The JSON answer of a `GET`.
    func get(_ path: String, query: [(String, String)] = []) throws -> JSONValue {
        try json(send("GET", path, query: query), method: "GET", path: path)
    }

    /// Server-side apply of `object`: `PATCH` with `application/apply-patch+yaml` (JSON is YAML),
    /// forcing ownership of the fields it sets for `fieldManager`. Returns the object as applied
    /// and whether the server created it (201).
    func apply(_ path: String, object: JSONValue, fieldManager: String) throws -> (object: JSONValue, created: Bool) {
        let query = [("fieldManager", fieldManager), ("force", "true")]
        let response = try send("PATCH", path, query: query, contentType: "application/apply-patch+yaml",
                                body: Array(JSONSerializer.serialize(object).utf8))
        return (try json(response, method: "PATCH", path: path, query: query), response.status == 201)
    }

    /// Sends one request; a non-2xx answer throws ``KubeAPIError``.
    func send(_ method: String, _ path: String, query: [(String, String)] = [], contentType: String? = nil,
              body: [UInt8] = []) throws -> HTTPResponse {
        var credential = try connection.credential()
        var response = try sendOnce(method, path, query: query, contentType: contentType, body: body, credential: credential)
        if response.status == 401, connection.authentication.refreshes {
            connection.credentialCache.invalidate()
            credential = try connection.credential()
            response = try sendOnce(method, path, query: query, contentType: contentType, body: body, credential: credential)
        }
        guard (200...299).contains(response.status) else {
            throw KubeAPIError(method: method, path: KubeAPIClient.pathWithQuery(path, query), response: response)
        }
        return response
    }

    private func sendOnce(_ method: String, _ path: String, query: [(String, String)], contentType: String?,
                          body: [UInt8], credential: KubeCredential) throws -> HTTPResponse {
        var headers: [(name: String, value: String)] = [("Accept", "application/json"), ("User-Agent", "standby")]
        if let contentType { headers.append(("Content-Type", contentType)) }
        if let token = credential.token {
            headers.append(("Authorization", "Bearer \(token)"))
        } else if case .basic(let username, let password) = connection.authentication {
            headers.append(("Authorization", "Basic " + Base64.encode(Array("\(username):\(password)".utf8))))
        }
        let request = HTTPRequest(method: method, url: connection.server + KubeAPIClient.pathWithQuery(path, query),
                                  headers: headers, body: body)
        return try client(for: credential).send(request)
    }

    private func json(_ response: HTTPResponse, method: String, path: String, query: [(String, String)] = []) throws -> JSONValue {
        do {
            return try JSONParser.parse(response.body, source: "\(method) \(path)")
        } catch {
            throw KubeAPIError(method: method, path: KubeAPIClient.pathWithQuery(path, query), status: response.status, reason: "",
                               message: "the answer is not JSON: \(error)")
        }
    }

    /// The HTTP client for a credential's client certificate (the kubeconfig's when it has none).
    private func client(for credential: KubeCredential) -> HTTPClient {
        let key = (credential.clientCertificate ?? []) + [0] + (credential.clientKey ?? [])
        lock.lock(); defer { lock.unlock() }
        if let client = clients[key] { return client }
        var options = connection.httpOptions
        if let certificate = credential.clientCertificate, let clientKey = credential.clientKey {
            options.clientCertificate = certificate
            options.clientKey = clientKey
        }
        let client = HTTPClient(options: options)
        clients = [key: client] // an older certificate's client is not needed again
        return client
    }

    /// `path?name=value&…`, values percent-encoded.
    static func pathWithQuery(_ path: String, _ query: [(String, String)]) -> String {
        guard !query.isEmpty else { return path }
        return path + "?" + query.map { "\($0.0)=\(percentEncoded($0.1))" }.joined(separator: "&")
    }

    private static let unreserved = CharacterSet(charactersIn: "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-._~")

    static func percentEncoded(_ value: String) -> String {
        value.addingPercentEncoding(withAllowedCharacters: unreserved) ?? value
    }
}
