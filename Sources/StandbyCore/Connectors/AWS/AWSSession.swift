import Foundation

/// A connection to one AWS account and region: resolved credentials (after any role assumed),
/// the region, the endpoints, and one ``HTTPClient`` every call shares. Immutable, so it is
/// safe to share between threads.
///
/// ```swift
/// let session = try AWSSession.connect(AWSSettings(region: "us-west-2", roleARN: "arn:aws:iam::222222222222:role/standby"))
/// let cluster = try session.rest(.eks, "DescribeCluster", "GET", ["clusters", "prod"])
/// ```
public final class AWSSession: Sendable, CustomStringConvertible {
    public let region: String
    /// The account the credentials act in (from `sts:GetCallerIdentity`).
    public let account: String
    /// `aws`, `aws-cn` or `aws-us-gov`, from the region.
    public let partition: String
    /// The ARN the credentials act as (`arn:aws:sts::222222222222:assumed-role/standby/standby`).
    public let callerARN: String
    let credentials: AWSCredentials
    /// The endpoint for every service, when one is set.
    let endpoint: String?
    /// `AWS_ENDPOINT_URL_<SERVICE>` values, by ``AWSService/environmentID``.
    let serviceEndpoints: [String: String]
    let client: HTTPClient

    init(credentials: AWSCredentials, region: String, account: String, callerARN: String, endpoint: String?,
         serviceEndpoints: [String: String], client: HTTPClient) {
        self.credentials = credentials
        self.region = region
        self.account = account
        self.partition = AWSPartition.of(region: region)
        self.callerARN = callerARN
        self.endpoint = endpoint.map { $0.hasSuffix("/") ? String($0.dropLast()) : $0 }
        self.serviceEndpoints = serviceEndpoints
        self.client = client
    }

    /// Resolves the credentials (environment, shared files and profile, then each role to
    /// assume, see ``AWSCredentialChain``), then asks `sts:GetCallerIdentity` which account they
    /// act in.
    /// - Throws: ``AWSError``: `setup` errors for settings, the STS error of a role that cannot be assumed.
    public static func connect(_ settings: AWSSettings) throws -> AWSSession {
        let resolved = try AWSCredentialChain.resolve(settings)
        var serviceEndpoints: [String: String] = [:]
        if settings.endpoint == nil {
            for (key, value) in settings.environment where key.hasPrefix("AWS_ENDPOINT_URL_") && !value.isEmpty {
                serviceEndpoints[String(key.dropFirst("AWS_ENDPOINT_URL_".count))] = value
            }
        }
        let client = HTTPClient(options: settings.http)
        var session = AWSSession(credentials: resolved.credentials, region: resolved.region, account: "", callerARN: "",
                                 endpoint: resolved.endpoint, serviceEndpoints: serviceEndpoints, client: client)
        for role in resolved.roles {
            session = try session.assumingRole(role)
        }
        let identity = try session.query(.sts, "GetCallerIdentity")
        guard let account = identity.first("Account")?.text, !account.isEmpty else {
            throw AWSError(service: "sts", operation: "GetCallerIdentity", code: nil,
                           message: "the answer names no Account", status: 200)
        }
        return session.with(credentials: session.credentials, account: account,
                            callerARN: identity.first("Arn")?.text ?? "")
    }

    /// A session acting as `role`, through `sts:AssumeRole` with this session's credentials.
    func assumingRole(_ role: AWSRoleToAssume) throws -> AWSSession {
        var parameters: [(name: String, value: String)] = [("RoleArn", role.roleARN), ("RoleSessionName", role.sessionName)]
        if let external = role.externalID { parameters.append(("ExternalId", external)) }
        let answer: XMLTree
        do {
            answer = try query(.sts, "AssumeRole", parameters)
        } catch var error as AWSError {
            error.message = "cannot assume \(role.roleARN) (\(role.source))" + (error.message.isEmpty ? "" : ": \(error.message)")
            throw error
        }
        guard let c = answer.first("Credentials"), let id = c.text("AccessKeyId"), let secret = c.text("SecretAccessKey") else {
            throw AWSError(service: "sts", operation: "AssumeRole", code: nil,
                           message: "the answer for \(role.roleARN) holds no Credentials", status: 200)
        }
        let token = c.text("SessionToken").flatMap { $0.isEmpty ? nil : $0 }
        return with(credentials: AWSCredentials(accessKeyID: id, secretAccessKey: secret, sessionToken: token),
                    account: account, callerARN: answer.first("AssumedRoleUser")?.text("Arn") ?? callerARN)
    }

    func with(credentials: AWSCredentials, account: String, callerARN: String) -> AWSSession {
        AWSSession(credentials: credentials, region: region, account: account, callerARN: callerARN, endpoint: endpoint,
                   serviceEndpoints: serviceEndpoints, client: client)
    }

    /// The same credentials and endpoints in another region (its account unchanged).
    public func inRegion(_ other: String) -> AWSSession {
        AWSSession(credentials: credentials, region: other, account: account, callerARN: callerARN, endpoint: endpoint,
                   serviceEndpoints: serviceEndpoints, client: client)
    }

    public var description: String { "AWS account \(account) in \(region)" + (endpoint.map { " via \($0)" } ?? "") }
}
