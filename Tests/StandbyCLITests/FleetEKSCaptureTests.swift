import Foundation
import Testing
import StandbyCore
import StandbyTestSupport

/// `standby fleet run` for an EKS cluster (`--cloud eks --cluster-id <ARN>`), as the rendered
/// CronJob runs it, against a moto server of its own holding the sample EKS estate, the EKS
/// wire-format server in front of it (access entries, pod identity, add-ons: what moto does not
/// serve), and the Kubernetes wire-format test server as the cluster: the point holds the EKS
/// control plane beside the cluster's objects, linked to them.
@Suite("A fleet capture of an EKS cluster: the control plane from moto beside the Kubernetes objects")
struct FleetEKSCaptureTests {
    @Test func theEKSFormCapturesTheControlPlaneWithTheObjects() throws {
        let moto: LocalServer
        do throws(LocalServerError) { moto = try MotoServer.start() } catch {
            Issue.record("moto server: \(error.message)")
            return
        }
        defer { moto.stop() }
        let eks: LocalServer
        do throws(LocalServerError) { eks = try EKSWireServer.start(upstream: moto.endpoint) } catch {
            Issue.record("EKS wire server: \(error.message)")
            return
        }
        defer { eks.stop() }
        guard let kube = KubeWireTestServer.start() else { return }
        defer { kube.stop() }

        // The sample EKS estate, in the account the run's keys give on moto.
        let session = try AWSSession.connect(MotoAWS.settings(moto.endpoint, region: "us-east-1"))
        _ = try MotoEKSEstate.create(session)
        let described = try session.rest(.eks, "DescribeCluster", "GET", ["clusters", MotoEKSEstate.cluster])
        let arn = try #require(described["cluster"]?["arn"]?.stringValue)
        try kube.seed([KubeObjects.namespace("orders"), KubeObjects.configMap("settings", in: "orders", data: ["mode": "live"])])

        let dir = try StandbyBinary.temporaryDirectory()
        let keys = dir.appendingPathComponent("keys"), store = dir.appendingPathComponent("points").path
        try FileManager.default.createDirectory(at: keys, withIntermediateDirectories: true)
        let signing = try SigningKeyPair.generate(), recovery = try RecoveryKeyPair.generate()
        for (name, pem) in [("signing.key", signing.privatePEM), ("signing.pub", signing.publicPEM), ("recovery.pub", recovery.publicPEM)] {
            let path = keys.appendingPathComponent(name).path
            try pem.write(toFile: path, atomically: true, encoding: .utf8)
            try FileManager.default.setAttributes([.posixPermissions: 0o600], ofItemAtPath: path)
        }
        let runbook = StandbyBinary.root.appendingPathComponent("scripts/fleet/capture-cluster.lua").path
        let environment = ["AWS_ACCESS_KEY_ID": "testing", "AWS_SECRET_ACCESS_KEY": "testing", "AWS_REGION": "us-east-1",
                           "AWS_ENDPOINT_URL": moto.endpoint, "AWS_ENDPOINT_URL_EKS": eks.endpoint,
                           "AWS_CONFIG_FILE": dir.appendingPathComponent("no-aws-config").path,
                           "AWS_SHARED_CREDENTIALS_FILE": dir.appendingPathComponent("no-aws-credentials").path]
        let r = try StandbyBinary.run(["fleet", "run", "--cluster", "edge-eks", "--cloud", "eks", "--cluster-id", arn,
                                       "--runbook", runbook, "--kubeconfig", try kube.writeKubeconfig(), "--store", store,
                                       "--keys", keys.path, "--keep-last", "3"], environment: environment)
        #expect(r.status == 0, "\(r.stdout)\(r.stderr)")
        #expect(r.stdout.contains("edge-eks: control plane \(MotoEKSEstate.cluster) (AWS::EKS::Cluster)"), "\(r.stdout)")

        // The point, opened and verified from Lua, as a restore would: the cluster resource is in
        // its selection, and the Kubernetes objects are filed under the EKS cluster.
        let check = dir.appendingPathComponent("check.lua")
        try """
            local standby = require "standby"
            local points = standby.points.open("\(store)", { verify_key = "\(keys.path)/signing.pub" })
            local point = assert(points:newest{})
            local sel = point:selection{}
            local clusters, configmaps = {}, {}
            for _, r in ipairs(sel.inventory:find{ type = "AWS::EKS::Cluster" }) do clusters[#clusters + 1] = r.id end
            for _, r in ipairs(sel.inventory:find{ kind = "ConfigMap", namespace = "orders" }) do configmaps[#configmaps + 1] = r.id end
            print("clusters=" .. table.concat(clusters, ","))
            print("configmaps=" .. table.concat(configmaps, ","))
            print("selected=" .. tostring(#clusters == 1 and sel:contains(clusters[1])))
            """.write(to: check, atomically: true, encoding: .utf8)
        let read = try StandbyBinary.run(["run", check.path])
        #expect(read.status == 0, "\(read.stdout)\(read.stderr)")
        #expect(read.stdout.contains("clusters=\(arn)"), "\(read.stdout)")
        #expect(read.stdout.contains("selected=true"), "\(read.stdout)")
        #expect(read.stdout.contains("configmaps=k8s://\(MotoEKSEstate.cluster)/"), "\(read.stdout)")
    }
}
