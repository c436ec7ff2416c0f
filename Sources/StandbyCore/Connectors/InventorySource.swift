/// Somewhere an inventory comes from: files on disk (``FileInventorySource``) or a live API
/// (`AWSDiscovery`, `KubernetesDiscovery`, `AzureDiscovery`). Each hands its documents to an
/// ``InventoryBuilder``, so the engines downstream cannot tell them apart, and several sources
/// (an EKS account and the Kubernetes cluster inside it) combine into one inventory.
public protocol InventorySource {
    /// Adds every document the source holds to `builder`, reporting how far it got.
    func collect(into builder: inout InventoryBuilder, progress: any ProgressReporter) throws
}

extension InventorySource {
    /// The inventory of this source alone.
    public func inventory(progress: any ProgressReporter = SilentProgress()) throws -> Inventory {
        var builder = InventoryBuilder()
        try collect(into: &builder, progress: progress)
        return builder.finish()
    }
}

/// Several sources, collected in order into one inventory.
public func collectInventory(_ sources: [any InventorySource], progress: any ProgressReporter = SilentProgress()) throws -> Inventory {
    var builder = InventoryBuilder()
    for source in sources { try source.collect(into: &builder, progress: progress) }
    return builder.finish()
}

/// Files and folders, read as ``InventoryLoader`` reads them.
public struct FileInventorySource: InventorySource {
    public var paths: [String]
    public var options: LoadOptions

    public init(paths: [String], options: LoadOptions = LoadOptions()) {
        self.paths = paths
        self.options = options
    }

    public func collect(into builder: inout InventoryBuilder, progress: any ProgressReporter) throws {
        try builder.load(paths: paths, options: options)
    }
}
