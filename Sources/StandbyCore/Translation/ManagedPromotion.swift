/// AKS-managed VNets and AGIC gateways promoted to BYO resources in the cluster's own recovery
/// resource group, with the Network Contributor role assignments the promotions need.
///
/// - A VNet named `aks-vnet-*` in the cluster's node resource group that an agent pool (inline or
///   standalone) or the VNet-integrated API server uses becomes a BYO VNet of the same name. The
///   pools' subnet must be named `aks-subnet` there: when the source's is named otherwise, the
///   subnet gets a promotion of its own to `<BYO VNet>/subnets/aks-subnet`.
/// - An enabled AGIC add-on whose gateway lives in the node resource group (AKS created it) gets
///   its gateway promoted, with the frontend public IPs AKS created for it in that group.
public enum ManagedPromotion {
    /// The built-in Network Contributor role.
    static let networkContributor = "4d97b98b-1d4f-4787-a291-c67834d212e7"
    static let identityAPIVersion = "2023-01-31"
    static let clusterAPIVersion = "2024-09-01"
    static let subnetName = "aks-subnet"

    /// The promotions the selected resources need (each managed resource once).
    public static func promotions(_ resources: [Resource], ids: RecoveryIDMap) -> [Promotion] {
        var out: [Promotion] = []
        var seen: Set<String> = []
        for cluster in resources where cluster.type == ARMResourceTypes.managedClusters {
            guard let arm = cluster.armID, let group = recoveryGroup(of: cluster, ids: ids),
                  let nodeGroup = AKSDocument.nodeResourceGroup(cluster.document) else { continue }
            let pools = resources.filter { $0.type == ARMResourceTypes.agentPools && $0.armID?.parent == arm }
            let found = vnetPromotions(cluster, pools: pools, nodeGroup: nodeGroup, into: group)
                + gatewayPromotions(cluster, resources: resources, nodeGroup: nodeGroup, into: group)
            for p in found where seen.insert(Resource.lookupKey(p.sourceID)).inserted { out.append(p) }
        }
        return out
    }

    /// The cluster's recovery resource group (from its mapped id); `nil` when it has no recovery id.
    static func recoveryGroup(of cluster: Resource, ids: RecoveryIDMap) -> ARMResourceID? {
        guard let id = ids.map(cluster.id)?.recoveryID.flatMap(ARMResourceID.init),
              let sub = id.subscription, let rg = id.resourceGroup else { return nil }
        return ARMResourceID("/subscriptions/\(sub)/resourceGroups/\(rg)")
    }

    // MARK: - VNet

    static func vnetPromotions(_ cluster: Resource, pools: [Resource], nodeGroup: String,
                               into group: ARMResourceID) -> [Promotion] {
        var poolSubnets: [String] = []
        for case .object(let p) in cluster.document["properties"]?["agentPoolProfiles"]?.arrayValue ?? [] {
            if let s = p["vnetSubnetID"]?.stringValue { poolSubnets.append(s) }
        }
        for pool in pools {
            if let s = pool.document["properties"]?["vnetSubnetID"]?.stringValue { poolSubnets.append(s) }
        }
        let apiServer = cluster.document["properties"]?["apiServerAccessProfile"]?["subnetId"]?.stringValue
        let managed = (poolSubnets + (apiServer.map { [$0] } ?? [])).compactMap { managedSubnet($0, nodeGroup: nodeGroup) }
        var vnets: [ARMResourceID] = []
        for s in managed where !vnets.contains(s.vnet) { vnets.append(s.vnet) }
        let identity = AKSDocument.controlPlaneIdentity(cluster.document)
        var out: [Promotion] = []
        for vnet in vnets {
            guard let byo = group.child(type: "Microsoft.Network/virtualNetworks", name: vnet.name) else { continue }
            out.append(Promotion(what: "AKS-managed VNet", sourceID: vnet.description, recoveryID: byo.description,
                                 cluster: cluster.id, identity: identity))
            // The pools' subnet: `aks-subnet` in the BYO VNet, whatever the source called it.
            let subnets = poolSubnets.compactMap { managedSubnet($0, nodeGroup: nodeGroup) }.filter { $0.vnet == vnet }
            guard !subnets.contains(where: { $0.subnet.name.lowercased() == subnetName }), let first = subnets.first,
                  let target = byo.child(type: "subnets", name: subnetName) else { continue }
            out.append(Promotion(what: "AKS-managed VNet subnet", sourceID: first.subnet.description,
                                 recoveryID: target.description, cluster: cluster.id, identity: identity))
        }
        return out
    }

    /// A subnet of an `aks-vnet-*` VNet in the node resource group, with its VNet.
    static func managedSubnet(_ id: String, nodeGroup: String) -> (subnet: ARMResourceID, vnet: ARMResourceID)? {
        guard let subnet = ARMResourceID(id), subnet.resourceType.lowercased() == "microsoft.network/virtualnetworks/subnets",
              subnet.resourceGroup?.lowercased() == nodeGroup.lowercased(),
              let vnet = subnet.parent, vnet.name.lowercased().hasPrefix("aks-vnet-") else { return nil }
        return (subnet, vnet)
    }

    // MARK: - AGIC gateway

    static func gatewayPromotions(_ cluster: Resource, resources: [Resource], nodeGroup: String,
                                  into group: ARMResourceID) -> [Promotion] {
        guard let (_, addon) = AKSDocument.addon(AKSDocument.agic, in: cluster.document), AKSDocument.isEnabled(addon),
              let id = AKSDocument.agicGatewayID(addon).flatMap(ARMResourceID.init),
              id.resourceType.lowercased() == "microsoft.network/applicationgateways",
              id.resourceGroup?.lowercased() == nodeGroup.lowercased(),
              let byo = group.child(type: "Microsoft.Network/applicationGateways", name: id.name) else { return [] }
        let identity = agicIdentity(addon, cluster: cluster, nodeGroup: nodeGroup)
        var out = [Promotion(what: "AKS-managed Application Gateway", sourceID: id.description, recoveryID: byo.description,
                             cluster: cluster.id, identity: identity)]
        // The public IPs AKS created for the gateway's frontends move with it.
        let gateway = resources.first { $0.armID == id }
        for case .object(let frontend) in gateway?.document["properties"]?["frontendIPConfigurations"]?.arrayValue ?? [] {
            guard let pip = frontend["properties"]?["publicIPAddress"]?["id"]?.stringValue.flatMap(ARMResourceID.init),
                  pip.resourceType.lowercased() == "microsoft.network/publicipaddresses",
                  pip.resourceGroup?.lowercased() == nodeGroup.lowercased(),
                  let target = group.child(type: "Microsoft.Network/publicIPAddresses", name: pip.name) else { continue }
            out.append(Promotion(what: "AKS-managed Application Gateway public IP", sourceID: pip.description,
                                 recoveryID: target.description, cluster: cluster.id, identity: identity))
        }
        return out
    }

    /// The AGIC add-on identity: as the cluster reports it, else the one AKS creates for the add-on
    /// (`ingressapplicationgateway-{cluster}` in the node resource group).
    static func agicIdentity(_ addon: JSONValue, cluster: Resource, nodeGroup: String) -> String? {
        if let id = addon["identity"]?["resourceId"]?.stringValue, ARMResourceID(id) != nil { return id }
        guard let sub = cluster.armID?.subscription, let name = cluster.armID?.name else { return nil }
        return "/subscriptions/\(sub)/resourceGroups/\(nodeGroup)/providers/Microsoft.ManagedIdentity/"
            + "userAssignedIdentities/ingressapplicationgateway-\(name.lowercased())"
    }

    // MARK: - Role assignments

    /// The Network Contributor role assignments the promotions need: one per (identity, resource
    /// group of the BYO resource), named by a UUID derived from scope, principal and role so that
    /// every translation names it the same.
    public static func roleAssignments(for promotions: [Promotion], in context: TranslationContext) -> [AddedResource] {
        var out: [AddedResource] = []
        var seen: Set<String> = []
        for p in promotions {
            guard let byo = ARMResourceID(p.recoveryID), let sub = byo.subscription, let rg = byo.resourceGroup else { continue }
            let scope = "/subscriptions/\(sub)/resourceGroups/\(rg)"
            let principal = Principal(p, context)
            guard seen.insert(Resource.lookupKey(principal.resource) + "|" + scope.lowercased()).inserted else { continue }
            let role = "/subscriptions/\(sub)/providers/Microsoft.Authorization/roleDefinitions/\(networkContributor)"
            let name = nameUUID("\(scope)|\(principal.resource)|\(role)".lowercased())
            let id = "\(scope)/providers/Microsoft.Authorization/roleAssignments/\(name)"
            let properties: JSONValue = .object(JSONObject([
                ("roleDefinitionId", .string(role)), ("principalId", .string(principal.expression)),
                ("principalType", "ServicePrincipal"), ("scope", .string(scope)),
            ]))
            let document: JSONValue = .object(JSONObject([
                ("id", .string(id)), ("name", .string(name)), ("type", "Microsoft.Authorization/roleAssignments"),
                ("properties", properties),
            ]))
            out.append(AddedResource(id: id, type: "Microsoft.Authorization/roleAssignments", document: document,
                                     reason: reason(p, principal),
                                     dependsOn: [principal.resource, p.recoveryID] + (principal.createdWith.map { [$0] } ?? [])))
        }
        return out
    }

    /// Who gets the role: the promotion's identity (recovery id), or the recovery cluster's
    /// system-assigned identity.
    struct Principal {
        /// The recovery id of the identity, or of the cluster that carries it.
        var resource: String
        /// The ARM template expression that yields its principal id.
        var expression: String
        var who: String
        /// The recovery cluster, when AKS creates the identity with it (an add-on identity in the
        /// node resource group): the assignment must wait for the cluster.
        var createdWith: String?

        init(_ p: Promotion, _ context: TranslationContext) {
            if let identity = p.identity {
                resource = context.map(identity)?.recoveryID ?? identity
                let nodeGroup = context.inventory.get(p.cluster).flatMap { AKSDocument.nodeResourceGroup($0.document) }
                if let nodeGroup, ARMResourceID(identity)?.resourceGroup?.lowercased() == nodeGroup.lowercased() {
                    createdWith = context.map(p.cluster)?.recoveryID
                }
                expression = "[reference('\(resource)', '\(ManagedPromotion.identityAPIVersion)').principalId]"
                who = p.what.contains("Application Gateway") ? "the AGIC add-on identity" : "the control-plane identity"
            } else {
                resource = context.map(p.cluster)?.recoveryID ?? p.cluster
                expression = "[reference('\(resource)', '\(ManagedPromotion.clusterAPIVersion)', 'Full').identity.principalId]"
                who = "the cluster's system-assigned identity"
            }
        }
    }

    static func reason(_ p: Promotion, _ principal: Principal) -> String {
        let what = p.what.contains("Application Gateway") ? "BYO Application Gateway" : "BYO VNet"
        return "Network Contributor for \(principal.who) on the \(what)'s resource group (\(p.what) promoted to BYO)"
    }

    /// A name-based UUID (version 5 layout) from the SHA-256 of `text`.
    static func nameUUID(_ text: String) -> String {
        var hex = Array(Digest.sha256(text).prefix(32))
        guard hex.count == 32 else { return text }
        hex[12] = "5"
        let variant = ((hex[16].hexDigitValue ?? 0) & 0x3) | 0x8
        hex[16] = Character(String(variant, radix: 16))
        let s = String(hex)
        func part(_ from: Int, _ to: Int) -> Substring {
            s[s.index(s.startIndex, offsetBy: from)..<s.index(s.startIndex, offsetBy: to)]
        }
        return "\(part(0, 8))-\(part(8, 12))-\(part(12, 16))-\(part(16, 20))-\(part(20, 32))"
    }
}
