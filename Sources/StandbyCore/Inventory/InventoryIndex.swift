/// Positions in an inventory's `resources`, ascending. The first position is stored inline, so
/// the many keys that name a single resource (names, unique labels, aliases) cost no allocation.
struct Positions: Sendable, Sequence {
    private var head = -1
    private var tail: [Int] = []

    init() {}

    var count: Int { head < 0 ? 0 : 1 + tail.count }
    var first: Int? { head < 0 ? nil : head }

    func contains(_ i: Int) -> Bool { head == i || tail.contains(i) }

    /// Appends `i`, which must be greater than every position already held.
    @inline(__always)
    mutating func append(_ i: Int) {
        if head < 0 { head = i } else { tail.append(i) }
    }

    /// Inserts `i` in order unless present (used after merges, which are rare).
    mutating func insert(_ i: Int) {
        guard !contains(i) else { return }
        var all = Array(self)
        all.insert(i, at: all.firstIndex(where: { $0 > i }) ?? all.count)
        head = all[0]
        tail = Array(all.dropFirst())
    }

    func makeIterator() -> AnyIterator<Int> {
        var k = -1
        return AnyIterator {
            defer { k += 1 }
            if k == -1 { return head < 0 ? nil : head }
            return k < tail.count ? tail[k] : nil
        }
    }

    /// Calls `body` on each position in order (faster than the iterator).
    @inline(__always)
    func forEachPosition(_ body: (Int) -> Void) {
        guard head >= 0 else { return }
        body(head)
        for i in tail { body(i) }
    }
}

/// The lookup tables of an ``Inventory``.
///
/// Keys are normalised the way queries compare: ids and aliases by ``Resource/lookupKey(_:)``,
/// types and kinds lower-cased, everything else exact. Labels are indexed twice, by key and by
/// `key=value`.
struct InventoryIndex: Sendable {
    var byID: [String: Int] = [:]
    var byAlias: [String: Positions] = [:]
    var byType: [String: Positions] = [:]
    var byKind: [String: Positions] = [:]
    var byNamespace: [String: Positions] = [:]
    var byLabelKey: [String: Positions] = [:]
    var byLabel: [String: Positions] = [:]
    var byCluster: [String: Positions] = [:]
    var byName: [String: Positions] = [:]

    init() {}

    /// Indexes `resources`, whose ids are already in `byID`.
    init(_ resources: [Resource], byID: [String: Int]) {
        self.byID = byID
        byName.reserveCapacity(resources.count)
        byLabel.reserveCapacity(resources.count)
        for i in resources.indices { addSecondary(resources[i], at: i, fresh: true) }
    }

    /// Indexes `r` at position `i`. `fresh` is false when `i` may already be listed (a merge).
    mutating func add(_ r: Resource, at i: Int, fresh: Bool) {
        byID[Resource.lookupKey(r.id)] = i
        addSecondary(r, at: i, fresh: fresh)
    }

    private mutating func addSecondary(_ r: Resource, at i: Int, fresh: Bool) {
        @inline(__always)
        func put(_ key: String, _ table: inout [String: Positions]) {
            if fresh { table[key, default: Positions()].append(i) } else { table[key, default: Positions()].insert(i) }
        }
        for alias in r.aliases { put(Resource.lookupKey(alias), &byAlias) }
        if let t = r.type { put(t.lowercased(), &byType) }
        if let k = r.kind { put(k.lowercased(), &byKind) }
        if let ns = r.namespace { put(ns, &byNamespace) }
        if let c = r.cluster { put(c, &byCluster) }
        if let n = r.name { put(n, &byName) }
        for (k, v) in r.labels {
            put(k, &byLabelKey)
            put(k + "=" + v, &byLabel)
        }
    }

    /// The candidate positions for `query` from its most selective indexed field; `nil` when the
    /// query sets no indexed field.
    func candidates(for query: ResourceQuery) -> Positions? {
        var best: Positions?
        func consider(_ list: Positions?) {
            let list = list ?? Positions()
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
