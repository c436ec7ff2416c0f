/// A Service `type: LoadBalancer` of a recovery cluster that the sandbox firewall publishes: the
/// recovery Service is made internal with a pinned private address, and a firewall public IP of its
/// own DNATs each service port to it.
struct SandboxFrontendPlan {
    var service: TranslatedResource
    /// Index of its cluster in the builder's cluster list.
    var cluster: Int
    var namespace: String
    var name: String
    /// `(port, TCP|UDP)`, in spec order.
    var ports: [(port: Int, protocol: String)]
    /// The subnet its internal load balancer takes the frontend from (recovery id).
    var subnet: String
    /// The pinned private frontend address (DNAT target).
    var address: IPv4Address
    /// Whether the address was already pinned in the translated Service (kept) or allocated.
    var kept: Bool
    /// The firewall public IP resource that reaches it (set when the site is built).
    var publicIP: ARMResourceID?

    var qualifiedName: String { "\(namespace)/\(name)" }

    var protocolLabel: String {
        var seen: [String] = []
        for p in ports where !seen.contains(p.protocol) { seen.append(p.protocol) }
        return seen.joined(separator: ",")
    }
}

/// Finding the Services to publish and pinning their frontend addresses.
enum SandboxFrontends {
    static let internalAnnotation = "service.beta.kubernetes.io/azure-load-balancer-internal"
    static let ipv4Annotation = "service.beta.kubernetes.io/azure-load-balancer-ipv4"
    static let subnetAnnotation = "service.beta.kubernetes.io/azure-load-balancer-internal-subnet"
    /// Annotations that only mean something for a public load balancer.
    static let publicOnlyAnnotations = [
        "service.beta.kubernetes.io/azure-pip-name", "service.beta.kubernetes.io/azure-pip-prefix-id",
        "service.beta.kubernetes.io/azure-dns-label-name", "service.beta.kubernetes.io/azure-pip-tags",
    ]

    /// The `type: LoadBalancer` Services of `cluster` (by recovery cluster name), in translation order.
    static func services(of cluster: SandboxCluster, in translation: Translation) -> [TranslatedResource] {
        translation.resources.filter { r in
            guard r.source.kind == "Service", r.source.group == "" || r.source.group == nil,
                  let c = r.source.cluster, translation.ids.clusterName(c) == cluster.name else { return false }
            return r.document["spec"]?["type"]?.stringValue == "LoadBalancer"
        }
    }

    static func annotation(_ key: String, of service: TranslatedResource) -> String? {
        service.document["metadata"]?["annotations"]?[key]?.stringValue
    }

    static func isInternal(_ service: TranslatedResource) -> Bool {
        annotation(internalAnnotation, of: service)?.lowercased() == "true"
    }

    /// The private address the translated Service already asks for (annotation first, as the Azure
    /// cloud provider reads it, then `spec.loadBalancerIP`), if it is an IPv4 address.
    static func pinnedAddress(_ service: TranslatedResource) -> IPv4Address? {
        if let a = annotation(ipv4Annotation, of: service).flatMap(IPv4Address.init) { return a }
        return service.document["spec"]?["loadBalancerIP"]?.stringValue.flatMap(IPv4Address.init)
    }

    /// `(port, protocol)` of each service port; SCTP (which Azure Firewall does not forward) is
    /// returned apart.
    static func ports(_ service: TranslatedResource) -> (forwarded: [(port: Int, protocol: String)], sctp: [Int]) {
        var forwarded: [(Int, String)] = [], sctp: [Int] = []
        for case .object(let p) in service.document["spec"]?["ports"]?.arrayValue ?? [] {
            guard let port = p["port"]?.intValue else { continue }
            let proto = (p["protocol"]?.stringValue ?? "TCP").uppercased()
            if proto == "SCTP" { sctp.append(Int(port)) } else { forwarded.append((Int(port), proto)) }
        }
        return (forwarded, sctp)
    }
}
