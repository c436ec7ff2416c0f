/// Whether a translation is for a failover test (the copy runs behind the network sandbox) or for
/// a real failover.
public enum TranslationMode: String, Sendable, Hashable, CaseIterable {
    /// A failover test: AKS `outboundType` is rewritten to `userDefinedRouting` (unless it already
    /// is that or `none`) so egress can be forced through the sandbox firewall.
    case test
    /// A real failover: the source topology is preserved.
    case failover
}

/// An Azure subscription and location (with its Entra tenant, when known).
public struct AzureSite: Sendable, Hashable {
    public var subscription: String
    public var location: String
    public var tenant: String?

    public init(subscription: String, location: String, tenant: String? = nil) {
        self.subscription = subscription; self.location = location; self.tenant = tenant
    }
}

/// An AWS partition, account and region.
public struct AWSSite: Sendable, Hashable {
    public var partition: String
    public var account: String
    public var region: String

    public init(partition: String = "aws", account: String, region: String) {
        self.partition = partition; self.account = account; self.region = region
    }
}

/// Where a recovery point is restored: one Azure subscription/location and one AWS
/// account/region, and how names change on the way.
public struct RecoveryEnvironment: Sendable, Hashable {
    public var azure: AzureSite?
    public var aws: AWSSite?
    /// Explicit resource-group renames, source name (any case) → recovery name.
    public var resourceGroups: [String: String]
    /// Appended to resource-group names not in ``resourceGroups`` (default: none, the name is kept).
    public var resourceGroupSuffix: String
    /// Appended to globally unique names (Key Vaults, storage accounts, container registries),
    /// which cannot be reused while the source still holds them. Default `dr`; Key Vault names get
    /// it after a hyphen (`kv-payments` → `kv-payments-dr`), the others directly
    /// (`stpayments` → `stpaymentsdr`), as their naming rules require.
    public var uniqueNameSuffix: String

    public init(azure: AzureSite? = nil, aws: AWSSite? = nil, resourceGroups: [String: String] = [:],
                resourceGroupSuffix: String = "", uniqueNameSuffix: String = "dr") {
        self.azure = azure; self.aws = aws; self.resourceGroups = resourceGroups
        self.resourceGroupSuffix = resourceGroupSuffix; self.uniqueNameSuffix = uniqueNameSuffix
    }
}

/// Where a recovery point was captured: every subscription, location, tenant, account and region
/// its resources live in. Inferred from the selection (``infer(from:)``) unless given.
public struct SourceEnvironment: Sendable, Hashable {
    public var subscriptions: Set<String>
    public var locations: Set<String>
    public var tenants: Set<String>
    public var accounts: Set<String>
    public var regions: Set<String>

    public init(subscriptions: Set<String> = [], locations: Set<String> = [], tenants: Set<String> = [],
                accounts: Set<String> = [], regions: Set<String> = []) {
        self.subscriptions = Set(subscriptions.map { $0.lowercased() })
        self.locations = Set(locations.map { $0.lowercased() })
        self.tenants = Set(tenants.map { $0.lowercased() })
        self.accounts = accounts; self.regions = regions
    }

    /// The subscriptions, locations, accounts and regions of `resources`' own identities (and the
    /// `tenantId` of any Azure resource that states one, and an AKS cluster's `aadProfile.tenantID`).
    /// The location `global` is not a source location: global resources stay global. Kubernetes objects contribute nothing:
    /// their cluster's control-plane resource says where they run.
    public static func infer(from resources: [Resource]) -> SourceEnvironment {
        var env = SourceEnvironment()
        for r in resources {
            switch r.identity {
            case .arm(let id):
                if let s = id.subscription { env.subscriptions.insert(s.lowercased()) }
                // `global` (action groups, DNS zones, Front Door) is not a region: such resources stay global.
                if let l = r.region, !l.isEmpty, l.lowercased() != "global" { env.locations.insert(l.lowercased()) }
                if let t = r.document["properties"]?["tenantId"]?.stringValue { env.tenants.insert(t.lowercased()) }
                // An AKS cluster's Entra tenant (`aadProfile.tenantID`) is translated like a subscription.
                if let t = AKSDocument.member("tenantID", in: r.document["properties"]?["aadProfile"])?.value.stringValue,
                   !t.isEmpty {
                    env.tenants.insert(t.lowercased())
                }
            case .aws(let arn?):
                if !arn.account.isEmpty { env.accounts.insert(arn.account) }
                if !arn.region.isEmpty { env.regions.insert(arn.region) }
                if let region = r.region, !region.isEmpty { env.regions.insert(region) }
            default:
                if r.type?.hasPrefix("AWS::") == true, let region = r.region, !region.isEmpty { env.regions.insert(region) }
            }
        }
        return env
    }

    /// Merges another environment into this one.
    public func union(_ other: SourceEnvironment) -> SourceEnvironment {
        SourceEnvironment(subscriptions: subscriptions.union(other.subscriptions), locations: locations.union(other.locations),
                          tenants: tenants.union(other.tenants), accounts: accounts.union(other.accounts),
                          regions: regions.union(other.regions))
    }
}

/// Everything a translation needs besides the resources: where to, in which mode, and the explicit
/// ID mappings (`standby.map_id`, `ids = {...}`) that win over every derived one.
public struct TranslationSettings: Sendable {
    public var to: RecoveryEnvironment
    /// Added to what is inferred from the selection (a source tenant, a second account…).
    public var from: SourceEnvironment
    public var mode: TranslationMode
    /// Source ID (ARM ID in any case, ARN, AWS ID such as `subnet-…`, Key Vault name) → recovery ID.
    public var overrides: [String: String]
    /// Kubernetes namespaces renamed in the recovery clusters (`namespaces = {...}`); check it
    /// against the inventory with ``NamespaceMap/check(against:)`` first.
    public var namespaces: NamespaceMap

    public init(to: RecoveryEnvironment, from: SourceEnvironment = SourceEnvironment(), mode: TranslationMode = .test,
                overrides: [String: String] = [:], namespaces: NamespaceMap = NamespaceMap()) {
        self.to = to; self.from = from; self.mode = mode; self.overrides = overrides; self.namespaces = namespaces
    }
}
