/// The EKS API resources that say who may reach a cluster and with which AWS identity its
/// workloads act: access entries and the access policies associated with them, EKS Pod Identity
/// associations, and managed add-ons.
///
/// Access entries, associations and add-ons are aws-cli `describe-*` outputs (`{"accessEntry": …}`,
/// `{"association": …}`, `{"addon": …}`) identified by their ARNs. The policies associated with
/// one access entry are an `aws eks list-associated-access-policies` output
/// (`{"clusterName", "principalArn", "associatedAccessPolicies": […]}`); that output names no
/// ARN, so the resource is identified as `{cluster}/access-policies/{principal ARN}`.
public enum EKSAccessTypes {
    public static let accessEntry = "AWS::EKS::AccessEntry"
    public static let accessPolicies = "AWS::EKS::AccessPolicyAssociations"
    public static let podIdentityAssociation = "AWS::EKS::PodIdentityAssociation"
    public static let addon = "AWS::EKS::Addon"

    /// Every type here: the children of an EKS cluster the walker follows besides node groups and
    /// Fargate profiles.
    public static let all: Set<String> = [accessEntry, accessPolicies, podIdentityAssociation, addon]

    /// The id of the access policies of `principal` on `cluster`.
    public static func policiesID(cluster: String, principal: String) -> String {
        "\(cluster)/access-policies/\(principal)"
    }

    /// True for an `aws eks list-associated-access-policies` output.
    static func isPolicyList(_ object: JSONObject) -> Bool {
        object["associatedAccessPolicies"]?.arrayValue != nil && object["principalArn"]?.stringValue != nil
            && object["clusterName"]?.stringValue != nil
    }

    /// The resource of a `list-associated-access-policies` output (its paging key left out).
    static func policyList(_ object: JSONObject, source: SourceRef, options: LoadOptions) -> Resource {
        var item = object
        item["nextToken"] = nil
        let cluster = item["clusterName"]?.stringValue ?? ""
        let principal = item["principalArn"]?.stringValue ?? ""
        return Resource(id: policiesID(cluster: cluster, principal: principal), identity: .aws(nil), type: accessPolicies,
                        name: principal, region: options.region, document: .object(item), source: source)
    }

    /// What kind of IAM principal an ARN names, for access entries: a role, an IAM Identity
    /// Center (SSO) role, whose name carries a suffix IAM generates per account, or a user.
    public enum Principal: Sendable, Equatable {
        case role, ssoRole, user, other
    }

    /// The kind of principal `arn` is.
    public static func principal(_ arn: String) -> Principal {
        guard let a = ARN(arn), a.service == "iam" else { return .other }
        if a.resource.hasPrefix("role/aws-reserved/sso.amazonaws.com/") || a.resource.contains("/AWSReservedSSO_") {
            return .ssoRole
        }
        if a.resource.hasPrefix("role/") { return .role }
        if a.resource.hasPrefix("user/") { return .user }
        return .other
    }
}
