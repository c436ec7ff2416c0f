/// Settings for ``InventoryLoader``.
public struct LoadOptions: Sendable, Hashable {
    /// The cluster Kubernetes objects belong to when no estate manifest says otherwise.
    public var cluster: String?
    /// AWS region used to build ARNs for aws-cli outputs that carry none (VPCs, launch templates …).
    public var region: String?
    /// AWS account used likewise (VPCs and security groups carry their own `OwnerId`).
    public var account: String?
    /// AWS partition for built ARNs.
    public var partition: String
    /// What an archive (a Velero backup `.tar.gz`) or a Velero backup folder may make the loader read.
    public var archiveLimits: ArchiveLimits

    public init(cluster: String? = nil, region: String? = nil, account: String? = nil, partition: String = "aws",
                archiveLimits: ArchiveLimits = ArchiveLimits()) {
        self.cluster = cluster
        self.region = region
        self.account = account
        self.partition = partition
        self.archiveLimits = archiveLimits
    }
}
