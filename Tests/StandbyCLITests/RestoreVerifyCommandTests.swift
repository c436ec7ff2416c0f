import Foundation
import Testing
import StandbyCore
import StandbyTestSupport

/// `standby plan scripts/restore.lua … --apply CLUSTER=CONTEXT --verify`: the sample estate's
/// newest point restored to the Kubernetes wire-format test server (a local HTTP server speaking
/// the API's wire format, not a cluster), which serves none of the sample's add-on CRDs: the
/// runbook prints the apply's records and the RTO line, and fails naming each object verification
/// found not as planned and the cluster it was not given.
@Suite("restore.lua --apply and --verify against the Kubernetes wire-format server")
struct RestoreVerifyCommandTests {
    @Test func verifyFailsNamingWhatIsNotAsPlannedAndPrintsTheRTO() throws {
        guard let recovery = KubeWireTestServer.start() else { return }
        defer { recovery.stop() }
        // A recovery cluster has kube-system from the start; the server starts empty.
        try recovery.seed([KubeObjects.namespace("kube-system")])
        let dir = try StandbyBinary.temporaryDirectory()
        let keys = dir.appendingPathComponent("keys").path, points = dir.appendingPathComponent("points").path
        var r = try StandbyBinary.run(["keys", "new", keys])
        #expect(r.status == 0, "\(r.stderr)")
        r = try StandbyBinary.run(["capture", "scripts/capture.lua", points, keys])
        #expect(r.status == 0, "\(r.stderr)")
        let kubeconfig = try recovery.writeKubeconfig()
        let out = dir.appendingPathComponent("plan").path

        r = try StandbyBinary.run(["plan", "--out", out, "scripts/restore.lua", points, keys, "--verify"])
        #expect(r.status != 0)
        #expect(r.stderr.contains("--verify checks what --apply restored: give --apply CLUSTER=CONTEXT too"), "\(r.stderr)")
        #expect(try recovery.requests().isEmpty, "nothing is sent when the options are wrong")

        r = try StandbyBinary.run(["plan", "--out", out, "scripts/restore.lua", points, keys,
                                   "--apply", "aks-prod-weu=wire", "--kubeconfig=\(kubeconfig)", "--verify"])
        #expect(r.status != 0)
        #expect(r.stdout.contains("RTO: aks-prod-weu not ready: 3 failed, 1 blocked (see the apply records)"), "\(r.stdout)")
        #expect(r.stdout.contains("BLOCKED apps/v1 Deployment payments/api: not attempted: it needs secrets-store.csi.x-k8s.io/v1 SecretProviderClass payments/payments-kv"), "\(r.stdout)")
        #expect(r.stdout.contains("skipped cluster eks-prod-use1: no target.kube given"), "\(r.stdout)")
        #expect(r.stderr.contains("restore.lua: verification failed"), "\(r.stderr)")
        for line in ["apps/v1 Deployment payments/api: missing: the cluster has no such object",
                     "keda.sh/v1alpha1 ScaledObject payments/worker: the cluster does not serve keda.sh/v1alpha1 ScaledObject",
                     "secrets-store.csi.x-k8s.io/v1 SecretProviderClass payments/payments-kv: the cluster does not serve",
                     "cluster eks-prod-use1: not verified (no --apply eks-prod-use1=CONTEXT)"] {
            #expect(r.stderr.contains(line), "\(line) not in \(r.stderr)")
        }
        // What was applied is there.
        #expect(try recovery.get("/api/v1/namespaces/kube-system/configmaps/coredns-custom") != nil)
        // A failed verification writes no plan: the error is the record.
        #expect(!FileManager.default.fileExists(atPath: out + "/report.md"))
    }
}
