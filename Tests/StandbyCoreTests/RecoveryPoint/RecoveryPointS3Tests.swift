import Foundation
import Testing
@testable import StandbyCore
import StandbyTestSupport

/// Recovery points in S3, against a real moto server on 127.0.0.1: the same round trip, tamper
/// and truncation checks as the folder store.
@Suite("Recovery points in S3 (moto server)") struct RecoveryPointS3Tests {
    typealias S = PointTestSupport

    static func store() throws -> S3Store? {
        guard let endpoint = MotoServer.endpoint() else { return nil }
        let bucket = "standby-points-" + UUID().uuidString.lowercased().prefix(16)
        let store = S3Store(bucket: String(bucket), prefix: "estate", region: "us-east-1", endpoint: endpoint,
                            credentials: AWSCredentials(accessKeyID: "testing", secretAccessKey: "testing"))
        try store.createBucketIfMissing()
        return store
    }

    @Test func captureThenPlanFromTheStoredPointGivesTheLivePlan() throws {
        guard let store = try Self.store() else { return }
        let live = try SampleEstate.selection()
        let summary = try RecoveryPointWriter.capture(live, to: store, options: S.options(id: "p1"))
        #expect(summary.complete && summary.objects == live.resources.count)

        let listed = try PointCatalog(store: store).list(signingPublicPEM: S.signing.publicPEM)
        #expect(listed.map(\.id) == ["p1"] && listed.first?.verified == true)

        let point = try RecoveryPoint.open("p1", in: store, signingPublicPEM: S.signing.publicPEM)
        let restored = try point.selection(recoveryPrivatePEM: S.recovery.privatePEM)
        #expect(restored.ids == live.ids)
        let settings = TranslationSettings(to: SampleEstate.recovery, mode: .test)
        let fromPoint = RecoveryPlan(Translator(settings: settings).translate(restored)).files
        let fromLive = RecoveryPlan(Translator(settings: settings).translate(live)).files
        #expect(fromPoint.map(\.path) == fromLive.map(\.path))
        for (a, b) in zip(fromPoint, fromLive) { #expect(a.contents == b.contents, "\(a.path) differs") }
    }

    @Test func tamperedObjectAndTruncatedUploadAreRefused() throws {
        guard let store = try Self.store() else { return }
        let live = try SampleEstate.selection()
        _ = try RecoveryPointWriter.capture(live, to: store, options: S.options(id: "p1"))
        // Flip one byte of one object, in the bucket.
        let key = try #require(try store.list(prefix: "p1/objects/").first)
        var bytes = try store.get(key)
        bytes[bytes.count / 2] ^= 0x01
        try store.put(key, bytes)
        do {
            _ = try RecoveryPoint.open("p1", in: store, signingPublicPEM: S.signing.publicPEM)
            Issue.record("a tampered point opened")
        } catch let e as PointVerificationError {
            #expect(e.message.contains("digest"), "\(e.message)")
        }
        // A second point whose upload stopped before the signed manifest: listed, never restorable.
        _ = try RecoveryPointWriter.capture(live, to: store, options: S.options(id: "p2"))
        try store.delete("p2/manifest.sig")
        let p2 = try #require(try PointCatalog(store: store).list(signingPublicPEM: S.signing.publicPEM).first { $0.id == "p2" })
        #expect(!p2.complete)
        #expect(throws: PointVerificationError.self) { _ = try RecoveryPoint.open("p2", in: store, signingPublicPEM: S.signing.publicPEM) }
    }

    @Test func noSecretValueReachesTheBucketInPlaintext() throws {
        guard let store = try Self.store() else { return }
        let live = try SampleEstate.selection()
        _ = try RecoveryPointWriter.capture(live, to: store, options: S.options(id: "p1"))
        var stored = ""
        for key in try store.list(prefix: "") { stored += String(decoding: try store.get(key), as: UTF8.self) }
        // The sample's Stripe key and Kafka passwords: only in Secrets, so never stored in clear.
        for secret in ["sk_live_4eC39HqLyjWDarjtT1zdp7dc", "c2tfbGl2ZV80ZUMzOUhxTHlqV0Rhcmp0VDF6ZHA3ZGM=",
                       "kafka-cl13nt-pw", "a2Fma2EtY2wxM250LXB3"] {
            #expect(!stored.contains(secret), "\(secret) found in the bucket")
        }
    }
}
