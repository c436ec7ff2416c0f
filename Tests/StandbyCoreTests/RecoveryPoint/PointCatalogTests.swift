import Foundation
import Testing
@testable import StandbyCore

/// Listing, immutability, deletion and retention, with pinned dates.
@Suite struct PointCatalogTests {
    typealias S = PointTestSupport
    static let hour: TimeInterval = 3600
    static let day: TimeInterval = 86_400

    /// Captures a tiny point `id` of `cluster` created `ago` seconds before noon.
    @discardableResult
    static func point(_ id: String, _ store: PointStore, ago: TimeInterval, cluster: String = "c1") throws -> PointSummary {
        try RecoveryPointWriter.capture(S.tiny(cluster: cluster), to: store, options: S.options(id: id, now: S.noon - ago))
    }

    static func withStore(_ body: (FolderStore) throws -> Void) throws {
        let store = FolderStore(path: S.tempRoot())
        defer { try? FileManager.default.removeItem(atPath: store.path) }
        try body(store)
    }

    static func ids(_ store: PointStore) throws -> [String] { try PointCatalog(store: store).list().map(\.id) }

    @Test func listsNewestFirstAndVerifiesWithAKey() throws {
        try Self.withStore { store in
            try Self.point("b", store, ago: 2 * Self.hour)
            try Self.point("a", store, ago: 1 * Self.hour, cluster: "c2")
            try Self.point("c", store, ago: 3 * Self.hour)
            let catalog = PointCatalog(store: store)
            let plain = try catalog.list()
            #expect(plain.map(\.id) == ["a", "b", "c"])
            #expect(plain.map(\.verified) == [nil, nil, nil])
            #expect(plain.map(\.clusters) == [["c2"], ["c1"], ["c1"]])
            #expect(plain[0].created == "2026-11-24T11:00:00Z" && plain[0].objects == 1 && plain[0].complete)
            try S.flipByte(store.path + "/b/objects/\(Digest.sha256(S.tiny().ids[0])).json")
            let checked = try catalog.list(signingPublicPEM: S.signing.publicPEM)
            #expect(checked.map(\.verified) == [true, false, true])
            #expect(checked.map(\.size) == plain.map(\.size))
            #expect(plain[0].size == (try store.list(prefix: "a/").reduce(0) { $0 + (try store.get($1)).count }))
        }
    }

    /// Found by fuzzing (`point-manifest`): the catalog adds up a manifest's sizes even for a point
    /// that fails verification, and sizes near 2^63 overflowed the sum and killed `points list`.
    @Test func aTamperedManifestWithHugeSizesIsListedUnverifiedInsteadOfCrashing() throws {
        try Self.withStore { store in
            try Self.point("a", store, ago: Self.hour)
            let path = store.path + "/a/manifest.json"
            let text = try String(contentsOfFile: path, encoding: .utf8)
            let tampered = text.replacing(try Regex(#""size": ?[0-9]+"#), with: #""size": 9223372036854775807"#)
            #expect(tampered != text)
            try tampered.write(toFile: path, atomically: true, encoding: .utf8)
            let listed = try PointCatalog(store: store).list(signingPublicPEM: S.signing.publicPEM)
            #expect(listed.map(\.id) == ["a"] && listed.map(\.verified) == [false])
            let stored = try store.list(prefix: "a/").reduce(0) { $0 + (try store.get($1)).count }
            #expect(listed.first?.size == stored)
            #expect(throws: PointFormat.FormatError.self) { try PointManifest(json: try JSONParser.parse(tampered)) }
        }
    }

    @Test func aNegativeSizeIsRefused() throws {
        try Self.withStore { store in
            try Self.point("a", store, ago: Self.hour)
            let text = try String(contentsOfFile: store.path + "/a/manifest.json", encoding: .utf8)
            let negative = text.replacing(try Regex(#""size": ?[0-9]+"#), with: #""size": -1"#)
            let error = #expect(throws: PointFormat.FormatError.self) { try PointManifest(json: try JSONParser.parse(negative)) }
            #expect(error?.message.contains("negative size") == true)
        }
    }

    @Test func deleteRemovesTheSignatureFirst() throws {
        try Self.withStore { folder in
            let store = RecordingStore(folder)
            try Self.point("p", store, ago: 0)
            try Self.point("q", store, ago: 0)
            try PointCatalog(store: store).delete("p")
            #expect(store.deleted.first == "p/manifest.sig")
            #expect(store.deleted.dropFirst().first == "p/manifest.json")
            #expect(store.deleted.count == 6)
            #expect(try Self.ids(store) == ["q"])
            #expect(throws: RecoveryPointError.self) { try PointCatalog(store: store).delete("p") }
        }
    }

    @Test func immutablePointsRefuseDeletion() throws {
        try Self.withStore { store in
            try Self.point("p", store, ago: 0)
            let catalog = PointCatalog(store: store)
            try catalog.markImmutable("p", now: S.noon)
            #expect(try catalog.list().first?.immutable == true)
            #expect(try RecoveryPoint.open("p", in: store, signingPublicPEM: S.signing.publicPEM).summary.immutable)
            #expect(throws: RecoveryPointError.self) { try catalog.delete("p") }
            #expect(try store.get("p/manifest.sig").count > 0)
            // Only complete points can be marked.
            try Self.point("q", store, ago: 0)
            try store.delete("q/manifest.sig")
            #expect(throws: RecoveryPointError.self) { try catalog.markImmutable("q") }
            let marker = try JSONParser.parse(try store.get("p/IMMUTABLE"))
            #expect(marker["manifestSHA256"]?.stringValue == Digest.sha256(try store.get("p/manifest.json")))
        }
    }

    @Test func keepLast() throws {
        try Self.withStore { store in
            for n in 1...5 { try Self.point("p\(n)", store, ago: Double(n) * Self.hour) }
            let pruned = try PointCatalog(store: store).prune(RetentionPolicy(keepLast: 3), now: S.noon)
            #expect(pruned == ["p4", "p5"])
            #expect(try Self.ids(store) == ["p1", "p2", "p3"])
            #expect(try store.list(prefix: "p4/").isEmpty)
        }
    }

    @Test func keepDaily() throws {
        try Self.withStore { store in
            // noon is 12:00 UTC: today 10:00 and 08:00, yesterday 20:00 and 09:00, two days ago, five days ago.
            try Self.point("t10", store, ago: 2 * Self.hour)
            try Self.point("t08", store, ago: 4 * Self.hour)
            try Self.point("y20", store, ago: 16 * Self.hour)
            try Self.point("y09", store, ago: 27 * Self.hour)
            try Self.point("d2", store, ago: 2 * Self.day)
            try Self.point("d5", store, ago: 5 * Self.day)
            let pruned = try PointCatalog(store: store).prune(RetentionPolicy(keepLast: 1, keepDailyDays: 3), now: S.noon)
            #expect(pruned == ["t08", "y09", "d5"])
            #expect(try Self.ids(store) == ["t10", "y20", "d2"])
        }
    }

    @Test func immutablePointsAreNeverPruned() throws {
        try Self.withStore { store in
            for n in 1...4 { try Self.point("p\(n)", store, ago: Double(n) * Self.day) }
            try PointCatalog(store: store).markImmutable("p4")
            let pruned = try PointCatalog(store: store).prune(RetentionPolicy(keepLast: 1), now: S.noon)
            #expect(pruned == ["p2", "p3"])
            #expect(try Self.ids(store) == ["p1", "p4"])
            #expect(try PointCatalog(store: store).prune(RetentionPolicy(keepLast: 0), now: S.noon) == ["p1"])
            #expect(try Self.ids(store) == ["p4"])
        }
    }

    @Test func oldIncompletePointsArePruned() throws {
        try Self.withStore { store in
            try Self.point("old", store, ago: 3 * Self.day)
            try Self.point("young", store, ago: 1 * Self.hour)
            try Self.point("done", store, ago: 5 * Self.day)
            try store.delete("old/manifest.sig")
            try store.delete("young/manifest.sig")
            // A capture that died before its manifest: dated by its default id.
            try store.put("20261120T000000Z-0badf00d/objects/x.json", Array("{}".utf8))
            try store.put("20261124T113000Z-0badf00d/objects/x.json", Array("{}".utf8))
            let listed = try PointCatalog(store: store).list()
            #expect(listed.filter { !$0.complete }.count == 4)
            let pruned = try PointCatalog(store: store).prune(RetentionPolicy(keepLast: 10), now: S.noon)
            #expect(Set(pruned) == ["old", "20261120T000000Z-0badf00d"])
            #expect(Set(try Self.ids(store)) == ["young", "done", "20261124T113000Z-0badf00d"])
        }
    }

    @Test func pointsAreGroupedPerClusterSet() throws {
        try Self.withStore { store in
            try Self.point("a1", store, ago: 1 * Self.hour, cluster: "a")
            try Self.point("a2", store, ago: 2 * Self.hour, cluster: "a")
            try Self.point("b1", store, ago: 3 * Self.hour, cluster: "b")
            try Self.point("b2", store, ago: 4 * Self.hour, cluster: "b")
            let pruned = try PointCatalog(store: store).prune(RetentionPolicy(keepLast: 1), now: S.noon)
            #expect(pruned == ["a2", "b2"])
            #expect(try Self.ids(store) == ["a1", "b1"])
        }
    }
}
