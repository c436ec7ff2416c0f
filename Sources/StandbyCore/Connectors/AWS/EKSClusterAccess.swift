import Foundation

/// Reaching an EKS cluster's API server with the AWS credentials of a session, as `aws eks
/// get-token` and `aws eks update-kubeconfig` do, without a kubeconfig or the AWS CLI.
extension AWSSession {
    /// A bearer token for EKS cluster `cluster`: `k8s-aws-v1.` and the base64url (unpadded) of a
    /// presigned `sts:GetCallerIdentity` URL whose signed headers include `x-k8s-aws-id: cluster`.
    /// The API server hands the URL to STS, which says who signed it; EKS maps that identity
    /// (the cluster's creator is an administrator by default). Valid 15 minutes from `date`;
    /// the expiry given is 14 minutes, as `aws eks get-token` gives it.
    public func eksToken(cluster: String, date: Date = Date()) throws -> (token: String, expiry: Date) {
        let sts = try location(.sts, operation: "GetCallerIdentity")
        let signer = SigV4(credentials: credentials, region: sts.region, service: AWSService.sts.signingName)
        let query = signer.presignedQuery(method: "GET", canonicalURI: "/",
                                          query: [("Action", "GetCallerIdentity"), ("Version", "2011-06-15")],
                                          headers: [("host", sts.host), ("x-k8s-aws-id", cluster)], expires: 60, date: date)
        let url = sts.base + "/?" + query
        let encoded = Base64.encode(Array(url.utf8))
            .replacingOccurrences(of: "+", with: "-").replacingOccurrences(of: "/", with: "_")
            .replacingOccurrences(of: "=", with: "")
        return ("k8s-aws-v1." + encoded, date.addingTimeInterval(14 * 60))
    }

    /// A connection to the API server of EKS cluster `cluster` in this session's account and
    /// region: its endpoint and CA from `DescribeCluster`, tokens from ``eksToken(cluster:date:)``.
    /// - Throws: ``AWSError`` when the cluster cannot be described or has no endpoint yet.
    public func kubeConnection(eksCluster cluster: String,
                               environment: [String: String] = ProcessInfo.processInfo.environment) throws -> KubeConnection {
        let answer = try rest(.eks, "DescribeCluster", "GET", ["clusters", cluster])
        guard let endpoint = answer["cluster"]?["endpoint"]?.stringValue, !endpoint.isEmpty else {
            throw AWSError(service: "eks", operation: "DescribeCluster", code: nil,
                           message: "cluster \(cluster) has no API server endpoint yet (status \(answer["cluster"]?["status"]?.stringValue ?? "unknown"))",
                           status: 200)
        }
        var authority: [UInt8]?
        if let data = answer["cluster"]?["certificateAuthority"]?["data"]?.stringValue, !data.isEmpty {
            guard let pem = Base64.decode(data.filter { !$0.isWhitespace }) else {
                throw AWSError(service: "eks", operation: "DescribeCluster", code: nil,
                               message: "cluster \(cluster): certificateAuthority.data is not base64", status: 200)
            }
            authority = pem
        }
        let session = self
        let tokens = KubeTokenSource(name: "EKS token for \(cluster) as \(callerARN)") {
            try session.eksToken(cluster: cluster)
        }
        return KubeConnection(name: cluster, server: endpoint, certificateAuthority: authority, tokens: tokens, environment: environment)
    }
}
