/// A subnet of the recovery network as the translation describes it.
struct SandboxSubnet {
    /// Recovery id (`…/virtualNetworks/{vnet}/subnets/{name}`).
    var id: String
    var name: String
    var prefixes: [IPv4Prefix]
    /// The route table the translated subnet names (recovery id), if any.
    var routeTable: String?
}

/// A recovery VNet: its address space and subnets, from the translated documents.
struct SandboxVNet {
    var id: ARMResourceID
    var prefixes: [IPv4Prefix]
    /// In document order; looked up by name, case-insensitively.
    var subnets: [SandboxSubnet]

    var name: String { id.name }

    func subnet(named name: String) -> SandboxSubnet? {
        let lower = name.lowercased()
        return subnets.first { $0.name.lowercased() == lower }
    }
}

/// The recovery VNets and subnets of a translation: `virtualNetworks` documents (with their
/// inline `subnets[]`) and standalone `virtualNetworks/subnets` resources, by recovery id.
struct SandboxNetwork {
    private(set) var vnets: [String: SandboxVNet] = [:]

    init(_ translation: Translation) {
        let vnetType = "microsoft.network/virtualnetworks", subnetType = vnetType + "/subnets"
        // Translated VNets, and the customer-owned ones created for AKS-managed networks.
        var documents: [(id: String?, document: JSONValue)] = []
        for r in translation.resources where r.source.type?.lowercased() == vnetType { documents.append((r.recoveryID, r.document)) }
        for a in translation.added where a.type.lowercased() == vnetType { documents.append((a.id, a.document)) }
        for (recoveryID, document) in documents {
            guard let id = recoveryID.flatMap(ARMResourceID.init) else { continue }
            let properties = document["properties"]
            var subnets: [SandboxSubnet] = []
            for case .object(let s) in properties?["subnets"]?.arrayValue ?? [] {
                let sid = s["id"]?.stringValue.flatMap(ARMResourceID.init)
                guard let name = s["name"]?.stringValue ?? sid?.name,
                      let full = id.child(type: "subnets", name: name) else { continue }
                subnets.append(Self.subnet(id: full.description, name: name, properties: s["properties"]))
            }
            let space = properties?["addressSpace"]?["addressPrefixes"]?.arrayValue?.compactMap { $0.stringValue } ?? []
            vnets[Resource.lookupKey(id.description)] = SandboxVNet(id: id, prefixes: space.compactMap(IPv4Prefix.init),
                                                                    subnets: subnets)
        }
        for r in translation.resources where r.source.type?.lowercased() == subnetType {
            guard let id = r.recoveryID.flatMap(ARMResourceID.init), let parent = id.parent,
                  var vnet = vnets[Resource.lookupKey(parent.description)] else { continue }
            let subnet = Self.subnet(id: id.description, name: id.name, properties: r.document["properties"])
            if let i = vnet.subnets.firstIndex(where: { $0.name.lowercased() == id.name.lowercased() }) {
                vnet.subnets[i] = subnet
            } else {
                vnet.subnets.append(subnet)
            }
            vnets[Resource.lookupKey(parent.description)] = vnet
        }
    }

    private static func subnet(id: String, name: String, properties: JSONValue?) -> SandboxSubnet {
        var prefixes: [String] = []
        if let p = properties?["addressPrefix"]?.stringValue { prefixes.append(p) }
        prefixes += properties?["addressPrefixes"]?.arrayValue?.compactMap { $0.stringValue } ?? []
        return SandboxSubnet(id: id, name: name, prefixes: prefixes.compactMap(IPv4Prefix.init),
                             routeTable: properties?["routeTable"]?["id"]?.stringValue)
    }

    func vnet(_ id: ARMResourceID) -> SandboxVNet? { vnets[Resource.lookupKey(id.description)] }

    /// The subnet with recovery id `id` (and its VNet), when the VNet is in the translation.
    func subnet(_ id: String) -> (vnet: SandboxVNet, subnet: SandboxSubnet?)? {
        guard let sid = ARMResourceID(id), let parent = sid.parent, let vnet = vnet(parent) else { return nil }
        return (vnet, vnet.subnet(named: sid.name))
    }
}

/// One recovery AKS cluster and the subnets the sandbox routes: the node and pod subnets of all
/// its pools (inline `agentPoolProfiles[]` and standalone `agentPools`), the API server subnet when
/// it is VNet-integrated, and the AGIC gateway's subnet.
struct SandboxCluster {
    var resource: TranslatedResource
    /// Recovery id.
    var id: ARMResourceID
    /// Its recovery resource group: the sandbox resources of the VNets it is the first to use go there.
    var group: ARMResourceID
    /// Node subnets, pod subnets and the API server subnet (recovery ids), each once, pools in order.
    var subnets: [String]
    /// The subnet internal load balancers take their frontends from: the node subnet of the first
    /// pool (AKS's default subnet, `subnetName` in the cloud provider's configuration).
    var frontendSubnet: String?
    /// The AGIC Application Gateway (recovery id), when the add-on is enabled.
    var gateway: String?
    /// The gateway's subnets (recovery ids), from the translated gateway document.
    var gatewaySubnets: [String]
    /// Enabled add-ons (keys as the cluster writes them), and whether it has Windows or GPU pools.
    var features: SandboxFeatures

    var name: String { id.name }

    static func all(in translation: Translation) -> [SandboxCluster] {
        var out: [SandboxCluster] = []
        for r in translation.resources where r.source.type == ARMResourceTypes.managedClusters {
            guard let id = r.recoveryID.flatMap(ARMResourceID.init), let sub = id.subscription, let rg = id.resourceGroup,
                  let group = ARMResourceID("/subscriptions/\(sub)/resourceGroups/\(rg)") else { continue }
            var pools: [JSONValue] = r.document["properties"]?["agentPoolProfiles"]?.arrayValue ?? []
            if let source = r.source.armID {
                for p in translation.resources where p.source.type == ARMResourceTypes.agentPools && p.source.armID?.parent == source {
                    if let properties = p.document["properties"] { pools.append(properties) }
                }
            }
            var subnets: [String] = []
            var seen: Set<String> = []
            func add(_ id: String?) {
                guard let id, let canonical = ARMResourceID(id)?.description,
                      seen.insert(Resource.lookupKey(canonical)).inserted else { return }
                subnets.append(canonical)
            }
            var frontend: String?
            var windows = false, gpu = false
            for pool in pools {
                let node = pool["vnetSubnetID"]?.stringValue
                if frontend == nil, let node { frontend = ARMResourceID(node)?.description }
                add(node)
                add(pool["podSubnetID"]?.stringValue)
                if pool["osType"]?.stringValue?.lowercased() == "windows" { windows = true }
                if let size = pool["vmSize"]?.stringValue, Self.isGPU(size) { gpu = true }
            }
            let api = r.document["properties"]?["apiServerAccessProfile"]
            if api?["enableVnetIntegration"]?.boolValue != false { add(api?["subnetId"]?.stringValue) }

            var gateway: String?, gatewaySubnets: [String] = []
            if let (_, addon) = AKSDocument.addon(AKSDocument.agic, in: r.document), AKSDocument.isEnabled(addon) {
                gateway = AKSDocument.agicGatewayID(addon).flatMap { ARMResourceID($0)?.description }
                let doc = gateway.flatMap { translation.resource($0)?.document }
                for case .object(let c) in doc?["properties"]?["gatewayIPConfigurations"]?.arrayValue ?? [] {
                    if let s = c["properties"]?["subnet"]?["id"]?.stringValue.flatMap(ARMResourceID.init) {
                        gatewaySubnets.append(s.description)
                    }
                }
                // A gateway AKS was to create names its subnet in the add-on config.
                if gatewaySubnets.isEmpty, let s = AKSDocument.member("subnetId", in: addon["config"])?.value.stringValue,
                   let sid = ARMResourceID(s) {
                    gatewaySubnets.append(sid.description)
                }
            }
            let addons = (r.document["properties"]?["addonProfiles"]?.objectValue?.pairs ?? [])
                .filter { AKSDocument.isEnabled($0.value) }.map(\.key)
            out.append(SandboxCluster(resource: r, id: id, group: group, subnets: subnets, frontendSubnet: frontend,
                                      gateway: gateway, gatewaySubnets: gatewaySubnets,
                                      features: SandboxFeatures(cluster: id.name, addons: addons, windows: windows, gpu: gpu)))
        }
        return out
    }

    /// N-series VM sizes carry GPUs (`Standard_NC6s_v3`, `Standard_ND96asr_v4`, `Standard_NV12s_v3`).
    static func isGPU(_ vmSize: String) -> Bool {
        let lower = vmSize.lowercased()
        let name = lower.hasPrefix("standard_") ? lower.dropFirst("standard_".count) : Substring(lower)
        return name.hasPrefix("n")
    }
}

/// What an AKS cluster runs that needs egress of its own: its enabled add-ons and whether it has
/// Windows or GPU pools. `standby.allowlists.addons(plan)` turns these into domains.
public struct SandboxFeatures: Sendable, Hashable {
    /// The recovery cluster's name.
    public var cluster: String
    /// Enabled add-on keys as the cluster writes them (`omsagent`, `azurepolicy`…).
    public var addons: [String]
    public var windows: Bool
    public var gpu: Bool

    public init(cluster: String, addons: [String], windows: Bool, gpu: Bool) {
        self.cluster = cluster; self.addons = addons; self.windows = windows; self.gpu = gpu
    }

    /// The features of every AKS cluster of a translation, in translation order.
    public static func of(_ translation: Translation) -> [SandboxFeatures] {
        SandboxCluster.all(in: translation).map(\.features)
    }
}
