import Foundation
import Testing
import StandbyCore

/// Sessions on the shared moto server, and the sample EKS estate (`scripts/estate/aws/*.json`)
/// created through the AWS APIs.
///
/// Accounts: moto acts in the account of a role assumed through STS (it checks neither that
/// the role exists nor its trust policy), so a session that assumes
/// `arn:aws:iam::111111111111:role/…` acts in account 111111111111. The base credentials are
/// moto's default account's (`testing`/`testing`); no `x-moto-account-id` header is used.
public enum MotoAWS {
    /// The account the sample estate is seeded in.
    public static let primaryAccount = "111111111111"
    /// The account restores go to.
    public static let recoveryAccount = "222222222222"

    /// Settings that read nothing from this machine: only the given keys, no shared files.
    public static func settings(_ endpoint: String, region: String, roleARN: String? = nil,
                                environment: [String: String] = ["AWS_ACCESS_KEY_ID": "testing", "AWS_SECRET_ACCESS_KEY": "testing"])
        -> AWSSettings {
        var s = AWSSettings(region: region, endpoint: endpoint, roleARN: roleARN, environment: environment)
        s.configFile = "/nonexistent/standby-test/config"
        s.credentialsFile = "/nonexistent/standby-test/credentials"
        s.http.maxAttempts = 2
        s.http.baseBackoff = 0.01
        s.http.maxBackoff = 0.05
        return s
    }

    /// A session acting in `account` through a role assumed there.
    public static func session(_ endpoint: String, account: String, region: String, role: String = "standby-admin") throws -> AWSSession {
        try AWSSession.connect(settings(endpoint, region: region, roleARN: "arn:aws:iam::\(account):role/\(role)"))
    }

    /// A sample estate file, parsed.
    public static func estate(_ file: String) throws -> JSONValue {
        let root = LocalServer.root
        return try JSONParser.parse(try #require(FileManager.default.contents(atPath: "\(root)/scripts/estate/aws/\(file)")),
                                    source: file)
    }

    /// The EKS clusters of the session's account and region.
    public static func clusters(_ s: AWSSession) throws -> [String] {
        (try s.rest(.eks, "ListClusters", "GET", ["clusters"])["clusters"]?.arrayValue ?? []).compactMap(\.stringValue)
    }

    /// The cluster, its node groups and Fargate profiles, as EKS describes them.
    public static func describeAll(_ s: AWSSession, _ cluster: String) throws -> [JSONValue] {
        var out = [try s.rest(.eks, "DescribeCluster", "GET", ["clusters", cluster])]
        for name in (try s.rest(.eks, "ListNodegroups", "GET", ["clusters", cluster, "node-groups"])["nodegroups"]?.arrayValue ?? []) {
            out.append(try s.rest(.eks, "DescribeNodegroup", "GET", ["clusters", cluster, "node-groups", name.stringValue ?? ""]))
        }
        let profiles = try s.rest(.eks, "ListFargateProfiles", "GET", ["clusters", cluster, "fargate-profiles"])
        for name in profiles["fargateProfileNames"]?.arrayValue ?? [] {
            out.append(try s.rest(.eks, "DescribeFargateProfile", "GET", ["clusters", cluster, "fargate-profiles", name.stringValue ?? ""]))
        }
        return out
    }
}
