/// The Azure resources of a subscription, read live from ARM: every resource of the chosen
/// resource groups in full (a GET by id), each managed cluster's agent pools, and a ``Cluster``
/// for each managed cluster. Each answer goes to the ``InventoryBuilder`` in the shape ARM returns
/// it, so the inventory is the one the same documents would make from files.
///
/// A resource whose properties cannot be read (no api-version is known for its type) fails the
/// discovery with an ``IncompleteDiscoveryError`` naming every such resource, unless ``partial``
/// is set: then it is kept as listed (without properties) and recorded as an ``InventoryGap``.
public struct AzureDiscovery: InventorySource, Sendable {
    /// The client requests go through (its settings' subscription is not used: ``subscription`` is).
    public let client: ARMClient
    /// The subscription whose resource groups are read.
    public let subscription: String
    /// The resource groups to read; nil reads every resource group of the subscription.
    public let resourceGroups: [String]?
    /// Whether a resource whose properties cannot be read becomes a gap on the inventory (true)
    /// rather than an error (false, the default).
    public let partial: Bool

    /// A discovery of `resourceGroups` (nil: every resource group) of `subscription`.
    public init(client: ARMClient, subscription: String, resourceGroups: [String]? = nil, partial: Bool = false) {
        self.client = client
        self.subscription = subscription
        self.resourceGroups = resourceGroups
        self.partial = partial
    }

    /// Reads each resource group in turn (`listing resource group rg-x`, done/total by groups).
    /// - Throws: ``ARMError`` or ``AzureTokenError`` from the first request that failed;
    ///   ``IncompleteDiscoveryError`` when a resource's properties could not be read (unless ``partial``).
    public func collect(into builder: inout InventoryBuilder, progress: any ProgressReporter) throws {
        let groups = try resourceGroups
            ?? client.listResourceGroups(subscription: subscription).compactMap { $0["name"]?.stringValue }
        var gaps: [InventoryGap] = []
        for (index, group) in groups.enumerated() {
            progress.update("listing resource group \(group)", done: index, total: groups.count)
            let listing = try client.listing(subscription: subscription, resourceGroup: group)
            gaps += listing.unread.map { InventoryGap(source: "azure subscription \(subscription)", what: $0.id, reason: $0.reason) }
            for resource in listing.resources {
                guard let id = resource["id"]?.stringValue else { continue }
                try builder.add(resource, source: SourceRef(path: sourcePath(id)))
                if resource["type"]?.stringValue?.lowercased() == ARMResourceTypes.managedClusters.lowercased(),
                   let name = resource["name"]?.stringValue {
                    builder.addCluster(Cluster(name: name, cloud: .azure, controlPlaneID: ARMResourceID(id)?.description ?? id))
                }
            }
        }
        progress.update("listing resource groups", done: groups.count, total: groups.count)
        progress.finish()
        guard partial || gaps.isEmpty else { throw IncompleteDiscoveryError(gaps: gaps) }
        for gap in gaps { builder.addGap(gap) }
    }

    /// `https://management.azure.com/subscriptions/…`: where the document was read.
    private func sourcePath(_ id: String) -> String {
        var base = client.settings.endpoint
        while base.hasSuffix("/") { base.removeLast() }
        return base + id
    }
}
