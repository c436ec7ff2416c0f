/// The cloud storage behind a PersistentVolume, as far as Standby protects its data.
public enum VolumeKind: String, Sendable, Hashable, CaseIterable {
    /// An Azure managed disk (`disk.csi.azure.com`, in-tree `azureDisk`): snapshot, copy, disk from the copy.
    case azureDisk = "azure-disk"
    /// An EBS volume (`ebs.csi.aws.com`, in-tree `awsElasticBlockStore`): snapshot, copy, volume from the copy.
    case ebs = "ebs"
    /// An EFS file system (`efs.csi.aws.com`): replicated by EFS replication, a step for a person.
    case efs = "efs"
    /// An Azure file share (`file.csi.azure.com`, in-tree `azureFile`): copied with AzCopy, a step for a person.
    case azureFiles = "azure-files"

    /// Whether Standby snapshots and copies it itself (block volumes), rather than writing a step for a person.
    public var isSnapshotted: Bool { self == .azureDisk || self == .ebs }

    /// For reports: `Azure disk`, `EBS volume`…
    public var label: String {
        switch self {
        case .azureDisk: "Azure disk"
        case .ebs: "EBS volume"
        case .efs: "EFS file system"
        case .azureFiles: "Azure file share"
        }
    }
}
