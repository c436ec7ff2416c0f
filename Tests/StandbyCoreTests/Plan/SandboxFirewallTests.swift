import Foundation
import Testing
@testable import StandbyCore
import StandbyTestSupport

/// The sandbox firewall on the sample estate translated for a failover test (northeurope,
/// `rg-payments-dr`): one firewall per recovery VNet holding cluster subnets (the promoted
/// `aks-vnet-12345678` of the system pool, `vnet-payments-prod` of the other pools, the API server
/// and the AGIC gateway).
@Suite("Sandbox firewall")
struct SandboxFirewallTests {
    static let allow = ["mcr.microsoft.com", ".blob.core.windows.net", "*.hcp.northeurope.azmk8s.io", "API.stripe.com"]

    static func sandbox(mode: TranslationMode = .test, rules: [any TranslationStep] = [],
                        allow: [String] = allow) throws -> (Translation, SandboxFirewall) {
        let t = try SampleEstate.translate(mode: mode, rules: rules)
        return (t, try SandboxFirewallBuilder.build(plan: RecoveryPlan(t), allow: allow))
    }

    static func resources(_ fw: SandboxFirewall, type: String) -> [AddedResource] {
        fw.resources.filter { $0.type == type }
    }

    /// The firewall whose AzureFirewallSubnet is in `vnet` (recovery id).
    static func firewall(in vnet: String, _ fw: SandboxFirewall) -> AddedResource? {
        resources(fw, type: "Microsoft.Network/azureFirewalls").first {
            let subnet = $0.document["properties"]?["ipConfigurations"]?[0]?["properties"]?["subnet"]?["id"]?.stringValue
            return subnet.flatMap { ARMResourceID($0)?.parent?.description.lowercased() } == vnet.lowercased()
        }
    }

    static func vnet(of subnet: String) -> String { ARMResourceID(subnet)!.parent!.description }

    /// Every subnet the cluster's pools and API server use, read from the translated documents.
    static func clusterSubnets(_ t: Translation) throws -> Set<String> {
        let cluster = try #require(t.resource(SampleEstate.aksID))
        var out: Set<String> = []
        var pools = cluster.document["properties"]?["agentPoolProfiles"]?.arrayValue ?? []
        pools += t.resources.filter { $0.source.type == ARMResourceTypes.agentPools }.compactMap { $0.document["properties"] }
        for p in pools {
            for key in ["vnetSubnetID", "podSubnetID"] { if let s = p[key]?.stringValue { out.insert(s.lowercased()) } }
        }
        if let api = cluster.document["properties"]?["apiServerAccessProfile"]?["subnetId"]?.stringValue { out.insert(api.lowercased()) }
        return out
    }

    /// The address prefixes of a translated VNet's subnets and its address space.
    static func vnetPrefixes(_ t: Translation, _ vnet: String) throws -> (space: [IPv4Prefix], subnets: [String: IPv4Prefix]) {
        let doc = try #require(t.resource(vnet)?.document)
        let space = (doc["properties"]?["addressSpace"]?["addressPrefixes"]?.arrayValue ?? []).compactMap { $0.stringValue.flatMap(IPv4Prefix.init) }
        var subnets: [String: IPv4Prefix] = [:]
        for s in doc["properties"]?["subnets"]?.arrayValue ?? [] {
            if let name = s["name"]?.stringValue, let p = s["properties"]?["addressPrefix"]?.stringValue.flatMap(IPv4Prefix.init) {
                subnets[name] = p
            }
        }
        return (space, subnets)
    }

    // MARK: - DNAT

    @Test("one DNAT rule per frontend and port, from the frontend's own firewall IP to its pinned internal address")
    func dnatRules() throws {
        let (t, fw) = try Self.sandbox()
        #expect(fw.frontends.map(\.service).sorted() == ["checkout/web", "payments/api"])
        let nat = Self.resources(fw, type: "Microsoft.Network/firewallPolicies/ruleCollectionGroups")
            .flatMap { $0.document["properties"]?["ruleCollections"]?.arrayValue ?? [] }
            .filter { $0["ruleCollectionType"] == "FirewallPolicyNatRuleCollection" }
        #expect(nat.allSatisfy { $0["action"]?["type"] == "DNAT" })
        let rules = nat.flatMap { $0["rules"]?.arrayValue ?? [] }
        let expectedRules = fw.frontends.reduce(0) { $0 + $1.ports.count }
        #expect(rules.count == expectedRules)

        // The frontends' subnet: the node subnet of the cluster's first pool (the promoted aks-subnet).
        let cluster = try #require(t.resource(SampleEstate.aksID))
        let firstSubnet = try #require(cluster.document["properties"]?["agentPoolProfiles"]?[0]?["vnetSubnetID"]?.stringValue)
        let prefixes = try Self.vnetPrefixes(t, Self.vnet(of: firstSubnet))
        let subnetPrefix = try #require(prefixes.subnets[ARMResourceID(firstSubnet)!.name])

        var addresses: Set<String> = []
        for f in fw.frontends {
            let (ns, name) = (String(f.service.split(separator: "/")[0]), String(f.service.split(separator: "/")[1]))
            let source = "k8s://aks-prod-weu/core/Service/\(ns)/\(name)"
            let service = try #require(t.resource(source))
            // The annotations pin the same address DNAT translates to.
            let annotations = try #require(fw.serviceAnnotations[source])
            #expect(annotations["service.beta.kubernetes.io/azure-load-balancer-internal"] == "true")
            #expect(annotations["service.beta.kubernetes.io/azure-load-balancer-ipv4"] == f.translatedAddress)
            let address = try #require(IPv4Address(f.translatedAddress))
            #expect(subnetPrefix.contains(address), "\(f.translatedAddress) in \(subnetPrefix)")
            #expect(addresses.insert(f.translatedAddress).inserted, "each frontend has its own address")
            // The service's ports, each a rule from this frontend's public IP.
            let ports = (service.document["spec"]?["ports"]?.arrayValue ?? []).compactMap { $0["port"]?.intValue }.map(Int.init)
            #expect(f.ports == ports)
            let pip = try #require(fw.resources.first { $0.type == "Microsoft.Network/publicIPAddresses" && ARMResourceID($0.id)?.name == f.publicIP })
            for port in ports {
                let matching = rules.filter {
                    $0["destinationPorts"] == .array([.string(String(port))])
                        && $0["destinationAddresses"] == .array([.string(SandboxFirewallBuilder.addressExpression(pip.id))])
                }
                #expect(matching.count == 1, "\(f.service):\(port)")
                #expect(matching.first?["translatedAddress"] == .string(f.translatedAddress))
                #expect(matching.first?["translatedPort"] == .string(String(port)))
                #expect(matching.first?["ipProtocols"] == ["TCP"])
            }
        }
        // Allocated from the end of the subnet, skipping the broadcast address.
        #expect(addresses == ["10.224.255.254", "10.224.255.253"])
    }

    @Test("the frontend IPs are extra firewall ipConfigurations with only a public IP; the first has the subnet")
    func firewallIPConfigurations() throws {
        let (_, fw) = try Self.sandbox()
        for firewall in Self.resources(fw, type: "Microsoft.Network/azureFirewalls") {
            let configs = try #require(firewall.document["properties"]?["ipConfigurations"]?.arrayValue)
            #expect(configs[0]["properties"]?["subnet"]?["id"]?.stringValue?.hasSuffix("/subnets/AzureFirewallSubnet") == true)
            #expect(configs[0]["properties"]?["publicIPAddress"]?["id"] != nil)
            for c in configs.dropFirst() {
                #expect(c["properties"]?.objectValue?.keys == ["publicIPAddress"])
            }
            #expect(firewall.document["properties"]?["firewallPolicy"]?["id"]?.stringValue?.contains("/firewallPolicies/") == true)
            #expect(firewall.document["properties"]?["sku"] == ["name": "AZFW_VNet", "tier": "Standard"])
        }
        // Both frontends live in the system pool's VNet, so its firewall carries their IPs.
        let all = Self.resources(fw, type: "Microsoft.Network/azureFirewalls").map { $0.document["properties"]?["ipConfigurations"]?.arrayValue?.count ?? 0 }
        #expect(all.sorted() == [1, 3])
    }

    @Test("a Service pinned inside the subnet keeps its address; internal Services stay internal and are skipped by the allocation")
    func pinnedAddresses() throws {
        struct Pin: TranslationStep {
            var name = "test: pin"
            func applies(to r: Resource) -> Bool { r.kind == "Service" && ["web", "api"].contains(r.name ?? "") }
            func apply(to d: inout TranslatedDocument, in c: TranslationContext) throws {
                let a: [JSONPathComponent] = [.key("metadata"), .key("annotations")]
                if d.resource.name == "web" {
                    // Internal already, pinned at the top of the subnet.
                    d.set(a + [.key("service.beta.kubernetes.io/azure-load-balancer-internal")], "true", by: name)
                    d.set(a + [.key("service.beta.kubernetes.io/azure-load-balancer-ipv4")], "10.224.255.254", by: name)
                } else {
                    // Public, with spec.loadBalancerIP outside the subnet (a public address): not kept.
                    d.set([.key("spec"), .key("loadBalancerIP")], "20.103.84.17", by: name)
                }
            }
        }
        let (_, fw) = try Self.sandbox(rules: [Pin()])
        #expect(fw.frontends.map(\.service) == ["payments/api"])
        #expect(fw.frontends[0].translatedAddress == "10.224.255.253", "10.224.255.254 is web's")
        #expect(fw.serviceAnnotations["k8s://aks-prod-weu/core/Service/checkout/web"] == nil)
        #expect(fw.notes.contains { $0.message.contains("Service checkout/web is internal in the source: it stays internal") })
        #expect(fw.notes.contains { $0.message.contains("spec.loadBalancerIP 20.103.84.17 is overridden") })

        struct Keep: TranslationStep {
            var name = "test: keep"
            func applies(to r: Resource) -> Bool { r.kind == "Service" && r.name == "api" }
            func apply(to d: inout TranslatedDocument, in c: TranslationContext) throws {
                d.set([.key("metadata"), .key("annotations"), .key("service.beta.kubernetes.io/azure-load-balancer-ipv4")],
                      "10.224.7.7", by: name)
            }
        }
        let (_, kept) = try Self.sandbox(rules: [Keep()])
        #expect(kept.frontends.first { $0.service == "payments/api" }?.translatedAddress == "10.224.7.7")
        #expect(kept.frontends.first { $0.service == "checkout/web" }?.translatedAddress == "10.224.255.254")
    }

    // MARK: - Routes

    @Test("the route table is attached to every cluster subnet: nodes and pods of every pool, and the API server")
    func routeTables() throws {
        let (t, fw) = try Self.sandbox()
        let subnets = try Self.clusterSubnets(t)
        #expect(subnets.count == 4, "\(subnets)")
        let attached = Dictionary(uniqueKeysWithValues: fw.routeTables.map { ($0.key.lowercased(), $0.value) })
        for s in subnets {
            let table = try #require(attached[s], "\(s)")
            let rt = try #require(fw.resources.first { $0.id == table })
            let routes = try #require(rt.document["properties"]?["routes"]?.arrayValue)
            let firewall = try #require(Self.firewall(in: Self.vnet(of: s), fw), "a firewall in the subnet's own VNet")
            let route = try #require(routes.first { $0["properties"]?["addressPrefix"] == "0.0.0.0/0" })
            #expect(route["properties"]?["nextHopType"] == "VirtualAppliance")
            #expect(route["properties"]?["nextHopIpAddress"] == .string(
                "[reference('\(firewall.id)', '2024-05-01').ipConfigurations[0].properties.privateIPAddress]"))
            // The firewall's public IPs go straight to the internet (Microsoft's AKS egress guide).
            let internet = routes.filter { $0["properties"]?["nextHopType"] == "Internet" }
            let ips = firewall.document["properties"]?["ipConfigurations"]?.arrayValue?.compactMap { $0["properties"]?["publicIPAddress"]?["id"]?.stringValue } ?? []
            #expect(Set(internet.compactMap { $0["properties"]?["addressPrefix"]?.stringValue }) == Set(ips.map(SandboxFirewallBuilder.hostRouteExpression)))
            #expect(rt.dependsOn.contains(firewall.id))
        }
        // Replaced route tables are noted.
        #expect(fw.notes.contains { $0.subject.hasSuffix("/subnets/snet-aks-nodes") && $0.message.contains("rt-aks-egress is replaced") })
    }

    @Test("AzureFirewallSubnet: a /26 inside the VNet's address space, overlapping none of its subnets")
    func firewallSubnet() throws {
        let (t, fw) = try Self.sandbox()
        let subnets = Self.resources(fw, type: "Microsoft.Network/virtualNetworks/subnets")
        #expect(subnets.count == 2)
        for s in subnets {
            #expect(ARMResourceID(s.id)?.name == "AzureFirewallSubnet")
            let prefix = try #require(s.document["properties"]?["addressPrefix"]?.stringValue.flatMap(IPv4Prefix.init))
            #expect(prefix.length == 26)
            let (space, existing) = try Self.vnetPrefixes(t, Self.vnet(of: s.id))
            #expect(space.contains { $0.contains(prefix.network) && $0.contains(IPv4Address(prefix.last)) })
            for (name, other) in existing { #expect(!other.overlaps(prefix), "\(prefix) overlaps \(name) \(other)") }
            #expect(s.dependsOn == [Self.vnet(of: s.id)])
        }
        #expect(Set(subnets.compactMap { $0.document["properties"]?["addressPrefix"]?.stringValue }) == ["10.239.255.192/26", "10.40.255.192/26"])
    }

    @Test("no free /26 in the VNet is an error naming the VNet and its prefixes")
    func noFreeBlock() throws {
        struct Shrink: TranslationStep {
            var name = "test: shrink"
            func applies(to r: Resource) -> Bool { r.name == "aks-vnet-12345678" && r.type == "Microsoft.Network/virtualNetworks" }
            func apply(to d: inout TranslatedDocument, in c: TranslationContext) throws {
                d.set([.key("properties"), .key("addressSpace"), .key("addressPrefixes")], ["10.224.0.0/16"], by: name)
            }
        }
        #expect {
            _ = try Self.sandbox(rules: [Shrink()])
        } throws: { error in
            let text = "\(error)"
            return text.contains("aks-vnet-12345678 has no free /26 for AzureFirewallSubnet") && text.contains("10.224.0.0/16")
        }
        #expect(SandboxAddressing.freeBlock(length: 26, in: [IPv4Prefix("10.0.0.0/24")!],
                                            avoiding: [IPv4Prefix("10.0.0.0/25")!, IPv4Prefix("10.0.0.128/26")!]) == IPv4Prefix("10.0.0.192/26"))
        #expect(SandboxAddressing.freeBlock(length: 26, in: [IPv4Prefix("10.0.0.0/24")!],
                                            avoiding: [IPv4Prefix("10.0.0.192/26")!, IPv4Prefix("10.0.0.64/27")!]) == IPv4Prefix("10.0.0.128/26"))
        #expect(SandboxAddressing.freeBlock(length: 26, in: [IPv4Prefix("10.0.0.0/25")!, IPv4Prefix("10.1.0.0/27")!],
                                            avoiding: [IPv4Prefix("10.0.0.0/26")!]) == IPv4Prefix("10.0.0.64/26"))
        #expect(SandboxAddressing.freeBlock(length: 26, in: [IPv4Prefix("10.0.0.0/24")!], avoiding: [IPv4Prefix("10.0.0.0/24")!]) == nil)
    }

    // MARK: - AGIC

    @Test("AGIC parallel pattern: the gateway keeps its public frontend, its subnet reaches the cluster through the firewall")
    func agicParallelPattern() throws {
        let (t, fw) = try Self.sandbox()
        let cluster = try #require(t.resource(SampleEstate.aksID))
        let gatewayID = try #require(cluster.document["properties"]?["addonProfiles"]?["ingressApplicationGateway"]?["config"]?["applicationGatewayId"]?.stringValue)
        let gateway = try #require(t.resource(gatewayID))
        let gatewaySubnet = try #require(gateway.document["properties"]?["gatewayIPConfigurations"]?[0]?["properties"]?["subnet"]?["id"]?.stringValue)
        // Its public frontend is untouched, and it is not DNATed.
        #expect(gateway.document["properties"]?["frontendIPConfigurations"]?[0]?["properties"]?["publicIPAddress"]?["id"] != nil)
        #expect(!fw.frontends.contains { $0.service.contains("agw") })

        // Its subnet gets a route table of its own: cluster prefixes via the firewall, no default route.
        let tableID = try #require(fw.routeTables.first { $0.key.lowercased() == gatewaySubnet.lowercased() }?.value)
        let table = try #require(fw.resources.first { $0.id == tableID })
        let routes = try #require(table.document["properties"]?["routes"]?.arrayValue)
        #expect(!routes.contains { $0["properties"]?["addressPrefix"] == "0.0.0.0/0" }, "Application Gateway v2 keeps its internet path")
        let firewall = try #require(Self.firewall(in: Self.vnet(of: gatewaySubnet), fw))
        let hop = JSONValue.string(SandboxFirewallBuilder.privateIPExpression(firewall.id))
        #expect(routes.allSatisfy { $0["properties"]?["nextHopType"] == "VirtualAppliance" && $0["properties"]?["nextHopIpAddress"] == hop })
        let routed = Set(routes.compactMap { $0["properties"]?["addressPrefix"]?.stringValue })
        #expect(routed == ["10.40.0.0/22", "10.40.16.0/20", "10.40.4.0/28"])

        // The cluster subnets of that VNet route the gateway's prefix back through the firewall.
        let nodes = try #require(fw.routeTables.first { $0.key.hasSuffix("/snet-aks-nodes") }?.value)
        let clusterRoutes = fw.resources.first { $0.id == nodes }?.document["properties"]?["routes"]?.arrayValue ?? []
        #expect(clusterRoutes.contains { $0["properties"]?["addressPrefix"] == "10.40.5.0/24" && $0["properties"]?["nextHopIpAddress"] == hop })

        // And the policy lets the gateway reach the cluster.
        let agic = try #require(fw.resources.first { $0.id.hasSuffix("/ruleCollectionGroups/sandbox-agic") })
        let rule = agic.document["properties"]?["ruleCollections"]?[0]?["rules"]?[0]
        #expect(rule?["ruleType"] == "NetworkRule")
        #expect(rule?["sourceAddresses"] == ["10.40.5.0/24"])
        #expect(fw.notes.contains { $0.subject == gatewayID && $0.message.contains("keeps its public frontend") })
    }

    // MARK: - Allowlist and modes

    @Test("the application rule carries the validated allowlist, HTTP 80 and HTTPS 443, from the cluster subnets")
    func applicationRule() throws {
        let (_, fw) = try Self.sandbox()
        #expect(fw.allow == ["mcr.microsoft.com", "*.blob.core.windows.net", "*.hcp.northeurope.azmk8s.io", "api.stripe.com"])
        let egress = fw.resources.filter { $0.id.hasSuffix("/ruleCollectionGroups/sandbox-egress") }
        #expect(egress.count == 2)
        for group in egress {
            let collection = group.document["properties"]?["ruleCollections"]?[0]
            #expect(collection?["ruleCollectionType"] == "FirewallPolicyFilterRuleCollection")
            #expect(collection?["action"]?["type"] == "Allow")
            let rule = collection?["rules"]?[0]
            #expect(rule?["ruleType"] == "ApplicationRule")
            #expect(rule?["targetFqdns"] == .array(fw.allow.map(JSONValue.string)))
            #expect(rule?["protocols"] == [["protocolType": "Https", "port": 443], ["protocolType": "Http", "port": 80]])
        }
        #expect(!fw.notes.contains { $0.message.contains("lacks *.hcp") }, "the sample cluster is private")
    }

    @Test("a failover translation is refused: the sandbox is for failover tests")
    func failoverMode() throws {
        #expect {
            _ = try Self.sandbox(mode: .failover)
        } throws: { error in
            (error as? SandboxError)?.message == SandboxFirewallBuilder.failoverMessage
        }
    }

    @Test("attached to the plan, the Service annotations reach the manifests")
    func attach() throws {
        let t = try SampleEstate.translate(mode: .test)
        var plan = RecoveryPlan(t)
        let fw = try SandboxFirewallBuilder.build(plan: plan, allow: Self.allow)
        plan.attach(fw)
        #expect(plan.sandbox?.frontends.count == 2)
        let manifests = plan.kubernetes.flatMap(\.manifests).filter { fw.serviceAnnotations[$0.source] != nil }
        for m in manifests {
            let annotations = m.document["metadata"]?["annotations"]
            #expect(annotations?["service.beta.kubernetes.io/azure-load-balancer-internal"] == "true")
            #expect(annotations?["service.beta.kubernetes.io/azure-load-balancer-ipv4"]?.stringValue
                    == fw.serviceAnnotations[m.source]?["service.beta.kubernetes.io/azure-load-balancer-ipv4"])
        }
        #expect(plan.notes.contains { $0.message.contains("send traffic for Service payments/api") })
    }

    // MARK: - Azure SDK models

    static let models: [String: String] = [
        "Microsoft.Network/azureFirewalls": "AzureFirewall",
        "Microsoft.Network/routeTables": "RouteTable",
        "Microsoft.Network/firewallPolicies": "FirewallPolicy",
        "Microsoft.Network/firewallPolicies/ruleCollectionGroups": "FirewallPolicyRuleCollectionGroup",
        "Microsoft.Network/publicIPAddresses": "PublicIPAddress",
        "Microsoft.Network/virtualNetworks/subnets": "Subnet",
    ]

    @Test("every firewall, policy, rule collection group, route table, public IP and subnet body loads into the azure-mgmt-network models with no key lost")
    func azureSDKModels() throws {
        let (_, fw) = try Self.sandbox()
        #expect(Set(fw.resources.map(\.type)) == Set(Self.models.keys))
        let items = fw.resources.map { r in
            JSONValue.object(JSONObject([("model", .string(Self.models[r.type]!)), ("label", .string(r.id)), ("body", r.document)]))
        }
        let (status, output) = try NetworkModels.check(.array(items))
        #expect(status == 0, "\(output)")
        #expect(output.contains("ok: \(items.count) bodies"), "\(output)")

        // The checker does catch what ARM would not understand.
        let bad: JSONValue = [
            ["model": "RouteTable", "body": ["properties": ["routes": [["name": "r", "properties": ["addressPrefix": "0.0.0.0/0", "nextHopType": "Appliance", "nextHop": "10.0.0.4", "nextHopIp": "10.0.0.4"]]]]]],
            ["model": "FirewallPolicyRuleCollectionGroup", "body": ["properties": ["priority": "100", "ruleCollections": [["ruleCollectionType": "FirewallPolicyNatRuleCollection", "name": "n", "action": ["type": "DNAT"], "rules": [["ruleType": "NatRule", "name": "x", "translatedIp": "10.0.0.1"]]]]]]],
        ]
        let (badStatus, badOutput) = try NetworkModels.check(bad)
        #expect(badStatus == 1)
        #expect(badOutput.contains("properties.routes[0].properties.nextHopType: 'Appliance' is not one of"), "\(badOutput)")
        #expect(badOutput.contains("properties.routes[0].properties.nextHop: expected an object"), "\(badOutput)")
        #expect(badOutput.contains("properties.routes[0].properties.nextHopIp: unknown property of RouteTable (not a field of RoutePropertiesFormat"), "\(badOutput)")
        #expect(badOutput.contains("properties.priority: expected an integer"), "\(badOutput)")
        #expect(badOutput.contains("properties.ruleCollections[0].rules[0].translatedIp: unknown property of FirewallPolicyRuleCollectionGroup (not a field of NatRule"), "\(badOutput)")
    }
}

/// Runs scripts/validate/azure_models.py (the Azure SDK models) with the repository's .venv.
enum NetworkModels {
    static func check(_ items: JSONValue) throws -> (status: Int32, output: String) {
        try ValidationScript.check("azure_models.py", items) ?? (-1, "")
    }
}
