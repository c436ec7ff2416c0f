/// What an AKS cluster's outbound type leaves out of its template: with `userDefinedRouting` (a
/// failover test's, so the sandbox firewall routes egress) or `none`, AKS rejects outbound IPs,
/// prefixes and a NAT gateway profile, so the template drops them — and nothing they name has to
/// exist in the recovery environment.
enum AKSOutbound {
    /// `networkProfile.loadBalancerProfile` keys the template drops.
    static let loadBalancerKeys = ["outboundIPs", "outboundIPPrefixes", "managedOutboundIPs", "allocatedOutboundPorts",
                                   "idleTimeoutInMinutes"]

    /// Whether `outboundType` routes egress without the load balancer's or a NAT gateway's IPs.
    static func dropsOutboundIPs(_ outboundType: String?) -> Bool {
        ["userdefinedrouting", "none"].contains(outboundType?.lowercased() ?? "")
    }

    /// Whether `path` of the translated AKS cluster `document` is an outbound setting its outbound
    /// type drops from the template.
    static func isDropped(_ path: [JSONPathComponent], in document: JSONValue) -> Bool {
        guard path.count >= 4, case .key("properties") = path[0], case .key("networkProfile") = path[1],
              dropsOutboundIPs(document["properties"]?["networkProfile"]?["outboundType"]?.stringValue) else { return false }
        switch (path[2], path[3]) {
        case (.key("loadBalancerProfile"), .key(let key)): return loadBalancerKeys.contains(key)
        case (.key("natGatewayProfile"), _): return true
        default: return false
        }
    }
}
