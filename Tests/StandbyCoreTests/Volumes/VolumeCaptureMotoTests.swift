import Foundation
import Testing
@testable import StandbyCore
import StandbyTestSupport

/// A capture with volumes on moto: the selected EBS PersistentVolumes are snapshotted and copied
/// to the recovery region, the signed manifest records them, and a volume whose data could not be
/// copied makes the point partial.
@Suite("Capturing EBS volume data into a recovery point, against moto")
struct VolumeCaptureMotoTests {
    static func pv(_ name: String, volume: String, zone: String) -> JSONValue {
        ["apiVersion": "v1", "kind": "PersistentVolume", "metadata": ["name": .string(name)],
         "spec": ["capacity": ["storage": "8Gi"], "accessModes": ["ReadWriteOnce"],
                  "csi": ["driver": "ebs.csi.aws.com", "volumeHandle": .string(volume), "fsType": "ext4"],
                  "nodeAffinity": ["required": ["nodeSelectorTerms": [["matchExpressions": [
                      ["key": "topology.ebs.csi.aws.com/zone", "operator": "In", "values": [.string(zone)]]]]]]]]]
    }

    func selection(_ pvs: [JSONValue]) throws -> Selection {
        let resources = try pvs.enumerated().map { n, doc in
            try #require(KubernetesDocuments.resource(doc, cluster: "eks-prod", scope: KubeScope(), source: SourceRef(path: "test", document: n)))
        }
        return Inventory(resources: resources).select(SelectionRequest(roots: resources.map(\.id)))
    }

    @Test("the selected EBS volumes are copied and recorded in the signed manifest; a missing one makes the point partial; excluded ones are left alone")
    func captureRecordsVolumesAndAFailedOneMakesThePointPartial() throws {
        guard let endpoint = MotoServer.endpoint() else { return }
        let source = try MotoAWS.session(endpoint, account: MotoAWS.primaryAccount, region: "us-east-1")
        let data = try EBSVolumeSnapshotsTests.volume(source, size: 8)
        let scratch = try EBSVolumeSnapshotsTests.volume(source, size: 1)
        let missing = "vol-0123456789abcdef0"
        let sel = try selection([Self.pv("data", volume: data, zone: "us-east-1a"), Self.pv("scratch-1", volume: scratch, zone: "us-east-1a"),
                                 Self.pv("gone", volume: missing, zone: "us-east-1b")])
        let capture = VolumeCapture(exclude: ["eks-prod/scratch-*"])
        let chosen = capture.chosen(sel)
        #expect(chosen.map(\.display).sorted() == ["eks-prod/data", "eks-prod/gone"])

        let snapshots = EBSVolumeSnapshotsTests.onMoto(source, recoveryAccount: MotoAWS.recoveryAccount)
        let point = "vol-capture-\(UUID().uuidString.prefix(8).lowercased())"
        let (records, gaps) = capture.protect(chosen, point: point, snapshots: snapshots)
        #expect(records.map(\.volume) == [data])
        #expect(gaps.count == 1 && gaps[0].what.contains(missing) && gaps[0].what.contains("eks-prod/gone"), "\(gaps)")

        let folder = try TemporaryFolder()
        defer { folder.remove() }
        let store = try PointStores.open(folder.path + "/points")
        let signing = try SigningKeyPair.generate(), recovery = try RecoveryKeyPair.generate()
        var options = CaptureOptions(signingPrivatePEM: signing.privatePEM, recoveryPublicPEM: recovery.publicPEM, id: point)
        options.volumes = records
        options.volumeGaps = gaps
        let summary = try RecoveryPointWriter.capture(sel, to: store, options: options)
        #expect(summary.isPartial, "a point without the data of a selected volume is never whole")

        let opened = try RecoveryPoint.open(point, in: store, signingPublicPEM: signing.publicPEM)
        let recorded = try #require(opened.manifest.volumes.first)
        #expect(opened.manifest.volumes.count == 1)
        #expect(recorded == records[0])
        #expect(recorded.sizeGiB == 8 && recorded.consistency == "crash-consistent" && recorded.copyRegion == "us-west-2")
        #expect(recorded.snapshot.hasPrefix("snap-") && recorded.copy.hasPrefix("snap-") && recorded.snapshot != recorded.copy)
        #expect(!recorded.taken.isEmpty && recorded.sharedWith == [MotoAWS.recoveryAccount])
        #expect(opened.manifest.gaps.contains { $0.what.contains(missing) })
        // The excluded volume was not snapshotted.
        let scratchSnaps = AWSQueryAnswer.json(try source.query(.ec2, "DescribeSnapshots", .object(JSONObject([
            ("Filter", .array([EKSRestore.filter("volume-id", scratch)]))]))))
        #expect(scratchSnaps["SnapshotSet"]?.arrayValue?.isEmpty ?? true)
    }

    @Test("a point of only copied volumes is whole, and a point without volumes writes no volumes field")
    func wholePointAndOlderManifests() throws {
        guard let endpoint = MotoServer.endpoint() else { return }
        let source = try MotoAWS.session(endpoint, account: MotoAWS.primaryAccount, region: "us-east-1")
        let data = try EBSVolumeSnapshotsTests.volume(source, size: 3)
        let sel = try selection([Self.pv("data", volume: data, zone: "us-east-1a")])
        let snapshots = EBSVolumeSnapshotsTests.onMoto(source)
        let folder = try TemporaryFolder()
        defer { folder.remove() }
        let store = try PointStores.open(folder.path + "/points")
        let signing = try SigningKeyPair.generate(), recovery = try RecoveryKeyPair.generate()
        let point = "vol-whole-\(UUID().uuidString.prefix(8).lowercased())"
        let (records, gaps) = VolumeCapture().protect(VolumeCapture().chosen(sel), point: point, snapshots: snapshots)
        var options = CaptureOptions(signingPrivatePEM: signing.privatePEM, recoveryPublicPEM: recovery.publicPEM, id: point)
        (options.volumes, options.volumeGaps) = (records, gaps)
        #expect(!(try RecoveryPointWriter.capture(sel, to: store, options: options)).isPartial)
        #expect(try RecoveryPoint.open(point, in: store, signingPublicPEM: signing.publicPEM).manifest.volumes.map(\.sizeGiB) == [3])

        let plain = CaptureOptions(signingPrivatePEM: signing.privatePEM, recoveryPublicPEM: recovery.publicPEM, id: point + "-plain")
        _ = try RecoveryPointWriter.capture(sel, to: store, options: plain)
        let manifest = try String(contentsOfFile: "\(folder.path)/points/\(point)-plain/manifest.json", encoding: .utf8)
        #expect(!manifest.contains("\"volumes\""))
        #expect(try RecoveryPoint.open(point + "-plain", in: store, signingPublicPEM: signing.publicPEM).manifest.volumes.isEmpty)
    }

    @Test func globMatchesNamesAndClusterNames() {
        #expect(VolumeCapture.glob("scratch-*", "scratch-1") && VolumeCapture.glob("*/db", "eks/db") && VolumeCapture.glob("a*b*c", "axxbyyc"))
        #expect(!VolumeCapture.glob("scratch-*", "data") && !VolumeCapture.glob("db", "db2") && !VolumeCapture.glob("a*ba", "ab") && VolumeCapture.glob("a*ba", "aba"))
    }
}
