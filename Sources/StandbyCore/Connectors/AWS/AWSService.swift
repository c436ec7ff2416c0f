/// An AWS service as Standby calls it: its SigV4 signing name, the host prefix of its endpoint,
/// and its protocol's constants.
public struct AWSService: Sendable, Hashable, CustomStringConvertible {
    /// SigV4's service name, in the credential scope (moto routes requests by it).
    public var signingName: String
    /// `eks` in `eks.us-east-1.amazonaws.com`; `api.ecr` for ECR.
    public var endpointPrefix: String
    /// The suffix of its endpoint variable: `AWS_ENDPOINT_URL_EKS`.
    public var environmentID: String
    /// One endpoint for every region (IAM).
    public var isGlobal: Bool
    /// The `Version` of Query requests (EC2, IAM, STS).
    public var queryVersion: String?
    /// The `X-Amz-Target` prefix of JSON 1.1 requests (`TrentService` for KMS).
    public var targetPrefix: String?

    public init(signingName: String, endpointPrefix: String, environmentID: String, isGlobal: Bool = false,
                queryVersion: String? = nil, targetPrefix: String? = nil) {
        self.signingName = signingName; self.endpointPrefix = endpointPrefix; self.environmentID = environmentID
        self.isGlobal = isGlobal; self.queryVersion = queryVersion; self.targetPrefix = targetPrefix
    }

    public var description: String { signingName }

    /// REST-JSON.
    public static let eks = AWSService(signingName: "eks", endpointPrefix: "eks", environmentID: "EKS")
    /// REST-JSON.
    public static let efs = AWSService(signingName: "elasticfilesystem", endpointPrefix: "elasticfilesystem",
                                       environmentID: "EFS")
    /// Query, XML answers; global.
    public static let iam = AWSService(signingName: "iam", endpointPrefix: "iam", environmentID: "IAM", isGlobal: true,
                                       queryVersion: "2010-05-08")
    /// Query, XML answers.
    public static let sts = AWSService(signingName: "sts", endpointPrefix: "sts", environmentID: "STS",
                                       queryVersion: "2011-06-15")
    /// Query (EC2's dialect), XML answers.
    public static let ec2 = AWSService(signingName: "ec2", endpointPrefix: "ec2", environmentID: "EC2",
                                       queryVersion: "2016-11-15")
    /// JSON 1.1.
    public static let ecr = AWSService(signingName: "ecr", endpointPrefix: "api.ecr", environmentID: "ECR",
                                       targetPrefix: "AmazonEC2ContainerRegistry_V20150921")
    /// JSON 1.1.
    public static let kms = AWSService(signingName: "kms", endpointPrefix: "kms", environmentID: "KMS",
                                       targetPrefix: "TrentService")
}

/// The AWS partition of a region and its endpoints' domain.
enum AWSPartition {
    static func of(region: String) -> String {
        if region.hasPrefix("cn-") { return "aws-cn" }
        if region.hasPrefix("us-gov-") { return "aws-us-gov" }
        return "aws"
    }

    static func domain(_ partition: String) -> String { partition == "aws-cn" ? "amazonaws.com.cn" : "amazonaws.com" }

    /// Where a global service (IAM) lives and the region it signs for.
    static func global(_ service: AWSService, partition: String) -> (host: String, region: String) {
        switch partition {
        case "aws-cn": return ("\(service.endpointPrefix).cn-north-1.amazonaws.com.cn", "cn-north-1")
        case "aws-us-gov": return ("\(service.endpointPrefix).us-gov.amazonaws.com", "us-gov-west-1")
        default: return ("\(service.endpointPrefix).amazonaws.com", "us-east-1")
        }
    }
}
