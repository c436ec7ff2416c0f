import Foundation
import Testing
@testable import StandbyCore
import StandbyTestSupport

/// Pruning points that recorded volume data, against moto: the pruned point's snapshot and copy
/// are deleted, the kept point's stay.
@Suite("Pruning points with volume snapshots, against moto")
struct VolumeSnapshotPruneMotoTests {
    @Test("prune reads the pruned point's volumes before deleting it, and exactly its snapshot and copy are deleted")
    func pruneDeletesThePrunedPointsSnapshots() throws {
        guard let endpoint = MotoServer.endpoint() else { return }
        let source = try MotoAWS.session(endpoint, account: MotoAWS.primaryAccount, region: "us-east-1")
        let vol = try EBSVolumeSnapshotsTests.volume(source, size: 2)
        let pv = VolumeCaptureMotoTests.pv("data", volume: vol, zone: "us-east-1a")
        let resource = try #require(KubernetesDocuments.resource(pv, cluster: "eks-prod", scope: KubeScope(), source: SourceRef(path: "test")))
        let sel = Inventory(resources: [resource]).select(SelectionRequest(roots: [resource.id]))
        let snapshots = EBSVolumeSnapshotsTests.onMoto(source)

        let folder = try TemporaryFolder()
        defer { folder.remove() }
        let store = try PointStores.open(folder.path + "/points")
        let signing = try SigningKeyPair.generate(), recovery = try RecoveryKeyPair.generate()
        let tag = UUID().uuidString.prefix(8).lowercased()
        var records: [String: VolumeSnapshotRecord] = [:]
        for (n, id) in ["old-\(tag)", "new-\(tag)"].enumerated() {
            let (r, gaps) = VolumeCapture().protect(VolumeCapture().chosen(sel), point: id, snapshots: snapshots)
            try #require(r.count == 1 && gaps.isEmpty)
            records[id] = r[0]
            var options = CaptureOptions(signingPrivatePEM: signing.privatePEM, recoveryPublicPEM: recovery.publicPEM, id: id,
                                         now: Date().addingTimeInterval(Double(n - 2) * 60))
            options.volumes = r
            _ = try RecoveryPointWriter.capture(sel, to: store, options: options)
        }
        let report = try PointCatalog(store: store).pruneReport(RetentionPolicy(keepLast: 1), now: Date())
        #expect(report.pruned == ["old-\(tag)"])
        #expect(report.volumes == ["old-\(tag)": [try #require(records["old-\(tag)"])]])

        let outcome = VolumeSnapshotPrune.run(report, session: source, immutable: [])
        #expect(outcome.failed.isEmpty)
        let old = try #require(records["old-\(tag)"]), new = try #require(records["new-\(tag)"])
        #expect(Set(outcome.deleted["old-\(tag)"] ?? []) == [old.snapshot, old.copy])
        let recoverySide = source.inRegion("us-west-2")
        #expect(try EBSVolumeSnapshotsTests.snapshot(source, old.snapshot) == nil)
        #expect(try EBSVolumeSnapshotsTests.snapshot(recoverySide, old.copy) == nil)
        #expect(try EBSVolumeSnapshotsTests.snapshot(source, new.snapshot) != nil)
        #expect(try EBSVolumeSnapshotsTests.snapshot(recoverySide, new.copy) != nil)

        // An immutable point's snapshots are never deleted, even when asked.
        let spared = VolumeSnapshotPrune.run(PruneReport(pruned: [], locked: [], kept: 0, volumes: ["new-\(tag)": [new]]),
                                             session: source, immutable: ["new-\(tag)"])
        #expect(spared.deleted.isEmpty)
        #expect(try EBSVolumeSnapshotsTests.snapshot(source, new.snapshot) != nil)
    }
}
