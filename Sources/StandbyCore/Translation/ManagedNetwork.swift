/// A customer-owned VNet created for a recovery cluster whose VNet AKS manages and the capture
/// does not hold: its pools name no subnet (`az aks show` writes `vnetSubnetId: null`, ARM leaves
/// `vnetSubnetID` out), so there is nothing to promote.
///
/// A failover test needs one: it forces egress through the sandbox firewall
/// (`outboundType: userDefinedRouting`), which AKS accepts only on a subnet the customer owns, and
/// the sandbox routes that subnet. So in a test, such a cluster gets the promotion
/// ``ManagedPromotion`` gives a captured `aks-vnet-*`, built from the cluster's own profile:
/// `aks-vnet-{cluster}` in the cluster's recovery resource group with AKS's default address space
/// and an `aks-subnet`, every pool (inline and standalone) pointed at it, and Network Contributor
/// for the cluster identity on the group. The rest of the address space leaves room for
/// `AzureFirewallSubnet`. A real failover keeps the managed VNet: AKS creates it again.
public struct ManagedNetwork: Sendable, Hashable {
    /// The source cluster.
    public var cluster: String
    /// The VNet's recovery id (`…/virtualNetworks/aks-vnet-{cluster}`).
    public var vnet: String
    /// The pools' subnet (`…/subnets/aks-subnet`).
    public var subnet: String
    public var addressSpace: String
    public var subnetPrefix: String
    /// The cluster's network plugin (`kubenet`, `azure`, `none`), as the profile states it.
    public var plugin: String
    /// The user-assigned control-plane identity (source id), nil for a system-assigned one.
    public var identity: String?

    /// AKS's AKS-managed VNet: `aks-vnet-{n}` with address space 10.224.0.0/12 and `aks-subnet`
    /// 10.224.0.0/16, the same for kubenet, Azure CNI (node subnet) and Azure CNI Overlay, whose
    /// pods take their addresses outside the VNet (the default pod CIDR 10.244.0.0/16 and service
    /// CIDR 10.0.0.0/16 lie outside it). Sources: `az network vnet show` / `az network vnet subnet
    /// show` of a default cluster's `aks-vnet-*` (public notes found through the code index,
    /// `addressSpace.addressPrefixes[0]` 10.224.0.0/12, `aks-subnet` 10.224.0.0/16), and Azure
    /// CLI's recorded `az aks create` responses (acs/tests/latest/recordings/
    /// test_aks_create_default.yaml: kubenet, podCidr 10.244.0.0/16, serviceCidr 10.0.0.0/16;
    /// test_aks_azure_cni_overlay_migration.yaml: azure). Azure CNI with a pod subnet
    /// (`podSubnetID`) needs a customer subnet, so such a cluster never has an AKS-managed VNet.
    static let defaultAddressSpace = "10.224.0.0/12"
    static let defaultSubnetPrefix = "10.224.0.0/16"
    static let by = "built-in: BYO VNet for the AKS-managed network (not in the recovery point)"
    static let tag = "standby:created-for"

    /// The networks the clusters of `resources` need: in a failover test, for every cluster whose
    /// pools name no node subnet and that no captured managed VNet is promoted for.
    static func plan(_ resources: [Resource], ids: RecoveryIDMap, promotions: [Promotion], mode: TranslationMode) -> [ManagedNetwork] {
        guard mode == .test else { return [] }
        var out: [ManagedNetwork] = []
        for cluster in resources where cluster.type == ARMResourceTypes.managedClusters {
            guard let arm = cluster.armID, let group = ManagedPromotion.recoveryGroup(of: cluster, ids: ids),
                  let name = ids.map(cluster.id)?.recoveryID.flatMap(ARMResourceID.init)?.name,
                  !promotions.contains(where: { Resource.lookupKey($0.cluster) == Resource.lookupKey(cluster.id) }) else { continue }
            let properties = cluster.document["properties"]
            var pools = properties?["agentPoolProfiles"]?.arrayValue ?? []
            for r in resources where r.type == ARMResourceTypes.agentPools && r.armID?.parent == arm {
                pools.append(r.document["properties"] ?? .null)
            }
            guard !pools.isEmpty, pools.allSatisfy({ $0["vnetSubnetID"]?.stringValue == nil }),
                  let vnet = group.child(type: "Microsoft.Network/virtualNetworks", name: String("aks-vnet-\(name)".prefix(64))),
                  let subnet = vnet.child(type: "subnets", name: ManagedPromotion.subnetName) else { continue }
            out.append(ManagedNetwork(cluster: cluster.id, vnet: vnet.description, subnet: subnet.description,
                                      addressSpace: defaultAddressSpace, subnetPrefix: defaultSubnetPrefix,
                                      plugin: properties?["networkProfile"]?["networkPlugin"]?.stringValue ?? "kubenet",
                                      identity: AKSDocument.controlPlaneIdentity(cluster.document)))
        }
        return out
    }

    /// The VNet resource, created in the recovery location.
    func resource(location: String?) -> AddedResource {
        let name = ARMResourceID(vnet)?.name ?? "aks-vnet"
        let clusterName = ARMResourceID(cluster)?.name ?? cluster
        var members: [(String, JSONValue)] = [("id", .string(vnet)), ("name", .string(name)),
                                              ("type", "Microsoft.Network/virtualNetworks")]
        if let location { members.append(("location", .string(location))) }
        members.append(("tags", .object(JSONObject([(Self.tag, .string(clusterName))]))))
        members.append(("properties", .object(JSONObject([
            ("addressSpace", .object(JSONObject([("addressPrefixes", .array([.string(addressSpace)]))]))),
            ("subnets", .array([.object(JSONObject([
                ("name", .string(ManagedPromotion.subnetName)),
                ("properties", .object(JSONObject([("addressPrefix", .string(subnetPrefix))]))),
            ]))])),
        ]))))
        return AddedResource(id: vnet, type: "Microsoft.Network/virtualNetworks", document: .object(JSONObject(members)),
                             reason: "customer-owned VNet for cluster \(clusterName), whose VNet AKS manages and the recovery "
                                + "point does not hold (\(plugin) network, AKS's default \(addressSpace), aks-subnet "
                                + "\(subnetPrefix)): a failover test routes the cluster's egress through the sandbox, which "
                                + "needs a subnet the customer owns")
    }

    /// The promotion the role assignment is derived from (Network Contributor on the VNet's group).
    var promotion: Promotion {
        Promotion(what: "AKS-managed VNet (not in the recovery point)", sourceID: cluster + "#aks-managed-vnet",
                  recoveryID: vnet, cluster: cluster, identity: identity)
    }

    /// Points every pool of the document at the network's subnet: `agentPoolProfiles[]` of a
    /// cluster, or the properties of a standalone pool.
    static func pointPools(_ document: inout TranslatedDocument, in context: TranslationContext) {
        let r = document.resource
        let clusterID = r.type == ARMResourceTypes.managedClusters ? r.id : (r.armID?.parent?.description ?? "")
        guard let network = context.managedNetworks.first(where: { Resource.lookupKey($0.cluster) == Resource.lookupKey(clusterID) })
        else { return }
        if r.type == ARMResourceTypes.managedClusters {
            for (i, _) in (document[AKSDocument.agentPoolProfiles]?.arrayValue ?? []).enumerated() {
                document.set(AKSDocument.agentPoolProfiles + [.index(i), .key("vnetSubnetID")], .string(network.subnet), by: by)
            }
        } else {
            document.set([.key("properties"), .key("vnetSubnetID")], .string(network.subnet), by: by)
        }
    }
}
