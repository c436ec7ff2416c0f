import Foundation
import Testing
import StandbyCore
import StandbyLua
import StandbyTestSupport

/// Issue 14's EBS path in one runbook, against moto (the EC2 API emulator) and the Kubernetes
/// wire-format test server (neither is AWS or a cluster): `standby.capture{ volumes = ... }`
/// snapshots the EBS volume behind the aws-ebs-csi-driver's static-provisioning PV and copies it
/// to us-west-2; the runbook then opens the newest point as `scripts/restore.lua` does, translates
/// it to us-west-2, plans, and `plan:apply`s: `CreateVolume` from the point's copy on moto, the PV
/// and its claim to the wire server, the PV naming the new volume. Applied twice.
///
/// The recovery account is the volume's own account here. moto keeps snapshots per account: a
/// `CreateVolume` in another account from a copy shared with it (`createVolumePermission`) answers
/// `InvalidSnapshot.NotFound` there (moto 5.2.5), so the cross-account share is tested at capture
/// (``VolumeCaptureMotoTests``), not through a restore.
@Suite("Lua: EBS capture, point, plan and apply in one runbook, on moto and the Kubernetes wire server", .serialized)
struct EBSVolumeEndToEndMotoKubeTests {
    static let account = MotoAWS.primaryAccount
    static let size = 5

    /// The driver example's PV naming `volume` in `zone`, and its claim in namespace `shop`, as JSON files.
    static func inventoryFiles(_ folder: String, volume: String, zone: String) throws -> Bool {
        guard let pvText = try Fixtures.text("real/volumes/ebs-csi-static-pv.yaml"),
              let claimText = try Fixtures.text("real/volumes/ebs-csi-static-claim.yaml") else { return false }
        let pv = try YAMLDocuments.parse(pvText.replacingOccurrences(of: "vol-03c604538dd7d2f41", with: volume)
            .replacingOccurrences(of: "us-east-2c", with: zone), source: "ebs-csi-static-pv.yaml")
        var claim = try #require(try YAMLDocuments.parse(claimText, source: "ebs-csi-static-claim.yaml").first)
        claim.set([.key("metadata"), .key("namespace")], "shop")
        try JSONSerializer.serialize(try #require(pv.first)).write(toFile: folder + "/pv.json", atomically: true, encoding: .utf8)
        try JSONSerializer.serialize(claim).write(toFile: folder + "/pvc.json", atomically: true, encoding: .utf8)
        return true
    }

    static func keys(_ folder: String) throws {
        let signing = try SigningKeyPair.generate(), recovery = try RecoveryKeyPair.generate()
        for (name, pem) in [("signing.key", signing.privatePEM), ("signing.pub", signing.publicPEM),
                            ("recovery.pub", recovery.publicPEM), ("recovery.key", recovery.privatePEM)] {
            try pem.write(toFile: folder + "/" + name, atomically: true, encoding: .utf8)
        }
    }

    /// The runbook: capture, then (from the newest point alone) translate, plan and apply twice.
    static func runbook(_ folder: String, moto: String, kubeconfig: String) -> String {
        let role = "arn:aws:iam::\(account):role/standby-admin"
        return """
            local standby = require "standby"
            local inv = standby.inventory.load({ "\(folder)/pv.json", "\(folder)/pvc.json" }, { cluster = "eks-prod" })
            local sel = standby.select{ inventory = inv, namespaces = { "shop" } }
            local captured = standby.capture{ selection = sel, to = "\(folder)/points",
              signing_key = "\(folder)/signing.key", recovery_key = "\(folder)/recovery.pub",
              volumes = { recovery_region = "us-west-2", recovery_account = "\(account)",
                          aws = { endpoint = "\(moto)", role_arn = "\(role)" } } }

            -- As scripts/restore.lua: the newest verified point, its selection, the recovery site.
            local point = standby.points.open("\(folder)/points", { verify_key = "\(folder)/signing.pub" }):newest{}
            local t = standby.translate{ selection = point:selection{ recovery_key = "\(folder)/recovery.key" }, mode = "failover",
                                         to = { aws = { account = "\(account)", region = "us-west-2" } } }
            local plan = standby.plan{ translation = t }
            local target = { aws = { endpoint = "\(moto)", region = "us-west-2", role_arn = "\(role)" },
                             kube = { kubeconfig = "\(kubeconfig)" } }
            local first = plan:apply{ target = target, timeouts = { PersistentVolumeClaim = 0 } }
            local again = plan:apply{ target = target, timeouts = { PersistentVolumeClaim = 0 } }
            return captured, point.id, point:volumes(), plan:volumes(), first, again
            """
    }

    @Test("the point records the copy; the plan made from it creates the volume from that copy on moto and the applied PV names it; applied again, nothing new")
    func captureThenRestoreFromThePoint() throws {
        guard let moto = MotoServer.endpoint() else { return }
        guard let kube = KubeWireTestServer.start() else { return }
        defer { kube.stop() }
        let folder = try Fixture.folder()
        defer { try? FileManager.default.removeItem(atPath: folder) }
        // Lua's AWS sessions read keys from the environment: moto's, and no shared files of this machine.
        // Set for this test only: what was there before comes back when it ends.
        let settings = [("AWS_ACCESS_KEY_ID", "testing"), ("AWS_SECRET_ACCESS_KEY", "testing"),
                        ("AWS_CONFIG_FILE", folder + "/no-aws-config"), ("AWS_SHARED_CREDENTIALS_FILE", folder + "/no-aws-credentials")]
        let previous = settings.map { name, _ in (name, getenv(name).map { String(cString: $0) }) }
        defer { for (name, value) in previous { if let value { setenv(name, value, 1) } else { unsetenv(name) } } }
        for (name, value) in settings { setenv(name, value, 1) }
        let source = try MotoAWS.session(moto, account: Self.account, region: "us-east-1")
        let recovery = try MotoAWS.session(moto, account: Self.account, region: "us-west-2")
        let volume = try #require(AWSQueryAnswer.json(try source.query(.ec2, "CreateVolume", [
            (name: "AvailabilityZone", value: "us-east-1a"), (name: "Size", value: String(Self.size))]))["VolumeId"]?.stringValue)
        guard try Self.inventoryFiles(folder, volume: volume, zone: "us-east-1a") else { return }
        try Self.keys(folder)
        try kube.seed([KubeObjects.namespace("shop")])

        let (results, _) = try Fixture.run(Self.runbook(folder, moto: moto, kubeconfig: try kube.writeKubeconfig()), folder: folder)
        let captured = results[0], pointID = try #require(results[1].stringValue)
        let recorded = results[2].arrayValue ?? [], planned = results[3].arrayValue ?? []
        let first = results[4], again = results[5]

        // The capture: whole, its manifest recording the copy in us-west-2.
        #expect(captured["partial"] == false, "\(captured)")
        #expect(captured["id"]?.stringValue == pointID)
        try #require(recorded.count == 1, "\(recorded)")
        let record = recorded[0]
        let copy = try #require(record["copy"]?.stringValue)
        #expect(record["volume"]?.stringValue == volume)
        #expect(copy.hasPrefix("snap-") && record["snapshot"]?.stringValue != copy, "\(record)")
        #expect(record["copy_region"] == "us-west-2" && record["size_gib"] == .int(Int64(Self.size)))
        #expect(record["consistency"] == "crash-consistent")

        // The plan made from the point alone restores the volume from that copy (not "needs a person").
        try #require(planned.count == 1, "\(planned)")
        #expect(planned[0]["action"] == "from_snapshot_copy", "\(planned[0])")
        #expect(planned[0]["snapshot"]?.stringValue == copy && planned[0]["point"]?.stringValue == pointID, "\(planned[0])")
        #expect(planned[0]["recovery_zone"] == "us-west-2a")

        // The first apply: CreateVolume on moto, then the PV and its claim on the wire server.
        #expect(first["ok"] == true, "\(first["summary"] ?? .null): \(first["failed"] ?? .null) \(first["blocked"] ?? .null)")
        let createRecord = try #require(first["records"]?.arrayValue?.first { $0["kind"] == "CreateVolume" }, "\(first)")
        #expect(createRecord["outcome"] == "created", "\(createRecord)")
        let fromCopy = AWSQueryAnswer.json(try recovery.query(.ec2, "DescribeVolumes", .object(JSONObject([
            ("Filter", .array([.object(JSONObject([("Name", "snapshot-id"), ("Value", .array([.string(copy)]))]))]))]))))
        let made = fromCopy["VolumeSet"]?.arrayValue ?? []
        try #require(made.count == 1, "one volume from \(copy) in us-west-2: \(made)")
        let restored = try #require(made[0]["VolumeId"]?.stringValue)
        #expect(restored != volume)
        #expect(made[0]["SnapshotId"]?.stringValue == copy)
        #expect(made[0]["Size"]?.stringValue == String(Self.size) || made[0]["Size"] == .int(Int64(Self.size)), "\(made[0])")
        #expect(made[0]["Status"] == "available" && made[0]["AvailabilityZone"] == "us-west-2a", "\(made[0])")
        #expect(createRecord["id"]?.stringValue == restored, "\(createRecord)")

        let pv = try #require(try kube.get("/api/v1/persistentvolumes/test-pv"), "the PV was applied")
        #expect(pv[path: [.key("spec"), .key("csi"), .key("volumeHandle")]]?.stringValue == restored, "\(pv)")
        #expect(!JSONSerializer.serialize(pv).contains(volume), "the applied PV does not name the source volume")
        #expect(try kube.get("/api/v1/namespaces/shop/persistentvolumeclaims/ebs-claim") != nil)

        // Applied again: the volume is found by its tags and reused, the objects exist; still one volume.
        #expect(again["ok"] == true, "\(again["summary"] ?? .null)")
        let againCreate = try #require(again["records"]?.arrayValue?.first { $0["kind"] == "CreateVolume" })
        #expect(againCreate["outcome"] == "skipped" && againCreate["id"]?.stringValue == restored, "\(againCreate)")
        #expect(again["created"]?.arrayValue?.isEmpty == true, "\(again["created"] ?? .null)")
        let after = AWSQueryAnswer.json(try recovery.query(.ec2, "DescribeVolumes", .object(JSONObject([
            ("Filter", .array([.object(JSONObject([("Name", "snapshot-id"), ("Value", .array([.string(copy)]))]))]))]))))
        #expect(after["VolumeSet"]?.arrayValue?.count == 1)
        #expect(try kube.get("/api/v1/persistentvolumes/test-pv")?[path: [.key("spec"), .key("csi"), .key("volumeHandle")]]?.stringValue == restored)
    }
}
