/// An Amazon Resource Name: `arn:{partition}:{service}:{region}:{account}:{resource}`.
///
/// `resource` is split into ``resourceType`` and ``resourceID`` at its first `/` or `:`
/// (`cluster/prod` → `cluster` + `prod`; `function:f:1` → `function` + `f:1`); a resource with
/// neither (`arn:aws:s3:::bucket`) has no type and the whole text as its ID. ARNs are
/// case-sensitive and ``description`` gives back exactly the parsed text.
public struct ARN: Sendable, Hashable, CustomStringConvertible, Comparable {
    /// `aws`, `aws-cn`, `aws-us-gov` …
    public let partition: String
    /// `eks`, `ec2`, `iam` …
    public let service: String
    /// Empty for global services such as IAM.
    public let region: String
    /// The 12-digit account ID; empty for some services (S3 buckets).
    public let account: String
    /// Everything after the fifth colon.
    public let resource: String

    /// Parses an ARN; `nil` for text ``ResourceIDCheck/problem(arn:)`` finds a problem with: not
    /// starting with `arn:`, fewer than six parts, an empty partition, service or resource, a
    /// resource type with an empty id (`cluster/`), a control character.
    public init?(_ text: String) {
        guard ResourceIDCheck.problem(arn: text) == nil else { return nil }
        let parts = text.split(separator: ":", maxSplits: 5, omittingEmptySubsequences: false)
        partition = String(parts[1])
        service = String(parts[2])
        region = String(parts[3])
        account = String(parts[4])
        resource = String(parts[5])
    }

    /// Builds an ARN from its parts.
    public init(partition: String = "aws", service: String, region: String, account: String, resource: String) {
        self.partition = partition
        self.service = service
        self.region = region
        self.account = account
        self.resource = resource
    }

    /// The resource type before the first `/` or `:` of ``resource``, if there is one.
    public var resourceType: String? {
        guard let cut = resource.firstIndex(where: { $0 == "/" || $0 == ":" }) else { return nil }
        return String(resource[..<cut])
    }

    /// The resource ID after the first `/` or `:` of ``resource`` (all of it when there is none).
    public var resourceID: String {
        guard let cut = resource.firstIndex(where: { $0 == "/" || $0 == ":" }) else { return resource }
        return String(resource[resource.index(after: cut)...])
    }

    public var description: String { "arn:\(partition):\(service):\(region):\(account):\(resource)" }

    public static func < (a: ARN, b: ARN) -> Bool { a.description < b.description }
}
