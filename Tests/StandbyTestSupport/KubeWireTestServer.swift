import Foundation
import Testing
import StandbyCore

/// One `Tests/Servers/kube_wire_server.py` for one test: a local HTTP server speaking the
/// Kubernetes API's wire format (not a cluster), with a temporary folder holding a kubeconfig
/// that points at it.
public struct KubeWireTestServer {
    /// The running server.
    public let server: LocalServer
    /// A temporary folder for this test's kubeconfigs and other files.
    public let folder: URL
    /// A client for the `/_test/...` endpoints (no retries).
    public let control: HTTPClient

    /// The token the kubeconfig written by ``writeKubeconfig(user:)`` sends by default.
    public static let token = "wire-test-token-7f3a"

    /// A fresh server, or nil after recording why it could not start.
    public static func start(arguments: [String] = [], sourceLocation: SourceLocation = #_sourceLocation) -> KubeWireTestServer? {
        do throws(LocalServerError) {
            let server = try LocalServer.startScript("kube_wire_server.py", arguments: arguments, probe: "/version")
            let folder = FileManager.default.temporaryDirectory.appendingPathComponent("standby-kube-\(UUID().uuidString)")
            try? FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
            var options = HTTPClient.Options()
            options.maxAttempts = 1
            let started = KubeWireTestServer(server: server, folder: folder, control: HTTPClient(options: options))
            _ = try? started.post("/_test/reset", [:]) // forgets the launcher's probe in the request log
            return started
        } catch {
            Issue.record("kube wire-format test server: \(error.message)", sourceLocation: sourceLocation)
            return nil
        }
    }

    /// `http://127.0.0.1:<port>`.
    public var endpoint: String { server.endpoint }

    // MARK: - Test endpoints

    /// POSTs `body` to a `/_test/...` endpoint; records an issue unless it answers 200.
    @discardableResult
    public func post(_ path: String, _ body: JSONValue) throws -> HTTPResponse {
        let response = try control.send(HTTPRequest(method: "POST", url: endpoint + path,
                                                    headers: [("Content-Type", "application/json")],
                                                    body: Array(JSONSerializer.serialize(body).utf8)))
        if response.status != 200 {
            Issue.record("POST \(path): \(response.status) \(String(decoding: response.body, as: UTF8.self))")
        }
        return response
    }

    /// Stores objects as they are (CRDs among them established at once).
    public func seed(_ objects: [JSONValue]) throws { try post("/_test/seed", ["items": .array(objects)]) }

    /// Adds fault rules (see the server's documentation).
    public func faults(_ rules: [JSONValue]) throws { try post("/_test/faults", .array(rules)) }

    /// The API requests so far: method, path, query, contentType, authorization.
    public func requests() throws -> [JSONValue] {
        let response = try control.send(HTTPRequest(method: "GET", url: endpoint + "/_test/requests"))
        return try JSONParser.parse(response.body).arrayValue ?? []
    }

    /// The object at API path `path` as the server has it now, or nil when it answers 404 (the
    /// read is an API request: it is in the request log).
    public func get(_ path: String) throws -> JSONValue? {
        let response = try control.send(HTTPRequest(method: "GET", url: endpoint + path))
        if response.status == 404 { return nil }
        if response.status != 200 {
            Issue.record("GET \(path): \(response.status) \(String(decoding: response.body, as: UTF8.self))")
        }
        return try JSONParser.parse(response.body)
    }

    /// Stops the server (it would otherwise run until the test process ends).
    public func stop() { server.stop() }

    /// The requests as `METHOD path`, in order.
    public func requestLines() throws -> [String] {
        try requests().map { "\($0["method"]?.stringValue ?? "") \($0["path"]?.stringValue ?? "")" }
    }

    // MARK: - Kubeconfig

    /// Writes `text` to `name` in the test's folder; returns the path.
    @discardableResult
    public func write(_ name: String, _ text: String, executable: Bool = false) throws -> String {
        let url = folder.appendingPathComponent(name)
        try FileManager.default.createDirectory(at: url.deletingLastPathComponent(), withIntermediateDirectories: true)
        try text.write(to: url, atomically: true, encoding: .utf8)
        if executable { try FileManager.default.setAttributes([.posixPermissions: 0o755], ofItemAtPath: url.path) }
        return url.path
    }

    /// A kubeconfig whose context `wire` points at this server, cluster `wire-cluster`, with
    /// `user` as its user entry (YAML lines under `user:`, indented by 4).
    @discardableResult
    public func writeKubeconfig(user: String = "    token: \(KubeWireTestServer.token)", name: String = "kubeconfig") throws -> String {
        try write(name, """
            apiVersion: v1
            kind: Config
            current-context: wire
            clusters:
            - name: wire-cluster
              cluster:
                server: \(endpoint)
            contexts:
            - name: wire
              context:
                cluster: wire-cluster
                user: wire-user
                namespace: shop
            users:
            - name: wire-user
              user:
            \(user)

            """)
    }

    /// The connection of the kubeconfig at `path` (the default one when nil), with short retries.
    public func connection(kubeconfig path: String? = nil) throws -> KubeConnection {
        let path = try path ?? writeKubeconfig()
        var connection = try KubeConnection.load(KubeSettings(kubeconfig: path, environment: ProcessInfo.processInfo.environment))
        connection.httpOptions.maxAttempts = 4
        connection.httpOptions.baseBackoff = 0.01
        connection.httpOptions.maxBackoff = 0.05
        connection.httpOptions.maxRetryAfter = 0.05
        return connection
    }

    /// `Bearer sha256:<hex>`, as the server records a bearer token.
    public static func recorded(token: String) -> String {
        "Bearer sha256:" + Digest.sha256(token)
    }
}
