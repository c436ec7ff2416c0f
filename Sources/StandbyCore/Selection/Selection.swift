/// What to put in a recovery point, before dependencies are followed.
///
/// The selected set is: the `roots`, plus every object of the `namespaces`, plus every object a
/// `tags` rule matches (rules are alternatives; the conditions of one rule must all hold). The
/// walker then closes that set over references. `exclude` rules (same shape) and, by default,
/// Azure Policy / Gatekeeper objects of AKS clusters are never included, even when selected or
/// referenced; they are reported in ``Selection/excluded`` with what wanted them.
///
/// Clusters: a root that is an AKS managed cluster or EKS cluster (or the name of a Kubernetes
/// cluster) *selects that cluster*: its extraction pulls in the cluster-scoped objects and all of
/// `kube-system`. Plain namespace names apply to every selected cluster; `"cluster/namespace"`
/// names one cluster's namespace. Tag rules match Kubernetes objects of the selected clusters.
/// When no cluster is selected, namespaces and tag rules apply to every cluster in the inventory.
public struct SelectionRequest: Sendable, Hashable {
    /// Resource ids (canonical, ARM ids in any case, ARNs, aliases) or Kubernetes cluster names.
    public var roots: [String]
    /// `"payments"` (every selected cluster) or `"aks-prod/payments"` (one cluster).
    public var namespaces: [String]
    public var tags: [TagRule]
    public var exclude: [TagRule]
    /// Never include Azure Policy / Gatekeeper objects of AKS clusters (group `*.gatekeeper.sh`,
    /// namespace `gatekeeper-system`, label `gatekeeper.sh/system: "yes"`, the add-on's kube-system
    /// workloads labelled `app.kubernetes.io/part-of: azure-policy` or `app: azure-policy[-webhook]`).
    /// Default true.
    public var excludePolicyObjects: Bool

    public init(roots: [String] = [], namespaces: [String] = [], tags: [TagRule] = [], exclude: [TagRule] = [],
                excludePolicyObjects: Bool = true) {
        self.roots = roots; self.namespaces = namespaces; self.tags = tags; self.exclude = exclude
        self.excludePolicyObjects = excludePolicyObjects
    }
}

/// Why a resource is in the selected set.
public enum SelectionReason: Sendable, Hashable, CustomStringConvertible {
    /// Named in ``SelectionRequest/roots``.
    case root
    /// A default object (cluster-scoped or kube-system) of a cluster named as a root that has no
    /// control-plane resource in the inventory.
    case clusterDefault(cluster: String)
    /// In a selected namespace, as written in the request.
    case namespace(String)
    /// Matched tag rule N (1-based).
    case tagRule(Int)

    public var description: String {
        switch self {
        case .root: return "root"
        case .clusterDefault(let c): return "default object of cluster \(c)"
        case .namespace(let n): return "namespace \(n)"
        case .tagRule(let n): return "tag rule \(n)"
        }
    }
}

/// How a resource came to be included.
public enum Inclusion: Sendable, Hashable {
    case selected(SelectionReason)
    /// Pulled in by a reference; the step names the referring resource.
    case pulledIn(WhyStep)
}

/// A resource that something wanted but an exclusion kept out.
public struct ExcludedResource: Sendable, Hashable {
    /// Who wanted it: a referring resource (`from`) through `relation` at `path`, or the selection
    /// itself (`from` nil, `relation` the reason: `root`, `namespace payments`, `tag rule 2`).
    public struct Want: Sendable, Hashable {
        public var from: String?
        public var relation: String
        public var path: String
    }

    public var id: String
    /// `exclude rule 1` or `Azure Policy/Gatekeeper object`.
    public var reason: String
    public var wantedBy: [Want]
}

/// Counts of a selection.
public struct SelectionSummary: Sendable, Hashable, CustomStringConvertible {
    public struct Row: Sendable, Hashable {
        /// A Kubernetes kind, or a cloud type.
        public var type: String
        public var selected: Int
        public var pulledIn: Int
    }

    public var selected: Int
    public var pulledIn: Int
    public var dangling: Int
    public var excluded: Int
    /// One row per kind / cloud type, sorted by type.
    public var byType: [Row]

    public var total: Int { selected + pulledIn }

    public var description: String {
        var lines = ["\(total) resources (\(selected) selected, \(pulledIn) pulled in), \(dangling) dangling, \(excluded) excluded"]
        for row in byType { lines.append("  \(row.type): \(row.selected) selected, \(row.pulledIn) pulled in") }
        return lines.joined(separator: "\n")
    }
}

/// The result of a selection: the selected set closed over references, with explanations.
public struct Selection: Sendable {
    public let request: SelectionRequest
    public let inventory: Inventory
    /// Included resources, sorted by canonical id.
    public let resources: [Resource]
    private let inclusions: [String: Inclusion]
    /// References that resolve to nothing, in walk order.
    public let dangling: [DanglingReference]
    /// Resources kept out by an exclusion although something wanted them, sorted by id.
    public let excluded: [ExcludedResource]
    /// Roots that name neither a resource nor a cluster.
    public let unknownRoots: [String]

    /// Selects and walks. See ``SelectionRequest`` for the selection rules.
    /// - Complexity: O(n) in the size of the inventory plus the references followed.
    public init(_ request: SelectionRequest, in inventory: Inventory, extractors: ReferenceExtractorRegistry = .builtIn) {
        var walk = Walk(request: request, inventory: inventory, registry: extractors)
        walk.run()
        self.request = request
        self.inventory = inventory
        // Positions first, sorted by id; each included Resource is copied once, into `resources`.
        let all = walk.ctx.resources
        var included: [Int] = []
        var inclusions: [String: Inclusion] = [:]
        inclusions.reserveCapacity(walk.queue.count)
        for (i, inc) in walk.inclusion.enumerated() {
            guard let inc else { continue }
            included.append(i); inclusions[all[i].id] = inc
        }
        included.sort { all[$0].id < all[$1].id }
        resources = included.map { all[$0] }
        self.inclusions = inclusions
        dangling = walk.dangling
        excluded = walk.wants.keys.sorted { walk.ctx.resources[$0].id < walk.ctx.resources[$1].id }.map { i in
            ExcludedResource(id: walk.ctx.resources[i].id, reason: walk.exclusionReason(i) ?? "", wantedBy: walk.wants[i] ?? [])
        }
        unknownRoots = walk.unknownRoots
    }

    /// Canonical ids of the included resources, sorted.
    public var ids: [String] { resources.map(\.id) }

    /// The canonical id `id` stands for (it may be an alias or an ARM id in another case).
    private func canonical(_ id: String) -> String? {
        if inclusions[id] != nil { return id }
        return inventory.get(id)?.id
    }

    /// Whether the resource `id` (canonical id or anything `Inventory.get` resolves) is included.
    public func contains(_ id: String) -> Bool {
        canonical(id).map { inclusions[$0] != nil } ?? false
    }

    /// How `id` was included; nil when it is not.
    public func inclusion(of id: String) -> Inclusion? {
        canonical(id).flatMap { inclusions[$0] }
    }

    /// The shortest chain of references from a selected resource to `id`: empty when `id` was
    /// selected itself, nil when it is not included.
    public func why(_ id: String) -> [WhyStep]? {
        guard var cur = canonical(id), inclusions[cur] != nil else { return nil }
        var steps: [WhyStep] = []
        while case .pulledIn(let step)? = inclusions[cur] {
            steps.append(step)
            cur = step.from
            if steps.count > inclusions.count { break }    // cannot happen: parents form a tree
        }
        return steps.reversed()
    }

    /// The selected resource the chain to `id` starts from, with its reason.
    public func origin(of id: String) -> (id: String, reason: SelectionReason)? {
        guard let steps = why(id), let start = steps.first?.from ?? canonical(id),
              case .selected(let reason)? = inclusions[start] else { return nil }
        return (start, reason)
    }

    /// `why(id)` rendered: `Deployment payments/api → envFrom → ConfigMap payments/api-config`, or
    /// `Deployment payments/api (namespace payments)` when it was selected itself.
    public func explain(_ id: String) -> String? {
        guard let steps = why(id) else { return nil }
        if steps.isEmpty, let o = origin(of: id) { return "\(display(o.id)) (\(o.reason))" }
        return Selection.render(steps, display: display)
    }

    /// Renders steps as `A → relation → B → relation → C`.
    public static func render(_ steps: [WhyStep], display: (String) -> String) -> String {
        guard let first = steps.first else { return "" }
        var s = display(first.from)
        for step in steps { s += " → \(step.relation) → \(display(step.to))" }
        return s
    }

    /// How a resource reads in explanations: `Deployment payments/api`, `ClusterRole view`,
    /// `managedClusters aks-prod-weu`, `EKS::Cluster prod`.
    public func display(_ id: String) -> String {
        guard let r = inventory.get(id) else { return id }
        return Selection.display(r)
    }

    /// See ``display(_:)-(String)``.
    public static func display(_ r: Resource) -> String {
        if r.isKubernetesObject, let kind = r.kind {
            let name = r.name ?? "?"
            if let ns = r.namespace, !ns.isEmpty { return "\(kind) \(ns)/\(name)" }
            return "\(kind) \(name)"
        }
        guard let type = r.type else { return r.id }
        if ARMPath.looksLikeID(r.id) {
            let short = type.split(separator: "/").last.map(String.init) ?? type
            return "\(short) \(ARMPath.name(of: r.id) ?? r.name ?? r.id)"
        }
        let short = type.hasPrefix("AWS::") ? String(type.dropFirst(5)) : type
        return "\(short) \(r.name ?? r.id)"
    }

    /// Counts by kind / type, selected vs pulled in, dangling and excluded.
    public var summary: SelectionSummary {
        var rows: [String: (Int, Int)] = [:]
        var selected = 0, pulled = 0
        for r in resources {
            let key = r.isKubernetesObject ? (r.kind ?? "?") : (r.type ?? "?")
            if case .selected? = inclusions[r.id] { selected += 1; rows[key, default: (0, 0)].0 += 1 }
            else { pulled += 1; rows[key, default: (0, 0)].1 += 1 }
        }
        return SelectionSummary(selected: selected, pulledIn: pulled, dangling: dangling.count, excluded: excluded.count,
                                byType: rows.sorted { $0.key < $1.key }.map { .init(type: $0.key, selected: $0.value.0, pulledIn: $0.value.1) })
    }
}

/// Selects `request` in `inventory` and closes it over references.
/// See ``SelectionRequest`` and ``Selection``.
public func select(_ request: SelectionRequest, in inventory: Inventory,
                   extractors: ReferenceExtractorRegistry = .builtIn) -> Selection {
    Selection(request, in: inventory, extractors: extractors)
}

extension Inventory {
    /// Selects `request` in this inventory and closes it over references.
    public func select(_ request: SelectionRequest, extractors: ReferenceExtractorRegistry = .builtIn) -> Selection {
        Selection(request, in: self, extractors: extractors)
    }
}

// MARK: - The walk

/// One selection and breadth-first walk. Positions index `ctx.resources`.
struct Walk {
    let request: SelectionRequest
    let registry: ReferenceExtractorRegistry
    let resolver: ReferenceResolver
    var ctx: ExtractionContext { resolver.context }
    var inclusion: [Inclusion?]
    var queue: [Int] = []
    var dangling: [DanglingReference] = []
    /// One copy of each path the dangling references name (every Deployment's `envFrom` path is the
    /// same text): 400,000 of them at 100k objects would otherwise be as many strings.
    private var paths = StringInterning()
    var wants: [Int: [ExcludedResource.Want]] = [:]
    var unknownRoots: [String] = []
    /// Namespaces selected as a whole: the request's `namespaces`, and kube-system of a cluster
    /// selected as a root. References marked ``Reference/needsSelectedNamespace`` are followed only
    /// into these (or to a target that is itself selected).
    var wholeNamespaces: Set<ClusterNamespace> = []
    /// Targets of such references that were not followed: reported after the walk unless
    /// something else included them.
    private var heldBack: [(from: String, ref: Reference, target: Int)] = []
    /// Per position: whether ``exclusionReason(_:)`` has looked at it; the reasons found.
    private var exclusionChecked: [Bool]
    private var exclusionReasons: [Int: String] = [:]

    init(request: SelectionRequest, inventory: Inventory, registry: ReferenceExtractorRegistry) {
        self.request = request
        self.registry = registry
        resolver = ReferenceResolver(inventory: inventory, extractors: registry)
        inclusion = Array(repeating: nil, count: inventory.resources.count)
        exclusionChecked = Array(repeating: false, count: inventory.resources.count)
    }

    mutating func run() {
        selectRoots()
        walk()
        reportHeldBack()
    }

    /// Whether a ``Reference/needsSelectedNamespace`` reference may pull in `t`.
    func mayFollowIntoNamespace(_ t: Int) -> Bool {
        if case .selected? = inclusion[t] { return true }
        let r = ctx.resources[t]
        guard let ns = r.namespace, !ns.isEmpty else { return true }
        return wholeNamespaces.contains(ClusterNamespace(cluster: r.cluster ?? "", namespace: ns))
    }

    /// Held-back targets that nothing else included become external references, with why.
    mutating func reportHeldBack() {
        var seen: Set<DanglingReference> = []
        for (from, ref, t) in heldBack where inclusion[t] == nil {
            let r = ctx.resources[t]
            let ns = r.namespace ?? ""
            let target = Selection.display(r)
            let reason = "external reference: \(target) is in namespace \(ns), which this selection does not select, "
                + "so it is not pulled in (restored alone it would have no namespace); select namespace \(ns) to take it, "
                + "or it must exist in the recovery cluster"
            let d = DanglingReference(from: from, path: ref.path, relation: ref.relation, target: target,
                                      expectedType: ref.expectedType, reason: reason)
            if seen.insert(d).inserted { dangling.append(d) }
        }
        heldBack = []
    }

    // MARK: Selection

    mutating func selectRoots() {
        var selectedClusters: [String] = []
        func addCluster(_ name: String) { if !selectedClusters.contains(name) { selectedClusters.append(name) } }

        defer {
            for c in selectedClusters { wholeNamespaces.insert(ClusterNamespace(cluster: c, namespace: "kube-system")) }
        }
        for root in request.roots {
            if let i = resolveID(root).first {
                select(i, .root)
                if let c = ctx.kubeCluster(controlledBy: ctx.resources[i]) { addCluster(c.name) }
            } else if let cluster = ctx.clustersByName[root] {
                addCluster(root)
                if let cp = cluster.controlPlaneID, let i = resolveID(cp).first {
                    select(i, .root)
                } else {
                    for ns in [nil, "kube-system"] as [String?] {
                        for i in ctx.byNamespace[ClusterNamespace(cluster: root, namespace: ns ?? "")] ?? [] {
                            select(i, .clusterDefault(cluster: root))
                        }
                    }
                }
            } else {
                unknownRoots.append(root)
            }
        }

        let scope: [String]
        if selectedClusters.isEmpty {
            var all = Set(ctx.clustersByName.keys)
            for key in ctx.byNamespace.keys { all.insert(key.cluster) }
            scope = all.sorted()
        } else {
            scope = selectedClusters
        }

        for entry in request.namespaces {
            let clusters: [String], ns: String
            if let slash = entry.firstIndex(of: "/") {
                clusters = [String(entry[..<slash])]; ns = String(entry[entry.index(after: slash)...])
            } else {
                clusters = scope; ns = entry
            }
            for c in clusters {
                wholeNamespaces.insert(ClusterNamespace(cluster: c, namespace: ns))
                for i in ctx.kubePositions(cluster: c, kind: "Namespace", namespace: nil, name: ns, group: "") {
                    select(i, .namespace(entry))
                }
                for i in ctx.byNamespace[ClusterNamespace(cluster: c, namespace: ns)] ?? [] { select(i, .namespace(entry)) }
            }
        }

        if !request.tags.isEmpty {
            let inScope = Set(scope)
            for (i, r) in ctx.resources.enumerated() {
                if r.isKubernetesObject && !inScope.contains(r.cluster ?? "") { continue }
                if let n = request.tags.firstIndex(where: { $0.matches(r) }) { select(i, .tagRule(n + 1)) }
            }
        }
    }

    mutating func select(_ i: Int, _ reason: SelectionReason) {
        if exclusionReason(i) != nil {
            let w = ExcludedResource.Want(from: nil, relation: reason.description, path: "")
            if wants[i]?.contains(w) != true { wants[i, default: []].append(w) }
            return
        }
        guard inclusion[i] == nil else { return }
        inclusion[i] = .selected(reason)
        queue.append(i)
    }

    // MARK: Exclusion

    mutating func exclusionReason(_ i: Int) -> String? {
        if exclusionChecked[i] { return exclusionReasons[i] }
        exclusionChecked[i] = true
        let reason: String? = ctx.resources.withUnsafeBufferPointer { rs in    // read in place, not copied
            if let n = request.exclude.firstIndex(where: { $0.matches(rs[i]) }) { return "exclude rule \(n + 1)" }
            if request.excludePolicyObjects, rs[i].isKubernetesObject, Walk.isPolicyObject(rs[i]),
               ctx.clustersByName[rs[i].cluster ?? ""]?.cloud == .azure {
                return "Azure Policy/Gatekeeper object"
            }
            return nil
        }
        if let reason { exclusionReasons[i] = reason }
        return reason
    }

    /// Azure Policy add-on / Gatekeeper objects.
    static func isPolicyObject(_ r: Resource) -> Bool {
        if KubeReferences.group(of: r).hasSuffix("gatekeeper.sh") { return true }
        if r.namespace == "gatekeeper-system" { return true }
        if r.kind == "Namespace" && r.name == "gatekeeper-system" { return true }
        if r.labels["gatekeeper.sh/system"] == "yes" { return true }
        // The Azure Policy add-on's own workloads in kube-system.
        if r.labels["app.kubernetes.io/part-of"] == "azure-policy" { return true }
        if let app = r.labels["app"], app == "azure-policy" || app == "azure-policy-webhook" { return true }
        if r.kind == "CustomResourceDefinition",
           r.document[path: [.key("spec"), .key("group")]]?.stringValue?.hasSuffix("gatekeeper.sh") == true { return true }
        return false
    }

    func resolveID(_ s: String) -> [Int] { resolver.resolveID(s) }

    // MARK: Walk

    /// Queue entries whose references are extracted together (in parallel) before they are walked.
    static let extractionWindow = 4096

    mutating func walk() {
        // References are extracted ahead, a window of the queue at a time, on every core when the
        // extractors allow it; the queue is still handled strictly in order, so the result is the
        // same as extracting one resource at a time.
        let parallel = registry.runsOnAnyThread
        let resolver = self.resolver
        var ahead: [[(Reference, [Int])]] = []
        var aheadStart = 0
        var head = 0
        while head < queue.count {
            if parallel, head >= aheadStart + ahead.count {
                let window = Array(queue[head..<min(queue.count, head + Self.extractionWindow)])
                ahead = ParallelWork.map(window.count) { resolver.resolvedPositions(at: window[$0]) }
                aheadStart = head
            }
            let i = queue[head]; head += 1
            let from = ctx.resources[i].id
            let references = parallel ? ahead[head - 1 - aheadStart] : resolver.resolvedPositions(at: i)
            for (ref, targets) in references {
                if targets.isEmpty {
                    if !ref.isOptional {
                        dangling.append(DanglingReference(from: from, path: paths.intern(ref.path), relation: ref.relation,
                                                          target: ref.target.text, expectedType: ref.expectedType))
                    }
                    continue
                }
                for t in targets where t != i {
                    if ref.needsSelectedNamespace && !mayFollowIntoNamespace(t) {
                        heldBack.append((from, ref, t))
                        continue
                    }
                    if exclusionReason(t) != nil {
                        let w = ExcludedResource.Want(from: from, relation: ref.relation, path: ref.path)
                        if wants[t]?.contains(w) != true { wants[t, default: []].append(w) }
                        continue
                    }
                    guard inclusion[t] == nil else { continue }
                    inclusion[t] = .pulledIn(WhyStep(from: from, relation: ref.relation, to: ctx.resources[t].id, path: ref.path))
                    queue.append(t)
                }
            }
        }
    }
}
