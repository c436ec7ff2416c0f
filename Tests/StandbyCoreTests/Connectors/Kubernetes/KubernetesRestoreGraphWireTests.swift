import Foundation
import Testing
@testable import StandbyCore
import StandbyTestSupport

/// A restore set of the documents, in the order given (the graph decides what goes first).
private func restoreSet(_ documents: [JSONValue]) -> KubernetesRestoreSet {
    KubernetesRestoreSet(cluster: "recovery", manifests: documents.enumerated().map { n, document in
        KubernetesManifest(source: "k8s://source/\(n)", tier: 0, path: "\(n).yaml", document: document)
    })
}

private func deployment(_ name: String, in namespace: String, labels: [String: String], annotations: [String: String] = [:],
                        configMap: String? = nil) -> JSONValue {
    var container: JSONValue = ["name": "app", "image": "registry.example/app:1"]
    if let configMap { container.set([.key("envFrom")], [["configMapRef": ["name": .string(configMap)]]]) }
    let labelValue = JSONValue.object(JSONObject(labels.sorted { $0.key < $1.key }.map { ($0.key, .string($0.value)) }))
    return ["apiVersion": "apps/v1", "kind": "Deployment",
            "metadata": ["name": .string(name), "namespace": .string(namespace), "labels": labelValue,
                         "annotations": .object(JSONObject(annotations.map { ($0.key, .string($0.value)) }))],
            "spec": ["replicas": 2, "selector": ["matchLabels": labelValue],
                     "template": ["metadata": ["labels": labelValue], "spec": ["containers": [container]]]]]
}

private func service(_ name: String, in namespace: String, selector: [String: String]) -> JSONValue {
    ["apiVersion": "v1", "kind": "Service", "metadata": ["name": .string(name), "namespace": .string(namespace)],
     "spec": ["selector": .object(JSONObject(selector.map { ($0.key, .string($0.value)) })),
              "ports": [["port": 443, "targetPort": 8443]]]]
}

private func webhook(_ name: String, service: String, in namespace: String) -> JSONValue {
    ["apiVersion": "admissionregistration.k8s.io/v1", "kind": "ValidatingWebhookConfiguration", "metadata": ["name": .string(name)],
     "webhooks": [["name": "check.example.com", "admissionReviewVersions": ["v1"], "sideEffects": "None", "failurePolicy": "Fail",
                   "clientConfig": ["service": ["name": .string(service), "namespace": .string(namespace), "path": "/validate"]],
                   "rules": [["apiGroups": [""], "apiVersions": ["v1"], "operations": ["CREATE"], "resources": ["configmaps"]]]]]]
}

/// The result of an apply run on a thread of its own, while the test drives the server.
private final class Background: @unchecked Sendable {
    private let done = DispatchSemaphore(value: 0)
    private(set) var report: ApplyReport?

    init(_ connection: KubeConnection, _ set: KubernetesRestoreSet) {
        Thread.detachNewThread {
            let restore = KubernetesRestore(connection: connection, policy: .update, timeouts: ReadinessTimeouts(overriding: ["Deployment": 60]),
                                            pollInterval: 0.02)
            self.report = restore.apply(set, progress: SilentProgress())
            self.done.signal()
        }
    }

    func wait() -> ApplyReport? {
        _ = done.wait(timeout: .now() + 120)
        return report
    }
}

@Suite("Kubernetes restore: graph order, readiness, versions and hooks against the wire-format test server")
struct KubernetesRestoreGraphWireTests {
    @Test("a webhook whose Service has no ready endpoints is applied only once it has")
    func webhookWaitsForItsServiceEndpoints() throws {
        guard let server = KubeWireTestServer.start() else { return }
        defer { server.stop() }
        let set = restoreSet([
            webhook("policy-check", service: "checker", in: "guard"),
            KubeObjects.namespace("guard"),
            service("checker", in: "guard", selector: ["app": "checker"]),
            deployment("checker", in: "guard", labels: ["app": "checker"], annotations: ["wire-format-test-server/never-ready": "true"]),
        ])
        let run = Background(try server.connection(), set)
        let slices = "GET /apis/discovery.k8s.io/v1/namespaces/guard/endpointslices"
        let webhookPath = "/apis/admissionregistration.k8s.io/v1/validatingwebhookconfigurations/policy-check"
        // The endpoints are read, not ready, several times; the webhook is not sent meanwhile.
        var lines: [String] = []
        for _ in 0..<1000 {
            lines = try server.requestLines()
            if lines.filter({ $0 == slices }).count >= 3 { break }
            Thread.sleep(forTimeInterval: 0.01)
        }
        #expect(lines.filter { $0 == slices }.count >= 3)
        #expect(!lines.contains("PATCH \(webhookPath)"))
        let readyAt = lines.count
        try server.post("/_test/ready", ["path": "/apis/apps/v1/namespaces/guard/deployments/checker"])
        let report = try #require(run.wait())
        #expect(report.records.map(\.outcome) == [.created, .created, .created, .created], "\(report.records)")
        let after = try server.requestLines()
        let sent = try #require(after.firstIndex(of: "PATCH \(webhookPath)"))
        #expect(sent > readyAt)
        #expect(after[..<sent].last { $0 == slices } != nil)
        #expect(report.records[2].ready != nil) // the Service's endpoints were seen ready
        let timing = try #require(report.clusters.first)
        #expect(timing.ready != nil && timing.awaited == 2 && timing.sent == 4)
    }

    @Test("an object whose dependency fails is blocked, naming it; the rest goes on")
    func failedDependencyBlocksOnlyItsDependents() throws {
        guard let server = KubeWireTestServer.start() else { return }
        defer { server.stop() }
        try server.faults([["path": "/api/v1/namespaces/shop/configmaps/settings", "method": "PATCH", "status": 422, "reason": "Invalid",
                            "message": "ConfigMap \"settings\" is invalid: data: Too long: must have at most 1048576 bytes"]])
        let set = restoreSet([
            deployment("web", in: "shop", labels: ["app": "web"], configMap: "settings"),
            KubeObjects.configMap("settings", in: "shop"),
            KubeObjects.configMap("other", in: "shop"),
            KubeObjects.namespace("shop"),
        ])
        let report = KubernetesRestore(connection: try server.connection(), policy: .update, pollInterval: 0.01)
            .apply(set, progress: SilentProgress())
        #expect(report.records.map(\.outcome) == [.blocked, .failed, .created, .created])
        #expect(report.records[0].blockedBy == ["v1 ConfigMap shop/settings"])
        #expect(report.records[0].message == "not attempted: it needs v1 ConfigMap shop/settings (envFrom), which failed")
        #expect(report.summary == "2 created, 0 updated, 0 skipped, 1 failed, 1 blocked")
        #expect(!report.ok)
        #expect(!(try server.requestLines()).contains { $0.contains("/deployments/web") })
    }

    @Test("a namespace is applied before its objects, whatever the set's order")
    func namespaceFirst() throws {
        guard let server = KubeWireTestServer.start() else { return }
        defer { server.stop() }
        let set = restoreSet((0..<20).map { KubeObjects.configMap("c\($0)", in: "shop") } + [KubeObjects.namespace("shop")])
        let report = KubernetesRestore(connection: try server.connection(), policy: .update, width: 8).apply(set, progress: SilentProgress())
        #expect(report.created.count == 21)
        let lines = try server.requestLines()
        let namespace = try #require(lines.firstIndex(of: "PATCH /api/v1/namespaces/shop"))
        #expect(lines.firstIndex { $0.hasPrefix("PATCH /api/v1/namespaces/shop/configmaps/") }! > namespace)
        // Under "update", server-side apply alone says created or updated: no existence GET.
        #expect(!lines.contains { $0.hasPrefix("GET /api/v1/namespaces/shop/configmaps/") })
    }

    @Test("an extensions/v1beta1 Ingress (a real one) is converted to networking.k8s.io/v1 when the target does not serve v1beta1")
    func legacyIngressIsConverted() throws {
        guard let server = KubeWireTestServer.start() else { return }
        defer { server.stop() }
        let text = try #require(try Fixtures.text("k8s/alb-ingress-external-rails.yaml"))
        let ingress = try #require(try YAMLDocuments.parse(text, source: "alb-ingress-external-rails.yaml").first)
        let report = KubernetesRestore(connection: try server.connection(), policy: .update)
            .apply(restoreSet([KubeObjects.namespace("some-namespace"), ingress]), progress: SilentProgress())
        let record = report.records[1]
        #expect(record.description == "created kubernetes networking.k8s.io/v1 Ingress some-namespace/ingress-external: converted from extensions/v1beta1")
        #expect(record.convertedFrom == "extensions/v1beta1")
        let stored = try #require(try server.get("/apis/networking.k8s.io/v1/namespaces/some-namespace/ingresses/ingress-external"))
        let paths = stored["spec"]?["rules"]?[0]?["http"]?["paths"]
        #expect(paths?[0]?["backend"] == ["service": ["name": "redirect", "port": ["name": "use-annotation"]]])
        #expect(paths?[0]?["pathType"] == "ImplementationSpecific")
        #expect(stored["spec"]?["rules"]?[1]?["http"]?["paths"]?[0]?["backend"] == ["service": ["name": "web-external", "port": ["number": 3000]]])
        #expect(stored["metadata"]?["annotations"]?["kubernetes.io/ingress.class"] == "alb")
        #expect(!(try server.requestLines()).contains { $0.contains("/apis/extensions/") && $0.hasPrefix("PATCH") })

        // A target that still serves extensions/v1beta1 gets it as it is.
        guard let old = KubeWireTestServer.start() else { return }
        defer { old.stop() }
        try old.post("/_test/served", ["add": ["extensions/v1beta1"]])
        let kept = KubernetesRestore(connection: try old.connection(), policy: .update)
            .apply(restoreSet([KubeObjects.namespace("some-namespace"), ingress]), progress: SilentProgress())
        #expect(kept.records[1].description == "created kubernetes extensions/v1beta1 Ingress some-namespace/ingress-external")
    }

    @Test("a kind the target does not serve is reported before anything is sent, and what needs it is blocked")
    func unservedKindIsReportedBeforeAnyWrite() throws {
        guard let server = KubeWireTestServer.start() else { return }
        defer { server.stop() }
        let psp: JSONValue = ["apiVersion": "policy/v1beta1", "kind": "PodSecurityPolicy", "metadata": ["name": "restricted"],
                              "spec": ["privileged": false, "seLinux": ["rule": "RunAsAny"]]]
        let emptyPDB: JSONValue = ["apiVersion": "policy/v1beta1", "kind": "PodDisruptionBudget",
                                   "metadata": ["name": "all", "namespace": "shop"], "spec": ["minAvailable": 1, "selector": [:]]]
        let cronJob: JSONValue = ["apiVersion": "batch/v1beta1", "kind": "CronJob", "metadata": ["name": "nightly", "namespace": "shop"],
                                  "spec": ["schedule": "0 3 * * *", "jobTemplate": ["spec": ["template": ["spec": [
                                      "restartPolicy": "OnFailure", "containers": [["name": "c", "image": "busybox"]]]]]]]]
        let role: JSONValue = ["apiVersion": "rbac.authorization.k8s.io/v1", "kind": "ClusterRole", "metadata": ["name": "use-restricted"],
                               "rules": [["apiGroups": ["policy"], "resources": ["podsecuritypolicies"], "verbs": ["use"],
                                          "resourceNames": ["restricted"]]]]
        let report = KubernetesRestore(connection: try server.connection(), policy: .update)
            .apply(restoreSet([KubeObjects.namespace("shop"), psp, emptyPDB, cronJob, role]), progress: SilentProgress())
        #expect(report.records[1].description == "failed kubernetes policy/v1beta1 PodSecurityPolicy restricted: needs a person: the recovery "
            + "cluster does not serve policy/v1beta1 PodSecurityPolicy: no lossless conversion of policy/v1beta1 PodSecurityPolicy to a "
            + "version it serves is known; nothing was sent for it")
        #expect(report.records[2].message.hasPrefix("needs a person: the recovery cluster does not serve policy/v1beta1 PodDisruptionBudget "
            + "(it serves PodDisruptionBudget as policy/v1): its selector is empty"))
        #expect(report.records[3].description == "created kubernetes batch/v1 CronJob shop/nightly: converted from batch/v1beta1")
        #expect(report.records[4].outcome == .created)
        let lines = try server.requestLines()
        #expect(!lines.contains { $0.contains("podsecuritypolicies") || $0.contains("poddisruptionbudgets/all") })
        // Discovery comes first: every write follows it.
        let firstWrite = try #require(lines.firstIndex { $0.hasPrefix("PATCH") })
        #expect(Array(lines[..<firstWrite].prefix(2)) == ["GET /api", "GET /apis"])
    }

    @Test("hooks run once their object is ready, with the connector's verbs; a failing hook is a record")
    func hooksRunAfterReadiness() throws {
        guard let server = KubeWireTestServer.start() else { return }
        defer { server.stop() }
        final class Seen: @unchecked Sendable { var objects: [JSONValue] = [] }
        let seen = Seen()
        let hooks = [
            RestoreHook(name: "after[1]", kind: "Deployment", labels: ["app": "web"]) { event in
                // Read again through the verbs: the server says it is available.
                seen.objects.append((try? event.kube.get(apiVersion: "apps/v1", kind: "Deployment", namespace: "shop", name: "web")) ?? nil ?? .null)
                _ = try? event.kube.apply(KubeObjects.configMap("flags", in: "shop", data: ["restored": "true"]))
                return nil
            },
            RestoreHook(name: "after[2]", namespace: "shop") { event in
                event.object["kind"]?.stringValue == "ConfigMap" ? "cache re-seed failed: connection refused" : nil
            },
        ]
        let set = restoreSet([
            KubeObjects.namespace("shop"),
            deployment("web", in: "shop", labels: ["app": "web"], annotations: ["wire-format-test-server/ready-after-reads": "3"]),
            KubeObjects.configMap("settings", in: "shop"),
        ])
        let report = KubernetesRestore(connection: try server.connection(), policy: .update, pollInterval: 0.01, hooks: hooks)
            .apply(set, progress: SilentProgress())
        #expect(report.records.map(\.outcome) == [.created, .created, .created])
        let status = try #require(seen.objects.first?["status"])
        #expect(status["availableReplicas"] == 2)
        let web = report.hooks.filter { $0.object == "apps/v1 Deployment shop/web" }
        #expect(web.map(\.hook) == ["after[1]", "after[2]"] && web.allSatisfy(\.ok))
        #expect(try #require(web.first).started >= (report.records[1].ready ?? .distantFuture))
        #expect(report.failedHooks.map(\.description) == ["hook after[2] on v1 ConfigMap shop/settings: failed: cache re-seed failed: connection refused"])
        #expect(report.summary == "3 created, 0 updated, 0 skipped, 0 failed, 1 hook failed")
        #expect(try server.get("/api/v1/namespaces/shop/configmaps/flags")?["data"]?["restored"] == "true")
    }
}
