import Foundation
import Testing
@testable import StandbyCore
import StandbyTestSupport

/// Azure managed disks' data through the ARM wire-format test server (`Tests/Servers/arm_compute.py`:
/// ARM's Compute wire format, not Azure): the incremental snapshot, its `CopyStart` copy into the
/// recovery region polled through `Azure-AsyncOperation`, a copy that fails, deletion. The disk is
/// the Compute REST API's own `Disk_Get` example (`Tests/Fixtures/real/volumes/`).
@Suite("Azure disk snapshots and cross-region copies on the ARM wire server")
struct AzureDiskSnapshotsTests {
    static let subscription = "5f1c3a2e-8d4b-4e6f-9a0b-1c2d3e4f5a6b"
    static let recoverySubscription = "0b9d4c3e-7a61-4f2b-8c5d-1e2f3a4b5c6d"
    static let disk = "/subscriptions/\(subscription)/resourceGroups/myResourceGroup/providers/Microsoft.Compute/disks/myManagedDisk"

    /// A server holding the `Disk_Get` example's disk (its placeholders filled) and the recovery
    /// resource group `rg-dr` in eastus; copies finish after `copyPolls` polls.
    static func server(copyPolls: Int = 2) throws -> ARMWireServer? {
        guard let text = try Fixtures.text("real/volumes/Disk_Get.json") else { return nil }
        let example = try JSONParser.parse(Array(text.replacingOccurrences(of: "{subscriptionId}", with: subscription).utf8))
        let disk = try #require(example[path: [.key("responses"), .key("200"), .key("body")]])
        #expect(disk["id"]?.stringValue == Self.disk)
        let server = try ARMWireServer.start()
        try server.control("resources", disk)
        try server.control("resources", ["id": .string("/subscriptions/\(recoverySubscription)/resourceGroups/rg-dr"), "name": "rg-dr",
                                         "type": "Microsoft.Resources/resourceGroups", "location": "eastus", "properties": [:]])
        try server.control("compute", ["copyPolls": .int(Int64(copyPolls))])
        return server
    }

    static func snapshots(_ server: ARMWireServer) -> AzureDiskSnapshots {
        AzureDiskSnapshots(client: server.client(subscription: subscription), recoveryLocation: "eastus",
                           recoveryResourceGroup: "rg-dr", recoverySubscription: recoverySubscription)
    }

    static func get(_ server: ARMWireServer, _ id: String) throws -> JSONValue? {
        do { return try server.client(subscription: subscription).get(id: id, apiVersion: AzureDiskSnapshots.apiVersion) } catch let e as ARMError where e.status == 404 { return nil }
    }

    @Test("an incremental snapshot of the disk, copied with CopyStart into the recovery subscription, polled until 100 %")
    func snapshotAndCopy() throws {
        guard let server = try Self.server(copyPolls: 3) else { return }
        defer { server.server.stop() }
        let record = try Self.snapshots(server).protect(disk: Self.disk, point: "20261208T010000Z-1a2b3c4d")
        #expect(record.volume == Self.disk)
        #expect(record.snapshot == "/subscriptions/\(Self.subscription)/resourceGroups/myResourceGroup/providers/Microsoft.Compute/snapshots/myManagedDisk-20261208T010000Z-1a2b3c4d")
        #expect(record.copy == "/subscriptions/\(Self.recoverySubscription)/resourceGroups/rg-dr/providers/Microsoft.Compute/snapshots/myManagedDisk-20261208T010000Z-1a2b3c4d")
        #expect(record.copyRegion == "eastus" && record.sizeGiB == 10 && record.consistency == "crash-consistent")
        #expect(SnapshotTime.parse(record.taken) != nil, "taken: \(record.taken)")

        let snapshot = try #require(try Self.get(server, record.snapshot))
        #expect(snapshot["location"] == "westus")
        #expect(snapshot["properties"]?["incremental"] == true)
        #expect(snapshot[path: [.key("properties"), .key("creationData")]] == ["createOption": "Copy", "sourceResourceId": .string(Self.disk)])
        #expect(snapshot["tags"] == ["standby-point": "20261208T010000Z-1a2b3c4d", "standby-volume": .string(Self.disk)])
        let copy = try #require(try Self.get(server, record.copy))
        #expect(copy["location"] == "eastus" && copy["properties"]?["incremental"] == true)
        #expect(copy[path: [.key("properties"), .key("creationData")]] == ["createOption": "CopyStart", "sourceResourceId": .string(record.snapshot)])
        #expect(copy["properties"]?["provisioningState"] == "Succeeded" && copy["properties"]?["completionPercent"] == .double(100))
        #expect(copy["tags"] == snapshot["tags"])

        // Both PUTs' operations were polled through Azure-AsyncOperation until they ended (the
        // copy's three times in progress, then Succeeded), each wait the server's Retry-After: 1
        // cut to the settings' longest wait.
        let polls = try server.requests().filter { $0["path"]?.stringValue?.contains("/DiskOperations/") == true }
        #expect(polls.count == 3 + 1 + 3 + 1, "\(polls.count) polls")

        // The plan reads the copy as a complete one of the disk, made by this point.
        let tmp = try TemporaryFolder()
        defer { tmp.remove() }
        try JSONSerializer.data(.array([snapshot, copy]), pretty: true).write(to: URL(fileURLWithPath: tmp.path + "/snapshots.json"))
        let inventory = try InventoryLoader.load(path: tmp.path + "/snapshots.json")
        let read = try #require(inventory.resources.compactMap { SnapshotCopy.read($0, in: inventory) }.first { $0.id == record.copy })
        #expect(read.complete && read.volume == Self.disk && read.point == "20261208T010000Z-1a2b3c4d" && read.region == "eastus")

        // A re-run for the same point reuses both: no second PUT.
        let again = try Self.snapshots(server).protect(disk: Self.disk, point: "20261208T010000Z-1a2b3c4d")
        #expect(again == record)
        #expect(try server.requests().filter { $0["method"] == "PUT" }.count == 2)
    }

    @Test("a copy that fails throws ARM's error naming the disk, and the capture makes it a gap")
    func aFailedCopyIsAGap() throws {
        guard let server = try Self.server() else { return }
        defer { server.server.stop() }
        try server.control("compute/fail", ["name": "rg-dr/myManagedDisk-p1", "code": "InternalDiskManagementError",
                                            "message": "The copy of the snapshot to eastus failed."])
        #expect {
            _ = try Self.snapshots(server).protect(disk: Self.disk, point: "p1")
        } throws: { error in
            let text = "\(error)"
            return text.contains("InternalDiskManagementError") && text.contains("The copy of the snapshot to eastus failed.")
                && text.contains("copy in eastus")
        }
        let pv: JSONValue = ["apiVersion": "v1", "kind": "PersistentVolume", "metadata": ["name": "pv-ledger"],
                             "spec": ["csi": ["driver": "disk.csi.azure.com", "volumeHandle": .string(Self.disk)]]]
        let chosen = [VolumeCapture.Chosen(display: "aks/pv-ledger", source: try #require(PersistentVolumeSource.read(pv)))]
        let (records, gaps) = VolumeCapture().protect(chosen, point: "p1", snapshots: nil, disks: Self.snapshots(server))
        #expect(records.isEmpty)
        #expect(gaps.count == 1)
        #expect(gaps.first?.what == "Azure disk \(Self.disk) data (PersistentVolume aks/pv-ledger)")
        #expect(gaps.first?.reason.contains("The copy of the snapshot to eastus failed.") == true)
    }

    @Test("delete removes a point's snapshot and copy once; a second delete finds nothing")
    func deleteSnapshotsAndCopies() throws {
        guard let server = try Self.server() else { return }
        defer { server.server.stop() }
        let s = Self.snapshots(server)
        let record = try s.protect(disk: Self.disk, point: "p2")
        let client = server.client(subscription: Self.subscription)
        #expect(try AzureDiskSnapshots.delete([record], client: client) == [record.copy, record.snapshot])
        #expect(try Self.get(server, record.copy) == nil && Self.get(server, record.snapshot) == nil)
        #expect(try Self.get(server, Self.disk) != nil, "the disk itself stays")
        #expect(try AzureDiskSnapshots.delete([record], client: client).isEmpty)
    }

    @Test("the bodies on the wire load into azure-mgmt-compute's Snapshot model with no unknown property")
    func bodiesMatchTheAzureSDKModels() throws {
        guard let server = try Self.server() else { return }
        defer { server.server.stop() }
        let record = try Self.snapshots(server).protect(disk: Self.disk, point: "p3")
        var items: [JSONValue] = []
        for (label, id) in [("snapshot", record.snapshot), ("copy", record.copy)] {
            let answer = try #require(try Self.get(server, id))
            items.append(["model": "compute.Snapshot", "answer": true, "body": answer, "label": .string("\(label) as ARM answers")])
            // What Standby sent: the answer's writable part.
            var sent = JSONObject()
            for key in ["location", "tags"] { sent[key] = answer[key] }
            sent["properties"] = ["incremental": true, "creationData": answer[path: [.key("properties"), .key("creationData")]]!]
            items.append(["model": "compute.Snapshot", "body": .object(sent), "label": .string("\(label) as sent")])
        }
        items.append(["model": "compute.Disk", "answer": true, "body": try #require(try Self.get(server, Self.disk)), "label": "disk"])
        guard let (status, output) = try ValidationScript.check("azure_models.py", .array(items)) else { return }
        #expect(status == 0, "azure_models.py found problems:\n\(output)")
        #expect(output.contains("ok: 5 bodies"), "\(output)")
    }

    @Test func snapshotNamesAreWhatARMAllows() {
        #expect(AzureDiskSnapshots.snapshotName(disk: "pvc-1", point: "20261208T010000Z-1a2b3c4d") == "pvc-1-20261208T010000Z-1a2b3c4d")
        #expect(AzureDiskSnapshots.snapshotName(disk: "d", point: "a/b c") == "d-a-b-c")
        #expect(AzureDiskSnapshots.snapshotName(disk: String(repeating: "x", count: 90), point: "p").count == 80)
        #expect(AzureDiskSnapshots.snapshotName(disk: "d", point: "p--") == "d-p")
    }
}
