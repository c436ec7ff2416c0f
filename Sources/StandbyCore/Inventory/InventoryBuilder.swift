/// Builds an ``Inventory`` from documents handed over one at a time: what a live connector reads
/// from an API (an EKS `DescribeCluster` answer, an ARM resource, a Kubernetes List page) goes
/// through the same shape recognition as the files ``InventoryLoader`` reads, so an inventory
/// from files and one from live APIs are interchangeable.
///
/// ```swift
/// var builder = InventoryBuilder()
/// builder.addCluster(Cluster(name: "prod", cloud: .aws))
/// try builder.add(describeClusterAnswer, source: SourceRef(path: "aws://eks.us-east-1/clusters/prod"))
/// let inventory = builder.finish()
/// ```
public struct InventoryBuilder {
    private var session = LoadSession()
    private var gaps: [InventoryGap] = []

    public init() {}

    /// Adds a cluster (a later one with the same name replaces a bare earlier one).
    public mutating func addCluster(_ cluster: Cluster) { session.addCluster(cluster) }

    /// Adds one document of any shape ``InventoryLoader`` accepts; Kubernetes objects are filed
    /// under `options.cluster`.
    /// - Throws: ``InventoryLoadError`` when the shape is not recognised, naming `source`.
    public mutating func add(_ document: JSONValue, source: SourceRef, options: LoadOptions = LoadOptions()) throws {
        try session.dispatch(document, source: source, options: options)
    }

    /// Reads files and folders as ``InventoryLoader/load(paths:options:)`` does.
    public mutating func load(paths: [String], options: LoadOptions = LoadOptions()) throws {
        if let cluster = options.cluster { session.addCluster(Cluster(name: cluster)) }
        for path in paths { try session.load(path: path, options: options) }
    }

    /// Records a note (something skipped, something a connector could not read).
    public mutating func addNote(_ note: String) { session.addNote(note) }

    /// Records something a connector could not read (a partial discovery), and a note saying so:
    /// the inventory is partial.
    public mutating func addGap(_ gap: InventoryGap) {
        gaps.append(gap)
        session.addNote(gap.description)
    }

    /// The inventory: custom kinds scoped by the CRDs added, clusters linked to their control planes.
    public mutating func finish() -> Inventory {
        var inventory = session.finish()
        for gap in gaps { inventory.addGap(gap) }
        return inventory
    }
}
