/// The sandbox cannot be built for this plan; the message says why and what to do.
public struct SandboxError: Error, Sendable, CustomStringConvertible {
    public var message: String
    public init(_ message: String) { self.message = message }
    public var description: String { message }
}

/// Builds the network sandbox of a failover test: an Azure Firewall between each recovery VNet
/// that holds AKS cluster subnets and the internet.
///
/// For every recovery VNet with cluster subnets (node and pod subnets of every pool, the API server
/// subnet when VNet-integrated) — one firewall per VNet, since a VNet holds one
/// `AzureFirewallSubnet` and a route's next hop must be reachable from the subnet:
///
/// - `AzureFirewallSubnet`: the highest free /26 of the VNet's address space that overlaps none
///   of its subnets (an existing `AzureFirewallSubnet` is reused);
/// - a Standard public IP for egress, a firewall policy and the firewall (`AZFW_VNet`, Standard),
///   whose first `ipConfigurations` entry holds the subnet and the egress IP and the others one
///   DNAT public IP each;
/// - a route table sending `0.0.0.0/0` to the firewall's private IP (read with `reference()` in
///   the template) and each firewall public IP/32 to `Internet` (as Microsoft's AKS egress guide
///   does, against asymmetric routing), attached to every cluster subnet of the VNet;
/// - rule collection groups: DNAT (one rule per published Service and port), network (AGIC, below),
///   application (the egress allowlist, HTTP 80 and HTTPS 443, from the cluster subnets).
///
/// **Inbound, Services.** Every Service `type: LoadBalancer` that is public in the source gets a
/// firewall public IP of its own. The recovery Service is made internal, with its frontend
/// address pinned (``SandboxFirewall/serviceAnnotations``) so the DNAT rules have a fixed target:
/// the address the translated Service already pins inside the cluster's default subnet is kept,
/// otherwise one is taken from the end of that subnet (the node subnet of the cluster's first
/// pool, where AKS puts internal load balancers), skipping addresses other Services pin. Services
/// already internal in the source stay as they are, unpublished.
///
/// **Inbound, AGIC: Microsoft's parallel pattern** (the firewall and the Application Gateway side
/// by side, each with a public frontend). The gateway keeps its own public frontend, so ingress
/// clients reach it directly, not through a DNAT. Its subnet routes through the firewall: a second
/// route table sends each cluster subnet's prefix to the firewall, the cluster route table sends
/// the gateway subnet's prefix back to it (so both directions cross the firewall), and a network
/// rule allows gateway → cluster over TCP. Only specific prefixes are routed — not `0.0.0.0/0` —
/// so the gateway's control-plane and client traffic keep their direct internet path, which
/// Application Gateway v2 requires.
///
/// Only a failover test (``TranslationMode/test``) can be sandboxed: its translation rewrote the
/// clusters' `outboundType` to `userDefinedRouting`; a real failover keeps the source's outbound
/// type, with which a default route through a firewall breaks the cluster's egress.
public enum SandboxFirewallBuilder {
    /// API version of the `reference()` expressions (Microsoft.Network).
    public static let apiVersion = "2024-05-01"
    /// Azure Firewall Standard takes up to 250 public IPs.
    static let maximumPublicIPs = 250
    static let tagName = "standby:sandbox"

    public static let failoverMessage = "a sandbox is for failover tests: translate with mode = \"test\" (a real failover keeps "
        + "the clusters' outbound type, so their egress cannot be forced through the sandbox firewall)"

    public static func build(plan: RecoveryPlan, allow: [String]) throws -> SandboxFirewall {
        try build(plan.translation, allow: allow)
    }

    public static func build(_ translation: Translation, allow: [String]) throws -> SandboxFirewall {
        guard translation.settings.mode == .test else { throw SandboxError(failoverMessage) }
        let allowed = try FQDNAllowlist.validate(allow)
        guard let location = translation.settings.to.azure?.location, !location.isEmpty else {
            throw SandboxError("the recovery environment has no Azure location (to.azure.location): the sandbox firewall is an Azure resource")
        }
        let clusters = SandboxCluster.all(in: translation)
        guard !clusters.isEmpty else {
            throw SandboxError("the plan has no AKS cluster with a recovery id: there is nothing to put behind a sandbox firewall")
        }
        var builder = Builder(translation: translation, network: SandboxNetwork(translation), clusters: clusters,
                              allow: allowed, location: location)
        try builder.assignSites()
        try builder.planFrontends()
        try builder.buildSites()
        builder.checkAllowlist()
        return SandboxFirewall(resources: builder.resources, routeTables: builder.routeTables,
                               serviceAnnotations: builder.serviceAnnotations, frontends: builder.frontends,
                               allow: allowed, notes: builder.notes)
    }

    /// One recovery VNet with cluster subnets: gets one firewall.
    struct Site {
        var vnet: SandboxVNet
        /// Indices of the clusters with subnets here, in order; the first one's group holds the resources.
        var clusters: [Int] = []
        var clusterSubnets: [String] = []
        var gatewaySubnets: [String] = []
        var gateways: [String] = []
        /// Indices into the frontend plans.
        var frontends: [Int] = []
    }

    struct Builder {
        let translation: Translation
        let network: SandboxNetwork
        let clusters: [SandboxCluster]
        let allow: [String]
        let location: String
        var sites: [Site] = []
        var plans: [SandboxFrontendPlan] = []
        var resources: [AddedResource] = []
        var routeTables: [String: String] = [:]
        var serviceAnnotations: [String: [String: String]] = [:]
        var frontends: [SandboxFrontend] = []
        var notes: [PlanNote] = []

        init(translation: Translation, network: SandboxNetwork, clusters: [SandboxCluster], allow: [String], location: String) {
            self.translation = translation; self.network = network; self.clusters = clusters
            self.allow = allow; self.location = location
        }

        // MARK: - Sites

        mutating func site(for vnet: SandboxVNet) -> Int {
            if let i = sites.firstIndex(where: { $0.vnet.id == vnet.id }) { return i }
            sites.append(Site(vnet: vnet))
            return sites.count - 1
        }

        mutating func assignSites() throws {
            for (n, c) in clusters.enumerated() {
                guard !c.subnets.isEmpty else {
                    throw SandboxError("AKS cluster \(c.id) names no subnet (agentPoolProfiles[].vnetSubnetID): the sandbox "
                        + "routes the cluster's subnets through the firewall, so it needs them in the plan")
                }
                for s in c.subnets {
                    guard let (vnet, _) = network.subnet(s) else {
                        let vnet = ARMResourceID(s)?.parent?.description ?? s
                        throw SandboxError("VNet \(vnet) (subnet \(ARMResourceID(s)?.name ?? s) of AKS cluster \(c.name)) is not in the "
                            + "plan: its address space is needed to place AzureFirewallSubnet; include the VNet in the selection")
                    }
                    let i = site(for: vnet)
                    if !sites[i].clusters.contains(n) { sites[i].clusters.append(n) }
                    if !sites[i].clusterSubnets.contains(where: { Resource.lookupKey($0) == Resource.lookupKey(s) }) {
                        sites[i].clusterSubnets.append(s)
                    }
                }
                for g in c.gatewaySubnets {
                    guard let (vnet, _) = network.subnet(g), let i = sites.firstIndex(where: { $0.vnet.id == vnet.id }) else {
                        notes.append(PlanNote(subject: c.gateway ?? g, message: "the AGIC Application Gateway's subnet \(g) is not in a "
                            + "VNet that holds the cluster's subnets: it is not routed through the sandbox firewall"))
                        continue
                    }
                    if !sites[i].gatewaySubnets.contains(where: { Resource.lookupKey($0) == Resource.lookupKey(g) }) {
                        sites[i].gatewaySubnets.append(g)
                    }
                    if let gw = c.gateway, !sites[i].gateways.contains(gw) { sites[i].gateways.append(gw) }
                }
            }
        }

        // MARK: - Frontends

        mutating func planFrontends() throws {
            // Addresses every Service already pins, per subnet, so that allocations avoid them.
            var taken: [String: Set<IPv4Address>] = [:]
            var candidates: [(cluster: Int, service: TranslatedResource)] = []
            for (n, c) in clusters.enumerated() {
                for svc in SandboxFrontends.services(of: c, in: translation) {
                    if let pinned = SandboxFrontends.pinnedAddress(svc), let subnet = subnetHolding(pinned, cluster: c) {
                        taken[Resource.lookupKey(subnet), default: []].insert(pinned)
                    }
                    if SandboxFrontends.isInternal(svc) {
                        notes.append(PlanNote(subject: svc.recoveryID ?? svc.source.id,
                                              message: "Service \(display(svc)) is internal in the source: it stays internal and "
                                                + "gets no firewall public IP (reach it from inside the recovery VNet)"))
                        continue
                    }
                    candidates.append((n, svc))
                }
            }
            for (n, svc) in candidates {
                let c = clusters[n]
                let (ports, sctp) = SandboxFrontends.ports(svc)
                if !sctp.isEmpty {
                    notes.append(PlanNote(subject: svc.recoveryID ?? svc.source.id, message: "Service \(display(svc)): SCTP ports "
                        + "\(sctp.map(String.init).joined(separator: ", ")) are not forwarded (Azure Firewall DNAT takes TCP and UDP)"))
                }
                guard !ports.isEmpty else { continue }
                guard let subnetID = c.frontendSubnet, let found = network.subnet(subnetID), let subnet = found.subnet,
                      let prefix = subnet.prefixes.first else {
                    throw SandboxError("cannot pin a frontend address for Service \(display(svc)) of cluster \(c.name): the address "
                        + "prefix of the cluster's node subnet \(c.frontendSubnet ?? "(none)") is not in the plan")
                }
                let key = Resource.lookupKey(subnet.id)
                let address: IPv4Address, kept: Bool
                if let pinned = SandboxFrontends.pinnedAddress(svc), let usable = SandboxAddressing.usableRange(prefix),
                   usable.contains(pinned.value) {
                    address = pinned; kept = true
                } else {
                    guard let next = SandboxAddressing.nextFromEnd(in: prefix, taken: taken[key] ?? []) else {
                        throw SandboxError("subnet \(subnet.id) (\(prefix)) has no free address left to pin the frontend of Service "
                            + "\(display(svc))")
                    }
                    address = next; kept = false
                }
                taken[key, default: []].insert(address)
                let ns = recoveryNamespace(svc), name = svc.source.name ?? "service"
                plans.append(SandboxFrontendPlan(service: svc, cluster: n, namespace: ns, name: name, ports: ports,
                                                 subnet: subnet.id, address: address, kept: kept, publicIP: nil))
                let site = sites.firstIndex { $0.vnet.id == found.vnet.id }!
                sites[site].frontends.append(plans.count - 1)
                serviceAnnotations[svc.source.id] = [
                    SandboxFrontends.internalAnnotation: "true",
                    SandboxFrontends.ipv4Annotation: address.description,
                ]
            }
        }

        /// The cluster subnet whose prefix holds `address`.
        func subnetHolding(_ address: IPv4Address, cluster: SandboxCluster) -> String? {
            for s in cluster.subnets {
                if let subnet = network.subnet(s)?.subnet, subnet.prefixes.contains(where: { $0.contains(address) }) { return subnet.id }
            }
            return nil
        }

        func display(_ svc: TranslatedResource) -> String {
            "\(recoveryNamespace(svc))/\(svc.source.name ?? "?")"
        }

        /// The namespace a Service is restored to (a namespace map or a rule may have moved it).
        func recoveryNamespace(_ svc: TranslatedResource) -> String {
            svc.recoveryID.flatMap { KubeRef(id: $0)?.namespace } ?? svc.source.namespace ?? "default"
        }

        // MARK: - Resources

        mutating func buildSites() throws {
            var usedNames: Set<String> = []
            for i in sites.indices {
                try buildSite(i, usedNames: &usedNames)
            }
        }

        mutating func buildSite(_ i: Int, usedNames: inout Set<String>) throws {
            let site = sites[i]
            let vnet = site.vnet
            let group = clusters[site.clusters[0]].group
            guard site.frontends.count + 1 <= maximumPublicIPs else {
                throw SandboxError("VNet \(vnet.id) would need \(site.frontends.count + 1) firewall public IPs; Azure Firewall takes at most \(maximumPublicIPs)")
            }
            func id(_ type: String, _ name: String) -> String {
                let base = SandboxNames.resource(name)
                var candidate = base, n = 2
                while usedNames.contains(group.description.lowercased() + "|" + type.lowercased() + "|" + candidate.lowercased()) {
                    candidate = SandboxNames.resource(base + "-\(n)"); n += 1
                }
                usedNames.insert(group.description.lowercased() + "|" + type.lowercased() + "|" + candidate.lowercased())
                return group.child(type: type, name: candidate)!.description
            }
            let tags: JSONValue = .object(JSONObject([(tagName, .string(vnet.name))]))
            let stem = "sandbox-\(vnet.name)"
            let egressIP = id("Microsoft.Network/publicIPAddresses", "pip-afw-\(stem)")
            let policy = id("Microsoft.Network/firewallPolicies", "afwp-\(stem)")
            let firewall = id("Microsoft.Network/azureFirewalls", "afw-\(stem)")
            let routeTable = id("Microsoft.Network/routeTables", "rt-\(stem)")
            let firewallName = ARMResourceID(firewall)!.name

            // AzureFirewallSubnet.
            let subnetID: String
            var added: [AddedResource] = []
            if let existing = vnet.subnet(named: "AzureFirewallSubnet") {
                subnetID = existing.id
                notes.append(PlanNote(subject: existing.id, message: "the recovery VNet already has an AzureFirewallSubnet "
                    + "(\(existing.prefixes.map(\.description).joined(separator: ", "))): the sandbox firewall uses it"))
            } else {
                let used = vnet.subnets.flatMap(\.prefixes)
                guard !vnet.prefixes.isEmpty else {
                    throw SandboxError("VNet \(vnet.id) has no IPv4 address space in the plan (properties.addressSpace.addressPrefixes): "
                        + "cannot place AzureFirewallSubnet")
                }
                guard let block = SandboxAddressing.freeBlock(length: SandboxAddressing.firewallSubnetLength, in: vnet.prefixes,
                                                              avoiding: used) else {
                    throw SandboxError("VNet \(vnet.id) has no free /26 for AzureFirewallSubnet: its address space "
                        + "\(vnet.prefixes.map(\.description).joined(separator: ", ")) is taken by its subnets "
                        + "(\(used.map(\.description).joined(separator: ", "))); add an address prefix to the recovery VNet with a rule")
                }
                subnetID = vnet.id.child(type: "subnets", name: "AzureFirewallSubnet")!.description
                added.append(AddedResource(
                    id: subnetID, type: "Microsoft.Network/virtualNetworks/subnets",
                    document: .object(JSONObject([
                        ("id", .string(subnetID)), ("name", "AzureFirewallSubnet"), ("type", "Microsoft.Network/virtualNetworks/subnets"),
                        ("properties", .object(JSONObject([("addressPrefix", .string(block.description))]))),
                    ])),
                    reason: "sandbox: the subnet Azure Firewall requires (\(block), a free /26 of \(vnet.name))",
                    dependsOn: [vnet.id.description]))
            }

            // Public IPs: egress first, then one per published Service.
            added.append(publicIP(egressIP, tags: tags, reason: "sandbox: the firewall's egress public IP (\(vnet.name))"))
            var frontendIPs: [String] = []
            for f in site.frontends {
                let plan = plans[f]
                let cluster = clusters[plan.cluster].name
                let pip = id("Microsoft.Network/publicIPAddresses", "pip-fw-\(cluster)-\(plan.namespace)-\(plan.name)")
                plans[f].publicIP = ARMResourceID(pip)
                frontendIPs.append(pip)
                added.append(publicIP(pip, tags: tags, reason: "sandbox: firewall public IP that DNATs to Service \(plan.qualifiedName) of \(cluster)"))
            }

            // Prefixes the rules and routes name.
            let clusterPrefixes = prefixes(of: site.clusterSubnets) ?? vnet.prefixes.map(\.description)
            let gatewayPrefixes = prefixes(of: site.gatewaySubnets) ?? []

            // Policy and its rule collection groups (created one after another: ARM refuses
            // concurrent writes to one policy).
            added.append(AddedResource(
                id: policy, type: "Microsoft.Network/firewallPolicies",
                document: document(policy, "Microsoft.Network/firewallPolicies", tags: tags, properties: [
                    ("sku", .object(JSONObject([("tier", "Standard")]))), ("threatIntelMode", "Alert"),
                ]),
                reason: "sandbox: the firewall's policy (DNAT, AGIC and egress allowlist rules)"))
            var groups: [String] = []
            var previous: [String] = [policy]
            if !site.frontends.isEmpty {
                let rcg = ARMResourceID(policy)!.child(type: "ruleCollectionGroups", name: "sandbox-dnat")!.description
                var rules: [JSONValue] = []
                for (k, f) in site.frontends.enumerated() {
                    let plan = plans[f]
                    for p in plan.ports {
                        rules.append(.object(JSONObject([
                            ("ruleType", "NatRule"),
                            ("name", .string(SandboxNames.rule("\(plan.namespace)-\(plan.name)-\(p.port)-\(p.protocol.lowercased())"))),
                            ("ipProtocols", .array([.string(p.protocol)])),
                            ("sourceAddresses", .array(["*"])),
                            ("destinationAddresses", .array([.string(SandboxFirewallBuilder.addressExpression(frontendIPs[k]))])),
                            ("destinationPorts", .array([.string(String(p.port))])),
                            ("translatedAddress", .string(plan.address.description)),
                            ("translatedPort", .string(String(p.port))),
                        ])))
                    }
                }
                let collection: JSONValue = .object(JSONObject([
                    ("ruleCollectionType", "FirewallPolicyNatRuleCollection"), ("name", "dnat-load-balancers"),
                    ("priority", 100), ("action", .object(JSONObject([("type", "DNAT")]))), ("rules", .array(rules)),
                ]))
                added.append(ruleCollectionGroup(rcg, priority: 100, collections: [collection],
                                                 reason: "sandbox: DNAT from each firewall public IP to its Service's pinned frontend",
                                                 dependsOn: previous + frontendIPs))
                groups.append(rcg); previous = [policy, rcg]
            }
            if !gatewayPrefixes.isEmpty {
                let rcg = ARMResourceID(policy)!.child(type: "ruleCollectionGroups", name: "sandbox-agic")!.description
                let rule: JSONValue = .object(JSONObject([
                    ("ruleType", "NetworkRule"), ("name", "gateway-to-cluster"), ("ipProtocols", .array(["TCP"])),
                    ("sourceAddresses", .array(gatewayPrefixes.map(JSONValue.string))),
                    ("destinationAddresses", .array(clusterPrefixes.map(JSONValue.string))),
                    ("destinationPorts", .array(["*"])),
                ]))
                let collection: JSONValue = .object(JSONObject([
                    ("ruleCollectionType", "FirewallPolicyFilterRuleCollection"), ("name", "agic-gateway-to-cluster"),
                    ("priority", 200), ("action", .object(JSONObject([("type", "Allow")]))), ("rules", .array([rule])),
                ]))
                added.append(ruleCollectionGroup(rcg, priority: 200, collections: [collection],
                                                 reason: "sandbox: AGIC parallel pattern, the Application Gateway reaches the cluster through the firewall",
                                                 dependsOn: previous))
                groups.append(rcg); previous = [policy, rcg]
            }
            if !allow.isEmpty {
                let rcg = ARMResourceID(policy)!.child(type: "ruleCollectionGroups", name: "sandbox-egress")!.description
                let rule: JSONValue = .object(JSONObject([
                    ("ruleType", "ApplicationRule"), ("name", "allowlist"),
                    ("protocols", .array([
                        .object(JSONObject([("protocolType", "Https"), ("port", 443)])),
                        .object(JSONObject([("protocolType", "Http"), ("port", 80)])),
                    ])),
                    ("targetFqdns", .array(allow.map(JSONValue.string))),
                    ("sourceAddresses", .array(clusterPrefixes.map(JSONValue.string))),
                ]))
                let collection: JSONValue = .object(JSONObject([
                    ("ruleCollectionType", "FirewallPolicyFilterRuleCollection"), ("name", "egress-allowlist"),
                    ("priority", 300), ("action", .object(JSONObject([("type", "Allow")]))), ("rules", .array([rule])),
                ]))
                added.append(ruleCollectionGroup(rcg, priority: 300, collections: [collection],
                                                 reason: "sandbox: the egress allowlist (\(allow.count) domains, HTTP 80 and HTTPS 443)",
                                                 dependsOn: previous))
                groups.append(rcg)
            } else {
                notes.append(PlanNote(subject: firewall, message: "the egress allowlist is empty: the firewall denies all egress, and an "
                    + "AKS cluster cannot start without its required domains (standby.allowlists.aks(region))"))
            }

            // The firewall.
            var configurations: [JSONValue] = [
                .object(JSONObject([("name", "egress"), ("properties", .object(JSONObject([
                    ("subnet", .object(JSONObject([("id", .string(subnetID))]))),
                    ("publicIPAddress", .object(JSONObject([("id", .string(egressIP))]))),
                ])))])),
            ]
            for pip in frontendIPs {
                configurations.append(.object(JSONObject([("name", .string(ARMResourceID(pip)!.name)), ("properties", .object(JSONObject([
                    ("publicIPAddress", .object(JSONObject([("id", .string(pip))]))),
                ])))])))
            }
            added.append(AddedResource(
                id: firewall, type: "Microsoft.Network/azureFirewalls",
                document: document(firewall, "Microsoft.Network/azureFirewalls", tags: tags, properties: [
                    ("sku", .object(JSONObject([("name", "AZFW_VNet"), ("tier", "Standard")]))),
                    ("firewallPolicy", .object(JSONObject([("id", .string(policy))]))),
                    ("ipConfigurations", .array(configurations)),
                ]),
                reason: "sandbox: Azure Firewall between the recovery cluster subnets of \(vnet.name) and the internet",
                dependsOn: [subnetID, egressIP] + frontendIPs + [policy] + groups))

            // Route tables.
            let nextHop = SandboxFirewallBuilder.privateIPExpression(firewall)
            func route(_ name: String, _ prefix: String, appliance: Bool) -> JSONValue {
                var p: [(String, JSONValue)] = [("addressPrefix", .string(prefix)),
                                                ("nextHopType", .string(appliance ? "VirtualAppliance" : "Internet"))]
                if appliance { p.append(("nextHopIpAddress", .string(nextHop))) }
                return .object(JSONObject([("name", .string(SandboxNames.rule(name))), ("properties", .object(JSONObject(p)))]))
            }
            var routes: [JSONValue] = [route("default-via-firewall", "0.0.0.0/0", appliance: true)]
            for pip in [egressIP] + frontendIPs {
                routes.append(route("firewall-ip-\(ARMResourceID(pip)!.name)", SandboxFirewallBuilder.hostRouteExpression(pip), appliance: false))
            }
            for (k, prefix) in gatewayPrefixes.enumerated() {
                routes.append(route("appgw-\(k + 1)-via-firewall", prefix, appliance: true))
            }
            added.append(AddedResource(
                id: routeTable, type: "Microsoft.Network/routeTables",
                document: document(routeTable, "Microsoft.Network/routeTables", tags: tags, properties: [
                    ("disableBgpRoutePropagation", false), ("routes", .array(routes)),
                ]),
                reason: "sandbox: sends the cluster subnets' egress to \(firewallName)",
                dependsOn: [firewall, egressIP] + frontendIPs))
            for s in site.clusterSubnets {
                routeTables[s] = routeTable
                if let old = network.subnet(s)?.subnet?.routeTable, Resource.lookupKey(old) != Resource.lookupKey(routeTable) {
                    notes.append(PlanNote(subject: s, message: "the subnet's route table \(ARMResourceID(old)?.name ?? old) is replaced "
                        + "by the sandbox's \(ARMResourceID(routeTable)!.name) for the test"))
                }
            }
            if !site.gatewaySubnets.isEmpty {
                let gatewayTable = id("Microsoft.Network/routeTables", "rt-\(stem)-appgw")
                let gatewayRoutes = clusterPrefixes.enumerated().map { k, prefix in
                    route("cluster-\(k + 1)-via-firewall", prefix, appliance: true)
                }
                added.append(AddedResource(
                    id: gatewayTable, type: "Microsoft.Network/routeTables",
                    document: document(gatewayTable, "Microsoft.Network/routeTables", tags: tags, properties: [
                        ("disableBgpRoutePropagation", false), ("routes", .array(gatewayRoutes)),
                    ]),
                    reason: "sandbox: AGIC parallel pattern, the Application Gateway subnet reaches the cluster through \(firewallName) "
                        + "(its own public frontend and internet path are untouched)",
                    dependsOn: [firewall]))
                for s in site.gatewaySubnets {
                    routeTables[s] = gatewayTable
                    if let old = network.subnet(s)?.subnet?.routeTable {
                        notes.append(PlanNote(subject: s, message: "the subnet's route table \(ARMResourceID(old)?.name ?? old) is replaced "
                            + "by the sandbox's \(ARMResourceID(gatewayTable)!.name) for the test"))
                    }
                }
                for gw in site.gateways {
                    notes.append(PlanNote(subject: gw, message: "AGIC (parallel pattern): the Application Gateway keeps its public "
                        + "frontend — reach the cluster's ingresses through the gateway's own public IP; traffic between the gateway "
                        + "and the cluster crosses the sandbox firewall \(firewallName)"))
                }
            }
            resources += added

            // Frontends, reported.
            for f in site.frontends {
                let plan = plans[f]
                let cluster = clusters[plan.cluster].name
                guard let pip = plan.publicIP else { continue }
                frontends.append(SandboxFrontend(cluster: cluster, service: plan.qualifiedName, publicIP: pip.name,
                                                 ports: plan.ports.map(\.port), protocol: plan.protocolLabel,
                                                 translatedAddress: plan.address.description))
                let ports = plan.ports.map { "\($0.port)/\($0.protocol)" }.joined(separator: ", ")
                var message = "send traffic for Service \(plan.qualifiedName) (\(ports)) to the firewall public IP \(pip.name) "
                    + "(\(pip.resourceGroup ?? "")); the firewall DNATs it to the Service's internal load balancer at \(plan.address)"
                    + (plan.kept ? " (the address it pinned)" : "")
                let annotations = plan.service.document["metadata"]?["annotations"]?.objectValue?.keys ?? []
                let ignored = annotations.filter { SandboxFrontends.publicOnlyAnnotations.contains($0) }
                if !ignored.isEmpty {
                    message += "; its public load balancer annotations (\(ignored.joined(separator: ", "))) no longer apply"
                }
                if let lbIP = plan.service.document["spec"]?["loadBalancerIP"]?.stringValue, !plan.kept {
                    message += "; its spec.loadBalancerIP \(lbIP) is overridden by the azure-load-balancer-ipv4 annotation"
                }
                notes.append(PlanNote(subject: plan.service.recoveryID ?? plan.service.source.id, message: message))
            }
        }

        /// The IPv4 prefixes of `subnets`; `nil` when one of them is unknown (the caller falls back
        /// to the VNet's address space).
        func prefixes(of subnets: [String]) -> [String]? {
            var out: [String] = []
            for s in subnets {
                guard let subnet = network.subnet(s)?.subnet, !subnet.prefixes.isEmpty else { return nil }
                for p in subnet.prefixes where !out.contains(p.description) { out.append(p.description) }
            }
            return out
        }

        func document(_ id: String, _ type: String, tags: JSONValue, properties: [(String, JSONValue)]) -> JSONValue {
            .object(JSONObject([
                ("id", .string(id)), ("name", .string(ARMResourceID(id)!.name)), ("type", .string(type)),
                ("location", .string(location)), ("tags", tags), ("properties", .object(JSONObject(properties))),
            ]))
        }

        func publicIP(_ id: String, tags: JSONValue, reason: String) -> AddedResource {
            let type = "Microsoft.Network/publicIPAddresses"
            return AddedResource(id: id, type: type, document: .object(JSONObject([
                ("id", .string(id)), ("name", .string(ARMResourceID(id)!.name)), ("type", .string(type)),
                ("location", .string(location)), ("tags", tags),
                ("sku", .object(JSONObject([("name", "Standard"), ("tier", "Regional")]))),
                ("properties", .object(JSONObject([("publicIPAllocationMethod", "Static"), ("publicIPAddressVersion", "IPv4")]))),
            ])), reason: reason)
        }

        func ruleCollectionGroup(_ id: String, priority: Int64, collections: [JSONValue], reason: String,
                                 dependsOn: [String]) -> AddedResource {
            let type = "Microsoft.Network/firewallPolicies/ruleCollectionGroups"
            return AddedResource(id: id, type: type, document: .object(JSONObject([
                ("id", .string(id)), ("name", .string(ARMResourceID(id)!.name)), ("type", .string(type)),
                ("properties", .object(JSONObject([("priority", .int(priority)), ("ruleCollections", .array(collections))]))),
            ])), reason: reason, dependsOn: dependsOn)
        }

        // MARK: - Allowlist

        /// A public cluster whose nodes cannot reach its control plane will not come up.
        mutating func checkAllowlist() {
            guard !allow.isEmpty else { return }
            let hcp = "*.hcp.\(location.lowercased()).azmk8s.io"
            for c in clusters where c.resource.document["properties"]?["apiServerAccessProfile"]?["enablePrivateCluster"]?.boolValue != true {
                if !allow.contains(hcp) {
                    notes.append(PlanNote(subject: c.id.description, message: "the egress allowlist lacks \(hcp): the nodes cannot "
                        + "reach the cluster's control plane and the cluster will not come up (standby.allowlists.aks(\"\(location)\"))"))
                }
            }
        }
    }

    /// `[reference('<firewall>', '<api>').ipConfigurations[0].properties.privateIPAddress]`: the
    /// firewall's private IP, the routes' next hop.
    public static func privateIPExpression(_ firewall: String) -> String {
        "[reference('\(firewall)', '\(apiVersion)').ipConfigurations[0].properties.privateIPAddress]"
    }

    /// `[reference('<public IP>', '<api>').ipAddress]`.
    public static func addressExpression(_ publicIP: String) -> String {
        "[reference('\(publicIP)', '\(apiVersion)').ipAddress]"
    }

    /// `[concat(reference('<public IP>', '<api>').ipAddress, '/32')]`.
    public static func hostRouteExpression(_ publicIP: String) -> String {
        "[concat(reference('\(publicIP)', '\(apiVersion)').ipAddress, '/32')]"
    }
}

/// Names Azure accepts for the sandbox's resources and rules: 1–80 characters of letters, digits,
/// `_`, `.` and `-`, starting with a letter or digit and ending with a letter, digit or `_`.
enum SandboxNames {
    static let maximumLength = 80

    static func resource(_ text: String) -> String { clean(text) }
    static func rule(_ text: String) -> String { clean(text) }

    static func clean(_ text: String) -> String {
        var s = String(text.map { c -> Character in
            c.isASCII && (c.isLetter || c.isNumber || c == "-" || c == "_" || c == ".") ? c : "-"
        })
        while let f = s.first, !(f.isLetter || f.isNumber) { s.removeFirst() }
        if s.count > maximumLength {
            let hash = String(Digest.sha256(text).prefix(8))
            s = String(s.prefix(maximumLength - 9)) + "-" + hash
        }
        while let l = s.last, !(l.isLetter || l.isNumber || l == "_") { s.removeLast() }
        return s.isEmpty ? "sandbox" : s
    }
}
