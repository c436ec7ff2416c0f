import Foundation
import Testing
import StandbyCore
import StandbyTestSupport

/// `standby points prune --delete-snapshots` as a user runs it, against the ARM wire-format test
/// server (`Tests/Servers/arm_compute.py`, not Azure): three points each recorded an Azure disk's
/// snapshot and copy (the Compute REST API's `Disk_Get` example disk); keeping the newest prunes
/// the middle one, whose snapshot and copy go, while the newest's and the immutable oldest's stay.
@Suite("standby points prune --delete-snapshots on the ARM wire server")
struct PruneSnapshotsCommandTests {
    static let subscription = "5f1c3a2e-8d4b-4e6f-9a0b-1c2d3e4f5a6b"
    static let disk = "/subscriptions/\(subscription)/resourceGroups/myResourceGroup/providers/Microsoft.Compute/disks/myManagedDisk"

    static func control(_ endpoint: String, _ name: String, _ body: JSONValue) throws {
        let response = try HTTPClient().send(HTTPRequest(method: "POST", url: "\(endpoint)/_test/\(name)",
                                                         headers: [("Content-Type", "application/json")],
                                                         body: Array(JSONSerializer.serialize(body).utf8)))
        #expect(response.status == 200, "POST /_test/\(name) → \(response.status)")
    }

    @Test("the pruned point's Azure snapshot and copy are deleted and printed; the kept and the immutable points' stay")
    func pruneDeletesExactlyThePrunedPointsSnapshots() throws {
        guard let fixtures = Fixtures.path("arm"), let text = try Fixtures.text("real/volumes/Disk_Get.json") else { return }
        let arm = try LocalServer.startScript("arm_wire_server.py", arguments: [fixtures], probe: "/_test/requests")
        let example = try JSONParser.parse(Array(text.replacingOccurrences(of: "{subscriptionId}", with: Self.subscription).utf8))
        try Self.control(arm.endpoint, "resources", try #require(example[path: [.key("responses"), .key("200"), .key("body")]]))
        try Self.control(arm.endpoint, "resources", ["id": .string("/subscriptions/\(Self.subscription)/resourceGroups/rg-dr"), "name": "rg-dr",
                                                     "type": "Microsoft.Resources/resourceGroups", "location": "eastus", "properties": [:]])
        try Self.control(arm.endpoint, "compute", ["retryAfter": 0, "copyPolls": 1])
        var settings = AzureSettings(subscription: Self.subscription, endpoint: arm.endpoint, token: .accessToken("t"), environment: [:])
        settings.polling = ARMPolling(interval: 0, longestWait: 0, timeout: 60)
        let snapshots = AzureDiskSnapshots(client: ARMClient(settings: settings), recoveryLocation: "eastus", recoveryResourceGroup: "rg-dr")

        let dir = try StandbyBinary.temporaryDirectory()
        let store = try PointStores.open(dir.path + "/points")
        let signing = try SigningKeyPair.generate(), recovery = try RecoveryKeyPair.generate()
        let pv: JSONValue = ["apiVersion": "v1", "kind": "PersistentVolume", "metadata": ["name": "pv-ledger"],
                             "spec": ["csi": ["driver": "disk.csi.azure.com", "volumeHandle": .string(Self.disk)]]]
        let resource = try #require(KubernetesDocuments.resource(pv, cluster: "aks-prod", scope: KubeScope(), source: SourceRef(path: "test")))
        let selection = Inventory(resources: [resource]).select(SelectionRequest(roots: [resource.id]))
        var records: [String: VolumeSnapshotRecord] = [:]
        for (n, id) in ["a-immutable", "b-old", "c-new"].enumerated() {
            let record = try snapshots.protect(disk: Self.disk, point: id)
            records[id] = record
            var options = CaptureOptions(signingPrivatePEM: signing.privatePEM, recoveryPublicPEM: recovery.publicPEM, id: id,
                                         now: Date().addingTimeInterval(Double(n - 3) * 60))
            options.volumes = [record]
            _ = try RecoveryPointWriter.capture(selection, to: store, options: options)
        }
        _ = try PointCatalog(store: store).markImmutable("a-immutable")

        let r = try StandbyBinary.run(["points", "prune", dir.path + "/points", "--keep-last", "1", "--delete-snapshots",
                                       "--azure-endpoint", arm.endpoint], environment: ["AZURE_ACCESS_TOKEN": "cli-test-token"])
        #expect(r.status == 0, "\(r.stdout)\(r.stderr)")
        let old = try #require(records["b-old"])
        #expect(r.stdout.contains("pruned b-old"), "\(r.stdout)")
        #expect(r.stdout.contains("deleted snapshot \(old.copy) of b-old"), "\(r.stdout)")
        #expect(r.stdout.contains("deleted snapshot \(old.snapshot) of b-old"), "\(r.stdout)")
        #expect(!r.stdout.contains("of a-immutable") && !r.stdout.contains("of c-new"), "\(r.stdout)")

        let client = ARMClient(settings: settings)
        func exists(_ id: String) throws -> Bool {
            do { _ = try client.get(id: id, apiVersion: AzureDiskSnapshots.apiVersion); return true } catch let e as ARMError where e.status == 404 { return false }
        }
        #expect(try !exists(old.snapshot) && !exists(old.copy))
        for id in ["a-immutable", "c-new"] {
            let kept = try #require(records[id])
            #expect(try exists(kept.snapshot) && exists(kept.copy), "\(id)'s snapshots stay")
        }
        #expect(try PointCatalog(store: store).list().map(\.id).sorted() == ["a-immutable", "c-new"])
    }

    @Test("without --delete-snapshots the pruned point's snapshots are named and left")
    func pruneWithoutTheFlagNamesTheSnapshots() throws {
        let dir = try StandbyBinary.temporaryDirectory()
        let store = try PointStores.open(dir.path + "/points")
        let signing = try SigningKeyPair.generate(), recovery = try RecoveryKeyPair.generate()
        let selection = Inventory(resources: []).select(SelectionRequest(roots: []))
        let record = VolumeSnapshotRecord(volume: Self.disk, snapshot: "/subscriptions/s/resourceGroups/g/providers/Microsoft.Compute/snapshots/one",
                                          copy: "/subscriptions/s/resourceGroups/dr/providers/Microsoft.Compute/snapshots/one",
                                          copyRegion: "eastus", sizeGiB: 10, taken: "2026-12-08T01:00:00Z")
        for (n, id) in ["old", "new"].enumerated() {
            var options = CaptureOptions(signingPrivatePEM: signing.privatePEM, recoveryPublicPEM: recovery.publicPEM, id: id,
                                         now: Date().addingTimeInterval(Double(n - 2) * 60))
            options.volumes = [record]
            _ = try RecoveryPointWriter.capture(selection, to: store, options: options)
        }
        let r = try StandbyBinary.run(["points", "prune", dir.path + "/points", "--keep-last", "1"], environment: [:])
        #expect(r.status == 0, "\(r.stdout)\(r.stderr)")
        #expect(r.stdout.contains("left old's volume snapshots (\(record.snapshot), \(record.copy)): give --delete-snapshots to delete them"),
                "\(r.stdout)")
    }
}
