import Foundation

/// How the recovery plan brings one PersistentVolume's data back.
public struct VolumeRestore: Sendable {
    /// What the plan does for the volume.
    public enum Action: Sendable, Hashable {
        /// Create the recovery volume from this copy in the recovery region.
        case fromCopy
        /// No usable copy in the recovery region: a person must act; the plan creates no volume (never an empty one).
        case needsPerson
        /// A file system Standby does not copy itself (EFS, Azure Files): the replication step is written for a person.
        case replication
    }

    /// The PersistentVolume's source id (`k8s://…`).
    public var pv: String
    /// `cluster/name` of the PersistentVolume, for reports.
    public var display: String
    public var cluster: String
    public var source: PersistentVolumeSource
    public var action: Action
    /// The inventory id of the cloud volume (the disk's ARM id, the EBS volume's ARN), when the inventory holds it.
    public var volumeResource: String?
    /// The copy it is created from (``Action/fromCopy``).
    public var copy: SnapshotCopy?
    /// Newer copies not complete yet (a copy still running, or one that failed): not used, reported.
    public var skippedCopies: [SnapshotCopy]
    /// The recovery volume: the ARM id of the disk the template creates; nil for EBS (AWS assigns the `vol-` id).
    public var recoveryVolume: String?
    /// The zone the recovery volume is created in (`1` for Azure, `us-west-2a` for EBS).
    public var recoveryZone: String?
    /// What a person must know or do: why there is no copy, the replication request, an assumed zone.
    public var message: String

    public init(pv: String, display: String, cluster: String, source: PersistentVolumeSource, action: Action,
                copy: SnapshotCopy? = nil, skippedCopies: [SnapshotCopy] = [], recoveryVolume: String? = nil,
                recoveryZone: String? = nil, message: String = "") {
        self.pv = pv; self.display = display; self.cluster = cluster; self.source = source; self.action = action
        self.copy = copy; self.skippedCopies = skippedCopies; self.recoveryVolume = recoveryVolume
        self.recoveryZone = recoveryZone; self.message = message
    }

    /// Seconds between the snapshot and `now`: the data a failover now would lose (the point's RPO for this volume).
    public func age(at now: Date) -> TimeInterval? {
        guard let taken = copy?.taken else { return nil }
        return now.timeIntervalSince(taken)
    }

    /// The placeholder an EBS PersistentVolume's handle holds until the volume exists: `plan:apply`
    /// replaces it with the `VolumeId` CreateVolume returns.
    public var pendingHandle: String { Self.pendingPrefix + display }

    /// What an EBS PersistentVolume's handle starts with until `plan:apply` knows its volume.
    public static let pendingPrefix = "pending:CreateVolume:"
    /// Tag on the volume a `CreateVolume` step makes, naming the PersistentVolume (`cluster/name`)
    /// it is for: with ``SnapshotCopy/pointTag`` it finds the volume again on a re-run.
    public static let pvTag = "standby-pv"
}
