import Foundation
import Testing
@testable import StandbyCore

/// Capturing the sample estate into a recovery point and reading it back.
@Suite struct RecoveryPointTests {
    typealias S = PointTestSupport
    static let ordersDB = "k8s://eks-prod-use1/core/Secret/orders/orders-db"

    /// Captures the sample estate's drill selection as point `p1` into a fresh folder store.
    static func captured(sensitive: [SensitiveValue] = []) throws -> (FolderStore, Selection, PointSummary) {
        let store = FolderStore(path: S.tempRoot())
        let selection = try SampleEstate.selection()
        let summary = try RecoveryPointWriter.capture(selection, to: store, options: S.options(id: "p1", sensitive: sensitive))
        return (store, selection, summary)
    }

    static func remove(_ store: FolderStore) { try? FileManager.default.removeItem(atPath: store.path) }

    static func expectRefused(_ store: FolderStore, _ message: String, signingPublicPEM: String = S.signing.publicPEM) {
        do {
            _ = try RecoveryPoint.open("p1", in: store, signingPublicPEM: signingPublicPEM)
            Issue.record("the point opened; expected: \(message)")
        } catch let e as PointVerificationError {
            #expect(e.point == "p1")
            #expect(e.message == message)
            #expect(e.description == "recovery point p1 fails verification: \(message)")
        } catch {
            Issue.record("unexpected error \(error)")
        }
    }

    @Test func roundTripRebuildsTheSelectionAndThePlan() throws {
        let (store, live, summary) = try Self.captured()
        defer { Self.remove(store) }
        #expect(summary.id == "p1" && summary.complete && summary.verified == true && !summary.immutable)
        #expect(summary.objects == live.resources.count)
        #expect(summary.clusters == ["aks-prod-weu", "eks-prod-use1"])
        #expect(summary.created == "2026-11-24T12:00:00Z")

        let point = try RecoveryPoint.open("p1", in: store, signingPublicPEM: S.signing.publicPEM)
        #expect(point.summary == summary)
        #expect(point.request == live.request)
        #expect(point.manifest.encryptionAlgorithm == "AES-256-GCM")
        #expect(point.manifest.keys.map(\.recipient) == [try RecoveryKeyPair.fingerprint(publicPEM: S.recovery.publicPEM)])
        #expect(point.manifest.signer == (try SigningKeyPair.fingerprint(publicPEM: S.signing.publicPEM)))
        #expect(point.manifest.source == SourceEnvironment.infer(from: live.resources))
        #expect(point.issues.dangling == live.dangling)
        #expect(point.issues.excluded == live.excluded)
        for id in live.ids { #expect(point.inclusions[id] == live.inclusion(of: id), "\(id)") }

        // The exact resources, in the source inventory's order.
        let inventory = try point.inventory(recoveryPrivatePEM: S.recovery.privatePEM)
        #expect(inventory.count == live.resources.count)
        #expect(inventory.clusters == live.inventory.clusters)
        #expect(inventory.notes == live.inventory.notes)
        for r in inventory.resources { #expect(r == live.inventory.get(r.id), "\(r.id)") }
        let positions = inventory.resources.map { live.inventory.position(of: $0.id)! }
        #expect(positions == positions.sorted())

        let selection = try point.selection(recoveryPrivatePEM: S.recovery.privatePEM)
        #expect(selection.ids == live.ids)
        for id in live.ids { #expect(selection.inclusion(of: id) == live.inclusion(of: id), "\(id)") }

        // The plan from the point is the plan from the live selection, file for file.
        let translator = Translator(settings: TranslationSettings(to: SampleEstate.recovery, mode: .test))
        let fromLive = RecoveryPlan(translator.translate(live)).files
        let fromPoint = RecoveryPlan(translator.translate(selection)).files
        #expect(fromPoint.map(\.path) == fromLive.map(\.path))
        #expect(fromPoint.contains { $0.path == "report.json" })
        for (a, b) in zip(fromPoint, fromLive) { #expect(a.contents == b.contents, "\(a.path) differs") }
    }

    @Test func theLayoutIsAsDocumented() throws {
        let (store, live, _) = try Self.captured()
        defer { Self.remove(store) }
        var expected = Set(live.ids.map { "p1/objects/\(Digest.sha256($0)).json" })
        expected.formUnion(["p1/selection.json", "p1/why.json", "p1/issues.json", "p1/manifest.json", "p1/manifest.sig"])
        #expect(Set(try store.list(prefix: "")) == expected)
        let manifest = try JSONParser.parse(try store.get("p1/manifest.json"))
        #expect(manifest["formatVersion"] == 1)
        #expect(manifest["files"]?.arrayValue?.compactMap { $0["key"]?.stringValue } == ["selection.json", "why.json", "issues.json"])
        #expect(manifest["encryption"]?["keys"]?[0]?["algorithm"] == "RSA-OAEP-256")
        let object = try JSONParser.parse(try store.get("p1/objects/\(Digest.sha256(Self.ordersDB)).json"))
        #expect(object["id"]?.stringValue == Self.ordersDB)
        #expect(object["identity"]?["kind"] == "kube")
        let sealed = try #require(object["document"]?["data"]?["password"]?["$standby.encrypted"]?.stringValue)
        #expect(Base64.decode(sealed) != nil)
        #expect(object["encrypted"]?.arrayValue?.count == 3)
        #expect(object["document"]?["metadata"]?["name"] == "orders-db")
        let selection = try JSONParser.parse(try store.get("p1/selection.json"))
        #expect(selection["request"]?["namespaces"] == ["payments", "checkout", "orders"])
        #expect(selection["clusters"]?.arrayValue?.count == 2)
    }

    @Test func withoutTheRecoveryKeySealedValuesStayPlaceholders() throws {
        let (store, live, _) = try Self.captured()
        defer { Self.remove(store) }
        let point = try RecoveryPoint.open("p1", in: store, signingPublicPEM: S.signing.publicPEM)
        let inventory = try point.inventory(recoveryPrivatePEM: nil)
        let secret = try #require(inventory.get(Self.ordersDB))
        let original = try #require(live.inventory.get(Self.ordersDB))
        #expect(secret.document["data"]?["password"]?["$standby.encrypted"]?.stringValue != nil)
        #expect(secret.document["metadata"] == original.document["metadata"])
        // Everything but Secret data is exact, and the selection still holds the captured ids.
        for r in inventory.resources where r.kind != "Secret" { #expect(r == live.inventory.get(r.id), "\(r.id)") }
        #expect(try point.selection(recoveryPrivatePEM: nil).ids == live.ids)
    }

    @Test func aWrongRecoveryKeyCannotDecrypt() throws {
        let (store, _, _) = try Self.captured()
        defer { Self.remove(store) }
        let point = try RecoveryPoint.open("p1", in: store, signingPublicPEM: S.signing.publicPEM)
        let other = try RecoveryKeyPair.generate()
        #expect(throws: CryptoError.self) { try point.inventory(recoveryPrivatePEM: other.privatePEM) }
        #expect(throws: CryptoError.self) { try point.selection(recoveryPrivatePEM: other.privatePEM) }
        do {
            _ = try point.inventory(recoveryPrivatePEM: other.privatePEM)
        } catch let e as CryptoError {
            #expect(!e.message.isEmpty)
            #expect(!e.message.contains("cGFzc3dvcmQxMjM") && !e.message.contains("password123"))
        }
    }

    @Test func aWrongSigningKeyIsRefused() throws {
        let (store, _, _) = try Self.captured()
        defer { Self.remove(store) }
        Self.expectRefused(store, "manifest signature does not verify", signingPublicPEM: try SigningKeyPair.generate().publicPEM)
    }

    @Test func aTamperedObjectIsRefusedByName() throws {
        let (store, _, _) = try Self.captured()
        defer { Self.remove(store) }
        try S.flipByte(store.path + "/p1/objects/\(Digest.sha256(Self.ordersDB)).json")
        Self.expectRefused(store, "object \(Self.ordersDB): digest mismatch")
    }

    @Test func aTamperedManifestOrSignatureIsRefused() throws {
        for (file, fraction) in [("manifest.json", 0.5), ("manifest.json", 0.99), ("manifest.sig", 0.3), ("manifest.sig", 0.0)] {
            let (store, _, _) = try Self.captured()
            defer { Self.remove(store) }
            try S.flipByte(store.path + "/p1/" + file, at: fraction)
            Self.expectRefused(store, "manifest signature does not verify")
        }
    }

    @Test func tamperedJSONFilesAndMissingObjectsAreRefused() throws {
        for file in ["selection.json", "why.json", "issues.json"] {
            let (store, _, _) = try Self.captured()
            defer { Self.remove(store) }
            try S.flipByte(store.path + "/p1/" + file)
            Self.expectRefused(store, "\(file): digest mismatch")
        }
        let (store, _, _) = try Self.captured()
        defer { Self.remove(store) }
        try store.delete("p1/objects/\(Digest.sha256(Self.ordersDB)).json")
        Self.expectRefused(store, "object \(Self.ordersDB): missing")
    }

    @Test func anObjectChangedAfterOpenIsCaught() throws {
        let (store, _, _) = try Self.captured()
        defer { Self.remove(store) }
        let point = try RecoveryPoint.open("p1", in: store, signingPublicPEM: S.signing.publicPEM)
        try S.flipByte(store.path + "/p1/objects/\(Digest.sha256(Self.ordersDB)).json")
        #expect(throws: PointVerificationError.self) { try point.inventory(recoveryPrivatePEM: S.recovery.privatePEM) }
    }

    @Test func aPointWithoutSignatureIsIncomplete() throws {
        let (store, _, _) = try Self.captured()
        defer { Self.remove(store) }
        try store.delete("p1/manifest.sig")
        Self.expectRefused(store, "manifest.sig missing: the point is incomplete")
        let listed = try PointCatalog(store: store).list(signingPublicPEM: S.signing.publicPEM)
        #expect(listed.count == 1)
        #expect(listed.first?.complete == false && listed.first?.verified == false)
        #expect(try PointCatalog(store: store).list().first?.verified == nil)
    }

    @Test func noSecretValueIsWrittenAnywhere() throws {
        let (store, live, _) = try Self.captured()
        defer { Self.remove(store) }
        let inventory = live.inventory
        // Values that also appear outside Secret data (a username that is the namespace's name…)
        // are public anyway; every other one must appear in no file.
        var publicText = ""
        var values: [String] = []
        for r in inventory.resources {
            var doc = r.document
            if r.kind == "Secret" {
                for field in ["data", "stringData"] {
                    for (_, v) in doc[field]?.objectValue?.pairs ?? [] {
                        guard let s = v.stringValue else { continue }
                        values.append(s)
                        if field == "data", let d = Data(base64Encoded: s), let text = String(data: d, encoding: .utf8) { values.append(text) }
                    }
                    doc.set([.key(field)], nil)
                }
            }
            publicText += doc.description + "\n" + r.id + "\n"
        }
        func forms(_ v: String) -> [String] {
            let escaped = String(JSONValue.string(v).description.dropFirst().dropLast())
            return escaped == v ? [v] : [v, escaped]
        }
        let secret = values.filter { v in v.count >= 6 && !forms(v).contains { publicText.contains($0) } }
        #expect(secret.count >= 40, "only \(secret.count) secret values checked")
        #expect(secret.contains("cGFzc3dvcmQxMjM=") && secret.contains("password123"))
        let files = try S.files(under: store.path)
        #expect(files.count > 100)
        for (path, bytes) in files {
            let text = String(decoding: bytes, as: UTF8.self)
            for v in secret {
                for f in forms(v) where text.contains(f) { Issue.record("\(path) contains a secret value (\(f.prefix(4))…)") }
            }
        }
    }

    @Test func sensitivePathsAreSealedAndRestored() throws {
        let sensitive = [SensitiveValue(kind: "ConfigMap", path: "data.UPLOAD_BUCKET"),
                         SensitiveValue(kind: "Deployment", path: "spec.replicas"),
                         SensitiveValue(path: "properties.kubernetesVersion")]
        let (store, live, _) = try Self.captured(sensitive: sensitive)
        defer { Self.remove(store) }
        let configMap = try #require(live.resources.first { $0.kind == "ConfigMap" && $0.document["data"]?["UPLOAD_BUCKET"] != nil })
        let bucket = try #require(configMap.document["data"]?["UPLOAD_BUCKET"]?.stringValue)
        for (_, bytes) in try S.files(under: store.path) { #expect(!String(decoding: bytes, as: UTF8.self).contains(bucket)) }
        let deployment = try #require(live.resources.first { $0.kind == "Deployment" && $0.document["spec"]?["replicas"] != nil })
        let stored = try JSONParser.parse(try store.get("p1/" + PointFormat.objectKey(deployment.id)))
        #expect(stored["document"]?["spec"]?["replicas"]?["$standby.json"] == true)
        let point = try RecoveryPoint.open("p1", in: store, signingPublicPEM: S.signing.publicPEM)
        let inventory = try point.inventory(recoveryPrivatePEM: S.recovery.privatePEM)
        for r in inventory.resources { #expect(r == live.inventory.get(r.id), "\(r.id)") }
        #expect(try point.selection(recoveryPrivatePEM: S.recovery.privatePEM).ids == live.ids)
    }

    @Test func captureRefusesAnExistingPointAndBadIDs() throws {
        let (store, live, _) = try Self.captured()
        defer { Self.remove(store) }
        #expect(throws: RecoveryPointError.self) { try RecoveryPointWriter.capture(live, to: store, options: S.options(id: "p1")) }
        for bad in ["../x", "a/b", "", ".hidden"] {
            #expect(throws: RecoveryPointError.self) { try RecoveryPointWriter.capture(live, to: store, options: S.options(id: bad)) }
        }
        // The default id is the UTC capture time and 8 hex digits.
        let s = try RecoveryPointWriter.capture(S.tiny(), to: store, options: S.options())
        #expect(s.id.hasPrefix("20261124T120000Z-") && s.id.count == 25)
    }
}
