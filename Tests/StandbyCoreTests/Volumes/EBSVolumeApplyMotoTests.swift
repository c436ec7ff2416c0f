import Foundation
import Testing
@testable import StandbyCore
import StandbyTestSupport

/// `plan:apply`'s EBS part on moto and the Kubernetes wire-format server: the EKS plan's
/// CreateVolume steps (from the sample estate's plan) make the volumes from their snapshot
/// copies, and the PersistentVolumes sent to the recovery cluster name them.
@Suite("EBS volumes created by the EKS plan on moto, named by the applied PersistentVolumes")
struct EBSVolumeApplyMotoTests {
    /// The sample estate's CreateVolume steps, pointed at snapshots moto holds: the estate's
    /// copies are exports, and moto assigns its own `snap-` and KMS ids. One volume and
    /// snapshot per step, encrypted with a key of the recovery account, of `size` GiB.
    func steps(_ plan: RecoveryPlan, _ session: AWSSession, size: Int = 6) throws -> (requests: [EKSRequest], key: String) {
        let key = try #require(try session.json(.kms, "CreateKey", ["Description": "ebs-apply"])["KeyMetadata"]?["Arn"]?.stringValue)
        var requests = plan.eks.flatMap(\.requests).filter { $0.service == "ec2" && $0.operation == "CreateVolume" }
        try #require(requests.count == 2)
        for i in requests.indices {
            // The plan creates an encrypted volume from an encrypted copy, with the copy's key.
            #expect(requests[i].body["Encrypted"] == .bool(true))
            #expect(requests[i].body["KmsKeyId"]?.stringValue?.hasPrefix("arn:aws:kms:us-west-2:") == true)
            let vol = try #require(AWSQueryAnswer.json(try session.query(.ec2, "CreateVolume", [
                (name: "AvailabilityZone", value: "us-west-2a"), (name: "Size", value: String(size)),
                (name: "Encrypted", value: "true"), (name: "KmsKeyId", value: key)]))["VolumeId"]?.stringValue)
            let snap = try #require(AWSQueryAnswer.json(try session.query(.ec2, "CreateSnapshot", [(name: "VolumeId", value: vol)]))["SnapshotId"]?.stringValue)
            var body = try #require(requests[i].body.objectValue)
            body["SnapshotId"] = .string(snap)
            body["KmsKeyId"] = .string(key)
            requests[i].body = .object(body)
        }
        return (requests, key)
    }

    /// The EBS PersistentVolumes of the plan, alone in a restore set.
    func persistentVolumes(_ plan: RecoveryPlan) -> [KubernetesRestoreSet] {
        plan.kubernetes.compactMap { set in
            let pvs = set.manifests.filter {
                $0.document["kind"]?.stringValue == "PersistentVolume"
                    && JSONSerializer.serialize($0.document).contains(VolumeRestore.pendingPrefix)
            }
            return pvs.isEmpty ? nil : KubernetesRestoreSet(cluster: set.cluster, manifests: pvs)
        }
    }

    func volume(_ s: AWSSession, _ id: String) throws -> JSONValue? {
        AWSQueryAnswer.json(try s.query(.ec2, "DescribeVolumes", [(name: "VolumeId.1", value: id)]))["VolumeSet"]?.arrayValue?.first
    }

    @Test("CreateVolume makes each volume from its copy in the recovery AZ; the applied PV names it; a re-run makes no second volume")
    func appliedPersistentVolumesNameTheNewVolumes() throws {
        guard let endpoint = MotoServer.endpoint() else { return }
        guard let kube = KubeWireTestServer.start() else { return }
        defer { kube.stop() }
        let plan = RecoveryPlan(try SampleEstate.translate())
        let session = try MotoAWS.session(endpoint, account: SampleEstate.recoveryAccount, region: "us-west-2")
        let (requests, key) = try steps(plan, session)
        let eks = [EKSRecoveryPlan(cluster: "volumes", requests: requests)]

        let first = EKSRestore(session: session, waitTimeout: 5, pollInterval: 0.01).run(eks, progress: SilentProgress())
        #expect(first.report.records.map(\.outcome) == [.created, .created], "\(first.report.records)")
        #expect(first.volumes.created.count == 2 && first.volumes.failed.isEmpty)
        for r in requests {
            let pv = try #require(EKSRestore.tags(r.body)[VolumeRestore.pvTag])
            let id = try #require(first.volumes.created[pv])
            let v = try #require(try volume(session, id))
            #expect(v["SnapshotId"] == r.body["SnapshotId"])
            #expect(v["AvailabilityZone"] == r.body["AvailabilityZone"])
            #expect(v["Status"]?.stringValue == "available")
            #expect(v["Encrypted"] == .bool(true) && v["KmsKeyId"]?.stringValue == key, "\(v)")
            #expect(EBSVolumeSnapshots.int(v["Size"]) == 6)
        }

        let sets = PendingVolumeFill.apply(persistentVolumes(plan), first.volumes)
        try #require(sets.count == 1 && sets[0].manifests.count == 2)
        let restore = KubernetesRestore(connection: try kube.connection(), pollInterval: 0.01)
        let applied = restore.apply(sets[0], progress: SilentProgress())
        #expect(applied.failed.isEmpty && applied.blocked.isEmpty, "\(applied.records)")
        for m in sets[0].manifests {
            let name = try #require(m.document["metadata"]?["name"]?.stringValue)
            let live = try #require(try kube.get("/api/v1/persistentvolumes/\(name)"))
            let text = JSONSerializer.serialize(live)
            #expect(!text.contains(VolumeRestore.pendingPrefix))
            let pv = try #require(first.volumes.created.first { $0.key.hasSuffix("/\(name)") }?.value)
            #expect(text.contains("\"\(pv)\""), "the applied PV names \(pv): \(text)")
        }

        // Re-running finds the volumes by their tags: the same ids, nothing new.
        let again = EKSRestore(session: session, waitTimeout: 5, pollInterval: 0.01).run(eks, progress: SilentProgress())
        #expect(again.report.records.map(\.outcome) == [.skipped, .skipped])
        #expect(again.volumes == first.volumes)
        for r in requests {
            let found = AWSQueryAnswer.json(try session.query(.ec2, "DescribeVolumes", .object(JSONObject([("Filter", .array([
                EKSRestore.filter("snapshot-id", r.body["SnapshotId"]?.stringValue ?? "")]))]))))
            #expect(found["VolumeSet"]?.arrayValue?.count == 1)
        }
    }

    @Test("a failed CreateVolume blocks its PersistentVolume, whose record names the failure; the other PV is applied")
    func failedCreateVolumeBlocksThePersistentVolume() throws {
        guard let endpoint = MotoServer.endpoint() else { return }
        guard let kube = KubeWireTestServer.start() else { return }
        defer { kube.stop() }
        let plan = RecoveryPlan(try SampleEstate.translate())
        let session = try MotoAWS.session(endpoint, account: SampleEstate.recoveryAccount, region: "us-west-2")
        var (requests, _) = try steps(plan, session)
        var body = try #require(requests[0].body.objectValue)
        body["SnapshotId"] = "snap-0000000000000dead"
        requests[0].body = .object(body)
        let broken = try #require(EKSRestore.tags(requests[0].body)[VolumeRestore.pvTag])

        let result = EKSRestore(session: session, waitTimeout: 5, pollInterval: 0.01)
            .run([EKSRecoveryPlan(cluster: "volumes", requests: requests)], progress: SilentProgress())
        #expect(result.report.records.map(\.outcome) == [.failed, .created])
        #expect(result.volumes.created[broken] == nil)
        let why = try #require(result.volumes.failed[broken])
        #expect(why.contains("snap-0000000000000dead") || why.contains("InvalidSnapshot"), "\(why)")

        let sets = PendingVolumeFill.apply(persistentVolumes(plan), result.volumes)
        var restore = KubernetesRestore(connection: try kube.connection(), pollInterval: 0.01)
        restore.pendingVolumes = result.volumes.failed
        let applied = restore.apply(sets[0], progress: SilentProgress())
        let name = String(broken.split(separator: "/").last ?? "")
        let record = try #require(applied.records.first { $0.id == name })
        #expect(record.outcome == .failed)
        #expect(record.message.contains(broken) && record.message.contains("step 1"), "\(record.message)")
        #expect(try kube.get("/api/v1/persistentvolumes/\(name)") == nil, "a PV naming no volume is never sent")
        #expect(applied.records.filter { $0.outcome == .created }.count == 1)
    }
}
