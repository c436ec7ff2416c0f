/// A reference with what it resolved to.
public struct ResolvedReference: Sendable, Hashable {
    public var reference: Reference
    /// Canonical ids of the resources the reference names; empty when it is dangling (or optional
    /// and absent).
    public var targets: [String]

    /// True when the reference names nothing and is not optional.
    public var isDangling: Bool { targets.isEmpty && !reference.isOptional }
}

/// Extracts and resolves the references of single resources, with the per-walk indexes built once.
/// ``Selection`` uses one for its walk; use one directly to list what a resource references
/// (`standby refs`), without selecting anything.
public final class ReferenceResolver {
    public let context: ExtractionContext
    public let extractors: ReferenceExtractorRegistry

    public init(inventory: Inventory, extractors: ReferenceExtractorRegistry = .builtIn) {
        context = ExtractionContext(inventory: inventory)
        self.extractors = extractors
    }

    /// The references `resource` makes, merged (same relation and target once), in extractor
    /// order, each with its resolved targets.
    public func references(of resource: Resource) -> [ResolvedReference] {
        resolvedPositions(of: resource).map { ref, targets in
            ResolvedReference(reference: ref, targets: targets.map { context.resources[$0].id })
        }
    }

    /// As ``references(of:)-(Resource)``, with inventory positions.
    func resolvedPositions(of resource: Resource) -> [(Reference, [Int])] {
        var seen = Set<SeenKey>()
        var out: [(Reference, [Int])] = []
        for extractor in extractors.extractors(for: resource) {
            for ref in extractor.references(of: resource, in: context) {
                // A handful of references per resource: a linear scan beats hashing them; past
                // that, the set keeps the merge linear.
                if out.count < 16 {
                    if out.contains(where: { $0.0.target == ref.target && $0.0.relation == ref.relation }) { continue }
                } else {
                    if seen.isEmpty { for (r, _) in out { seen.insert(SeenKey(relation: r.relation, target: r.target)) } }
                    guard seen.insert(SeenKey(relation: ref.relation, target: ref.target)).inserted else { continue }
                }
                out.append((ref, resolve(ref.target, from: resource)))
            }
        }
        return out
    }

    /// As ``resolvedPositions(of:)``, for the resource at inventory position `i` (read in place,
    /// not copied).
    func resolvedPositions(at i: Int) -> [(Reference, [Int])] {
        context.resources.withUnsafeBufferPointer { resolvedPositions(of: $0[i]) }
    }

    /// The references of the resource `id` names; nil when the inventory has no such resource.
    public func references(of id: String) -> [ResolvedReference]? {
        context.inventory.get(id).map { references(of: $0) }
    }

    struct SeenKey: Hashable { var relation: String; var target: ReferenceTarget }

    /// Positions `s` names: canonical id, anything `Inventory.get` resolves, or an ARM child held
    /// inline by its parent (a subnet inside `properties.subnets` of its VNet) → the parent.
    func resolveID(_ s: String) -> [Int] {
        let ctx = context
        if let p = ctx.position[s] { return [p] }
        if let r = ctx.inventory.get(s), let p = ctx.position[r.id] { return [p] }
        if ARMPath.looksLikeID(s), let parentID = ARMPath.parent(of: s), let parent = ctx.inventory.get(parentID),
           let p = ctx.position[parent.id], let childType = ARMPath.lastTypeSegment(of: s), let name = ARMPath.name(of: s) {
            let inline = parent.document[path: [.key("properties"), .key(childType)]]?.arrayValue ?? []
            if inline.contains(where: { $0["name"]?.stringValue?.lowercased() == name.lowercased() }) { return [p] }
        }
        return []
    }

    /// Positions a target names, Kubernetes targets defaulting to `r`'s cluster.
    func resolve(_ target: ReferenceTarget, from r: Resource) -> [Int] {
        switch target {
        case .id(let s): return resolveID(s)
        case .unresolved: return []
        case .kube(let t):
            return context.kubePositions(cluster: t.cluster ?? r.cluster ?? "", kind: t.kind, namespace: t.namespace,
                                         name: t.name, group: t.group)
        }
    }
}
