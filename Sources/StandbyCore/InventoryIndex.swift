/// The lookup tables of an ``Inventory``: positions in `resources`, ascending (load order).
///
/// Keys are normalised the way queries compare: ids and ARM aliases by ``Resource/lookupKey(_:)``,
/// types and kinds lower-cased, everything else exact. Labels are indexed twice, by key and by
/// `key=value`.
struct InventoryIndex: Sendable {
    var byID: [String: Int] = [:]
    var byAlias: [String: [Int]] = [:]
    var byType: [String: [Int]] = [:]
    var byKind: [String: [Int]] = [:]
    var byNamespace: [String: [Int]] = [:]
    var byLabelKey: [String: [Int]] = [:]
    var byLabel: [String: [Int]] = [:]
    var byCluster: [String: [Int]] = [:]
    var byName: [String: [Int]] = [:]

    init() {}

    init(_ resources: [Resource]) {
        byID.reserveCapacity(resources.count)
        byName.reserveCapacity(resources.count)
        for (i, r) in resources.enumerated() { add(r, at: i, fresh: true) }
    }

    /// Indexes `r` at position `i`. `fresh` is false when `i` may already be listed (a merge).
    mutating func add(_ r: Resource, at i: Int, fresh: Bool) {
        byID[Resource.lookupKey(r.id)] = i
        for alias in r.aliases { Self.append(i, to: &byAlias[Resource.lookupKey(alias), default: []], fresh: fresh) }
        if let t = r.type { Self.append(i, to: &byType[t.lowercased(), default: []], fresh: fresh) }
        if let k = r.kind { Self.append(i, to: &byKind[k.lowercased(), default: []], fresh: fresh) }
        if let ns = r.namespace { Self.append(i, to: &byNamespace[ns, default: []], fresh: fresh) }
        if let c = r.cluster { Self.append(i, to: &byCluster[c, default: []], fresh: fresh) }
        if let n = r.name { Self.append(i, to: &byName[n, default: []], fresh: fresh) }
        for (k, v) in r.labels {
            Self.append(i, to: &byLabelKey[k, default: []], fresh: fresh)
            Self.append(i, to: &byLabel[k + "=" + v, default: []], fresh: fresh)
        }
    }

    @inline(__always)
    private static func append(_ i: Int, to list: inout [Int], fresh: Bool) {
        if fresh || !list.contains(i) {
            if let last = list.last, last > i {
                // Keep ascending order after a merge into an earlier position.
                list.insert(i, at: list.firstIndex(where: { $0 > i })!)
            } else {
                list.append(i)
            }
        }
    }

    /// The candidate positions for `query` from its most selective indexed field; `nil` when the
    /// query sets no indexed field.
    func candidates(for query: ResourceQuery) -> [Int]? {
        var best: [Int]?
        func consider(_ list: [Int]?) {
            let list = list ?? []
            if best == nil || list.count < best!.count { best = list }
        }
        if let t = query.type { consider(byType[t.lowercased()]) }
        if let k = query.kind { consider(byKind[k.lowercased()]) }
        if let ns = query.namespace { consider(byNamespace[ns]) }
        if let c = query.cluster { consider(byCluster[c]) }
        if let n = query.name { consider(byName[n]) }
        if let l = query.label {
            let (key, value) = ResourceQuery.splitSelector(l)
            consider(value == nil ? byLabelKey[key] : byLabel[l])
        }
        return best
    }
}
