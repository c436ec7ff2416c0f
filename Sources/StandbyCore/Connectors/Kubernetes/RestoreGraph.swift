/// What each object of a restore set needs before it is applied, from the references the walker
/// finds in it (``ReferenceExtractorRegistry/builtIn``, the same extractors that pulled the
/// objects into the recovery point), resolved among the set's own objects.
///
/// Three kinds of edge, by relation:
/// - ``Edge/Kind/needsReady``: applied only once the prerequisite is ready, and blocked when it
///   fails: a custom resource needs its CRD Established (`definition`), a webhook configuration
///   or APIService needs its Service to have ready endpoints (`webhook service`, `service`);
/// - ``Edge/Kind/needs``: applied once the prerequisite was applied, blocked when it fails: the
///   object's Namespace, the ConfigMaps, Secrets, ServiceAccount, claims, classes and roles it
///   names (and any relation not listed here, such as a runbook's own extractor's);
/// - ``Edge/Kind/after``: applied after the prerequisite, whatever became of it (order only): the
///   PodDisruptionBudgets and NetworkPolicies of a workload, a binding's subjects, an owner, a
///   CRD's conversion webhook Service, an autoscaler's target.
///
/// `selects` (a Service's workloads) and `bound by` (a ServiceAccount's bindings) are not edges:
/// neither side needs the other to exist. Admission webhook configurations and APIServices are
/// also applied after every other object (``barrier``): one with `failurePolicy: Fail` would
/// otherwise judge objects applied after it.
struct RestoreGraph {
    struct Edge: Hashable {
        enum Kind: Hashable { case needsReady, needs, after }
        var prerequisite: Int
        var relation: String
        var kind: Kind
    }

    /// `prerequisites[i]`: the edges into object `i`.
    var prerequisites: [[Edge]]
    /// `dependents[j]`: the objects with an edge from `j`.
    var dependents: [[Int]]
    /// Objects applied only after every object that is not one.
    var barrier: [Bool]

    static let orderOnly: Set<String> = ["disruption budget", "network policy", "subject", "owner",
                                         "conversion webhook service", "scaleTargetRef"]
    static let ignored: Set<String> = ["selects", "bound by", "scaled by"]
    static let barrierKinds: Set<KubeScope.GroupKind> = [
        .init(group: "admissionregistration.k8s.io", kind: "ValidatingWebhookConfiguration"),
        .init(group: "admissionregistration.k8s.io", kind: "MutatingWebhookConfiguration"),
        .init(group: "apiregistration.k8s.io", kind: "APIService"),
    ]

    /// The graph of `documents` (manifests, already in the namespace they go to).
    static func build(_ documents: [JSONValue], extractors: ReferenceExtractorRegistry = .builtIn) -> RestoreGraph {
        var graph = RestoreGraph(prerequisites: Array(repeating: [], count: documents.count),
                                 dependents: Array(repeating: [], count: documents.count),
                                 barrier: Array(repeating: false, count: documents.count))
        var resources: [Resource] = []
        resources.reserveCapacity(documents.count)
        var nodes: [String: [Int]] = [:]
        for (i, document) in documents.enumerated() {
            guard let r = KubernetesDocuments.resource(document, cluster: "recovery", scope: KubeScope(),
                                                       source: SourceRef(path: "restore set", document: i)) else { continue }
            graph.barrier[i] = barrierKinds.contains(KubeScope.GroupKind(group: r.group ?? "", kind: r.kind ?? ""))
            nodes[Resource.lookupKey(r.id), default: []].append(i)
            resources.append(r)
        }
        let resolver = ReferenceResolver(inventory: Inventory(resources: resources), extractors: extractors)
        let inventory = resolver.context.resources
        for p in inventory.indices {
            let from = nodes[Resource.lookupKey(inventory[p].id)] ?? []
            guard !from.isEmpty else { continue }
            let kind = inventory[p].kind ?? ""
            for (reference, targets) in resolver.resolvedPositions(at: p) where !ignored.contains(reference.relation) {
                let edgeKind: Edge.Kind
                switch reference.relation {
                case "definition", "webhook service": edgeKind = .needsReady
                case "service" where kind == "APIService": edgeKind = .needsReady
                case let relation where orderOnly.contains(relation): edgeKind = .after
                default: edgeKind = .needs
                }
                for t in targets {
                    for prerequisite in nodes[Resource.lookupKey(inventory[t].id)] ?? [] {
                        for dependent in from where dependent != prerequisite {
                            let edge = Edge(prerequisite: prerequisite, relation: reference.relation, kind: edgeKind)
                            if graph.prerequisites[dependent].contains(edge) { continue }
                            graph.prerequisites[dependent].append(edge)
                            graph.dependents[prerequisite].append(dependent)
                        }
                    }
                }
            }
        }
        return graph
    }

    /// The relations whose prerequisite must be ready.
    func awaitsReadiness(_ i: Int) -> Bool {
        dependents[i].contains { d in prerequisites[d].contains { $0.prerequisite == i && $0.kind == .needsReady } }
    }
}
