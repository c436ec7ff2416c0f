import Foundation
import Testing
@testable import StandbyCore
import StandbyTestSupport

/// A plan made from a recovery point alone restores the volumes from the copies the point's
/// manifest records: a capture makes the copies after it has read the estate, so they are not
/// among the point's objects.
@Suite("Plans from a point restore volumes from the copies its manifest records")
struct PointVolumeCopiesTests {
    /// The sample estate without the snapshot copies an earlier capture left in it, and the records
    /// a capture would have written for those copies.
    static func estateWithoutCopies() throws -> (inventory: Inventory, records: [VolumeSnapshotRecord]) {
        let inv = try SampleEstate.inventory()
        var records: [VolumeSnapshotRecord] = []
        var newest: [String: (copy: SnapshotCopy, resource: Resource)] = [:]
        for r in inv.resources {
            guard let c = SnapshotCopy.read(r, in: inv), c.complete, ["northeurope", "us-west-2"].contains(c.region) else { continue }
            let key = Resource.lookupKey(c.volume)
            if let known = newest[key], (known.copy.taken ?? .distantPast) >= (c.taken ?? .distantPast) { continue }
            newest[key] = (c, r)
        }
        for (c, r) in newest.values.sorted(by: { $0.copy.id < $1.copy.id }) {
            let source = r.document[path: [.key("properties"), .key("creationData"), .key("sourceResourceId")]]?.stringValue
                ?? r.document["SourceSnapshotId"]?.stringValue ?? "snap-source"
            records.append(VolumeSnapshotRecord(volume: c.volume, snapshot: source, copy: c.id, copyRegion: c.region,
                                                sizeGiB: c.sizeGiB ?? 1, taken: c.taken.map(SnapshotTime.text) ?? "2026-12-07T06:00:00Z"))
        }
        let stripped = Inventory(resources: inv.resources.filter { !SnapshotCopy.isCaptureData($0) }, clusters: inv.clusters,
                                 notes: inv.notes)
        return (stripped, records)
    }

    static func plan(_ inventory: Inventory) -> (Translation, RecoveryPlan) {
        let sel = inventory.select(SelectionRequest(roots: [SampleEstate.aksID, SampleEstate.eksARN],
                                                    namespaces: ["payments", "checkout", "orders"]))
        let t = Translator(settings: TranslationSettings(to: SampleEstate.recovery, mode: .test)).translate(sel)
        return (t, RecoveryPlan(t))
    }

    /// The drill's selection of `inventory` captured with `records` as its volumes into a store in a
    /// new temporary folder, opened and verified; the recovery key opens its sealed values.
    static func capture(_ inventory: Inventory, records: [VolumeSnapshotRecord], id: String) throws
        -> (point: RecoveryPoint, recoveryPEM: String, folder: TemporaryFolder) {
        let folder = try TemporaryFolder()
        let store = try PointStores.open(folder.path + "/points")
        let signing = try SigningKeyPair.generate(), recovery = try RecoveryKeyPair.generate()
        var options = CaptureOptions(signingPrivatePEM: signing.privatePEM, recoveryPublicPEM: recovery.publicPEM, id: id)
        options.volumes = records
        let request = SelectionRequest(roots: [SampleEstate.aksID, SampleEstate.eksARN], namespaces: ["payments", "checkout", "orders"])
        _ = try RecoveryPointWriter.capture(inventory.select(request), to: store, options: options)
        return (try RecoveryPoint.open(id, in: store, signingPublicPEM: signing.publicPEM), recovery.privatePEM, folder)
    }

    @Test func thePointsRecordedCopiesRestoreItsVolumes() throws {
        let (inventory, records) = try Self.estateWithoutCopies()
        #expect(records.contains { $0.isAzureDisk } && records.contains { !$0.isAzureDisk }, "the sample holds copies of both kinds")
        // Without the copies, nothing is restored from one (what a plan from the point did before).
        let (bare, _) = Self.plan(inventory)
        #expect(!bare.volumes.restores.contains { $0.action == .fromCopy })

        let point = "contoso-copies-20261208"
        let (opened, recoveryPEM, folder) = try Self.capture(inventory, records: records, id: point)
        defer { folder.remove() }
        let restored = try opened.inventory(recoveryPrivatePEM: recoveryPEM)
        for record in records {
            let copy = try #require(restored.get(record.copy), "the copy \(record.copy) is in the point's inventory")
            #expect(SnapshotCopy.tag(copy, SnapshotCopy.pointTag) == point)
        }
        let (t, plan) = Self.plan(restored)
        let fromCopy = t.volumes.restores.filter { $0.action == .fromCopy }
        #expect(fromCopy.count == records.count)
        for v in fromCopy {
            let record = try #require(records.first { Resource.lookupKey($0.volume) == Resource.lookupKey(v.source.volumeID) })
            #expect(Resource.lookupKey(v.copy?.id ?? "") == Resource.lookupKey(record.copy))
            #expect(v.copy?.point == point)
        }
        // The template creates each disk from its copy; the EKS plan each EBS volume.
        let template = JSONSerializer.serialize(plan.azure?.template ?? .null)
        for record in records where record.isAzureDisk { #expect(template.contains(record.copy)) }
        let creates = plan.eks.flatMap(\.requests).filter { $0.operation == "CreateVolume" }
        #expect(Set(creates.compactMap { $0.body["SnapshotId"]?.stringValue }) == Set(records.filter { !$0.isAzureDisk }.map(\.copy)))
    }

    /// `point:selection` re-applies the stored selection to the point's inventory, which now holds
    /// the copies: they are selected with their volumes, as a live inventory's are, and the check
    /// that the selection is exactly the captured objects must not call them uncaptured.
    @Test func thePointsSelectionOpensWithItsCopiesAndPlansFromThem() throws {
        let (inventory, records) = try Self.estateWithoutCopies()
        let point = "contoso-selection-20261208"
        let (opened, recoveryPEM, folder) = try Self.capture(inventory, records: records, id: point)
        defer { folder.remove() }
        let sel = try opened.selection(recoveryPrivatePEM: recoveryPEM)
        #expect(Set(opened.ids).isSubset(of: Set(sel.ids)))
        let extra = Set(sel.ids).subtracting(opened.ids)
        #expect(!extra.isEmpty, "the copies are selected with their volumes")
        #expect(extra.allSatisfy { id in sel.inventory.get(id).map { SnapshotCopy.tag($0, SnapshotCopy.pointTag) == point } ?? false }, "\(extra)")
        let t = Translator(settings: TranslationSettings(to: SampleEstate.recovery, mode: .test)).translate(sel)
        #expect(t.volumes.restores.filter { $0.action == .fromCopy }.count == records.count)
    }

    @Test func aCopyThePointAlreadyHoldsIsNotAddedTwice() throws {
        let inv = try SampleEstate.inventory()
        let (_, records) = try Self.estateWithoutCopies()
        let added = try PointVolumeCopies.resources(records, point: "p", existing: inv.resources)
        #expect(added.isEmpty)
        let all = try PointVolumeCopies.resources(records, point: "p", existing: [])
        #expect(all.count == records.count)
        #expect(all.allSatisfy { SnapshotCopy.isCaptureData($0) })
    }
}

