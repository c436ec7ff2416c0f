import Foundation
import Testing
@testable import StandbyCore
import StandbyTestSupport

/// EBS volume data for a recovery point, against moto: snapshot, cross-region copy, sharing,
/// re-runs, the volume a restore creates from the copy, and prune.
@Suite("EBS volume snapshots against a moto server")
struct EBSVolumeSnapshotsTests {
    static func volume(_ s: AWSSession, size: Int, encrypted: Bool = false) throws -> String {
        var p: [(name: String, value: String)] = [("AvailabilityZone", s.region + "a"), ("Size", String(size))]
        if encrypted { p.append(("Encrypted", "true")) }
        let answer = AWSQueryAnswer.json(try s.query(.ec2, "CreateVolume", p))
        return try #require(answer["VolumeId"]?.stringValue)
    }

    /// The snapshot, or nil when EC2 answers that there is no such snapshot (as it does for a
    /// deleted one, or one in another region).
    static func snapshot(_ s: AWSSession, _ id: String) throws -> JSONValue? {
        do {
            let a = AWSQueryAnswer.json(try s.query(.ec2, "DescribeSnapshots", [(name: "SnapshotId.1", value: id)]))
            return a["SnapshotSet"]?.arrayValue?.first
        } catch let e as AWSError where e.code == "InvalidSnapshot.NotFound" {
            return nil
        }
    }

    static func tags(_ snap: JSONValue?) -> [String: String] {
        var out: [String: String] = [:]
        for t in snap?["Tags"]?.arrayValue ?? [] { if let k = t["Key"]?.stringValue { out[k] = t["Value"]?.stringValue ?? "" } }
        return out
    }

    func snapshots(_ session: AWSSession) -> EBSVolumeSnapshots { Self.onMoto(session, recoveryAccount: MotoAWS.recoveryAccount) }

    /// Snapshots copied to us-west-2 (shared with `recoveryAccount` when given), polled without
    /// pauses: moto completes them at once.
    static func onMoto(_ session: AWSSession, recoveryAccount: String? = nil) -> EBSVolumeSnapshots {
        var s = EBSVolumeSnapshots(session: session, recoveryRegion: "us-west-2", recoveryAccount: recoveryAccount)
        s.polls = 3
        s.pause = { _ in }
        return s
    }

    @Test("a volume is snapshotted, copied to the recovery region, shared with the recovery account; a re-run reuses them")
    func protectCopiesAndShares() throws {
        guard let endpoint = MotoServer.endpoint() else { return }
        let source = try MotoAWS.session(endpoint, account: MotoAWS.primaryAccount, region: "us-east-1")
        let vol = try Self.volume(source, size: 8)
        let point = "vol-test-\(UUID().uuidString.prefix(8).lowercased())"
        let record = try snapshots(source).protect(volume: vol, point: point)

        #expect(record.volume == vol && record.sizeGiB == 8 && record.consistency == "crash-consistent")
        #expect(record.copyRegion == "us-west-2" && record.sharedWith == [MotoAWS.recoveryAccount])
        #expect(!record.taken.isEmpty)
        let snap = try Self.snapshot(source, record.snapshot)
        #expect(snap?["VolumeId"]?.stringValue == vol)
        #expect(Self.tags(snap) == [SnapshotCopy.pointTag: point, SnapshotCopy.volumeTag: vol])
        let recovery = source.inRegion("us-west-2")
        let copy = try #require(try Self.snapshot(recovery, record.copy))
        #expect(copy["Status"]?.stringValue == "completed")
        #expect(Self.tags(copy) == [SnapshotCopy.pointTag: point, SnapshotCopy.volumeTag: vol])
        #expect(try Self.snapshot(source, record.copy) == nil, "the copy is in the recovery region only")
        let permission = AWSQueryAnswer.json(try recovery.query(.ec2, "DescribeSnapshotAttribute", [
            (name: "SnapshotId", value: record.copy), (name: "Attribute", value: "createVolumePermission")]))
        #expect(JSONSerializer.serialize(permission).contains(MotoAWS.recoveryAccount))

        // Read back as the inventory reads DescribeSnapshots, the copy is this volume's, complete, in us-west-2.
        let read = try #require(SnapshotCopy.ebs(Resource(id: record.copy, identity: .other, type: "AWS::EC2::Snapshot",
                                                            name: record.copy, region: "us-west-2", tags: Self.tags(copy),
                                                            document: copy, source: SourceRef(path: "moto"))))
        #expect(read.volume == vol && read.complete && read.point == point && read.region == "us-west-2")

        // Idempotent: a second run makes nothing new.
        let again = try snapshots(source).protect(volume: vol, point: point)
        #expect(again.snapshot == record.snapshot && again.copy == record.copy)

        // The restore: a volume in the recovery AZ from the copy, of the volume's size.
        let restored = AWSQueryAnswer.json(try recovery.query(.ec2, "CreateVolume", [
            (name: "AvailabilityZone", value: "us-west-2a"), (name: "SnapshotId", value: record.copy)]))
        #expect(restored["SnapshotId"]?.stringValue == record.copy)
        #expect(EBSVolumeSnapshots.int(restored["Size"]) == 8)
    }

    @Test("an encrypted volume without a recovery KMS key is refused, naming the volume and what to give")
    func encryptedNeedsARecoveryKey() throws {
        guard let endpoint = MotoServer.endpoint() else { return }
        let source = try MotoAWS.session(endpoint, account: MotoAWS.primaryAccount, region: "us-east-1")
        let vol = try Self.volume(source, size: 4, encrypted: true)
        #expect {
            _ = try snapshots(source).protect(volume: vol, point: "vol-enc-\(UUID().uuidString.prefix(8).lowercased())")
        } throws: { error in
            let text = "\(error)"
            return text.contains(vol) && text.contains("recovery KMS key")
        }
    }

    @Test("a missing volume fails the capture of that volume instead of recording data it lacks")
    func missingVolumeFails() throws {
        guard let endpoint = MotoServer.endpoint() else { return }
        let source = try MotoAWS.session(endpoint, account: MotoAWS.primaryAccount, region: "us-east-1")
        #expect(throws: AWSError.self) { _ = try snapshots(source).protect(volume: "vol-0123456789abcdef0", point: "vol-missing") }
    }

    @Test("prune deletes exactly the snapshots and copies of the pruned points, never an immutable point's")
    func pruneDeletesThePointsSnapshots() throws {
        guard let endpoint = MotoServer.endpoint() else { return }
        let source = try MotoAWS.session(endpoint, account: MotoAWS.primaryAccount, region: "us-east-1")
        let vol = try Self.volume(source, size: 2)
        let tag = UUID().uuidString.prefix(8).lowercased()
        let pruned = try snapshots(source).protect(volume: vol, point: "prune-\(tag)")
        let kept = try snapshots(source).protect(volume: vol, point: "keep-\(tag)")
        let locked = try snapshots(source).protect(volume: vol, point: "locked-\(tag)")
        let deleted = try snapshots(source).deleteSnapshots(ofPrunedPoints: ["prune-\(tag)", "locked-\(tag)"],
                                                            immutable: ["locked-\(tag)"])
        #expect(Set(deleted) == [pruned.snapshot, pruned.copy])
        let recovery = source.inRegion("us-west-2")
        #expect(try Self.snapshot(source, pruned.snapshot) == nil)
        #expect(try Self.snapshot(recovery, pruned.copy) == nil)
        for r in [kept, locked] {
            #expect(try Self.snapshot(source, r.snapshot) != nil)
            #expect(try Self.snapshot(recovery, r.copy) != nil)
        }
    }
}
