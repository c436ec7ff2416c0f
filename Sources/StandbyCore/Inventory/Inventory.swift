/// Everything Standby captured: cloud resources and Kubernetes objects, indexed for lookups.
///
/// A value type: an inventory is loaded once, then read (often from several places, including the
/// Lua host), so an immutable, `Sendable` snapshot with copy-on-write storage is the simplest
/// thing that is safe to share. Adding resources later (``add(_:)``) is supported and keeps the
/// indexes current.
///
/// Resources keep load order. Adding a resource whose id is already present shallow-merges it
/// into the existing one (the newer document's top-level keys win) and records a note naming both
/// sources.
public struct Inventory: Sendable {
    /// Every resource, in load order.
    public private(set) var resources: [Resource]
    /// The Kubernetes clusters of the estate.
    public private(set) var clusters: [Cluster]
    /// Warnings and remarks gathered while loading (duplicate ids merged, objects skipped …).
    public private(set) var notes: [String]
    /// What its sources could not read (a partial discovery); empty when the inventory is whole.
    /// A recovery point captured from an inventory with gaps is marked partial.
    public private(set) var gaps: [InventoryGap]
    private var index: InventoryIndex

    /// An inventory of `resources` (duplicates merged, with notes), `clusters`, `notes` and `gaps`.
    public init(resources: [Resource] = [], clusters: [Cluster] = [], notes: [String] = [], gaps: [InventoryGap] = []) {
        self.clusters = clusters
        self.notes = notes
        self.gaps = gaps
        var byID: [String: Int] = [:]
        byID.reserveCapacity(resources.count)
        // Compacts in place: shares `resources`' storage until the first duplicate is merged.
        var unique = resources
        var kept = 0
        for n in resources.indices {
            let key = Resource.lookupKey(resources[n].id)
            if let at = byID[key] {
                let (merged, note) = Self.merge(unique[at], resources[n])
                unique[at] = merged
                self.notes.append(note)
            } else {
                byID[key] = kept
                if kept != n { unique[kept] = resources[n] }
                kept += 1
            }
        }
        if kept < unique.count { unique.removeLast(unique.count - kept) }
        self.resources = unique
        self.index = InventoryIndex(unique, byID: byID)
    }

    /// Number of resources.
    public var count: Int { resources.count }

    /// Adds a resource, merging it into an existing one with the same id.
    public mutating func add(_ resource: Resource) {
        if let at = index.byID[Resource.lookupKey(resource.id)] {
            let (merged, note) = Self.merge(resources[at], resource)
            resources[at] = merged
            notes.append(note)
            index.add(merged, at: at, fresh: false)
        } else {
            resources.append(resource)
            index.add(resource, at: resources.count - 1, fresh: true)
        }
    }

    /// Adds a cluster, replacing one with the same name.
    public mutating func addCluster(_ cluster: Cluster) {
        if let i = clusters.firstIndex(where: { $0.name == cluster.name }) { clusters[i] = cluster } else { clusters.append(cluster) }
    }

    /// Records a note.
    public mutating func addNote(_ note: String) { notes.append(note) }

    /// Records something a source could not read: the inventory is partial from then on.
    public mutating func addGap(_ gap: InventoryGap) { gaps.append(gap) }

    /// Whether a source could not read everything (``gaps`` is not empty).
    public var isPartial: Bool { !gaps.isEmpty }

    /// The cluster called `name`.
    public func cluster(named name: String) -> Cluster? { clusters.first { $0.name == name } }

    // MARK: - Lookups

    /// The resource known by `id`: its canonical id (ARM IDs in any case and keyword spelling),
    /// one of its aliases (`subnet-…`, an EKS cluster name …), or a `k8s://` id.
    public func get(_ id: String) -> Resource? {
        position(of: id).map { resources[$0] }
    }

    /// The position in ``resources`` of the resource known by `id` (see ``get(_:)``).
    public func position(of id: String) -> Int? {
        if let i = index.byID[Resource.lookupKey(id)] { return i }
        if id.hasPrefix("/"), let arm = ARMResourceID(id), let i = index.byID[arm.key] { return i }
        if id.hasPrefix("k8s://"), let ref = KubeRef(id: id), let i = index.byID[ref.id] { return i }
        if let first = index.byAlias[Resource.lookupKey(id)]?.first { return first }
        return nil
    }

    /// Resources matching every field of `query`, in load order. Uses the most selective index
    /// among the fields set, then checks the rest.
    public func find(_ query: ResourceQuery) -> [Resource] {
        guard let candidates = index.candidates(for: query) else {
            return query.isEmpty ? resources : resources.filter(query.matches)
        }
        var out: [Resource] = []
        candidates.forEachPosition { i in
            if query.matches(resources[i]) { out.append(resources[i]) }
        }
        return out
    }

    /// Every Kubernetes object of `cluster`, in load order.
    public func resources(inCluster cluster: String) -> [Resource] {
        (index.byCluster[cluster] ?? Positions()).map { resources[$0] }
    }

    /// Counts by type, kind and cluster.
    public var summary: InventorySummary { InventorySummary(self) }

    // MARK: - Merging

    /// Shallow-merges `newer` into `older`: the newer document's top-level keys win, aliases,
    /// labels and tags are united, and the newer facts (name, type …) replace the older ones.
    static func merge(_ older: Resource, _ newer: Resource) -> (Resource, String) {
        var merged = newer
        merged.document = shallowMerge(older.document, newer.document)
        merged.aliases = older.aliases
        for a in newer.aliases where !merged.aliases.contains(a) { merged.aliases.append(a) }
        merged.labels = older.labels.merging(newer.labels) { $1 }
        merged.tags = older.tags.merging(newer.tags) { $1 }
        merged.region = newer.region ?? older.region
        merged.apiVersion = newer.apiVersion ?? older.apiVersion
        merged.name = newer.name ?? older.name
        let note = "duplicate id \(newer.id): \(newer.source) merged over \(older.source) (later top-level keys win)"
        return (merged, note)
    }

    /// `newer`'s keys set over `older`'s when both are objects; otherwise `newer`.
    static func shallowMerge(_ older: JSONValue, _ newer: JSONValue) -> JSONValue {
        guard case .object(var o) = older, case .object(let n) = newer else { return newer }
        for (k, v) in n.pairs { o[k] = v }
        return .object(o)
    }
}
