import Foundation

/// The recovery points of a store: listing, immutability, deletion and retention.
///
/// **The `IMMUTABLE` marker.** `<id>/IMMUTABLE` is deliberately outside the signed manifest: a
/// point is signed once, when it is captured, by the capturing side's key, while the decision to
/// keep it (a point taken before a release, one a drill restored) comes later and is made by
/// whoever runs the catalog, who need not hold the signing key. Putting it in the manifest would
/// mean re-signing, and would let whoever can sign rewrite history. The marker changes nothing
/// that is restored (restores verify the signature and digests whatever it says); it only tells
/// ``delete(_:)`` and ``prune(_:now:)`` to refuse the point. Its protection is the store's own:
/// the catalog honours it, and deployments that must survive a hostile operator put the points
/// under S3 Object Lock (compliance mode) or a bucket policy / file system permissions that deny
/// deleting the marker and the point's keys. The marker records the SHA-256 of the manifest it
/// was set against, so it cannot be mistaken for a marker of another point with the same id.
public struct PointCatalog: Sendable {
    public let store: any PointStore

    public init(store: any PointStore) { self.store = store }

    /// Keys (relative to the point's folder) of every point in the store, by point id.
    func points() throws -> [String: [String]] {
        var out: [String: [String]] = [:]
        for key in try store.list(prefix: "") {
            guard let slash = key.firstIndex(of: "/") else { continue }
            out[String(key[..<slash]), default: []].append(String(key[key.index(after: slash)...]))
        }
        return out
    }

    /// Every point, newest first (by creation time, then id). `complete` is whether
    /// `manifest.sig` is there; with `signingPublicPEM` every complete point is opened and fully
    /// verified (`verified` true or false), without it `verified` is nil.
    public func list(signingPublicPEM: String? = nil) throws -> [PointSummary] {
        var out: [PointSummary] = []
        for (id, keys) in try points() {
            out.append(try summary(id, keys: keys, signingPublicPEM: signingPublicPEM))
        }
        return out.sorted { ($0.created, $0.id) > ($1.created, $1.id) }
    }

    private func summary(_ id: String, keys: [String], signingPublicPEM: String?) throws -> PointSummary {
        let complete = keys.contains(PointFormat.signatureFile)
        let immutable = keys.contains(PointFormat.immutableFile)
        var verified: Bool? = nil
        if let pem = signingPublicPEM {
            if complete, (try? PointFormat.checkID(id)) != nil {
                do {
                    var s = try RecoveryPoint.open(id, in: store, signingPublicPEM: pem).summary
                    s.immutable = immutable
                    return s
                } catch is PointVerificationError {
                    verified = false
                }
            } else {
                verified = false
            }
        }
        // Unverified: what the manifest says, if there is one that reads.
        if keys.contains(PointFormat.manifestFile),
           let bytes = try? store.get(id + "/" + PointFormat.manifestFile),
           let json = try? JSONParser.parse(bytes, source: "manifest.json"),
           let manifest = try? PointManifest(json: json) {
            let sig = complete ? ((try? store.get(id + "/" + PointFormat.signatureFile))?.count ?? 0) : 0
            return PointSummary(id: id, clusters: manifest.clusters, created: manifest.created,
                                size: manifest.listedSize + bytes.count + sig, objects: manifest.objects.count,
                                complete: complete, verified: verified, immutable: immutable, gaps: manifest.gaps)
        }
        var size = 0
        for key in keys { size += (try? store.get(id + "/" + key))?.count ?? 0 }
        let objects = keys.filter { $0.hasPrefix("objects/") }.count
        return PointSummary(id: id, clusters: [], created: PointFormat.dateFromID(id).map(PointFormat.iso8601) ?? "",
                            size: size, objects: objects, complete: complete, verified: verified, immutable: immutable)
    }

    /// Marks a complete point immutable: ``delete(_:)`` and ``prune(_:now:)`` refuse it from then
    /// on. See the type's documentation for why the marker is outside the signed manifest.
    ///
    /// With `lock`, on a store that can lock keys (an S3 bucket with Object Lock), every object
    /// of the point is locked until the policy's date first (`manifest.sig` last) and the marker
    /// is written locked too: the store then refuses deletion, not only the catalog. The result
    /// says whether the lock was set, and why not.
    @discardableResult
    public func markImmutable(_ id: String, now: Date = Date(), lock: ObjectLockPolicy? = nil) throws -> ImmutableMarking {
        try PointFormat.checkID(id)
        let manifest: [UInt8]
        do {
            _ = try store.get(id + "/" + PointFormat.signatureFile)
            manifest = try store.get(id + "/" + PointFormat.manifestFile)
        } catch StoreError.notFound {
            throw RecoveryPointError("recovery point \(id) is incomplete or missing in \(store.url): only a complete point can be made immutable")
        }
        let marker = PointFormat.obj([
            ("point", .string(id)), ("manifestSHA256", .string(Digest.sha256(manifest))), ("marked", .string(PointFormat.iso8601(now))),
        ])
        let locked = try lockPoint(id, lock, now: now)
        try locked.store.put(id + "/" + PointFormat.immutableFile, PointFormat.bytes(marker, pretty: true))
        return ImmutableMarking(id: id, lockedUntil: locked.enforced ? lock.map { $0.retainUntil(from: now) } : nil, note: locked.note)
    }

    /// Deletes a point: `manifest.sig` first (so a half-deleted point is never restorable), then
    /// `manifest.json`, then everything else. Refuses an immutable point and an unknown id.
    public func delete(_ id: String) throws {
        try PointFormat.checkID(id)
        let keys = try store.list(prefix: id + "/").map { String($0.dropFirst(id.count + 1)) }
        guard !keys.isEmpty else { throw RecoveryPointError("no recovery point \(id) in \(store.url)") }
        guard !keys.contains(PointFormat.immutableFile) else {
            throw RecoveryPointError("recovery point \(id) is immutable: it cannot be deleted")
        }
        if let locking = store as? ObjectLockingStore, try locking.objectLockEnabled(),
           let retention = try locking.retention(of: id + "/" + (keys.contains(PointFormat.signatureFile) ? PointFormat.signatureFile : keys[0])),
           retention.holds(at: Date()) {
            throw RecoveryPointError("recovery point \(id) is under a \(retention.mode.rawValue.lowercased()) Object Lock until \(PointFormat.iso8601(retention.retainUntil)): it cannot be deleted before then")
        }
        try remove(id, keys: keys)
    }

    private func remove(_ id: String, keys: [String]) throws {
        let first = [PointFormat.signatureFile, PointFormat.manifestFile]
        for key in first where keys.contains(key) { try store.delete(id + "/" + key) }
        for key in keys where !first.contains(key) { try store.delete(id + "/" + key) }
    }

    /// Applies `policy` at time `now` and deletes what it does not keep; returns the pruned ids,
    /// newest first.
    ///
    /// Complete points are grouped by their set of clusters; in each group the newest
    /// `keepLast` are kept, plus the newest point of each of the last `keepDailyDays` UTC days
    /// (today included). Immutable points are always kept. Incomplete points (no `manifest.sig`)
    /// are pruned once they are more than a day old (by the manifest's creation time, or the time
    /// in a default id); younger ones, or ones whose age cannot be told, may still be being
    /// written and are kept.
    public func prune(_ policy: RetentionPolicy, now: Date) throws -> [String] {
        try pruneReport(policy, now: now).pruned
    }

    /// ``prune(_:now:)`` with what it kept because the store locks it: a point whose
    /// `manifest.sig` (or, incomplete, first key) is under an S3 Object Lock retention that has
    /// not passed is never deleted, whatever the policy says (S3 would only hide it behind a
    /// delete marker). The newest `keepWeeklyWeeks` ISO weeks (UTC, Monday first) keep their
    /// newest point too.
    public func pruneReport(_ policy: RetentionPolicy, now: Date) throws -> PruneReport {
        let all = try list(signingPublicPEM: nil)
        var prune: [String] = []
        var groups: [[String]: [PointSummary]] = [:]
        for p in all {
            if p.complete { groups[p.clusters, default: []].append(p); continue }
            if p.immutable { continue }
            let created = PointFormat.parseISO8601(p.created) ?? PointFormat.dateFromID(p.id)
            if let created, now.timeIntervalSince(created) > 86_400 { prune.append(p.id) }
        }
        let calendar = PointFormat.utcCalendar
        let today = calendar.startOfDay(for: now)
        for (_, points) in groups {    // each newest first, as listed
            var keep = Set(points.prefix(max(0, policy.keepLast)).map(\.id))
            for d in 0..<max(0, policy.keepDailyDays) {
                guard let start = calendar.date(byAdding: .day, value: -d, to: today),
                      let end = calendar.date(byAdding: .day, value: 1, to: start) else { continue }
                if let newest = points.first(where: { p in
                    guard let c = PointFormat.parseISO8601(p.created) else { return false }
                    return c >= start && c < end
                }) { keep.insert(newest.id) }
            }
            keep.formUnion(RetentionPolicy.weeklyKeeps(points, weeks: policy.keepWeeklyWeeks, now: now))
            for p in points where !keep.contains(p.id) && !p.immutable { prune.append(p.id) }
        }
        let order = Dictionary(uniqueKeysWithValues: all.enumerated().map { ($0.element.id, $0.offset) })
        prune.sort { order[$0]! < order[$1]! }
        var pruned: [String] = []
        var locked: [PruneReport.Locked] = []
        var volumes: [String: [VolumeSnapshotRecord]] = [:]
        let locking = try (store as? ObjectLockingStore).flatMap { try $0.objectLockEnabled() ? $0 : nil }
        for id in prune {
            let keys = try store.list(prefix: id + "/").map { String($0.dropFirst(id.count + 1)) }
            guard !keys.contains(PointFormat.immutableFile) else { continue }    // marked meanwhile
            if let locking, let probe = keys.contains(PointFormat.signatureFile) ? PointFormat.signatureFile : keys.first,
               let retention = try locking.retention(of: id + "/" + probe), retention.holds(at: now) {
                locked.append(PruneReport.Locked(id: id, retention: retention))
                continue
            }
            if keys.contains(PointFormat.manifestFile), let bytes = try? store.get(id + "/" + PointFormat.manifestFile),
               let json = try? JSONParser.parse(bytes, source: "\(id)/\(PointFormat.manifestFile)"),
               let manifest = try? PointManifest(json: json), !manifest.volumes.isEmpty {
                volumes[id] = manifest.volumes
            }
            try remove(id, keys: keys)
            pruned.append(id)
        }
        return PruneReport(pruned: pruned, locked: locked, kept: all.count - pruned.count, volumes: volumes)
    }
}
