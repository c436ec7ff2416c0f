/// The EBS volumes an EKS plan's `CreateVolume` steps made (or found from an earlier run), by the
/// PersistentVolume they are for (`cluster/name`), and the PersistentVolumes whose volume could
/// not be made, with why. ``PendingVolumeFill`` writes them into the PersistentVolume manifests.
public struct EBSVolumeHandles: Sendable, Equatable {
    /// PersistentVolume (`cluster/name`) → the new `vol-` id.
    public var created: [String: String] = [:]
    /// PersistentVolume (`cluster/name`) → why its volume was not made.
    public var failed: [String: String] = [:]

    public init(created: [String: String] = [:], failed: [String: String] = [:]) {
        self.created = created; self.failed = failed
    }

    public mutating func merge(_ other: EBSVolumeHandles) {
        created.merge(other.created) { _, new in new }
        failed.merge(other.failed) { _, new in new }
    }
}

/// What ``EKSRestore/run(_:progress:)`` did: one record per request, and the EBS volumes.
public struct EKSApplyResult: Sendable {
    public var report = ApplyReport()
    public var volumes = EBSVolumeHandles()

    public init() {}
}
