/// Deletes the EBS snapshots and copies of the points a prune deleted (``PruneReport/volumes``),
/// through ``EBSVolumeSnapshots/deleteSnapshots(ofPrunedPoints:immutable:)``: found by their point
/// tag in `session`'s region (where the snapshots were taken) and in each copy's region; never
/// those of an `immutable` point.
public enum VolumeSnapshotPrune {
    /// What was deleted, by point, and what could not be, by point (the error).
    public struct Outcome: Sendable, Equatable {
        public var deleted: [String: [String]] = [:]
        public var failed: [String: String] = [:]
    }

    public static func run(_ report: PruneReport, session: AWSSession, immutable: Set<String>) -> Outcome {
        var outcome = Outcome()
        for (point, records) in report.volumes.sorted(by: { $0.key < $1.key }) where !immutable.contains(point) {
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
}
