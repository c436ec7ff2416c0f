import Foundation

/// Bearer tokens made by Standby itself rather than read from a kubeconfig: an EKS cluster's
/// token from the AWS credentials that created it (``AWSSession/eksToken(cluster:date:)``), so a
/// cluster created a moment ago can be restored into before any kubeconfig names it.
///
/// Tokens are fetched when first needed, kept until ten seconds before they expire, and fetched
/// again once when the server answers 401.
public struct KubeTokenSource: Sendable {
    /// What makes the tokens, in words (`EKS token for dr-eks`), for messages. Never a token.
    public var name: String
    /// A fresh token and when it stops being valid (nil: until the server refuses it).
    public var fetch: @Sendable () throws -> (token: String, expiry: Date?)

    public init(name: String, fetch: @escaping @Sendable () throws -> (token: String, expiry: Date?)) {
        self.name = name
        self.fetch = fetch
    }
}

extension KubeConnection {
    /// A connection to the API server at `server`, verified against the PEM CA certificates
    /// `certificateAuthority` (the system's when nil), authenticating with `tokens`.
    /// - Parameter name: what the connection is called in messages and reports (it is both the
    ///   context and cluster name: there is no kubeconfig).
    public init(name: String, server: String, certificateAuthority: [UInt8]?, tokens: KubeTokenSource,
                environment: [String: String] = ProcessInfo.processInfo.environment) {
        var options = HTTPClient.Options(environment: environment)
        options.caData = certificateAuthority
        var base = server
        while base.hasSuffix("/") { base.removeLast() }
        self.init(contextName: name, clusterName: name, userName: "", server: base, namespace: nil,
                  httpOptions: options, authentication: .tokenSource(tokens))
    }
}
