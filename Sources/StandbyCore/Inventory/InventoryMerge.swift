extension Inventory {
    /// This inventory and `other` as one: what live discovery of a cloud account and of the
    /// Kubernetes cluster inside it give separately.
    ///
    /// Resources with the same id merge as loading merges them (later top-level keys win, with a
    /// note). Clusters of the same name become one, keeping the one that knows its control plane
    /// (or its cloud); each is then linked to its control-plane resource, which may have come from
    /// the other inventory.
    public func merging(_ other: Inventory) -> Inventory {
        var clusters = self.clusters
        for cluster in other.clusters {
            if let i = clusters.firstIndex(where: { $0.name == cluster.name }) {
                let mine = clusters[i]
                if mine.controlPlaneID == nil && (cluster.controlPlaneID != nil || mine.cloud == .unknown) {
                    clusters[i] = cluster
                }
            } else {
                clusters.append(cluster)
            }
        }
        var merged = Inventory(resources: resources + other.resources, clusters: clusters, notes: notes + other.notes,
                               gaps: gaps + other.gaps)
        merged.linkClusters()
        return merged
    }
}
