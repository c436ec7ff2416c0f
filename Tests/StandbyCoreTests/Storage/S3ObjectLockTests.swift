import Foundation
import Testing
@testable import StandbyCore
import StandbyTestSupport

/// A store on the shared moto server in a new bucket, created with Object Lock or without.
private func lockStore(objectLock: Bool, sourceLocation: SourceLocation = #_sourceLocation) throws -> S3Store? {
    guard let endpoint = MotoServer.endpoint(sourceLocation: sourceLocation) else { return nil }
    let bucket = "standby-lock-" + UUID().uuidString.lowercased().prefix(18)
    let store = S3Store(bucket: String(bucket), prefix: "points", region: "us-east-1", endpoint: endpoint,
                        credentials: AWSCredentials(accessKeyID: "testing", secretAccessKey: "testing"))
    try store.createBucketIfMissing(objectLock: objectLock)
    return store
}

@Suite("S3 Object Lock on a moto server: points written locked, prune and delete keep them")
struct S3ObjectLockTests {
    let policy = ObjectLockPolicy(mode: .governance, days: 3)

    @Test func aBucketSaysWhetherItHasObjectLock() throws {
        guard let locked = try lockStore(objectLock: true), let plain = try lockStore(objectLock: false) else { return }
        #expect(try locked.objectLockEnabled())
        #expect(try !plain.objectLockEnabled())
    }

    @Test func aPointCapturedUnderThePolicyHasEveryObjectLockedUntilItsDate() throws {
        guard let store = try lockStore(objectLock: true) else { return }
        let now = Date()
        let locked = try StoreLocking.apply(policy, to: store, now: now)
        #expect(locked.enforced && locked.note == nil)
        let summary = try RecoveryPointWriter.capture(PointTestSupport.tiny(), to: locked.store, options: PointTestSupport.options(now: now))
        let keys = try store.list(prefix: summary.id + "/")
        #expect(keys.count >= 3)
        for key in keys {
            let retention = try store.retention(of: key)
            #expect(retention?.mode == .governance, "\(key) is locked")
            #expect(retention.map { abs($0.retainUntil.timeIntervalSince(policy.retainUntil(from: now))) < 2 } == true, "\(key) until now + 3 days")
        }
    }

    @Test func pruneNeverDeletesALockedPointAndSaysSo() throws {
        guard let store = try lockStore(objectLock: true) else { return }
        let now = Date()
        // An old point written without a lock, then two locked ones.
        let old = try RecoveryPointWriter.capture(PointTestSupport.tiny(), to: store,
                                                  options: PointTestSupport.options(id: "20250101T000000Z-00000001", now: now.addingTimeInterval(-7200)))
        let lockedStore = try StoreLocking.apply(policy, to: store, now: now).store
        let first = try RecoveryPointWriter.capture(PointTestSupport.tiny(), to: lockedStore,
                                                    options: PointTestSupport.options(id: "20250101T000000Z-00000002", now: now.addingTimeInterval(-3600)))
        let newest = try RecoveryPointWriter.capture(PointTestSupport.tiny(), to: lockedStore,
                                                     options: PointTestSupport.options(id: "20250101T000000Z-00000003", now: now))
        let report = try PointCatalog(store: store).pruneReport(RetentionPolicy(keepLast: 1), now: now)
        #expect(report.pruned == [old.id], "the unlocked point beyond keep_last goes")
        #expect(report.locked.map(\.id) == [first.id], "the locked one is kept and reported")
        let left = Set(try PointCatalog(store: store).list().map(\.id))
        #expect(left == [first.id, newest.id])
        // Once its date has passed, the same policy prunes it.
        let later = try PointCatalog(store: store).pruneReport(RetentionPolicy(keepLast: 1), now: now.addingTimeInterval(4 * 86_400))
        #expect(later.pruned == [first.id])
        #expect(later.locked.isEmpty)
    }

    @Test func deletingALockedPointIsRefusedWithItsDate() throws {
        guard let store = try lockStore(objectLock: true) else { return }
        let lockedStore = try StoreLocking.apply(policy, to: store).store
        let point = try RecoveryPointWriter.capture(PointTestSupport.tiny(), to: lockedStore, options: PointTestSupport.options(now: Date()))
        #expect {
            try PointCatalog(store: store).delete(point.id)
        } throws: { error in
            "\(error)".contains("governance Object Lock until") && "\(error)".contains(point.id)
        }
        #expect(try store.list(prefix: point.id + "/").contains(point.id + "/manifest.sig"))
    }

    @Test func markingImmutableLocksEveryObjectNotOnlyTheMarker() throws {
        guard let store = try lockStore(objectLock: true) else { return }
        let point = try RecoveryPointWriter.capture(PointTestSupport.tiny(), to: store, options: PointTestSupport.options(now: Date()))
        for key in try store.list(prefix: point.id + "/") { #expect(try store.retention(of: key) == nil, "written unlocked") }
        let now = Date()
        let marking = try PointCatalog(store: store).markImmutable(point.id, now: now, lock: ObjectLockPolicy(mode: .compliance, days: 1))
        #expect(marking.lockedUntil != nil && marking.note == nil)
        let keys = try store.list(prefix: point.id + "/")
        #expect(keys.contains(point.id + "/IMMUTABLE"))
        for key in keys { #expect(try store.retention(of: key)?.mode == .compliance, "\(key) is locked") }
    }

    @Test func aBucketWithoutObjectLockWritesUnlockedAndSaysTheLockIsNotEnforced() throws {
        guard let store = try lockStore(objectLock: false) else { return }
        let locked = try StoreLocking.apply(policy, to: store)
        #expect(!locked.enforced)
        #expect(locked.note?.contains("has no Object Lock") == true && locked.note?.contains("NOT enforced") == true)
        let marking = try PointCatalog(store: store).markImmutable(
            try RecoveryPointWriter.capture(PointTestSupport.tiny(), to: store, options: PointTestSupport.options(now: Date())).id,
            lock: policy)
        #expect(marking.lockedUntil == nil && marking.note != nil)
    }

    @Test func aFolderStoreSaysItCannotEnforceImmutability() throws {
        let locked = try StoreLocking.apply(policy, to: FolderStore(path: PointTestSupport.tempRoot()))
        #expect(!locked.enforced)
        #expect(locked.note?.contains("a folder store cannot enforce immutability") == true)
    }
}

@Suite("Retention: weekly keeps")
struct WeeklyRetentionTests {
    @Test func theNewestPointOfEachOfTheLastWeeksIsKept() throws {
        let store = FolderStore(path: PointTestSupport.tempRoot())
        defer { try? FileManager.default.removeItem(atPath: store.path) }
        let noon = PointTestSupport.noon   // Tuesday 2026-11-24
        var ids: [String] = []
        for daysAgo in [0, 1, 6, 8, 15, 22, 29] {
            let at = noon.addingTimeInterval(-Double(daysAgo) * 86_400)
            ids.append(try RecoveryPointWriter.capture(PointTestSupport.tiny(), to: store,
                                                       options: PointTestSupport.options(id: "p\(daysAgo)", now: at)).id)
        }
        let report = try PointCatalog(store: store).pruneReport(RetentionPolicy(keepLast: 1, keepWeeklyWeeks: 3), now: noon)
        // Weeks (Monday first): this one (p0, p1) keeps p0; the last (p6 Wed 18th, p8 Mon 16th) keeps p6;
        // the one before (p15 Mon 9th) keeps p15. p22, p29 are older than three weeks; p1 and p8 are not the newest of theirs.
        #expect(Set(report.pruned) == ["p1", "p8", "p22", "p29"])
        #expect(Set(try PointCatalog(store: store).list().map(\.id)) == ["p0", "p6", "p15"])
    }
}
