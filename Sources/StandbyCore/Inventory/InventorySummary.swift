/// Counts of what an ``Inventory`` holds: by cloud type, by Kubernetes kind, and per cluster.
public struct InventorySummary: Sendable, Equatable, CustomStringConvertible {
    /// What one cluster holds.
    public struct ClusterCounts: Sendable, Equatable {
        /// Kubernetes objects in the cluster.
        public var objects: Int
        /// Objects by kind.
        public var byKind: [String: Int]
    }

    /// Number of resources.
    public var total: Int
    /// Cloud resources by type (canonical case).
    public var byType: [String: Int]
    /// Kubernetes objects by kind, across clusters.
    public var byKind: [String: Int]
    /// Per cluster name.
    public var byCluster: [String: ClusterCounts]
    /// Number of notes recorded while loading.
    public var notes: Int

    public init(_ inventory: Inventory) {
        total = inventory.count
        byType = [:]
        byKind = [:]
        byCluster = [:]
        for c in inventory.clusters { byCluster[c.name] = ClusterCounts(objects: 0, byKind: [:]) }
        for r in inventory.resources {
            if let t = r.type { byType[t, default: 0] += 1 }
            if let k = r.kind {
                byKind[k, default: 0] += 1
                if let c = r.cluster {
                    byCluster[c, default: ClusterCounts(objects: 0, byKind: [:])].objects += 1
                    byCluster[c]!.byKind[k, default: 0] += 1
                }
            }
        }
        notes = inventory.notes.count
    }

    /// A plain-text report, sorted by name:
    /// ```
    /// 27 resources, 1 note
    /// cloud types:
    ///   3  AWS::EKS::Nodegroup
    /// kinds:
    ///   12 Deployment
    /// cluster aks-prod: 23 objects
    ///   12 Deployment
    /// ```
    public var description: String {
        var lines = ["\(total) resource\(total == 1 ? "" : "s"), \(notes) note\(notes == 1 ? "" : "s")"]
        func counts(_ table: [String: Int]) {
            let width = String(table.values.max() ?? 0).count
            for (name, n) in table.sorted(by: { $0.key < $1.key }) {
                let num = String(n)
                lines.append("  " + num + String(repeating: " ", count: width - num.count + 1) + name)
            }
        }
        if !byType.isEmpty { lines.append("cloud types:"); counts(byType) }
        if !byKind.isEmpty { lines.append("kinds:"); counts(byKind) }
        for (name, c) in byCluster.sorted(by: { $0.key < $1.key }) {
            lines.append("cluster \(name): \(c.objects) object\(c.objects == 1 ? "" : "s")")
            counts(c.byKind)
        }
        return lines.joined(separator: "\n")
    }
}
