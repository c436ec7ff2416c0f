/// Who may reach a cluster, and with which identity its workloads act (``EKSAccessTypes``,
/// ``AzureAccessTypes``):
///
/// - EKS access entries and their access policies: an IAM role principal goes to the recovery
///   account by name (``ReferenceTranslation``, like every IAM role ARN); an IAM user or an IAM
///   Identity Center (SSO) role cannot be derived — a user is not recreated, and an SSO role's name
///   carries a suffix IAM generates per account — so unless it is mapped (`standby.map_id`) it is
///   kept, with an issue, and the plan leaves that entry out saying why.
/// - Pod identity associations and add-ons: their roles go by name; an add-on's
///   `configurationValues` text is rewritten like any string.
/// - Azure role assignments: the principal id stays when the recovery is in the same tenant (or
///   no recovery tenant is given); in another tenant it is kept with an issue, since the principal
///   does not exist there. Scopes and role definitions follow the recovery ids.
/// - Cluster extensions: `configurationProtectedSettings` values are never returned by ARM, so
///   an issue says they must be supplied again.
public struct ClusterAccessTranslation: TranslationStep {
    public let name = "built-in: cluster access"

    public init() {}

    static let types: Set<String> = [
        EKSAccessTypes.accessEntry, EKSAccessTypes.accessPolicies,
        AzureAccessTypes.roleAssignment.lowercased(), AzureAccessTypes.extensionType.lowercased(),
    ]

    public func applies(to resource: Resource) -> Bool {
        guard let t = resource.type else { return false }
        return Self.types.contains(t) || Self.types.contains(t.lowercased())
    }

    public func apply(to document: inout TranslatedDocument, in context: TranslationContext) throws {
        let r = document.resource
        switch r.type?.lowercased() {
        case EKSAccessTypes.accessEntry.lowercased(), EKSAccessTypes.accessPolicies.lowercased():
            principal(&document, context)
        case AzureAccessTypes.roleAssignment.lowercased():
            roleAssignment(&document, context)
        case AzureAccessTypes.extensionType.lowercased():
            if case .object(let settings)? = r.document["properties"]?["configurationProtectedSettings"], !settings.isEmpty {
                document.issue("cluster extension", "configurationProtectedSettings (\(settings.keys.sorted().joined(separator: ", "))) "
                    + "are never returned by ARM: supply their values again when the extension is deployed")
            }
        default:
            break
        }
    }

    /// The reason an unmappable principal is kept, or nil when it maps.
    static func unmappable(_ arn: String) -> String? {
        switch EKSAccessTypes.principal(arn) {
        case .user:
            return "an IAM user: users are not recreated in the recovery account; map it (standby.map_id) to a principal that exists there"
        case .ssoRole:
            return "an IAM Identity Center (SSO) role: its name carries a suffix IAM generates per account; map it (standby.map_id) "
                + "to the recovery account's role of that permission set"
        default:
            return nil
        }
    }

    func principal(_ document: inout TranslatedDocument, _ context: TranslationContext) {
        guard let arn = document.resource.document["principalArn"]?.stringValue else { return }
        if case .mapped(let to, "override")? = context.map(arn) {
            document.set([.key("principalArn")], .string(to), by: "built-in: access entry principal (override)")
            if let user = document.resource.document["username"]?.stringValue, user.contains(arn) {
                document.set([.key("username")], .string(user.replacingOccurrences(of: arn, with: to)),
                             by: "built-in: access entry principal (override)")
            }
            return
        }
        guard let reason = Self.unmappable(arn), context.map(arn) != nil else { return }
        document.keep("principalArn", value: arn, reason: reason)
        if let user = document.resource.document["username"]?.stringValue, user.contains(arn) {
            document.keep("username", value: user, reason: "names the principal, which is kept")
        }
        document.issue("access entry", "\(arn) is \(reason); the plan leaves its access entry out until then")
    }

    func roleAssignment(_ document: inout TranslatedDocument, _ context: TranslationContext) {
        let path: [JSONPathComponent] = [.key("properties"), .key("principalId")]
        guard let principal = document[path]?.stringValue else { return }
        guard let target = context.settings.to.azure?.tenant?.lowercased(), !context.source.tenants.isEmpty,
              !context.source.tenants.contains(target) else { return }
        let from = context.source.tenants.sorted().joined(separator: ", ")
        document.keep(path.dotted, value: principal, reason: "a principal of tenant \(from); the recovery is in tenant \(target), "
            + "where it does not exist: map it (standby.map_id) to a principal of that tenant")
        document.issue("role assignment", "principal \(principal) belongs to tenant \(from), not the recovery tenant \(target): "
            + "the assignment would name nobody")
    }
}
