/// Objects of one source namespace that went to one recovery namespace of a recovery cluster.
public struct NamespaceMove: Sendable, Hashable {
    /// The recovery cluster.
    public var cluster: String
    public var from: String
    public var to: String
    /// How many translated objects moved.
    public var objects: Int
    /// What moved them: `built-in: namespace` (the `namespaces` map) or the rules' names.
    public var by: [String]

    public init(cluster: String, from: String, to: String, objects: Int, by: [String]) {
        self.cluster = cluster; self.from = from; self.to = to; self.objects = objects; self.by = by
    }

    /// `{ cluster, from, to, objects, by }`, as reports give it.
    public var jsonValue: JSONValue {
        .object(JSONObject([("cluster", .string(cluster)), ("from", .string(from)), ("to", .string(to)),
                            ("objects", .int(Int64(objects))), ("by", .array(by.map(JSONValue.string)))]))
    }
}

/// Settles the moves once the rules have run: a Kubernetes object whose translated namespace (or a
/// Namespace object whose translated name) is not its recovery id's gets a new recovery id, so its
/// file path and manifest follow; and what a person must hear about is made an issue: two objects
/// that became the same object, and objects moved to a namespace the plan does not create.
enum NamespaceMoves {
    static func settle(_ documents: [TranslatedDocument], ids: inout RecoveryIDMap) -> (moves: [NamespaceMove], issues: [TranslationIssue]) {
        var moved: [String: (move: NamespaceMove, first: String)] = [:]
        var order: [String] = []
        var created: [String: Set<String>] = [:]
        var seen: [String: String] = [:]
        var issues: [TranslationIssue] = []
        for (n, doc) in documents.enumerated() {
            let resource = doc.resource
            guard resource.isKubernetesObject, let source = resource.kubeRef,
                  ids.entries.indices.contains(n), case .mapped(let rid, let how) = ids.entries[n].mapping,
                  var ref = KubeRef(id: rid) else { continue }
            let isNamespace = source.namespace == nil && source.group.isEmpty && source.kind == "Namespace"
            let field = isNamespace ? "name" : "namespace"
            let now = doc.value["metadata"]?[field]?.stringValue
            let by = doc.changes.last { $0.path == "metadata.\(field)" }?.by ?? "built-in: namespace"
            if isNamespace {
                if let now, now != ref.name {
                    ref.name = now
                    ids.moved(n, to: ref.id, how: "renamed by \(by)")
                }
                created[ref.cluster, default: []].insert(ref.name)
            } else if source.namespace != nil, let now, now != ref.namespace {
                ref.namespace = now
                ids.moved(n, to: ref.id, how: "\(how), moved by \(by)")
            }
            if let from = source.namespace, let to = ref.namespace, from != to {
                let key = "\(ref.cluster)\u{0}\(from)\u{0}\(to)"
                if moved[key] == nil {
                    order.append(key)
                    moved[key] = (NamespaceMove(cluster: ref.cluster, from: from, to: to, objects: 0, by: []), resource.id)
                }
                moved[key]!.move.objects += 1
                if !moved[key]!.move.by.contains(by) { moved[key]!.move.by.append(by) }
            }
            if let other = seen[Resource.lookupKey(ref.id)] {
                issues.append(TranslationIssue(resource: resource.id, feature: "metadata.namespace",
                    message: "becomes \(ref.id), which \(other) becomes too: one manifest would overwrite the other; "
                        + "move one of them elsewhere or leave it out of the selection"))
            } else {
                seen[Resource.lookupKey(ref.id)] = resource.id
            }
        }
        let moves = order.compactMap { moved[$0] }
        for m in moves where !(created[m.move.cluster]?.contains(m.move.to) ?? false) {
            issues.append(TranslationIssue(resource: m.first, feature: "metadata.namespace",
                message: "\(m.move.objects) object(s) of \(m.move.from) moved to namespace \(m.move.to) of cluster \(m.move.cluster) "
                    + "(by \(m.move.by.joined(separator: ", "))), which the plan does not create: no Namespace object of the "
                    + "recovery point becomes \(m.move.to). Map the whole namespace (namespaces = { \(m.move.from) = \"\(m.move.to)\" }), "
                    + "rename its Namespace object in the rule too, or create \(m.move.to) before applying"))
        }
        return (moves.map(\.move), issues)
    }

    /// An issue for every cluster-scoped object a rule gave a namespace: the plan ignores it (a
    /// cluster-scoped object has no namespace), and the rule's author must hear so.
    static func namespacedClusterObjects(_ documents: [TranslatedDocument]) -> [TranslationIssue] {
        documents.compactMap { doc in
            let resource = doc.resource
            guard resource.isKubernetesObject, let source = resource.kubeRef, source.namespace == nil,
                  let now = doc.value["metadata"]?["namespace"]?.stringValue,
                  let change = doc.changes.last(where: { $0.path == "metadata.namespace" }) else { return nil }
            return TranslationIssue(resource: resource.id, feature: "metadata.namespace",
                message: "\(change.by) gave this cluster-scoped \(source.kind) the namespace \(now), which the plan ignores: "
                    + "a cluster-scoped object has no namespace; leave metadata.namespace unset for it in the rule")
        }
    }
}
