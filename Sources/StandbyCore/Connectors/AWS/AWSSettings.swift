import Foundation

/// How to reach AWS: where the credentials, region and endpoint come from, and an optional role
/// to act as (a recovery account). Nothing is read until ``AWSSession/connect(_:)``.
public struct AWSSettings: Sendable {
    /// nil → `AWS_REGION`, `AWS_DEFAULT_REGION`, the profile's `region`; else ``AWSSession/connect(_:)`` fails.
    public var region: String?
    /// nil → `AWS_PROFILE`, else `default`. Naming a profile here makes it win over
    /// `AWS_ACCESS_KEY_ID`, as `aws --profile` does.
    public var profile: String?
    /// One endpoint for every service (`http://127.0.0.1:5000` for moto). nil →
    /// `AWS_ENDPOINT_URL_<SERVICE>` (`AWS_ENDPOINT_URL_EKS`…), `AWS_ENDPOINT_URL`, the profile's
    /// `endpoint_url`, else AWS's own per-service endpoints (`https://eks.REGION.amazonaws.com`,
    /// `https://iam.amazonaws.com`, `https://sts.REGION.amazonaws.com`…).
    public var endpoint: String?
    /// When set: `sts:AssumeRole` with the credentials found, then act as that role (in the
    /// recovery account). After any role of the profile (`role_arn` + `source_profile`).
    public var roleARN: String?
    public var externalID: String?
    /// The `RoleSessionName` of every role assumed (CloudTrail shows it).
    public var sessionName: String
    /// The environment variables read (`AWS_*`, `HOME`).
    public var environment: [String: String]
    /// nil → `AWS_CONFIG_FILE`, else `~/.aws/config`.
    public var configFile: String?
    /// nil → `AWS_SHARED_CREDENTIALS_FILE`, else `~/.aws/credentials`.
    public var credentialsFile: String?
    /// Retries, timeouts, TLS (a CA bundle from `AWS_CA_BUNDLE` or `STANDBY_CA_BUNDLE`) and the
    /// request log of every request.
    public var http: HTTPClient.Options

    public init(region: String? = nil, profile: String? = nil, endpoint: String? = nil, roleARN: String? = nil,
                environment: [String: String] = ProcessInfo.processInfo.environment) {
        self.region = region
        self.profile = profile
        self.endpoint = endpoint
        self.roleARN = roleARN
        self.externalID = nil
        self.sessionName = "standby"
        self.environment = environment
        self.configFile = nil
        self.credentialsFile = nil
        self.http = HTTPClient.Options(environment: environment, caBundleVariables: ["AWS_CA_BUNDLE"])
    }
}
