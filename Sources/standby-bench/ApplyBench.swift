import Foundation
import StandbyCore

/// `standby-bench apply --server URL [--objects N] [--in-flight W]`: `KubernetesRestore` of N
/// generated objects (a Namespace per 100 objects; in each, ConfigMaps, and one Deployment in ten,
/// whose readiness is awaited) against a running Kubernetes wire-format test server (not a
/// cluster); prints objects per second and the time to ready. A benchmark: asserts nothing.
func applyCommand(_ args: Arguments) throws {
    guard let server = args.options["server"] else { throw Usage("apply needs --server URL (a kube_wire_server.py)") }
    let count = Int(args.options["objects"] ?? "10000") ?? 10000
    let width = Int(args.options["in-flight"] ?? "16") ?? 16
    let folder = FileManager.default.temporaryDirectory.appendingPathComponent("standby-bench-apply-\(UUID().uuidString)")
    try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
    defer { try? FileManager.default.removeItem(at: folder) }
    let kubeconfig = folder.appendingPathComponent("kubeconfig").path
    try """
        apiVersion: v1
        kind: Config
        current-context: bench
        clusters:
        - name: bench
          cluster:
            server: \(server)
        contexts:
        - name: bench
          context:
            cluster: bench
            user: bench
        users:
        - name: bench
          user:
            token: bench

        """.write(toFile: kubeconfig, atomically: true, encoding: .utf8)
    let connection = try KubeConnection.load(KubeSettings(kubeconfig: kubeconfig, environment: [:]))

    var manifests: [KubernetesManifest] = []
    var n = 0
    var namespaceIndex = 0
    while n < count {
        let ns = "bench-\(namespaceIndex)"
        namespaceIndex += 1
        manifests.append(KubernetesManifest(source: "k8s://bench/ns/\(ns)", tier: 1, path: "\(ns).yaml",
                                            document: ["apiVersion": "v1", "kind": "Namespace", "metadata": ["name": .string(ns)]]))
        n += 1
        for i in 0..<99 where n < count {
            let name = "obj-\(i)"
            let document: JSONValue
            if i % 10 == 9 {
                document = ["apiVersion": "apps/v1", "kind": "Deployment",
                            "metadata": ["name": .string(name), "namespace": .string(ns), "labels": ["app": .string(name)]],
                            "spec": ["replicas": 2, "selector": ["matchLabels": ["app": .string(name)]],
                                     "template": ["metadata": ["labels": ["app": .string(name)]],
                                                  "spec": ["containers": [["name": "app", "image": "registry.example/app:1",
                                                                           "envFrom": [["configMapRef": ["name": "obj-0"]]]]]]]]]
            } else {
                document = ["apiVersion": "v1", "kind": "ConfigMap", "metadata": ["name": .string(name), "namespace": .string(ns)],
                            "data": ["key": .string(String(repeating: "v", count: 400))]]
            }
            manifests.append(KubernetesManifest(source: "k8s://bench/\(ns)/\(name)", tier: 7, path: "\(ns)/\(name).yaml", document: document))
            n += 1
        }
    }
    let set = KubernetesRestoreSet(cluster: "bench", manifests: manifests)
    let restore = KubernetesRestore(connection: connection, policy: .update, pollInterval: 0.05, width: width)
    let report = restore.apply(set, progress: SilentProgress())
    guard let timing = report.clusters.first else { throw Usage("apply produced no timing") }
    let rate = timing.objectsPerSecond.map { String(format: "%.0f", $0) } ?? "n/a"
    let ready = timing.secondsToReady.map { String(format: "%.2f s", $0) } ?? "not reached"
    print("apply: \(count) objects, \(width) in flight: \(rate) objects/s (sent \(timing.sent) in "
        + String(format: "%.2f s", timing.applied.map { $0.timeIntervalSince(timing.started) } ?? 0)
        + "), time to ready \(ready), \(timing.awaited) awaited; \(report.summary)")
}
