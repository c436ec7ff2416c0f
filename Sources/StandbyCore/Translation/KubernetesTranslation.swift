/// Kubernetes references the generic scan cannot see, because they are bare names or identifiers
/// Azure assigns: the Key Vault name of a CSI `SecretProviderClass`, and managed-identity client
/// IDs (workload identity annotations, `userAssignedIdentityID`). ARM IDs, ARNs, images, EFS
/// volume handles, `aws-auth` roles, IRSA and ALB annotations are rewritten by
/// ``ReferenceTranslation``.
public struct KubernetesTranslation: TranslationStep {
    public let name = "built-in: Kubernetes"

    public init() {}

    public func applies(to resource: Resource) -> Bool {
        guard resource.isKubernetesObject else { return false }
        return resource.kind == "SecretProviderClass" || resource.kind == "ServiceAccount"
    }

    static let clientIDReason = "client ID of a managed identity: Azure assigns a new one when the recovery identity is created"

    public func apply(to document: inout TranslatedDocument, in context: TranslationContext) throws {
        switch document.resource.kind {
        case "SecretProviderClass":
            let params: [JSONPathComponent] = [.key("spec"), .key("parameters")]
            if let vault = document[params + [.key("keyvaultName")]]?.stringValue {
                let path = params + [.key("keyvaultName")]
                if let o = context.settings.overrides[vault] {
                    document.set(path, .string(o), by: "built-in: Key Vault name")
                } else {
                    switch context.ids.vaultName(vault) {
                    case .mapped(let to, _)?: document.set(path, .string(to), by: "built-in: Key Vault name")
                    case .unmapped(let reason)?: document.keep(path.dotted, value: vault, reason: reason)
                    case nil:
                        document.keep(path.dotted, value: vault,
                                      reason: "Key Vault \(vault) is not in the inventory; map its name with standby.map_id")
                    }
                }
            }
            for key in ["userAssignedIdentityID", "clientID"] {
                let path = params + [.key(key)]
                if let v = document[path]?.stringValue, !v.isEmpty {
                    document.keep(path.dotted, value: v, reason: Self.clientIDReason)
                }
            }
        case "ServiceAccount":
            let path: [JSONPathComponent] = [.key("metadata"), .key("annotations"), .key("azure.workload.identity/client-id")]
            if let v = document[path]?.stringValue, !v.isEmpty {
                document.keep(path.dotted, value: v, reason: Self.clientIDReason)
            }
        default:
            break
        }
    }
}
