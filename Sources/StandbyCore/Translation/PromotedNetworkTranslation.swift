/// A VNet (or subnet) promoted from AKS-managed to BYO: it loses AKS's ownership tags and the
/// references to the NSG and route table AKS keeps in the node resource group (AKS creates its own
/// there; a BYO subnet carries only what the customer attaches, such as the sandbox's route
/// table), and a subnet renamed to `aks-subnet` is named so in its VNet's document.
public struct PromotedNetworkTranslation: TranslationStep {
    public let name = "built-in: promoted BYO network"

    public init() {}

    static let types: Set<String> = ["microsoft.network/virtualnetworks", "microsoft.network/virtualnetworks/subnets"]
    static let ownershipTags = ["created-by", "aks-managed-cluster-name", "aks-managed-cluster-rg"]

    public func applies(to resource: Resource) -> Bool {
        guard let type = resource.type?.lowercased(), Self.types.contains(type),
              let rg = resource.armID?.resourceGroup else { return false }
        return rg.lowercased().hasPrefix("mc_")
    }

    public func apply(to document: inout TranslatedDocument, in context: TranslationContext) throws {
        guard let promoted = context.ids.promoted.first(where: {
            Resource.lookupKey($0.sourceID) == Resource.lookupKey(document.resource.id)
                || Resource.lookupKey(document.resource.id).hasPrefix(Resource.lookupKey($0.sourceID) + "/")
        }) else { return }
        let by = "built-in: \(promoted.what) promoted to BYO"
        for tag in Self.ownershipTags where document[[.key("tags"), .key(tag)]] != nil {
            document.set([.key("tags"), .key(tag)], nil, by: by + " (AKS ownership tag removed)")
        }
        let nodeGroup = document.resource.armID?.resourceGroup?.lowercased() ?? ""
        var subnets: [(base: [JSONPathComponent], id: String?)] = []
        if document.resource.type?.lowercased() == "microsoft.network/virtualnetworks/subnets" {
            subnets = [([], document.resource.id)]
        } else {
            for (i, s) in (document[[.key("properties"), .key("subnets")]]?.arrayValue ?? []).enumerated() {
                subnets.append(([.key("properties"), .key("subnets"), .index(i)], s["id"]?.stringValue))
            }
        }
        for s in subnets {
            for ref in ["networkSecurityGroup", "routeTable"] {
                let path = s.base + [.key("properties"), .key(ref)]
                guard let id = document[path + [.key("id")]]?.stringValue,
                      ARMResourceID(id)?.resourceGroup?.lowercased() == nodeGroup else { continue }
                document.set(path, nil, by: by + " (AKS-managed \(ref) left to AKS)")
            }
            // A subnet promoted under another name is named after its recovery id.
            if let id = s.id, !s.base.isEmpty, let recovery = context.map(id)?.recoveryID,
               let newName = ARMResourceID(recovery)?.name, document[s.base + [.key("name")]]?.stringValue != newName {
                document.set(s.base + [.key("name")], .string(newName), by: by + " (subnet name)")
            }
        }
    }
}
