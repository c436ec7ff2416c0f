import Foundation
import Testing
@testable import StandbyCore
import StandbyTestSupport

/// Reaching a new EKS cluster's API server with the session that created it: tokens as `aws eks
/// get-token` makes them, and a connection from `DescribeCluster`.
@Suite("EKS cluster access against a moto server and a Kubernetes wire-format test server")
struct EKSClusterAccessTests {
    /// The presigned URL inside a token.
    static func url(of token: String) throws -> URLComponents {
        #expect(token.hasPrefix("k8s-aws-v1."))
        var encoded = String(token.dropFirst("k8s-aws-v1.".count))
        #expect(!encoded.contains("=") && !encoded.contains("+") && !encoded.contains("/"), "base64url without padding")
        encoded = encoded.replacingOccurrences(of: "-", with: "+").replacingOccurrences(of: "_", with: "/")
        while encoded.count % 4 != 0 { encoded += "=" }
        let bytes = try #require(Base64.decode(encoded))
        return try #require(URLComponents(string: String(decoding: bytes, as: UTF8.self)))
    }

    @Test("a token is a presigned GetCallerIdentity of STS that signs the cluster's name, with the session's credentials")
    func tokensArePresignedGetCallerIdentity() throws {
        guard let endpoint = MotoServer.endpoint() else { return }
        let session = try MotoAWS.session(endpoint, account: MotoAWS.recoveryAccount, region: "us-west-2")
        let now = Date()
        let (token, expiry) = try session.eksToken(cluster: "eks-dr", date: now)
        #expect(expiry == now.addingTimeInterval(14 * 60))
        let url = try Self.url(of: token)
        #expect(url.scheme.map { "\($0)://" }.map { $0 + (url.host ?? "") + (url.port.map { ":\($0)" } ?? "") } == endpoint)
        let query = Dictionary(uniqueKeysWithValues: (url.queryItems ?? []).map { ($0.name, $0.value ?? "") })
        #expect(query["Action"] == "GetCallerIdentity" && query["Version"] == "2011-06-15")
        #expect(query["X-Amz-SignedHeaders"] == "host;x-k8s-aws-id")
        #expect(query["X-Amz-Expires"] == "60")
        #expect(query["X-Amz-Credential"]?.hasSuffix("/us-west-2/sts/aws4_request") == true)
        #expect(query["X-Amz-Security-Token"]?.isEmpty == false, "an assumed role's session token is signed in")
        #expect(query["X-Amz-Signature"]?.count == 64)

        // moto cannot check it: it routes a request by its Authorization header, which a presigned
        // URL has none of (the signature itself is checked by SigV4Tests.presignedGetObject).
    }

    @Test("a connection to a new cluster comes from DescribeCluster: its endpoint and CA, tokens of the session")
    func connectionsComeFromDescribeCluster() throws {
        guard let endpoint = MotoServer.endpoint() else { return }
        let session = try MotoAWS.session(endpoint, account: "555555555555", region: "eu-west-1")
        try MotoEKSEstate.createRoles(session)
        _ = try session.rest(.eks, "CreateCluster", "POST", ["clusters"], body: [
            "name": "eks-access", "roleArn": "arn:aws:iam::555555555555:role/eks-prod-use1-cluster-role",
            "resourcesVpcConfig": ["subnetIds": ["subnet-1", "subnet-2"]],
        ])
        let described = try #require(try session.rest(.eks, "DescribeCluster", "GET", ["clusters", "eks-access"])["cluster"])
        let connection = try session.kubeConnection(eksCluster: "eks-access")
        #expect(connection.server + "/" == described["endpoint"]?.stringValue, "moto's endpoint ends in a slash; requests add their paths")
        #expect(connection.clusterName == "eks-access" && connection.contextName == "eks-access")
        let caData = try #require(described["certificateAuthority"]?["data"]?.stringValue)
        #expect(connection.httpOptions.caData == Base64.decode(caData))
        #expect(connection.authenticationDescription == "EKS token for eks-access as \(session.callerARN)")
        let credential = try connection.credential()
        #expect(try Self.url(of: try #require(credential.token)).queryItems?.contains { $0.name == "X-Amz-SignedHeaders" } == true)

        let missing = #expect(throws: AWSError.self) { try session.kubeConnection(eksCluster: "nope") }
        #expect(missing?.isNotFound == true)
    }

    @Test("a token source's token is sent as the bearer token, kept while valid, and fetched again once after a 401")
    func tokenSourcesRefreshAfterARefusal() throws {
        guard let server = KubeWireTestServer.start() else { return }
        final class Counter: @unchecked Sendable {
            private let lock = NSLock()
            private var n = 0
            func next() -> Int { lock.lock(); defer { lock.unlock() }; n += 1; return n }
        }
        let counter = Counter()
        let tokens = KubeTokenSource(name: "test tokens") {
            ("token-\(counter.next())", Date().addingTimeInterval(600))
        }
        try server.post("/_test/auth", ["tokenSha256": .string(Digest.sha256("token-2"))])
        let connection = KubeConnection(name: "made", server: server.endpoint + "/", certificateAuthority: nil, tokens: tokens)
        #expect(connection.server == server.endpoint)
        let inventory = try KubernetesDiscovery(connection: connection).inventory()
        #expect(inventory.clusters.map(\.name) == ["made"])
        let authorizations = try server.requests().compactMap { $0["authorization"]?.stringValue }
        #expect(authorizations.first == KubeWireTestServer.recorded(token: "token-1"), "refused: 401")
        #expect(authorizations.dropFirst().allSatisfy { $0 == KubeWireTestServer.recorded(token: "token-2") })
        #expect(authorizations.count > 3, "token-2 kept for every request after")
    }
}
