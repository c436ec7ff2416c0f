/// Why a resource is in the plan, for the page's graph: the selection's explanation and the
/// cluster its chain of references starts from (nil when it starts from no cluster).
public struct PlanWhy: Sendable, Hashable {
    public var text: String
    public var cluster: String?

    public init(text: String, cluster: String?) { self.text = text; self.cluster = cluster }
}

/// The dependency graph `report.html` draws, in four columns: clusters → cloud resources →
/// namespaces → workloads. A cloud resource hangs from the cluster its selection chain starts
/// from, a namespace from its cluster, a workload from its namespace. Each node carries its `why`.
public struct PlanGraph: Sendable {
    public enum Layer: Int, Sendable, CaseIterable {
        case cluster, cloud, namespace, workload

        public var title: String {
            switch self {
            case .cluster: return "cluster"
            case .cloud: return "cloud resource"
            case .namespace: return "namespace"
            case .workload: return "workload"
            }
        }
    }

    public struct Node: Sendable, Hashable {
        /// `n0`, `n1`…: safe in DOT, SVG and HTML.
        public var key: String
        public var label: String
        /// The resource id (a `k8s://` id, ARM id or ARN; the cluster name for a cluster).
        public var id: String
        public var layer: Layer
        public var why: String
    }

    public private(set) var nodes: [Node] = []
    /// Pairs of node positions.
    public private(set) var edges: [(from: Int, to: Int)] = []
    /// Nodes left out because the graph holds at most ``maximumNodes``.
    public private(set) var omitted = 0

    /// A graph past this many nodes is not drawn whole (the omitted count is shown).
    public static let maximumNodes = 400

    static let workloadKinds: Set<String> = ["Deployment", "StatefulSet", "DaemonSet", "Job", "CronJob"]
    static let controlPlaneTypes: Set<String> = ["microsoft.containerservice/managedclusters", "aws::eks::cluster"]

    public init(_ plan: RecoveryPlan) {
        var index: [String: Int] = [:]
        let why = plan.explanations
        func add(_ id: String, _ label: String, _ layer: Layer, _ reason: String?) -> Int? {
            if let n = index[id] { return n }
            guard nodes.count < Self.maximumNodes else { omitted += 1; return nil }
            index[id] = nodes.count
            nodes.append(Node(key: "n\(nodes.count)", label: label, id: id, layer: layer,
                              why: reason ?? "no explanation recorded (the plan was not made from a selection)"))
            return nodes.count - 1
        }
        let resources = plan.translation.resources
        // Clusters first (from their control planes and their objects), so each column is in a stable order.
        var clusters: [String] = []
        for r in resources where r.source.isKubernetesObject {
            if let c = r.source.cluster, !clusters.contains(c) { clusters.append(c) }
        }
        var controlPlane: [String: String] = [:]
        for r in resources where Self.controlPlaneTypes.contains(r.source.type?.lowercased() ?? "") {
            let name = r.source.armID?.name ?? r.source.name ?? r.source.id
            controlPlane[name] = r.source.id
            if !clusters.contains(name) { clusters.append(name) }
        }
        for c in clusters {
            _ = add("cluster:" + c, "cluster " + c, .cluster, controlPlane[c].flatMap { why[$0]?.text })
        }
        for r in resources where !r.source.isKubernetesObject && !Self.controlPlaneTypes.contains(r.source.type?.lowercased() ?? "") {
            let w = why[r.source.id]
            guard let n = add(r.source.id, r.source.display, .cloud, w?.text) else { continue }
            if let c = w?.cluster, let from = index["cluster:" + c] { edges.append((from, n)) }
        }
        var namespaceObjects: [String: String] = [:]
        for r in resources where r.source.kind == "Namespace" && r.source.isKubernetesObject {
            namespaceObjects["namespace:\(r.source.cluster ?? "")/\(r.source.name ?? "")"] = r.source.id
        }
        for r in resources where r.source.isKubernetesObject {
            guard let c = r.source.cluster, let ns = r.source.namespace else { continue }
            let nsID = "namespace:\(c)/\(ns)"
            let known = index[nsID] != nil
            guard let nsNode = add(nsID, "\(c) / \(ns)", .namespace,
                                   namespaceObjects[nsID].flatMap { why[$0]?.text } ?? "namespace of \(r.source.display)") else { continue }
            if !known, let from = index["cluster:" + c] { edges.append((from, nsNode)) }
            guard let kind = r.source.kind, Self.workloadKinds.contains(kind) else { continue }
            guard let w = add(r.source.id, "\(kind) \(ns)/\(r.source.name ?? "")", .workload, why[r.source.id]?.text) else { continue }
            edges.append((nsNode, w))
        }
    }
}

extension PlanPage {
    /// Why each resource of `plan` is in `selection`, and the cluster its chain starts from: what
    /// the graph's nodes show when clicked.
    public static func explanations(_ selection: Selection, for plan: RecoveryPlan) -> [String: PlanWhy] {
        var clusterOf: [String: String] = [:]
        for c in selection.inventory.clusters {
            if let cp = c.controlPlaneID, let r = selection.inventory.get(cp) { clusterOf[r.id] = c.name }
        }
        func cluster(of id: String) -> String? {
            if let c = clusterOf[id] { return c }
            if id.hasPrefix("k8s://"), let ref = KubeRef(id: id) { return ref.cluster }
            return nil
        }
        // Only what the graph reads: its nodes (at most ``PlanGraph/maximumNodes``), the clusters'
        // control planes and the Namespace objects (a 100k-workload plan draws 400 of them).
        let drawn = Set(PlanGraph(plan).nodes.map(\.id))
        var out: [String: PlanWhy] = [:]
        for r in plan.translation.resources {
            let read = r.source.isKubernetesObject
                ? r.source.kind == "Namespace" || drawn.contains(r.source.id)
                : drawn.contains(r.source.id) || PlanGraph.controlPlaneTypes.contains(r.source.type?.lowercased() ?? "")
            if !read { continue }
            guard let text = selection.explain(r.source.id) else { continue }
            let steps = selection.why(r.source.id) ?? []
            let root = (steps.map(\.from) + [r.source.id]).lazy.compactMap(cluster(of:)).first
            out[r.source.id] = PlanWhy(text: text, cluster: root)
        }
        return out
    }
}
