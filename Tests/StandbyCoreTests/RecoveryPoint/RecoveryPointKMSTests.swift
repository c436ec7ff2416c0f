import Foundation
import Testing
@testable import StandbyCore
import StandbyTestSupport

/// The data key wrapped by AWS KMS as well as for the recovery RSA key, against a real moto server.
@Suite("Recovery points with AWS KMS (moto server)") struct RecoveryPointKMSTests {
    typealias S = PointTestSupport

    static func kms() -> AWSKMS? {
        guard let endpoint = MotoServer.endpoint() else { return nil }
        return AWSKMS(region: "us-east-1", endpoint: endpoint,
                      credentials: AWSCredentials(accessKeyID: "testing", secretAccessKey: "testing"))
    }

    static func options(id: String, kms: AWSKMS, keyID: String) -> CaptureOptions {
        var options = S.options(id: id)
        options.kms = KMSWrapping(client: kms, keyID: keyID)
        return options
    }

    @Test func capturedWithKMSOpensWithKMSAloneAndEqualsTheLiveEstate() throws {
        guard let kms = Self.kms(), let store = try RecoveryPointS3Tests.store() else { return }
        let keyID = try kms.createKey(description: "standby test")
        let live = try SampleEstate.selection()
        _ = try RecoveryPointWriter.capture(live, to: store, options: Self.options(id: "k1", kms: kms, keyID: keyID))

        let point = try RecoveryPoint.open("k1", in: store, signingPublicPEM: S.signing.publicPEM)
        #expect(point.manifest.keys.map(\.algorithm) == ["RSA-OAEP-256", "AWS-KMS"])
        #expect(point.manifest.keys.last?.recipient == "kms:" + keyID)

        // KMS alone: every resource, Secrets included, equals the live one.
        let restored = try point.selection(kms: kms)
        #expect(restored.ids == live.ids)
        let liveByID = Dictionary(uniqueKeysWithValues: live.resources.map { ($0.id, $0) })
        var secrets = 0
        for r in restored.resources {
            #expect(r == liveByID[r.id], "\(r.id) differs from the live resource")
            if r.kind == "Secret" { secrets += 1 }
        }
        #expect(secrets > 0)
        // The RSA private key still opens it too.
        #expect(try point.inventory(recoveryPrivatePEM: S.recovery.privatePEM).resources == restored.inventory.resources)
        // Nothing sealed reaches the bucket in plaintext.
        var stored = ""
        for key in try store.list(prefix: "k1/") { stored += String(decoding: try store.get(key), as: UTF8.self) }
        #expect(!stored.contains("sk_live_4eC39HqLyjWDarjtT1zdp7dc") && !stored.contains("kafka-cl13nt-pw"))
    }

    @Test func aPointWithoutAKMSEntryIsRefusedByKMS() throws {
        guard let kms = Self.kms(), let store = try RecoveryPointS3Tests.store() else { return }
        _ = try RecoveryPointWriter.capture(S.tiny(), to: store, options: S.options(id: "plain"))
        let point = try RecoveryPoint.open("plain", in: store, signingPublicPEM: S.signing.publicPEM)
        do {
            _ = try point.inventory(kms: kms)
            Issue.record("a point captured without KMS opened with KMS")
        } catch let e as CryptoError {
            #expect(e.message.contains("without a KMS key"), "\(e.message)")
        }
    }

    @Test func aKMSBlobDecryptsOnlyWithItsContextAndKey() throws {
        guard let kms = Self.kms() else { return }
        let keyID = try kms.createKey(), otherKey = try kms.createKey()
        let plaintext = Array("the-data-key-0123456789abcdefghij".utf8)
        let blob = try kms.encrypt(keyID: keyID, plaintext: plaintext, context: ["standby:point": "p1"])
        #expect(!blob.isEmpty && blob != plaintext)
        #expect(try kms.decrypt(blob, context: ["standby:point": "p1"]) == plaintext)
        #expect(try kms.decrypt(blob, context: ["standby:point": "p1"], keyID: keyID) == plaintext)

        for (context, key) in [(["standby:point": "p2"], nil), ([:], nil), (["standby:point": "p1"], Optional(otherKey))] {
            do {
                _ = try kms.decrypt(blob, context: context, keyID: key)
                Issue.record("decrypted with context \(context), key \(key ?? "any")")
            } catch let e as AWSKMSError {
                #expect(e.type != nil && e.status >= 400, "\(e)")
                #expect(!e.description.contains("the-data-key"))
            }
        }
    }

    @Test func kmsErrorsNameTheTypeAndMessage() throws {
        guard let kms = Self.kms() else { return }
        do {
            _ = try kms.encrypt(keyID: "alias/standby-does-not-exist", plaintext: [1, 2, 3], context: [:])
            Issue.record("encrypted under a missing key")
        } catch let e as AWSKMSError {
            #expect(e.operation == "Encrypt" && e.type == "NotFoundException", "\(e)")
            #expect(e.description.hasPrefix("AWS KMS Encrypt: NotFoundException"), "\(e)")
        }
    }
}
