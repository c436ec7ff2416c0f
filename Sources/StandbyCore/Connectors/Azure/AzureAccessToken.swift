import Foundation

/// A bearer token and when it stops working (nil: not known).
struct AzureAccessToken: Sendable {
    var value: String
    var expiresAt: Date?

    /// Usable for at least another five minutes (or of unknown lifetime).
    func isFresh(now: Date = Date()) -> Bool {
        guard let expiresAt else { return true }
        return expiresAt.timeIntervalSince(now) > 300
    }
}

/// Gets and caches the bearer token of one ``AzureTokenSource``: fetched on first use, fetched
/// again when it is about to expire or when ARM refused it. One fetch at a time.
final class AzureTokenCache: @unchecked Sendable {
    private let source: AzureTokenSource
    private let settings: AzureSettings
    private let http: HTTPClient
    private let lock = NSLock()
    private var cached: AzureAccessToken?

    init(source: AzureTokenSource, settings: AzureSettings, http: HTTPClient) {
        self.source = source
        self.settings = settings
        self.http = http
    }

    /// The current token; `refresh` drops the cached one first (after a 401).
    func token(refresh: Bool = false) throws -> String {
        lock.lock(); defer { lock.unlock() }
        if refresh { cached = nil }
        if let cached, cached.isFresh() { return cached.value }
        let fresh = try fetch()
        cached = fresh
        return fresh.value
    }

    private func fetch() throws -> AzureAccessToken {
        switch source {
        case .accessToken(let value):
            return AzureAccessToken(value: value, expiresAt: nil)
        case .servicePrincipal(let tenant, let clientID, let secret, let authorityHost):
            return try ServicePrincipalToken(tenant: tenant, clientID: clientID, secret: secret, authorityHost: authorityHost,
                                             scope: settings.tokenScope).fetch(http: http, source: source.description)
        case .azureCLI:
            return try AzureCLIToken(environment: settings.environment).fetch(source: source.description)
        }
    }
}

/// The OAuth 2.0 client-credentials grant against Entra ID.
struct ServicePrincipalToken {
    var tenant: String
    var clientID: String
    var secret: String
    var authorityHost: String
    var scope: String

    /// `{authorityHost}/{tenant}/oauth2/v2.0/token`.
    var tokenURL: String {
        var host = authorityHost
        while host.hasSuffix("/") { host.removeLast() }
        return "\(host)/\(FormEncoding.escape(tenant))/oauth2/v2.0/token"
    }

    func fetch(http: HTTPClient, source: String) throws -> AzureAccessToken {
        let form = FormEncoding.encode([
            ("grant_type", "client_credentials"), ("client_id", clientID), ("client_secret", secret), ("scope", scope),
        ])
        let request = HTTPRequest(method: "POST", url: tokenURL,
                                  headers: [("Content-Type", "application/x-www-form-urlencoded"), ("Accept", "application/json")],
                                  body: Array(form.utf8))
        let started = Date()
        let response: HTTPResponse
        do {
            response = try http.send(request)
        } catch {
            throw AzureTokenError(source: source, message: "\(error)")
        }
        let body = try? JSONParser.parse(response.body, source: tokenURL)
        guard response.status == 200 else {
            // Entra's `error_description` ends with trace and correlation ids on later lines.
            let code = body?["error"]?.stringValue ?? "HTTP \(response.status)"
            let description = body?["error_description"]?.stringValue?
                .split(whereSeparator: \.isNewline).first.map(String.init) ?? ""
            throw AzureTokenError(source: source, message: "POST \(tokenURL): \(response.status) \(code)"
                + (description.isEmpty ? "" : ": \(description)"))
        }
        guard let token = body?["access_token"]?.stringValue, !token.isEmpty else {
            throw AzureTokenError(source: source, message: "POST \(tokenURL): the answer holds no access_token")
        }
        let lifetime = body?["expires_in"].flatMap { $0.intValue.map(Double.init) ?? $0.stringValue.flatMap(Double.init) }
        return AzureAccessToken(value: token, expiresAt: lifetime.map { started.addingTimeInterval($0) })
    }
}

/// `application/x-www-form-urlencoded` and path escaping.
enum FormEncoding {
    private static let unreserved = CharacterSet(charactersIn: "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-._~")

    static func escape(_ text: String) -> String {
        text.addingPercentEncoding(withAllowedCharacters: unreserved) ?? text
    }

    static func encode(_ pairs: [(String, String)]) -> String {
        pairs.map { "\(escape($0.0))=\(escape($0.1))" }.joined(separator: "&")
    }
}
