/// Network steps of ``ARMTemplateBuilder``: subnets folded into their VNet, the sandbox's route
/// tables attached, VNet peerings by mode, and the bootstrap configuration of AGIC gateways.
extension ARMBuild {
    static let subnetType = "microsoft.network/virtualnetworks/subnets"
    static let vnetType = "microsoft.network/virtualnetworks"

    /// A standalone subnet of a VNet the template creates joins the VNet's inline `subnets`: a VNet
    /// PUT replaces its subnet list, so a subnet deployed on its own would be removed by it (or
    /// fail it, once in use).
    mutating func foldSubnets() {
        var i = 0
        while i < nodes.count {
            guard nodes[i].lowerType == Self.subnetType, let parent = nodes[i].id.parent, let v = index(of: parent),
                  nodes[v].lowerType == Self.vnetType else { i += 1; continue }
            let subnet = nodes.remove(at: i)
            let vnet = v > i ? v - 1 : v
            let name = subnet.id.name
            var list = nodes[vnet].body[path: ARMCycleBreaker.subnetsPath]?.arrayValue ?? []
            let properties = subnet.body["properties"] ?? .object(JSONObject())
            if let k = list.firstIndex(where: { $0["name"]?.stringValue?.lowercased() == name.lowercased() }) {
                list[k].set([.key("properties")], properties)
            } else {
                list.append(.object(JSONObject([("name", .string(name)), ("properties", properties)])))
            }
            nodes[vnet].body.set(ARMCycleBreaker.subnetsPath, .array(list))
            nodes[vnet].alsoCreates.append(subnet.id.description)
            nodes[vnet].after += subnet.after
        }
    }

    /// The sandbox's route tables on their subnets (`properties.routeTable.id`), inline or standalone.
    mutating func applyRouteTables() {
        guard let sandbox else { return }
        for (subnet, table) in sandbox.routeTables.sorted(by: { $0.key < $1.key }) {
            let reference: JSONValue = .object(JSONObject([("id", .string(table))]))
            guard let id = ARMResourceID(subnet) else { continue }
            if let n = index(of: id), nodes[n].lowerType == Self.subnetType {
                nodes[n].body.set([.key("properties"), .key("routeTable")], reference)
                continue
            }
            if let parent = id.parent, let v = index(of: parent), nodes[v].lowerType == Self.vnetType,
               let k = nodes[v].body[path: ARMCycleBreaker.subnetsPath]?.arrayValue?.firstIndex(where: {
                   $0["name"]?.stringValue?.lowercased() == id.name.lowercased()
               }) {
                nodes[v].body.set(ARMCycleBreaker.subnetsPath + [.index(k), .key("properties"), .key("routeTable")], reference)
                continue
            }
            notes.append(PlanNote(subject: subnet, message: "the sandbox routes this subnet through route table \(table), "
                + "but the subnet is not in the ARM template: attach the route table to it by hand"))
        }
    }

    /// VNet peerings (the remote VNets stay where they are): dropped in a failover test, whose copy
    /// must not reach the production networks; kept in a real failover, where the remote side
    /// needs a peering back to the recovery VNet.
    mutating func prepareNetwork() {
        let path: [JSONPathComponent] = [.key("properties"), .key("virtualNetworkPeerings")]
        for n in nodes.indices where nodes[n].lowerType == Self.vnetType {
            guard let peerings = nodes[n].body[path: path]?.arrayValue, !peerings.isEmpty else { continue }
            let names = peerings.compactMap { $0["name"]?.stringValue }.joined(separator: ", ")
            if translation.settings.mode == .test {
                nodes[n].body.set(path, nil)
                notes.append(PlanNote(subject: nodes[n].id.description, message: "VNet peerings \(names) are left out of the "
                    + "failover test: the recovery copy must not reach the networks the source is peered with"))
            } else {
                let remotes = peerings.compactMap { $0["properties"]?["remoteVirtualNetwork"]?["id"]?.stringValue }
                notes.append(PlanNote(subject: nodes[n].id.description, message: "VNet peerings \(names) are created from the "
                    + "recovery side only: add the peering back on \(remotes.joined(separator: ", ")), and check that the "
                    + "address spaces do not overlap with the source VNet still peered there"))
            }
        }
        agicGateways()
    }

    // MARK: - AGIC gateways

    /// Gateway configuration that AGIC owns and rewrites from the Ingress objects.
    static let agicOwned = [
        "frontendPorts", "backendAddressPools", "backendHttpSettingsCollection", "httpListeners", "requestRoutingRules",
        "urlPathMaps", "probes", "sslCertificates", "redirectConfigurations", "rewriteRuleSets", "trustedRootCertificates",
        "trustedClientCertificates", "sslProfiles", "listeners", "routingRules", "backendSettingsCollection",
    ]

    /// The Application Gateways the AGIC add-on of a recovery cluster manages (recovery ids).
    func agicGatewayIDs() -> Set<String> {
        var out: Set<String> = []
        for node in nodes where node.lowerType == ARMResourceTypes.managedClusters.lowercased() {
            guard let (_, addon) = AKSDocument.addon(AKSDocument.agic, in: node.body), AKSDocument.isEnabled(addon),
                  let id = AKSDocument.member("applicationGatewayId", in: addon["config"])?.value.stringValue,
                  let arm = ARMResourceID(id) else { continue }
            out.insert(arm.key)
        }
        return out
    }

    /// An AGIC-managed gateway is created with AGIC's bootstrap configuration — one HTTP listener
    /// on port 80 of its first public frontend, the default backend pool and HTTP setting, one basic
    /// rule — instead of the listeners, rules and certificates AGIC wrote in the source (certificates
    /// cannot be read back, and AGIC rewrites all of it from the Ingress objects).
    mutating func agicGateways() {
        let managed = agicGatewayIDs()
        for n in nodes.indices where nodes[n].lowerType == "microsoft.network/applicationgateways" {
            let tagged = nodes[n].body["tags"]?["managed-by-k8s-ingress"] != nil
            guard managed.contains(nodes[n].id.key) || tagged else { continue }
            let gw = nodes[n].id.description
            let frontends = nodes[n].body["properties"]?["frontendIPConfigurations"]?.arrayValue ?? []
            let frontend = frontends.first { $0["properties"]?["publicIPAddress"] != nil } ?? frontends.first
            guard let frontendName = frontend?["name"]?.stringValue else {
                notes.append(PlanNote(subject: gw, message: "AGIC gateway without a frontend IP configuration: its listeners "
                    + "cannot be bootstrapped; AGIC needs a frontend to configure"))
                continue
            }
            for key in Self.agicOwned { nodes[n].body.set([.key("properties"), .key(key)], nil) }
            func ref(_ child: String, _ name: String) -> JSONValue { .object(JSONObject([("id", .string("\(gw)/\(child)/\(name)"))])) }
            let bootstrap: [(String, JSONValue)] = [
                ("frontendPorts", [.object(JSONObject([("name", "fp-80"), ("properties", ["port": 80])]))]),
                ("backendAddressPools", [.object(JSONObject([("name", "defaultaddresspool"), ("properties", .object(JSONObject()))]))]),
                ("backendHttpSettingsCollection", [.object(JSONObject([("name", "defaulthttpsetting"), ("properties", [
                    "port": 80, "protocol": "Http", "cookieBasedAffinity": "Disabled", "requestTimeout": 30,
                ])]))]),
                ("httpListeners", [.object(JSONObject([("name", "fl-default"), ("properties", .object(JSONObject([
                    ("frontendIPConfiguration", ref("frontendIPConfigurations", frontendName)),
                    ("frontendPort", ref("frontendPorts", "fp-80")), ("protocol", "Http"),
                ])))]))]),
                ("requestRoutingRules", [.object(JSONObject([("name", "rr-default"), ("properties", .object(JSONObject([
                    ("ruleType", "Basic"), ("priority", 19500), ("httpListener", ref("httpListeners", "fl-default")),
                    ("backendAddressPool", ref("backendAddressPools", "defaultaddresspool")),
                    ("backendHttpSettings", ref("backendHttpSettingsCollection", "defaulthttpsetting")),
                ])))]))]),
            ]
            for (key, value) in bootstrap { nodes[n].body.set([.key("properties"), .key(key)], value) }
            let properties = nodes[n].body["properties"]
            let tier = (properties?["sku"]?["tier"]?.stringValue ?? "").lowercased()
            if tier.hasPrefix("waf"), properties?["firewallPolicy"] == nil,
               properties?["webApplicationFirewallConfiguration"] == nil {
                notes.append(PlanNote(subject: gw, message: "a WAF_v2 Application Gateway needs a gateway-level WAF policy "
                    + "(properties.firewallPolicy) at creation, and the source had only per-path policies, which AGIC "
                    + "re-applies from the Ingress annotations: set one before deploying"))
            }
        }
    }
}
