import Foundation

/// The recovery counterpart of one id, or why it has none.
public enum IDMapping: Sendable, Hashable {
    /// Translated; `how` says by what (`derived`, `override`, `promoted to BYO`…).
    case mapped(String, how: String)
    /// Belongs to the source environment, but its recovery counterpart cannot be derived: AWS
    /// assigns new IDs, there is no recovery site for its cloud… `reason` tells the operator what to do.
    case unmapped(reason: String)

    public var recoveryID: String? {
        if case .mapped(let id, _) = self { return id }
        return nil
    }
}

/// An AKS-managed resource recreated as a customer-owned (BYO) one in the recovery environment.
public struct Promotion: Sendable, Hashable {
    /// What was promoted: `AKS-managed VNet`, `AKS-managed VNet subnet` (renamed `aks-subnet`),
    /// `AKS-managed Application Gateway`, `AKS-managed Application Gateway public IP`.
    public var what: String
    /// The managed resource (in the cluster's `MC_*` group).
    public var sourceID: String
    /// Its BYO counterpart (in the cluster's own recovery resource group).
    public var recoveryID: String
    /// The managed cluster it belongs to (source id).
    public var cluster: String
    /// The identity that needs Network Contributor on the BYO resource's group (source id; the
    /// control-plane identity for a VNet, the AGIC add-on identity for a gateway). `nil` when the
    /// cluster uses a system-assigned identity: the assignment then names the cluster's identity.
    public var identity: String?

    public init(what: String, sourceID: String, recoveryID: String, cluster: String, identity: String?) {
        self.what = what; self.sourceID = sourceID; self.recoveryID = recoveryID; self.cluster = cluster
        self.identity = identity
    }
}

/// Every id of the source environment mapped to its recovery id, derived once from the settings
/// and consulted by every rewrite; with the reverse lookup reports need.
///
/// Rules, in order:
/// 1. An explicit override (`standby.map_id`, `ids = {...}`) wins.
/// 2. ARM IDs of a source subscription: the recovery subscription; the resource group renamed by
///    ``RecoveryEnvironment/resourceGroups`` or suffixed; an AKS node resource group
///    (`MC_{rg}_{cluster}_{location}`) rebuilt from the recovery group, cluster name and location;
///    globally unique names (Key Vaults, storage accounts, registries) suffixed; promoted AKS-managed
///    resources (and their children) moved to the cluster's own group.
/// 3. ARNs of a source account: the recovery partition, account and region when the ARN is built
///    from names (IAM roles, EKS clusters, ECR repositories…); EKS node group and Fargate profile
///    ARNs lose the suffix AWS generates; ARNs that embed a generated identifier (KMS keys, ACM
///    certificates, load balancers, EFS, EC2) need an override, as do AWS IDs (`subnet-…`, `sg-…`).
/// 4. Kubernetes ids move to the recovery cluster (the name of the cluster's recovery id), and to
///    the recovery namespace when their namespace is mapped (``NamespaceMap``; a mapped Namespace
///    object is renamed). A rule that moves an object to another namespace moves its id after the
///    rules have run (``moved(_:to:how:)``).
/// Ids of other subscriptions and accounts are not the source's and are left alone.
public struct RecoveryIDMap: Sendable {
    public let to: RecoveryEnvironment
    public let source: SourceEnvironment
    private let overrides: [String: String]
    /// Source namespace → recovery namespace.
    public let namespaces: NamespaceMap
    private var promotions: [String: Promotion] = [:]
    private var nodeResourceGroups: [String: String] = [:]
    private var clusterNames: [String: String] = [:]
    /// Source Key Vault / registry names (lower-cased) → their ARM ids, from the whole inventory.
    private var vaultsByName: [String: String] = [:]
    private var registriesByName: [String: String] = [:]
    private var reverse: [String: String] = [:]
    /// The selected resources' mappings, in selection order.
    public private(set) var entries: [(source: String, mapping: IDMapping)] = []

    /// The Azure resource types whose names are global (a DNS label), with how the suffix is added.
    static let globallyUnique: [String: (hyphen: Bool, maxLength: Int)] = [
        "microsoft.keyvault/vaults": (true, 24),
        "microsoft.storage/storageaccounts": (false, 24),
        "microsoft.containerregistry/registries": (false, 50),
    ]

    /// Builds the map for `resources` (the selection), looking up names in `inventory`.
    public init(resources: [Resource], inventory: Inventory, to: RecoveryEnvironment, source: SourceEnvironment,
                overrides: [String: String], promotions: [Promotion] = [], namespaces: NamespaceMap = NamespaceMap()) {
        self.to = to
        self.source = source
        self.namespaces = namespaces
        var o: [String: String] = [:]
        for (k, v) in overrides { o[Resource.lookupKey(k)] = v }
        self.overrides = o
        for p in promotions { self.promotions[Resource.lookupKey(p.sourceID)] = p }
        // By the inventory's type index: no pass over every resource.
        for r in inventory.find(ResourceQuery(type: "Microsoft.KeyVault/vaults")) {
            if let arm = r.armID { vaultsByName[arm.name.lowercased()] = r.id }
        }
        for r in inventory.find(ResourceQuery(type: "Microsoft.ContainerRegistry/registries")) {
            if let arm = r.armID { registriesByName[arm.name.lowercased()] = r.id }
        }
        // AKS node resource groups and cluster names, before anything else is mapped.
        for r in resources where r.type == ARMResourceTypes.managedClusters {
            guard let arm = r.armID, let rg = arm.resourceGroup,
                  let node = r.document["properties"]?["nodeResourceGroup"]?.stringValue else { continue }
            let clusterID = mapARM(arm)?.recoveryID.flatMap(ARMResourceID.init)
            let name = clusterID?.name ?? arm.name
            let group = clusterID?.resourceGroup ?? mapResourceGroup(rg)
            let location = to.azure?.location ?? r.region ?? ""
            let defaultName = "MC_\(rg)_\(arm.name)_\(r.region ?? "")"
            if node.lowercased() == defaultName.lowercased() {
                nodeResourceGroups[node.lowercased()] = "MC_\(group)_\(name)_\(location)"
            }
        }
        for c in inventory.clusters {
            guard let cp = c.controlPlaneID else { continue }
            let mapped = map(cp)?.recoveryID
            let name = mapped.flatMap { ARMResourceID($0)?.name ?? ARN($0)?.resourceID } ?? c.name
            clusterNames[c.name] = name
        }
        for r in resources {
            let m = recoveryID(of: r)
            entries.append((r.id, m))
            if let id = m.recoveryID { reverse[Resource.lookupKey(id)] = r.id }
        }
    }

    /// The recovery id of a selected resource.
    public func recoveryID(of resource: Resource) -> IDMapping {
        if let m = override(resource.id) { return m }
        switch resource.identity {
        case .kube(let ref):
            var r = ref
            r.cluster = clusterNames[ref.cluster] ?? ref.cluster
            var how = r.cluster == ref.cluster ? "same cluster name" : "recovery cluster"
            if moveNamespace(&r) { how += ", namespace mapped" }
            return .mapped(r.id, how: how)
        case .aws(nil) where resource.type == EKSAccessTypes.accessPolicies:
            // `{cluster}/access-policies/{principal}`: the recovery cluster's name and principal.
            let cluster = resource.document["clusterName"]?.stringValue ?? ""
            let principal = resource.document["principalArn"]?.stringValue ?? ""
            let mapped = map(principal)?.recoveryID ?? principal
            return .mapped(EKSAccessTypes.policiesID(cluster: clusterNames[cluster] ?? cluster, principal: mapped),
                           how: "derived from the cluster and principal")
        default:
            if let m = map(resource.id) { return m }
            for alias in resource.aliases { if let m = override(alias) { return m } }
            return .unmapped(reason: "no rule maps \(resource.display); map it with standby.map_id")
        }
    }

    /// The recovery counterpart of any id (ARM ID, ARN, AWS ID or alias); `nil` when it is not
    /// the source environment's (another subscription or account), so it is kept as is.
    public func map(_ id: String) -> IDMapping? {
        if let m = override(id) { return m }
        if id.hasPrefix("/") {
            guard let arm = ARMResourceID(id) else { return nil }
            return mapARM(arm)
        }
        if let arn = ARN(id) { return mapARN(arn) }
        if id.hasPrefix("k8s://"), let ref = KubeRef(id: id) {
            var r = ref
            r.cluster = clusterNames[ref.cluster] ?? ref.cluster
            return .mapped(r.id, how: moveNamespace(&r) ? "recovery cluster, namespace mapped" : "recovery cluster")
        }
        if let kind = AWSNativeID.kind(of: id) {
            return .unmapped(reason: "AWS assigns new \(kind) IDs in the recovery account; map \(id) with standby.map_id")
        }
        return nil
    }

    /// Moves `ref` to its recovery namespace (renames a mapped Namespace object); whether it moved.
    private func moveNamespace(_ ref: inout KubeRef) -> Bool {
        guard !namespaces.isEmpty else { return false }
        if let ns = ref.namespace, let target = namespaces.target(of: ns) {
            ref.namespace = target
            return true
        }
        if ref.namespace == nil, ref.group.isEmpty, ref.kind == "Namespace", let target = namespaces.target(of: ref.name) {
            ref.name = target
            return true
        }
        return false
    }

    /// Gives the selected resource at `index` (of ``entries``) another recovery id: a rule moved it
    /// to another namespace.
    mutating func moved(_ index: Int, to id: String, how: String) {
        if let old = entries[index].mapping.recoveryID { reverse[Resource.lookupKey(old)] = nil }
        entries[index].mapping = .mapped(id, how: how)
        reverse[Resource.lookupKey(id)] = entries[index].source
    }

    /// The source id of a recovery id, for reports.
    public func source(of recoveryID: String) -> String? { reverse[Resource.lookupKey(recoveryID)] }

    /// The recovery name of a Kubernetes cluster.
    public func clusterName(_ source: String) -> String { clusterNames[source] ?? source }

    /// The recovery name of a source Key Vault (by name), when the vault is in the inventory.
    public func vaultName(_ name: String) -> IDMapping? {
        guard let id = vaultsByName[name.lowercased()] else { return nil }
        return map(id).map { m in
            if case .mapped(let rid, let how) = m { return .mapped(ARMResourceID(rid)?.name ?? rid, how: how) }
            return m
        }
    }

    /// The recovery name of a source container registry (by name), when it is in the inventory.
    public func registryName(_ name: String) -> IDMapping? {
        guard let id = registriesByName[name.lowercased()] else { return nil }
        return map(id).map { m in
            if case .mapped(let rid, let how) = m { return .mapped(ARMResourceID(rid)?.name ?? rid, how: how) }
            return m
        }
    }

    /// The promotions the map was built with.
    public var promoted: [Promotion] { Array(promotions.values).sorted { $0.sourceID < $1.sourceID } }

    // MARK: - Rules

    private func override(_ id: String) -> IDMapping? {
        overrides[Resource.lookupKey(id)].map { .mapped($0, how: "override") }
    }

    /// The recovery name of a resource group.
    public func mapResourceGroup(_ name: String) -> String {
        if let node = nodeResourceGroups[name.lowercased()] { return node }
        for (k, v) in to.resourceGroups where k.lowercased() == name.lowercased() { return v }
        return name + to.resourceGroupSuffix
    }

    func mapARM(_ id: ARMResourceID) -> IDMapping? {
        guard let sub = id.subscription, source.subscriptions.contains(sub.lowercased()) else { return nil }
        guard let azure = to.azure else {
            return .unmapped(reason: "no Azure recovery site: give to.azure = { subscription = ..., location = ... }")
        }
        // A promoted resource, or a child of one.
        var cursor: ARMResourceID? = id
        while let c = cursor {
            if let p = promotions[c.key], let base = ARMResourceID(p.recoveryID) {
                let tail = Array(id.segments.dropFirst(c.segments.count))
                return .mapped(ARMResourceID.format(base.segments + tail), how: "promoted to BYO")
            }
            cursor = c.parent
        }
        var segments = id.segments
        segments[1] = azure.subscription
        // Names that embed the subscription (DefaultWorkspace-{sub}-WEU) or a source location
        // (privatelink.westeurope.azmk8s.io) follow them; so does a resource group's name unless
        // it was renamed explicitly or is an AKS node resource group (rebuilt whole).
        if id.resourceGroup != nil, segments.count > 3 {
            let original = segments[3]
            let mapped = mapResourceGroup(original)
            segments[3] = mapped == original + to.resourceGroupSuffix
                ? Self.relocate(mapped, subscription: sub, to: azure, from: source.locations) : mapped
        }
        for n in stride(from: id.resourceGroup != nil ? 5 : 3, to: segments.count, by: 2) {
            segments[n] = Self.relocate(segments[n], subscription: sub, to: azure, from: source.locations)
        }
        if let p = segments.firstIndex(where: { $0.lowercased() == "providers" }), p + 3 < segments.count {
            let type = "\(segments[p + 1])/\(segments[p + 2])".lowercased()
            if let rule = Self.globallyUnique[type] {
                segments[p + 3] = Self.uniqueName(segments[p + 3], suffix: to.uniqueNameSuffix, rule)
            }
        }
        if id.resourceType.lowercased() == "microsoft.authorization/roleassignments", segments.count > 2 {
            // A role assignment's name is a GUID no other assignment of the tenant may reuse: the
            // recovery one is named from its recovery scope and the source name, the same every time.
            let scope = ARMResourceID.format(Array(segments.dropLast(4)))
            segments[segments.count - 1] = ManagedPromotion.nameUUID("\(scope)|\(id.name)".lowercased())
            return .mapped(ARMResourceID.format(segments), how: "derived (a new GUID name from the recovery scope)")
        }
        return .mapped(ARMResourceID.format(segments), how: "derived")
    }

    /// `name` with the source subscription and any source location (as a whole word) replaced.
    static func relocate(_ name: String, subscription: String, to azure: AzureSite, from locations: Set<String>) -> String {
        var out = name
        // Only a real subscription GUID is replaced inside names (never a short test id like `s1`).
        if subscription.utf8.count == 36, out.lowercased().contains(subscription.lowercased()) {
            out = out.replacingOccurrences(of: subscription, with: azure.subscription, options: .caseInsensitive)
        }
        for l in locations where out.lowercased().contains(l) {
            let parts = out.components(separatedBy: CharacterSet.alphanumerics.inverted)
            guard parts.contains(where: { $0.lowercased() == l }) else { continue }
            var rebuilt = ""
            var word = ""
            func flush() { rebuilt += word.lowercased() == l ? azure.location : word; word = "" }
            for ch in out {
                if ch.isLetter || ch.isNumber { word.append(ch) } else { flush(); rebuilt.append(ch) }
            }
            flush()
            out = rebuilt
        }
        return out
    }

    static func uniqueName(_ name: String, suffix: String, _ rule: (hyphen: Bool, maxLength: Int)) -> String {
        guard !suffix.isEmpty else { return name }
        let tail = rule.hyphen ? "-" + suffix : suffix
        let room = max(1, rule.maxLength - tail.count)
        return String(name.prefix(room)) + tail
    }

    /// ARN resource types whose identifier AWS generates (so the recovery ARN cannot be derived).
    private static let generated: [String: Set<String>] = [
        "kms": ["key"], "acm": ["certificate"], "elasticloadbalancing": ["loadbalancer", "targetgroup", "listener", "listener-rule"],
        "wafv2": ["regional", "global"], "elasticfilesystem": ["file-system", "access-point"],
        "iam": ["oidc-provider"], "secretsmanager": ["secret"], "route53": ["hostedzone"],
    ]

    func mapARN(_ arn: ARN) -> IDMapping? {
        guard !arn.account.isEmpty, source.accounts.contains(arn.account) else { return nil }
        guard let aws = to.aws else {
            return .unmapped(reason: "no AWS recovery site: give to.aws = { account = ..., region = ... }")
        }
        let type = arn.resourceType ?? ""
        if arn.service == "ec2" || Self.generated[arn.service]?.contains(type) == true {
            // An override of the embedded native ID (subnet-…, fs-…) rebuilds the ARN.
            let last = arn.resource.split(separator: "/").last.map(String.init) ?? arn.resource
            if let mapped = overrides[last] {
                if let full = ARN(mapped) { return .mapped(full.description, how: "override") }
                let resource = String(arn.resource.dropLast(last.count)) + mapped
                return .mapped(ARN(partition: aws.partition, service: arn.service, region: arn.region.isEmpty ? "" : aws.region,
                                   account: aws.account, resource: resource).description, how: "override")
            }
            if arn.service == "iam" {
                return .unmapped(reason: "the recovery cluster's OIDC provider is created with the cluster; its ARN is known only then")
            }
            return .unmapped(reason: "AWS generates the identifier in \(arn.description); map it with standby.map_id")
        }
        var resource = arn.resource
        if arn.service == "eks", ["nodegroup", "fargateprofile", "addon"].contains(type) {
            let parts = resource.split(separator: "/")
            if parts.count == 4 { resource = parts.dropLast().joined(separator: "/") }
        }
        if arn.service == "eks", ["access-entry", "podidentityassociation"].contains(type) {
            // access-entry/{cluster}/{kind}/{account}/{name}/{generated}; podidentityassociation/{cluster}/{generated}.
            var parts = resource.split(separator: "/").map(String.init)
            if parts.count >= 3 { parts.removeLast() }
            resource = parts.map { source.accounts.contains($0) ? aws.account : $0 }.joined(separator: "/")
        }
        let region = arn.region.isEmpty ? "" : aws.region
        return .mapped(ARN(partition: aws.partition, service: arn.service, region: region, account: aws.account,
                           resource: resource).description,
                       how: resource == arn.resource ? "derived" : "derived (AWS adds a generated suffix on creation)")
    }
}

/// AWS resource IDs that carry no account or region (`subnet-0a1b…`, `sg-…`, `fs-…`).
enum AWSNativeID {
    static let prefixes: [String: String] = [
        "subnet": "subnet", "sg": "security group", "vpc": "VPC", "fs": "EFS file system", "fsap": "EFS access point",
        "lt": "launch template", "igw": "internet gateway", "nat": "NAT gateway", "eni": "network interface",
        "vol": "EBS volume", "snap": "EBS snapshot", "ami": "AMI", "rtb": "route table", "acl": "network ACL",
        "pl": "prefix list", "vpce": "VPC endpoint", "eipalloc": "Elastic IP", "tgw": "transit gateway",
    ]

    /// The kind of AWS ID `text` is (`subnet`), or nil when it is not one.
    static func kind(of text: String) -> String? {
        guard let dash = text.firstIndex(of: "-"), let kind = prefixes[String(text[..<dash])] else { return nil }
        let hex = text[text.index(after: dash)...]
        guard hex.count == 8 || hex.count == 17, hex.allSatisfy({ $0.isHexDigit && !$0.isUppercase }) else { return nil }
        return kind
    }
}
