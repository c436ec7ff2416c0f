import Foundation

/// What ``PointCatalog/pruneReport(_:now:)`` did: the points it deleted, newest first, and those
/// the policy would have deleted but the store locks (S3 Object Lock) until a later date.
public struct PruneReport: Sendable, Equatable {
    public struct Locked: Sendable, Equatable {
        public var id: String
        public var retention: ObjectRetention
    }

    public var pruned: [String]
    public var locked: [Locked]
    /// Points left in the store (complete or not).
    public var kept: Int
    /// The volume snapshots each pruned point recorded (its manifest's `volumes`, read before the
    /// point was deleted): ``VolumeSnapshotPrune`` deletes them.
    public var volumes: [String: [VolumeSnapshotRecord]] = [:]
}

/// What ``PointCatalog/markImmutable(_:now:lock:)`` did.
public struct ImmutableMarking: Sendable, Equatable {
    public var id: String
    /// The date until which the store refuses to delete the point's objects; nil when it was not
    /// locked (no policy, or a store that cannot lock: see `note`).
    public var lockedUntil: Date?
    /// Why the store does not enforce it, when it does not.
    public var note: String?
}

extension RetentionPolicy {
    /// The ids of the newest point in each of the last `weeks` ISO weeks (UTC; the current week
    /// included). `points` are newest first.
    static func weeklyKeeps(_ points: [PointSummary], weeks: Int, now: Date) -> Set<String> {
        guard weeks > 0 else { return [] }
        var calendar = PointFormat.utcCalendar
        calendar.firstWeekday = 2          // ISO 8601: Monday
        calendar.minimumDaysInFirstWeek = 4
        guard let thisWeek = calendar.dateInterval(of: .weekOfYear, for: now)?.start else { return [] }
        var keep: Set<String> = []
        for w in 0..<weeks {
            guard let start = calendar.date(byAdding: .day, value: -7 * w, to: thisWeek),
                  let end = calendar.date(byAdding: .day, value: 7, to: start) else { continue }
            if let newest = points.first(where: { p in
                guard let c = PointFormat.parseISO8601(p.created) else { return false }
                return c >= start && c < end
            }) { keep.insert(newest.id) }
        }
        return keep
    }
}

extension PointCatalog {
    /// Locks every object of point `id` under `policy` (on a store that can), `manifest.sig` last
    /// so a locked signature means a wholly locked point; returns the store the marker is
    /// written through (locking too) and what was enforced.
    func lockPoint(_ id: String, _ policy: ObjectLockPolicy?, now: Date) throws -> LockedStore {
        let locked = try StoreLocking.apply(policy, to: store, now: now)
        guard locked.enforced, let policy, let locking = store as? ObjectLockingStore else { return locked }
        let retention = ObjectRetention(mode: policy.mode, retainUntil: policy.retainUntil(from: now))
        let keys = try store.list(prefix: id + "/")
        let signature = id + "/" + PointFormat.signatureFile
        for key in keys where key != signature { try extend(locking, key, to: retention) }
        try extend(locking, signature, to: retention)
        return locked
    }

    /// Sets `retention` on `key` unless it is locked longer already (a lock is never shortened).
    private func extend(_ locking: ObjectLockingStore, _ key: String, to retention: ObjectRetention) throws {
        if let current = try locking.retention(of: key), current.retainUntil >= retention.retainUntil { return }
        try locking.setRetention(key, retention)
    }
}
