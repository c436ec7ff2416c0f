/// What extractors can look up during one walk: the inventory, plus indexes built once per walk
/// (lazily, on first use) so every lookup is a hash probe and a walk stays linear in estate size.
///
/// Safe to read from several threads at once (the lazily built indexes are each built once, under
/// a lock). Lookups return inventory positions or resources;
/// bucket contents keep inventory order.
public final class ExtractionContext {
    public let inventory: Inventory
    let resources: [Resource]

    /// Canonical id → position in `inventory.resources`.
    let position: [String: Int]
    /// (cluster, kind, namespace or "", name) → positions.
    private let kube: [KubeKey: [Int]]
    /// (cluster, namespace or "" for cluster-scoped) → positions of Kubernetes objects.
    let byNamespace: [ClusterNamespace: [Int]]
    /// Kubernetes cluster name → its `Cluster`.
    let clustersByName: [String: Cluster]
    /// Lower-cased control-plane resource id → Kubernetes cluster name.
    let clusterByControlPlane: [String: String]

    init(inventory: Inventory) {
        self.inventory = inventory
        resources = inventory.resources
        var position: [String: Int] = [:]
        position.reserveCapacity(resources.count)
        var kube: [KubeKey: [Int]] = [:]
        var byNamespace: [ClusterNamespace: [Int]] = [:]
        // Fields are read in place: binding `resources[i]` to a local would copy the whole
        // Resource (a dozen reference-counted fields) for every object.
        for i in resources.indices {
            position[resources[i].id] = i
            guard resources[i].isKubernetesObject, let kind = resources[i].kind, let name = resources[i].name else { continue }
            let c = resources[i].cluster ?? "", ns = resources[i].namespace ?? ""
            kube[KubeKey(cluster: c, kind: kind, namespace: ns, name: name), default: []].append(i)
            byNamespace[ClusterNamespace(cluster: c, namespace: ns), default: []].append(i)
        }
        self.position = position
        self.kube = kube
        self.byNamespace = byNamespace
        var clustersByName: [String: Cluster] = [:]
        var byCP: [String: String] = [:]
        for c in inventory.clusters {
            clustersByName[c.name] = c
            if let cp = c.controlPlaneID { byCP[cp.lowercased()] = c.name }
        }
        self.clustersByName = clustersByName
        clusterByControlPlane = byCP
    }

    // MARK: Kubernetes lookups

    /// Kubernetes objects of `cluster` named `kind namespace/name` (`namespace` nil: cluster-scoped),
    /// optionally restricted to one API group.
    public func kubeObjects(cluster: String, kind: String, namespace: String?, name: String,
                            group: String? = nil) -> [Resource] {
        kubePositions(cluster: cluster, kind: kind, namespace: namespace, name: name, group: group).map { resources[$0] }
    }

    func kubePositions(cluster: String, kind: String, namespace: String?, name: String, group: String?) -> [Int] {
        guard let list = kube[KubeKey(cluster: cluster, kind: kind, namespace: namespace ?? "", name: name)] else { return [] }
        guard let g = group.map(normalizedGroup) else { return list }
        return list.filter { normalizedGroup(resources[$0].group ?? "") == g }
    }

    /// Every Kubernetes object of `cluster` in `namespace` (nil: the cluster-scoped objects).
    public func kubeObjects(cluster: String, namespace: String?) -> [Resource] {
        (byNamespace[ClusterNamespace(cluster: cluster, namespace: namespace ?? "")] ?? []).map { resources[$0] }
    }

    /// The Kubernetes cluster whose control plane is `resource` (an AKS managed cluster or EKS
    /// cluster), if the inventory has one.
    public func kubeCluster(controlledBy resource: Resource) -> Cluster? {
        guard let name = clusterByControlPlane[resource.id.lowercased()] else {
            for a in resource.aliases { if let n = clusterByControlPlane[a.lowercased()] { return clustersByName[n] } }
            return nil
        }
        return clustersByName[name]
    }

    // MARK: Lazily built indexes

    /// The indexes built on first use, each once, whichever thread asks first.
    private let indexes = LazyIndexes()

    private final class LazyIndexes: Sendable {
        let workloadsByLabel = OnceCell<[LabelKey: [Int]]>()
        let unownedWorkloads = OnceCell<[Int]>()
        let workloadsByNamespace = OnceCell<[ClusterNamespace: [Int]]>()
        let policiesByWorkload = OnceCell<[Int: [(policy: Int, relation: String, path: String)]]>()
        let autoscalersByTarget = OnceCell<[KubeKey: [Int]]>()
        let bindingsBySubject = OnceCell<[KubeKey: [Int]]>()
        let crdByGroupKind = OnceCell<[KubeKey: [Int]]>()
        let claimsByStem = OnceCell<[KubeKey: [Int]]>()
        let armChildren = OnceCell<[String: [Int]]>()
        let cloudByTypeAndName = OnceCell<[TypeName: [Int]]>()
        let identitiesByClientID = OnceCell<[String: [Int]]>()
        let eksChildren = OnceCell<[String: [Int]]>()
        let accessByScope = OnceCell<[String: [Int]]>()
        let identitiesByPrincipalID = OnceCell<[String: [Int]]>()
        let oidcProviders = OnceCell<[String: [Int]]>()
        let awsAccounts = OnceCell<Set<String>>()
        let volumeSnapshots = OnceCell<[String: [Int]]>()
    }

    /// Snapshots (and their copies) of each volume a capture protected, by the volume's lookup key
    /// (``SnapshotCopy``: `Microsoft.Compute/snapshots`, EBS snapshots).
    var volumeSnapshots: [String: [Int]] {
        indexes.volumeSnapshots.get {
            var out: [String: [Int]] = [:]
            for i in resources.indices where resources[i].type != nil {
                guard let s = SnapshotCopy.read(resources[i], in: inventory) else { continue }
                out[Resource.lookupKey(s.volume), default: []].append(i)
            }
            return out
        }
    }

    /// Workloads (see ``KubeReferences/podTemplate(of:)``) not owned by another object, by
    /// (cluster, namespace, label key, value) of their pod-template labels.
    var workloadsByLabel: [LabelKey: [Int]] {
        indexes.workloadsByLabel.get {
            var out: [LabelKey: [Int]] = [:]
            for i in unownedWorkloads {
                let c = resources[i].cluster ?? "", ns = resources[i].namespace ?? ""
                for (k, v) in KubeReferences.podTemplateLabels(of: resources[i]) {
                    out[LabelKey(cluster: c, namespace: ns, key: k, value: v), default: []].append(i)
                }
            }
            return out
        }
    }

    /// Positions of workloads with a pod template and no ownerReferences.
    var unownedWorkloads: [Int] {
        indexes.unownedWorkloads.get {
            resources.indices.filter { i in
                guard resources[i].isKubernetesObject, KubeReferences.podTemplate(of: resources[i]) != nil else { return false }
                return (resources[i].document[path: [.key("metadata"), .key("ownerReferences")]]?.arrayValue ?? []).isEmpty
            }
        }
    }

    /// (cluster, namespace) → unowned workloads, for empty selectors.
    var workloadsByNamespace: [ClusterNamespace: [Int]] {
        indexes.workloadsByNamespace.get {
            var out: [ClusterNamespace: [Int]] = [:]
            for i in unownedWorkloads {
                out[ClusterNamespace(cluster: resources[i].cluster ?? "", namespace: resources[i].namespace ?? ""), default: []].append(i)
            }
            return out
        }
    }

    /// Workloads of `cluster`/`namespace` whose pod-template labels match `selector`.
    func workloads(cluster: String, namespace: String, matching selector: LabelSelector) -> [Int] {
        if selector.isEmpty { return selector.matchesEverythingWhenEmpty ? (workloadsByNamespace[ClusterNamespace(cluster: cluster, namespace: namespace)] ?? []) : [] }
        let candidates: [Int]
        if selector.matchLabels.isEmpty {
            candidates = workloadsByNamespace[ClusterNamespace(cluster: cluster, namespace: namespace)] ?? []
        } else {
            var best: [Int]? = nil
            for (k, v) in selector.matchLabels {
                let b = workloadsByLabel[LabelKey(cluster: cluster, namespace: namespace, key: k, value: v)] ?? []
                if best == nil || b.count < best!.count { best = b }
                if b.isEmpty { break }
            }
            candidates = best ?? []
        }
        return candidates.filter { selector.matches(KubeReferences.podTemplateLabels(of: resources[$0])) }
    }

    /// Unowned workload position → PodDisruptionBudgets and NetworkPolicies that select it.
    var policiesByWorkload: [Int: [(policy: Int, relation: String, path: String)]] {
        indexes.policiesByWorkload.get {
            var out: [Int: [(Int, String, String)]] = [:]
            for (key, list) in byNamespace where !key.namespace.isEmpty {
                for i in list {
                    let kind = resources[i].kind
                    guard kind == "PodDisruptionBudget" || kind == "NetworkPolicy" else { continue }
                    let r = resources[i]
                    let relation: String, path: String, sel: LabelSelector?
                    switch kind {
                    case "PodDisruptionBudget":
                        relation = "disruption budget"; path = "spec.selector"
                        sel = LabelSelector(r.document[path: [.key("spec"), .key("selector")]], emptyMatchesAll: false)
                    case "NetworkPolicy":
                        relation = "network policy"; path = "spec.podSelector"
                        sel = LabelSelector(r.document[path: [.key("spec"), .key("podSelector")]] ?? .object(JSONObject()), emptyMatchesAll: true)
                    default: continue
                    }
                    guard let sel else { continue }
                    for w in workloads(cluster: key.cluster, namespace: key.namespace, matching: sel) {
                        out[w, default: []].append((i, relation, path))
                    }
                }
            }
            return out
        }
    }

    /// (cluster, namespace, kind, name) of a scale target → HPAs and KEDA ScaledObjects scaling it.
    var autoscalersByTarget: [KubeKey: [Int]] {
        indexes.autoscalersByTarget.get {
            var out: [KubeKey: [Int]] = [:]
            for (key, list) in byNamespace where !key.namespace.isEmpty {
                for i in list {
                    let kind = resources[i].kind
                    guard kind == "HorizontalPodAutoscaler" || kind == "ScaledObject" else { continue }
                    guard let t = KubeReferences.scaleTarget(of: resources[i]) else { continue }
                    out[KubeKey(cluster: key.cluster, kind: t.kind, namespace: key.namespace, name: t.name), default: []].append(i)
                }
            }
            return out
        }
    }

    /// (cluster, namespace, ServiceAccount name) → RoleBindings and ClusterRoleBindings naming it.
    var bindingsBySubject: [KubeKey: [Int]] {
        indexes.bindingsBySubject.get {
            var out: [KubeKey: [Int]] = [:]
            for (i, r) in resources.enumerated() where r.isKubernetesObject {
                guard r.kind == "RoleBinding" || r.kind == "ClusterRoleBinding" else { continue }
                for s in r.document["subjects"]?.arrayValue ?? [] where s["kind"]?.stringValue == "ServiceAccount" {
                    guard let name = s["name"]?.stringValue, let ns = s["namespace"]?.stringValue ?? r.namespace else { continue }
                    let key = KubeKey(cluster: r.cluster ?? "", kind: "ServiceAccount", namespace: ns, name: name)
                    if out[key]?.last != i { out[key, default: []].append(i) }
                }
            }
            return out
        }
    }

    /// (cluster, group, kind) → CustomResourceDefinitions.
    var crdByGroupKind: [KubeKey: [Int]] {
        indexes.crdByGroupKind.get {
            var out: [KubeKey: [Int]] = [:]
            for (i, r) in resources.enumerated() where r.isKubernetesObject && r.kind == "CustomResourceDefinition" {
                guard let g = r.document[path: [.key("spec"), .key("group")]]?.stringValue,
                      let k = r.document[path: [.key("spec"), .key("names"), .key("kind")]]?.stringValue else { continue }
                out[KubeKey(cluster: r.cluster ?? "", kind: k, namespace: g, name: ""), default: []].append(i)
            }
            return out
        }
    }

    /// (cluster, namespace, "<claim template>-<statefulset>") → PVCs named `<stem>-<ordinal>`.
    var claimsByStem: [KubeKey: [Int]] {
        indexes.claimsByStem.get {
            var out: [KubeKey: [Int]] = [:]
            for (i, r) in resources.enumerated() where r.isKubernetesObject && r.kind == "PersistentVolumeClaim" {
                guard let name = r.name, let dash = name.lastIndex(of: "-") else { continue }
                let ordinal = name[name.index(after: dash)...]
                guard !ordinal.isEmpty, ordinal.allSatisfy({ $0.isASCII && $0.isNumber }) else { continue }
                out[KubeKey(cluster: r.cluster ?? "", kind: "", namespace: r.namespace ?? "", name: String(name[..<dash])), default: []].append(i)
            }
            return out
        }
    }

    // MARK: Cloud lookups

    /// Lower-cased parent ARM id → child resources (agent pools of a cluster, subnets of a VNet).
    var armChildren: [String: [Int]] {
        indexes.armChildren.get {
            var out: [String: [Int]] = [:]
            for (i, r) in resources.enumerated() where !r.isKubernetesObject {
                if let p = ARMPath.parent(of: r.id) { out[p.lowercased(), default: []].append(i) }
            }
            return out
        }
    }

    /// (lower-cased cloud type, lower-cased name) → resources. Cloud resources only.
    var cloudByTypeAndName: [TypeName: [Int]] {
        indexes.cloudByTypeAndName.get {
            var out: [TypeName: [Int]] = [:]
            for (i, r) in resources.enumerated() where !r.isKubernetesObject {
                guard let t = r.type, let n = r.name ?? ARMPath.name(of: r.id) else { continue }
                out[TypeName(type: t.lowercased(), name: n.lowercased()), default: []].append(i)
            }
            return out
        }
    }

    /// Cloud resources of `type` named `name` (both case-insensitive).
    public func cloudResources(type: String, name: String) -> [Resource] {
        (cloudByTypeAndName[TypeName(type: type.lowercased(), name: name.lowercased())] ?? []).map { resources[$0] }
    }

    /// Lower-cased `properties.clientId` → user-assigned managed identities.
    var identitiesByClientID: [String: [Int]] {
        indexes.identitiesByClientID.get {
            var out: [String: [Int]] = [:]
            for (i, r) in resources.enumerated() where r.type?.lowercased() == "microsoft.managedidentity/userassignedidentities" {
                if let c = r.document[path: [.key("properties"), .key("clientId")]]?.stringValue {
                    out[c.lowercased(), default: []].append(i)
                }
            }
            return out
        }
    }

    /// The user-assigned identity whose `properties.principalId` is `principalID` (any case).
    public func identity(principalID: String) -> Resource? {
        accessIdentities[principalID.lowercased()]?.first.map { resources[$0] }
    }

    /// Lower-cased `properties.principalId` → user-assigned managed identities.
    var accessIdentities: [String: [Int]] {
        indexes.identitiesByPrincipalID.get {
            var out: [String: [Int]] = [:]
            for (i, r) in resources.enumerated() where r.type?.lowercased() == "microsoft.managedidentity/userassignedidentities" {
                if let p = r.document[path: [.key("properties"), .key("principalId")]]?.stringValue {
                    out[p.lowercased(), default: []].append(i)
                }
            }
            return out
        }
    }

    /// The user-assigned identity whose client id is `clientID`.
    public func identity(clientID: String) -> Resource? {
        identitiesByClientID[clientID.lowercased()]?.first.map { resources[$0] }
    }

    /// Lower-cased `properties.tenantId` of Key Vaults, by vault position.
    func vaultTenant(_ i: Int) -> String? {
        resources[i].document[path: [.key("properties"), .key("tenantId")]]?.stringValue?.lowercased()
    }

    /// The EKS cluster's node groups and Fargate profiles: lower-cased `clusterName` → positions.
    var eksChildren: [String: [Int]] {
        indexes.eksChildren.get {
            var out: [String: [Int]] = [:]
            for (i, r) in resources.enumerated() where !r.isKubernetesObject {
                guard let t = r.type, t == "AWS::EKS::Nodegroup" || t == "AWS::EKS::FargateProfile" || EKSAccessTypes.all.contains(t),
                      let c = AWSDocument.body(r)["clusterName"]?.stringValue else { continue }
                out[c.lowercased(), default: []].append(i)
            }
            return out
        }
    }

    /// Role assignments and cluster extensions by the lower-cased id of their scope (the resource
    /// or resource group they are attached to).
    var accessByScope: [String: [Int]] {
        indexes.accessByScope.get {
            var out: [String: [Int]] = [:]
            for (i, r) in resources.enumerated() where !r.isKubernetesObject {
                guard let t = r.type?.lowercased(), AzureAccessTypes.scoped.contains(t) else { continue }
                guard let scope = AzureAccessTypes.scope(of: r) else { continue }
                out[scope.lowercased(), default: []].append(i)
            }
            return out
        }
    }

    /// OIDC providers by `host/path` (the part of the ARN after `oidc-provider/`), lower-cased.
    var oidcProviders: [String: [Int]] {
        indexes.oidcProviders.get {
            var out: [String: [Int]] = [:]
            for (i, r) in resources.enumerated() where r.type == "AWS::IAM::OIDCProvider" {
                var keys = [r.id] + r.aliases
                if let url = AWSDocument.body(r)["url"]?.stringValue { keys.append("oidc-provider/" + url) }
                for k in keys {
                    guard let range = k.range(of: "oidc-provider/") else { continue }
                    let hostPath = AWSDocument.stripScheme(String(k[range.upperBound...])).lowercased()
                    if out[hostPath]?.last != i { out[hostPath, default: []].append(i) }
                }
            }
            return out
        }
    }

    /// AWS account ids that own resources in the inventory (from ARNs).
    var awsAccounts: Set<String> {
        indexes.awsAccounts.get {
            var out = Set<String>()
            for r in resources where !r.isKubernetesObject {
                for s in [r.id] + r.aliases where s.hasPrefix("arn:") {
                    let parts = s.split(separator: ":", maxSplits: 5, omittingEmptySubsequences: false)
                    if parts.count > 4, !parts[4].isEmpty { out.insert(String(parts[4])) }
                }
            }
            return out
        }
    }
}

struct KubeKey: Hashable {
    var cluster: String
    var kind: String
    var namespace: String
    var name: String
}

struct ClusterNamespace: Hashable {
    var cluster: String
    var namespace: String
}

struct LabelKey: Hashable {
    var cluster: String
    var namespace: String
    var key: String
    var value: String
}

struct TypeName: Hashable {
    var type: String
    var name: String
}

/// String helpers for ARM resource IDs that need no parsing into a model.
enum ARMPath {
    /// `/subscriptions/…/providers/Ns/type/name/child/x` → `/subscriptions/…/providers/Ns/type/name`;
    /// nil for top-level resources and non-ARM ids.
    static func parent(of id: String) -> String? {
        guard id.hasPrefix("/subscriptions/") || id.hasPrefix("/Subscriptions/") else { return nil }
        let parts = id.split(separator: "/", omittingEmptySubsequences: true)
        guard let p = parts.lastIndex(where: { $0.lowercased() == "providers" }) else { return nil }
        let after = parts.count - p - 1    // namespace, type, name, (childType, childName)*
        guard after >= 5, (after - 3) % 2 == 0 else { return nil }
        return "/" + parts[0..<(parts.count - 2)].joined(separator: "/")
    }

    /// The last segment of an ARM id.
    static func name(of id: String) -> String? {
        guard id.hasPrefix("/") else { return nil }
        return id.split(separator: "/").last.map(String.init)
    }

    /// The second-to-last segment: the (child) type name (`subnets`, `agentPools`).
    static func lastTypeSegment(of id: String) -> String? {
        let parts = id.split(separator: "/")
        return parts.count >= 2 ? String(parts[parts.count - 2]) : nil
    }

    static func looksLikeID(_ s: String) -> Bool {
        s.count > 15 && s.prefix(15).lowercased() == "/subscriptions/"
    }
}

/// AWS documents may be stored bare or wrapped as the describe call returns them
/// (`{"cluster": {…}}`, `{"nodegroup": {…}}`, `{"fargateProfile": {…}}`).
enum AWSDocument {
    static let wrappers = ["cluster", "nodegroup", "fargateProfile", "Cluster", "Nodegroup", "FargateProfile"]

    static func body(_ r: Resource) -> JSONValue {
        if case .object(let o) = r.document, o.count == 1, let k = o.pairs.first?.key, wrappers.contains(k),
           case .object = o.pairs[0].value {
            return o.pairs[0].value
        }
        return r.document
    }

    /// The path prefix of the body in the stored document.
    static func base(_ r: Resource) -> [JSONPathComponent] {
        if case .object(let o) = r.document, o.count == 1, let k = o.pairs.first?.key, wrappers.contains(k),
           case .object = o.pairs[0].value {
            return [.key(k)]
        }
        return []
    }

    static func stripScheme(_ s: String) -> String {
        if let r = s.range(of: "://") { return String(s[r.upperBound...]) }
        return s
    }
}
