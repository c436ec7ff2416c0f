/// Deletes the EBS snapshots and copies of the points a prune deleted (``PruneReport/volumes``),
/// through ``EBSVolumeSnapshots/deleteSnapshots(ofPrunedPoints:immutable:)``: found by their point
/// tag in `session`'s region (where the snapshots were taken) and in each copy's region; and the
/// Azure disks' snapshots and copies by the ARM ids the points recorded
/// (``AzureDiskSnapshots/delete(_:client:)``); never those of an `immutable` point.
public enum VolumeSnapshotPrune {
    /// What was deleted, by point, and what could not be, by point (the error).
    public struct Outcome: Sendable, Equatable {
        public var deleted: [String: [String]] = [:]
        public var failed: [String: String] = [:]

        public init() {}
    }

    public static func run(_ report: PruneReport, session: AWSSession, immutable: Set<String>) -> Outcome {
        var outcome = Outcome()
        for (point, all) in report.volumes.sorted(by: { $0.key < $1.key }) where !immutable.contains(point) {
            let records = all.filter { !$0.isAzureDisk }
            for region in Set(records.map(\.copyRegion)).sorted() {
                do {
                    let ids = try EBSVolumeSnapshots(session: session, recoveryRegion: region)
                        .deleteSnapshots(ofPrunedPoints: [point], immutable: immutable)
                    outcome.deleted[point, default: []] += ids
                } catch {
                    outcome.failed[point] = "\(error)"
                }
            }
        }
        return outcome
    }

    /// The Azure disks' snapshots and copies of the pruned points, through `client`.
    public static func run(_ report: PruneReport, client: ARMClient, immutable: Set<String>) -> Outcome {
        var outcome = Outcome()
        for (point, records) in report.volumes.sorted(by: { $0.key < $1.key }) where !immutable.contains(point) {
            let disks = records.filter(\.isAzureDisk)
            guard !disks.isEmpty else { continue }
            do {
                outcome.deleted[point, default: []] += try AzureDiskSnapshots.delete(disks, client: client)
            } catch {
                outcome.failed[point] = "\(error)"
            }
        }
        return outcome
    }
}
