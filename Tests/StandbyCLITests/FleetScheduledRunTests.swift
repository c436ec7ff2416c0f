import Foundation
import Testing
import StandbyCore
import StandbyTestSupport

/// A scheduled run simulated end to end: a one-cluster fleet is rendered as CronJobs, and the
/// rendered CronJob's command is run here as the pod would run it — the paths it mounts moved to
/// a temporary folder (the runbook ConfigMap's files, the keys Secret, the kubeconfig Secret,
/// the metrics volume), the store credentials in the environment as the Secret would give them —
/// against the Kubernetes wire-format test server (the cluster), moto (the S3 store, with Object
/// Lock) and a real Pushgateway. There is no API server or kubelet here: what they would check
/// is listed in the README.
@Suite("A scheduled fleet run, end to end: rendered CronJob → capture locked on moto → retention → Pushgateway")
struct FleetScheduledRunTests {
    @Test func theRenderedCronJobCapturesLocksPrunesAndPushesMetrics() throws {
        guard let kube = KubeWireTestServer.start(), let moto = MotoServer.endpoint(), let gateway = Pushgateway.start() else { return }
        defer { gateway.stop() }
        try kube.seed([
            KubeObjects.namespace("shop"),
            KubeObjects.configMap("settings", in: "shop", data: ["mode": "live"]),
            ["apiVersion": "v1", "kind": "Secret", "metadata": ["name": "db", "namespace": "shop"], "data": ["password": "aHVudGVyMg=="]],
        ])
        let kubeconfig = try kube.writeKubeconfig()
        let bucket = "standby-fleet-" + UUID().uuidString.lowercased().prefix(12)
        let credentials = AWSCredentials(accessKeyID: "testing", secretAccessKey: "testing")
        let store = S3Store(bucket: String(bucket), prefix: "edge-1", region: "us-east-1", endpoint: moto, credentials: credentials)
        try store.createBucketIfMissing(objectLock: true)

        let dir = try StandbyBinary.temporaryDirectory()
        for name in ["capture-cluster.lua", "drill-cluster.lua"] {
            try FileManager.default.copyItem(at: StandbyBinary.root.appendingPathComponent("scripts/fleet/" + name), to: dir.appendingPathComponent(name))
        }
        try """
            defaults:
              store: s3://\(bucket)/{cluster}
              store_endpoint: \(moto)
              store_credentials: standby-store
              retention: { keep_last: 1 }
              immutability: { mode: governance, days: 1 }
              metrics: { pushgateway: \(gateway.endpoint) }
              drill: { schedule: "30 4 * * 0" }
            clusters:
              - name: edge-1
                cloud: kubernetes
                kubeconfig: { secret: edge-1-kubeconfig, key: config }
            """.write(to: dir.appendingPathComponent("fleet.yaml"), atomically: true, encoding: .utf8)
        let rendered = try StandbyBinary.run(["fleet", "render", dir.appendingPathComponent("fleet.yaml").path, "--as", "cronjobs",
                                              "--out", dir.appendingPathComponent("rendered").path])
        #expect(rendered.status == 0, "\(rendered.stderr)")
        let docs = try YAMLDocuments.parse(try String(contentsOf: dir.appendingPathComponent("rendered/edge-1.yaml"), encoding: .utf8))

        // What the pod would have mounted.
        let mounts = dir.appendingPathComponent("pod")
        let runbookFolder = mounts.appendingPathComponent("runbook"), keysFolder = mounts.appendingPathComponent("keys")
        let metricsFolder = mounts.appendingPathComponent("metrics")
        for folder in [runbookFolder, keysFolder, metricsFolder] { try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true) }
        let configMap = try #require(docs.first { $0["kind"] == "ConfigMap" })
        for (name, text) in configMap["data"]?.objectValue?.pairs ?? [] {
            try (text.stringValue ?? "").write(to: runbookFolder.appendingPathComponent(name), atomically: true, encoding: .utf8)
        }
        let signing = try SigningKeyPair.generate(), recovery = try RecoveryKeyPair.generate()
        for (name, pem) in [("signing.key", signing.privatePEM), ("signing.pub", signing.publicPEM), ("recovery.pub", recovery.publicPEM)] {
            let path = keysFolder.appendingPathComponent(name).path
            try pem.write(toFile: path, atomically: true, encoding: .utf8)
            try FileManager.default.setAttributes([.posixPermissions: 0o600], ofItemAtPath: path)
        }
        func command(_ name: String) throws -> [String] {
            let cron = try #require(docs.first { $0["kind"] == "CronJob" && $0["metadata"]?["name"]?.stringValue == name })
            let container = cron["spec"]?["jobTemplate"]?["spec"]?["template"]?["spec"]?["containers"]?[0]
            #expect(container?["command"] == ["/usr/local/bin/standby"])
            return (container?["args"]?.arrayValue ?? []).compactMap(\.stringValue).map { arg in
                arg.replacingOccurrences(of: FleetPaths.runbookFolder, with: runbookFolder.path)
                    .replacingOccurrences(of: FleetPaths.keysFolder, with: keysFolder.path)
                    .replacingOccurrences(of: FleetPaths.kubeconfigFolder + "/config", with: kubeconfig)
                    .replacingOccurrences(of: FleetPaths.metricsFolder, with: metricsFolder.path)
            }
        }
        let capture = try command("standby-edge-1")
        let environment = ["AWS_ACCESS_KEY_ID": "testing", "AWS_SECRET_ACCESS_KEY": "testing", "AWS_REGION": "us-east-1"]
        // Points are ordered by their creation time, to the second: runs a second apart are ordered
        // as they ran (no assertion depends on how long anything takes).
        func run(_ args: [String]) throws -> StandbyBinary.Result {
            Thread.sleep(forTimeInterval: 1.1)
            return try StandbyBinary.run(args, environment: environment)
        }

        // 1. A point from before the fleet had an immutability policy: written unlocked.
        var unlocked = capture
        if let i = unlocked.firstIndex(of: "--lock") { unlocked.removeSubrange(i...(i + 3)) }
        let first = try run(unlocked)
        #expect(first.status == 0, "\(first.stdout)\(first.stderr)")
        // 2. The rendered command: captured locked; retention (keep_last 1) prunes the unlocked point.
        let second = try run(capture)
        #expect(second.status == 0, "\(second.stdout)\(second.stderr)")
        let afterSecond = try PointCatalog(store: store).list()
        #expect(afterSecond.count == 1)
        #expect(second.stdout.contains("pruned "), "\(second.stdout)")
        let lockedPoint = try #require(afterSecond.first)
        // 3. Again: the previous point is beyond keep_last but locked until tomorrow, so kept.
        let third = try run(capture)
        #expect(third.status == 0, "\(third.stdout)\(third.stderr)")
        #expect(third.stdout.contains("kept \(lockedPoint.id): retention would prune it, but it is locked until"), "\(third.stdout)")
        let points = try PointCatalog(store: store).list()
        #expect(points.count == 2 && points.contains { $0.id == lockedPoint.id })
        for point in points {
            #expect(try store.retention(of: point.id + "/manifest.sig")?.mode == .governance, "\(point.id) is under Object Lock")
            #expect(point.clusters == ["edge-1"] && point.complete)
        }

        // The metrics, read back from the Pushgateway's API and the textfile.
        let group = ["job": "standby", "cluster": "edge-1", "kind": "capture"]
        #expect(try Pushgateway.value("standby_last_run_success", labels: group, at: gateway.endpoint) == 1)
        #expect(try Pushgateway.value("standby_points_kept", labels: group, at: gateway.endpoint) == 2)
        #expect(try Pushgateway.value("standby_points_locked_kept", labels: group, at: gateway.endpoint) == 1)
        #expect(try Pushgateway.value("standby_point_locked", labels: group, at: gateway.endpoint) == 1)
        #expect(try Pushgateway.value("standby_point_objects", labels: group, at: gateway.endpoint).map { $0 >= 3 } == true)
        let lastSuccess = try #require(try Pushgateway.value("standby_last_success_timestamp_seconds", labels: group, at: gateway.endpoint))
        #expect(abs(lastSuccess - Date().timeIntervalSince1970) < 600)
        let textfile = try String(contentsOf: metricsFolder.appendingPathComponent("standby_edge_1.prom"), encoding: .utf8)
        #expect(textfile.contains("standby_last_run_success{cluster=\"edge-1\",cloud=\"kubernetes\",kind=\"capture\"} 1"), "\(textfile)")

        // 4. A failed run (the cluster is gone): exit 1, the failure pushed, the last success kept.
        var failing = capture
        if let i = failing.firstIndex(of: "--kubeconfig") { failing[i + 1] = try kube.write("dead", "apiVersion: v1\nkind: Config\nclusters: [{name: c, cluster: {server: \"http://127.0.0.1:1\"}}]\nusers: [{name: u, user: {token: t}}]\ncontexts: [{name: c, context: {cluster: c, user: u}}]\ncurrent-context: c\n") }
        let failed = try run(failing)
        #expect(failed.status == 1, "\(failed.stdout)\(failed.stderr)")
        #expect(failed.stderr.contains("the scheduled run FAILED"))
        #expect(try Pushgateway.value("standby_last_run_success", labels: group, at: gateway.endpoint) == 0)
        #expect(try Pushgateway.value("standby_last_success_timestamp_seconds", labels: group, at: gateway.endpoint) == lastSuccess)
        #expect(try Pushgateway.value("standby_consecutive_failures", labels: group, at: gateway.endpoint) == 1)

        // 5. The drill CronJob: capture, plan from the point in test mode, check, report beside the point.
        let drill = try run(try command("standby-edge-1-drill"))
        #expect(drill.status == 0, "\(drill.stdout)\(drill.stderr)")
        let drilled = try #require(try PointCatalog(store: store).list().first)
        let report = String(decoding: try store.get(drilled.id + "/drill/report.md"), as: UTF8.self)
        #expect(report.contains("result: **PASSED**"), "\(report)")
        #expect(try store.retention(of: drilled.id + "/drill/report.md")?.mode == .governance, "the report is locked like its point")
        #expect(try Pushgateway.value("standby_drill_success", labels: ["cluster": "edge-1", "kind": "drill"], at: gateway.endpoint) == 1)
    }
}
