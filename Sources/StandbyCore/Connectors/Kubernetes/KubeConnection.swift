import Foundation

/// An API server to talk to and how to authenticate, read from a kubeconfig context as kubectl
/// reads it.
///
/// ```swift
/// let connection = try KubeConnection.load(KubeSettings(context: "aks-prod"))
/// let inventory = try KubernetesDiscovery(connection: connection).inventory()
/// ```
///
/// Read from the context's cluster entry: `server`, `certificate-authority-data` or
/// `certificate-authority` (a file), `insecure-skip-tls-verify`. From its user entry:
/// `client-certificate(-data)` and `client-key(-data)`, `token` or `tokenFile`, `username` and
/// `password`, or an `exec` credential plugin (``KubeExecPlugin``), whose credential is cached until
/// it expires. Relative file paths are resolved against the folder of the kubeconfig file the entry
/// is in. The legacy `auth-provider` is refused with a pointer to its exec replacement.
public struct KubeConnection: Sendable {
    /// How requests authenticate, besides a client certificate in ``httpOptions``.
    enum Authentication: Sendable {
        case none
        case bearer(String)
        case basic(username: String, password: String)
        case exec(KubeExecPlugin)
        case tokenSource(KubeTokenSource)

        /// A refused credential is worth fetching again (it may have expired).
        var refreshes: Bool {
            switch self {
            case .exec, .tokenSource: return true
            case .none, .bearer, .basic: return false
            }
        }
    }

    /// The context used.
    public let contextName: String
    /// The name of the context's kubeconfig cluster entry.
    public let clusterName: String
    /// The name of the context's kubeconfig user entry (`""` when it names none).
    public let userName: String
    /// The API server's URL (`https://host:443`, possibly with a path prefix).
    public let server: String
    /// The context's default namespace.
    public let namespace: String?
    /// Transport settings: TLS from the kubeconfig, and retries, timeouts and the debug log, which
    /// callers may change (tests shorten the backoffs).
    public var httpOptions: HTTPClient.Options

    let authentication: Authentication
    let credentialCache = KubeCredentialCache()

    init(contextName: String, clusterName: String, userName: String, server: String, namespace: String?,
         httpOptions: HTTPClient.Options, authentication: Authentication) {
        self.contextName = contextName; self.clusterName = clusterName; self.userName = userName
        self.server = server; self.namespace = namespace; self.httpOptions = httpOptions
        self.authentication = authentication
    }

    /// How requests authenticate, in words (`bearer token`, `exec plugin kubelogin`), for messages.
    public var authenticationDescription: String {
        switch authentication {
        case .none: return httpOptions.clientCertificate == nil ? "none" : "client certificate"
        case .bearer: return "bearer token"
        case .basic: return "basic authentication"
        case .exec(let plugin): return "exec plugin \(plugin.command)"
        case .tokenSource(let source): return source.name
        }
    }

    /// The connection of `settings`' context.
    /// - Throws: ``KubeconfigError`` naming the kubeconfig file (and line) of a missing context,
    ///   cluster or user, or of a value that cannot be used.
    public static func load(_ settings: KubeSettings) throws -> KubeConnection {
        let config = try Kubeconfig.load(settings)
        guard let contextName = settings.context ?? config.currentContext else {
            throw KubeconfigError("\(config.fileList) sets no current-context and no context was given (contexts: \(names(config.contexts)))")
        }
        guard let context = config.contexts[contextName] else {
            throw KubeconfigError("context \"\(contextName)\" is not in \(config.fileList) (contexts: \(names(config.contexts)))")
        }
        guard let clusterName = context.body["cluster"]?.stringValue, !clusterName.isEmpty else {
            throw KubeconfigError("context \"\(contextName)\" (\(context.location)) names no cluster")
        }
        guard let cluster = config.clusters[clusterName] else {
            throw KubeconfigError("context \"\(contextName)\" (\(context.location)) names cluster \"\(clusterName)\", which is not in \(config.fileList) (clusters: \(names(config.clusters)))")
        }
        guard var server = cluster.body["server"]?.stringValue, !server.isEmpty else {
            throw KubeconfigError("cluster \"\(clusterName)\" (\(cluster.location)) has no server")
        }
        while server.hasSuffix("/") { server.removeLast() }

        var options = HTTPClient.Options(environment: settings.environment)
        options.caData = try bytes(cluster, data: "certificate-authority-data", file: "certificate-authority", what: "cluster")
        options.insecureSkipTLSVerify = cluster.body["insecure-skip-tls-verify"]?.boolValue ?? false

        var authentication = Authentication.none
        let userName = context.body["user"]?.stringValue ?? ""
        if !userName.isEmpty {
            guard let user = config.users[userName] else {
                throw KubeconfigError("context \"\(contextName)\" (\(context.location)) names user \"\(userName)\", which is not in \(config.fileList) (users: \(names(config.users)))")
            }
            options.clientCertificate = try bytes(user, data: "client-certificate-data", file: "client-certificate", what: "user")
            options.clientKey = try bytes(user, data: "client-key-data", file: "client-key", what: "user")
            if (options.clientCertificate == nil) != (options.clientKey == nil) {
                throw KubeconfigError("user \"\(userName)\" (\(user.location)) has a client certificate without a key, or a key without a certificate")
            }
            authentication = try self.authentication(user, cluster: cluster, server: server, settings: settings)
        }
        let namespace = context.body["namespace"]?.stringValue.flatMap { $0.isEmpty ? nil : $0 }
        return KubeConnection(contextName: contextName, clusterName: clusterName, userName: userName, server: server,
                              namespace: namespace, httpOptions: options, authentication: authentication)
    }

    private static func authentication(_ user: Kubeconfig.Entry, cluster: Kubeconfig.Entry, server: String,
                                       settings: KubeSettings) throws -> Authentication {
        let body = user.body
        if let provider = body["auth-provider"]?["name"]?.stringValue {
            throw KubeconfigError("user \"\(user.name)\" (\(user.location)) uses auth-provider \"\(provider)\", which is not supported: use an exec credential plugin instead (kubelogin convert-kubeconfig for Azure, gke-gcloud-auth-plugin for GKE)")
        }
        if let exec = body["exec"]?.objectValue {
            var info = JSONObject([("server", .string(server))])
            if let ca = cluster.body["certificate-authority-data"] { info["certificate-authority-data"] = ca }
            if let skip = cluster.body["insecure-skip-tls-verify"] { info["insecure-skip-tls-verify"] = skip }
            if let extension_ = cluster.body["extensions"]?.arrayValue?.first(where: { $0["name"]?.stringValue == "client.authentication.k8s.io/exec" }),
               let config = extension_["extension"] {
                info["config"] = config
            }
            return .exec(try KubeExecPlugin(exec: exec, user: user, environment: settings.environment, clusterInfo: .object(info)))
        }
        if let file = body["tokenFile"]?.stringValue, !file.isEmpty {
            let path = resolve(file, in: user.folder)
            guard let data = FileManager.default.contents(atPath: path) else {
                throw KubeconfigError("user \"\(user.name)\" (\(user.location)): tokenFile \(path) cannot be read")
            }
            let token = String(decoding: data, as: UTF8.self).trimmingCharacters(in: .whitespacesAndNewlines)
            guard !token.isEmpty else { throw KubeconfigError("user \"\(user.name)\" (\(user.location)): tokenFile \(path) is empty") }
            return .bearer(token)
        }
        if let token = body["token"]?.stringValue, !token.isEmpty { return .bearer(token) }
        if let username = body["username"]?.stringValue, !username.isEmpty {
            return .basic(username: username, password: body["password"]?.stringValue ?? "")
        }
        return .none
    }

    /// The PEM bytes of `data` (base64) or of the file `file` names; nil when neither is set.
    private static func bytes(_ entry: Kubeconfig.Entry, data: String, file: String, what: String) throws -> [UInt8]? {
        if let encoded = entry.body[data]?.stringValue, !encoded.isEmpty {
            let compact = encoded.filter { !$0.isWhitespace }
            guard let decoded = Base64.decode(compact) else {
                throw KubeconfigError("\(what) \"\(entry.name)\" (\(entry.location)): \(data) is not valid base64")
            }
            return decoded
        }
        if let name = entry.body[file]?.stringValue, !name.isEmpty {
            let path = resolve(name, in: entry.folder)
            guard let contents = FileManager.default.contents(atPath: path) else {
                throw KubeconfigError("\(what) \"\(entry.name)\" (\(entry.location)): \(file) \(path) cannot be read")
            }
            return [UInt8](contents)
        }
        return nil
    }

    private static func resolve(_ path: String, in folder: String) -> String {
        path.hasPrefix("/") ? path : (folder as NSString).appendingPathComponent(path)
    }

    private static func names(_ entries: [String: Kubeconfig.Entry]) -> String {
        entries.isEmpty ? "none" : entries.keys.sorted().joined(separator: ", ")
    }

    /// The credential for the next request: the static one, or the exec plugin's (cached).
    func credential() throws -> KubeCredential {
        switch authentication {
        case .none, .basic: return KubeCredential()
        case .bearer(let token): return KubeCredential(token: token)
        case .exec(let plugin): return try credentialCache.credential { try plugin.run() }
        case .tokenSource(let source):
            return try credentialCache.credential {
                let fresh = try source.fetch()
                return KubeCredential(token: fresh.token, expiry: fresh.expiry)
            }
        }
    }
}
