/// When a person acts on a plan item: before the deployment starts, while it runs (between the
/// ARM deployment, the EKS requests and the Kubernetes manifests), or after it.
public enum PlanPhase: String, Sendable, CaseIterable {
    case before, during, after

    /// The heading `report.md` and `report.html` give the phase.
    public var title: String {
        switch self {
        case .before: return "Before deployment"
        case .during: return "During deployment"
        case .after: return "After deployment"
        }
    }
}

/// A recovery endpoint or origin the plan adds in front of a recovered cluster: a Traffic Manager
/// endpoint or a Front Door origin next to the one that sends traffic to the primary.
public struct TrafficEndpoint: Sendable, Hashable {
    /// `Traffic Manager` or `Front Door`.
    public var service: String
    /// The profile (Traffic Manager) or origin group (Front Door) it joins.
    public var front: String
    /// The primary's endpoint or origin it stands beside.
    public var primary: String
    /// The id of the endpoint or origin the plan adds.
    public var id: String
    /// What it points at: the recovery public IP (an ARM id whose address the deployment reads).
    public var target: String
    /// What the primary's endpoint served: `Service checkout/web of aks-prod-weu`, a public IP.
    public var serves: String
    /// `Enabled` (failover) or `Disabled` (failover test).
    public var status: String
    /// Its priority, when the routing method has one.
    public var priority: Int?

    public init(service: String, front: String, primary: String, id: String, target: String, serves: String,
                status: String, priority: Int?) {
        self.service = service; self.front = front; self.primary = primary; self.id = id; self.target = target
        self.serves = serves; self.status = status; self.priority = priority
    }
}

/// Container images to copy into a recovery registry, and how the source registry keeps them
/// reachable when its region is lost.
public struct RegistryFailover: Sendable, Hashable {
    /// The source registry's id and SKU (`Basic`, `Standard`, `Premium`).
    public var source: String
    public var sku: String
    /// The recovery registry's id.
    public var recovery: String
    /// `repository:tag` (or `@digest`) of every image the recovered manifests pull from it.
    public var images: [String]
    /// The geo-replication `azure/prepare.json` adds (the replication's id), nil when the SKU has
    /// none or the registry already replicates to the recovery region.
    public var replication: String?

    public init(source: String, sku: String, recovery: String, images: [String], replication: String?) {
        self.source = source; self.sku = sku; self.recovery = recovery; self.images = images; self.replication = replication
    }
}

/// How traffic and images follow the failover (Azure): recovery endpoints in the Traffic Manager
/// profiles and Front Door origin groups that sent traffic to the primary's public IPs or
/// ingresses, geo-replication of the container registries the workloads pull from, and the
/// `az acr import` lines that fill the recovery registries.
///
/// Files: `azure/traffic.json` (deployed after `azure/template.json`: it reads the recovery public
/// IPs' addresses), `azure/prepare.json` (registry replications, deployed now, in production, so
/// the images are in the recovery region before it is needed) and `azure/acr-import.sh`.
public struct TrafficFailover: Sendable {
    public var endpoints: [TrafficEndpoint]
    public var registries: [RegistryFailover]
    /// The subscription-scope template adding the endpoints and origins (and, in a failover,
    /// lowering the primary's priority); nil when nothing is added.
    public var template: JSONValue?
    /// The subscription-scope template adding registry replications; nil when none is needed.
    public var prepare: JSONValue?
    /// `az acr import` lines, one per image.
    public var imports: [String]
    /// What a person must do, each with its phase.
    public var notes: [PlanNote]

    public init(endpoints: [TrafficEndpoint] = [], registries: [RegistryFailover] = [], template: JSONValue? = nil,
                prepare: JSONValue? = nil, imports: [String] = [], notes: [PlanNote] = []) {
        self.endpoints = endpoints; self.registries = registries; self.template = template; self.prepare = prepare
        self.imports = imports; self.notes = notes
    }

    public var isEmpty: Bool { endpoints.isEmpty && registries.isEmpty && notes.isEmpty }
}

/// What of the estate can carry traffic to a recovered cluster, taken from the inventory when the
/// plan is made (these resources are not selected: they stay where they are and only gain an
/// endpoint): Traffic Manager profiles and their endpoints, Front Door origins (Standard/Premium)
/// and classic Front Doors, and registry replications.
public struct TrafficSources: Sendable {
    public var resources: [Resource]
    /// False when no inventory was given to look in: the plan says Traffic Manager and Front Door
    /// were not looked at.
    public var given: Bool

    public static let types: [String] = [
        "Microsoft.Network/trafficManagerProfiles",
        "Microsoft.Network/trafficManagerProfiles/azureEndpoints",
        "Microsoft.Network/trafficManagerProfiles/externalEndpoints",
        "Microsoft.Network/trafficManagerProfiles/nestedEndpoints",
        "Microsoft.Cdn/profiles/originGroups/origins",
        "Microsoft.Network/frontDoors",
        "Microsoft.ContainerRegistry/registries/replications",
    ]

    public init(resources: [Resource], given: Bool = true) { self.resources = resources; self.given = given }

    /// The resources of ``types`` in `inventory`.
    public init(_ inventory: Inventory) {
        resources = Self.types.flatMap { inventory.find(ResourceQuery(type: $0)) }
        given = true
    }

    func of(type: String) -> [Resource] {
        resources.filter { $0.type?.lowercased() == type.lowercased() }
    }
}
