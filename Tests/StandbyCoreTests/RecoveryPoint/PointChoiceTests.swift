import Foundation
import Testing
@testable import StandbyCore

/// Which point a restore uses (`PointCatalog.newest`), and partial points: the newest point or
/// nothing, unless an older or a partial point is explicitly allowed.
@Suite struct PointChoiceTests {
    typealias S = PointTestSupport
    typealias C = PointCatalogTests
    static let hour: TimeInterval = 3600
    static let gap = InventoryGap(source: "kubernetes cluster c1", what: "apps/v1",
                                  reason: "its discovery document could not be read: GET https://127.0.0.1:6443/apis/apps/v1: 503 ServiceUnavailable")

    /// A tiny selection whose inventory has `gaps`, as a partial discovery leaves it.
    static func partialSelection(_ gaps: [InventoryGap] = [gap]) -> Selection {
        let whole = S.tiny()
        let inventory = Inventory(resources: whole.inventory.resources, clusters: whole.inventory.clusters, gaps: gaps)
        return inventory.select(whole.request)
    }

    static func tamper(_ store: FolderStore, _ id: String) throws {
        try S.flipByte(store.path + "/\(id)/objects/\(Digest.sha256(S.tiny().ids[0])).json")
    }

    @Test func theNewestPointIsUsedWhenItVerifies() throws {
        try C.withStore { store in
            try C.point("old", store, ago: 2 * Self.hour)
            try C.point("new", store, ago: 1 * Self.hour)
            let choice = try PointCatalog(store: store).newest(signingPublicPEM: S.signing.publicPEM)
            #expect(choice.point?.id == "new")
            #expect(choice.passedOver.isEmpty)
        }
    }

    @Test("a newest point that fails verification is refused, naming it and the check; no silent fall-back")
    func tamperedNewestIsRefusedNotSkipped() throws {
        try C.withStore { store in
            try C.point("old", store, ago: 2 * Self.hour)
            try C.point("new", store, ago: 1 * Self.hour)
            try Self.tamper(store, "new")
            let catalog = PointCatalog(store: store)
            let error = #expect(throws: NewestPointRefusedError.self) { try catalog.newest(signingPublicPEM: S.signing.publicPEM) }
            #expect(error?.refusal.id == "new")
            #expect(error?.refusal.check == "fails verification")
            #expect(error?.refusal.detail == "object \(S.tiny().ids[0]): digest mismatch")
            #expect(error?.older == "old")
            #expect(error?.description.hasPrefix("the newest recovery point new fails verification: object ") == true, "\(String(describing: error))")

            let allowed = try catalog.newest(signingPublicPEM: S.signing.publicPEM, allowOlder: true)
            #expect(allowed.point?.id == "old")
            #expect(allowed.passedOver.map(\.id) == ["new"])
            #expect(allowed.passedOver.first?.check == "fails verification")
        }
    }

    @Test("an incomplete newest point (no manifest.sig) is refused too")
    func incompleteNewestIsRefused() throws {
        try C.withStore { store in
            try C.point("old", store, ago: 2 * Self.hour)
            try C.point("new", store, ago: 1 * Self.hour)
            try store.delete("new/manifest.sig")
            let error = #expect(throws: NewestPointRefusedError.self) {
                try PointCatalog(store: store).newest(signingPublicPEM: S.signing.publicPEM)
            }
            #expect(error?.refusal.id == "new" && error?.refusal.check == "incomplete")
            #expect(error?.refusal.detail.contains("no manifest.sig") == true)
            #expect(error?.older == "old")
        }
    }

    @Test func whenNothingOlderVerifiesTheErrorSaysSo() throws {
        try C.withStore { store in
            try C.point("only", store, ago: 0)
            try Self.tamper(store, "only")
            let error = #expect(throws: NewestPointRefusedError.self) {
                try PointCatalog(store: store).newest(signingPublicPEM: S.signing.publicPEM)
            }
            #expect(error?.older == nil)
            #expect(error?.description.contains("no older point verifies either") == true)
            let allowed = try PointCatalog(store: store).newest(signingPublicPEM: S.signing.publicPEM, allowOlder: true)
            #expect(allowed.point == nil && allowed.passedOver.map(\.id) == ["only"])
        }
    }

    @Test("a selection of a partial inventory makes a partial point: version 2, gaps signed in the manifest")
    func partialInventoryMakesAPartialPoint() throws {
        try C.withStore { store in
            let summary = try RecoveryPointWriter.capture(Self.partialSelection(), to: store, options: S.options(id: "p"))
            #expect(summary.isPartial && summary.gaps == [Self.gap])
            let manifest = try JSONParser.parse(try store.get("p/manifest.json"))
            #expect(manifest["formatVersion"] == 2)
            #expect(manifest["gaps"]?[0]?["what"] == "apps/v1")
            #expect(manifest["gaps"]?[0]?["source"] == "kubernetes cluster c1")

            let point = try RecoveryPoint.open("p", in: store, signingPublicPEM: S.signing.publicPEM)
            #expect(point.manifest.gaps == [Self.gap])
            #expect(point.summary.isPartial)
            #expect(try point.inventory(recoveryPrivatePEM: nil).gaps == [Self.gap], "a restored inventory is still partial")
            let listed = try PointCatalog(store: store).list(signingPublicPEM: S.signing.publicPEM)
            #expect(listed.map(\.isPartial) == [true] && listed.map(\.verified) == [true])
            #expect(try PointCatalog(store: store).list().first?.gaps == [Self.gap], "unverified listing reads the claim too")
        }
    }

    @Test("a whole point stays version 1 with no gaps key: older tools read it as before")
    func wholePointIsVersionOne() throws {
        try C.withStore { store in
            try C.point("w", store, ago: 0)
            let manifest = try JSONParser.parse(try store.get("w/manifest.json"))
            #expect(manifest["formatVersion"] == 1)
            #expect(manifest["gaps"] == nil)
            #expect(try RecoveryPoint.open("w", in: store, signingPublicPEM: S.signing.publicPEM).manifest.gaps.isEmpty)
        }
    }

    @Test("a partial newest point is never picked unless asked for")
    func partialNewestIsRefusedUnlessAllowed() throws {
        try C.withStore { store in
            try C.point("whole", store, ago: 2 * Self.hour)
            _ = try RecoveryPointWriter.capture(Self.partialSelection(), to: store, options: S.options(id: "part", now: S.noon - Self.hour))
            let catalog = PointCatalog(store: store)
            let error = #expect(throws: NewestPointRefusedError.self) { try catalog.newest(signingPublicPEM: S.signing.publicPEM) }
            #expect(error?.refusal.id == "part" && error?.refusal.check == "partial")
            #expect(error?.refusal.detail.contains("apps/v1") == true)
            #expect(error?.older == "whole")
            #expect(try catalog.newest(signingPublicPEM: S.signing.publicPEM, allowPartial: true).point?.id == "part")
            let older = try catalog.newest(signingPublicPEM: S.signing.publicPEM, allowOlder: true)
            #expect(older.point?.id == "whole" && older.passedOver.map(\.check) == ["partial"])
        }
    }

    @Test("a version 2 manifest without gaps is refused: a partial point cannot pass for whole")
    func versionTwoNeedsGaps() throws {
        let manifest = PointManifest(formatVersion: 2, id: "x", created: "2026-11-24T12:00:00Z", tool: "t", source: SourceEnvironment(),
                                     clusters: [], objects: [], files: [], encryptionAlgorithm: "AES-256-GCM", keys: [], signer: "s")
        var json = manifest.json
        if case .object(var o) = json { o["gaps"] = .array([]); json = .object(o) }
        #expect(throws: PointFormat.FormatError.self) { try PointManifest(json: json) }
    }
}
