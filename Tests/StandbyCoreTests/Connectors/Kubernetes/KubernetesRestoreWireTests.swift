import Foundation
import Testing
@testable import StandbyCore
import StandbyTestSupport

/// A restore set of the documents, in the order given (tiers as RestoreOrder gives them).
private func restoreSet(_ documents: [JSONValue]) -> KubernetesRestoreSet {
    let manifests = documents.map { document -> KubernetesManifest in
        let (group, _) = KubeRef.split(apiVersion: document["apiVersion"]?.stringValue ?? "")
        let tier = RestoreOrder.tier(group: group, kind: document["kind"]?.stringValue ?? "")
        let name = document["metadata"]?["name"]?.stringValue ?? ""
        return KubernetesManifest(source: "k8s://source/\(name)", tier: tier.rawValue, path: "\(name).yaml", document: document)
    }
    return KubernetesRestoreSet(cluster: "recovery", manifests: manifests)
}

private let shopSet = restoreSet([
    KubeObjects.widgetCRD(),
    KubeObjects.namespace("shop"),
    KubeObjects.configMap("settings", in: "shop"),
    ["apiVersion": "apps/v1", "kind": "Deployment", "metadata": ["name": "web", "namespace": "shop"], "spec": ["replicas": 2]],
    KubeObjects.widget("blue", in: "shop"),
])

private func restore(_ server: KubeWireTestServer, policy: ExistingPolicy = .skip, crdTimeout: Double = 30) throws -> KubernetesRestore {
    KubernetesRestore(connection: try server.connection(), policy: policy, crdTimeout: crdTimeout, pollInterval: 0.01)
}

@Suite("Kubernetes restore against a wire-format test server") struct KubernetesRestoreWireTests {
    @Test func crdIsEstablishedBeforeItsCustomResourcesAreApplied() throws {
        guard let server = KubeWireTestServer.start() else { return }
        let report = try restore(server).apply(shopSet, progress: SilentProgress())
        #expect(report.records.map(\.description) == [
            "created kubernetes apiextensions.k8s.io/v1 CustomResourceDefinition widgets.example.com",
            "created kubernetes v1 Namespace shop",
            "created kubernetes v1 ConfigMap shop/settings",
            "created kubernetes apps/v1 Deployment shop/web",
            "created kubernetes example.com/v1 Widget shop/blue",
        ])
        let lines = try server.requestLines()
        let crdPath = "/apis/apiextensions.k8s.io/v1/customresourcedefinitions/widgets.example.com"
        let crdApplied = try #require(lines.firstIndex(of: "PATCH \(crdPath)"))
        let widgetApplied = try #require(lines.firstIndex(of: "PATCH /apis/example.com/v1/namespaces/shop/widgets/blue"))
        // Other objects go out meanwhile: the CRD's own requests are counted.
        let polls = lines.filter { $0.hasSuffix(crdPath) }
        #expect(polls == ["GET \(crdPath)", "PATCH \(crdPath)", "GET \(crdPath)", "GET \(crdPath)"]) // absent, applied, Installing, Established
        #expect(crdApplied < widgetApplied)
        // The custom resource's group version is read from discovery once the CRD is Established.
        let discovery = try #require(lines.lastIndex(of: "GET /apis/example.com/v1"))
        let established = try #require(lines.lastIndex(of: "GET \(crdPath)"))
        #expect(discovery > established && discovery < widgetApplied)

        let widget = try KubernetesDiscovery(connection: try server.connection()).inventory().resources.first { $0.kind == "Widget" }
        #expect(widget?.document["spec"]?["size"] == 3)
    }

    @Test func appliesAreServerSideApplyWithOurFieldManager() throws {
        guard let server = KubeWireTestServer.start() else { return }
        _ = try restore(server).apply(shopSet, progress: SilentProgress())
        let patches = try server.requests().filter { $0["method"] == "PATCH" }
        #expect(patches.count == 5)
        #expect(patches.allSatisfy { $0["contentType"] == "application/apply-patch+yaml" })
        #expect(patches.allSatisfy { $0["query"] == ["fieldManager": "standby", "force": "true"] })
    }

    @Test func reapplyingSkipsOrUpdatesExistingObjects() throws {
        guard let server = KubeWireTestServer.start() else { return }
        let first = try restore(server).apply(shopSet, progress: SilentProgress())
        #expect(first.created.count == 5)

        let again = try restore(server).apply(shopSet, progress: SilentProgress())
        #expect(again.records.map(\.outcome) == Array(repeating: .skipped, count: 5))
        #expect(again.records.allSatisfy { $0.message == "exists" })

        var changed = shopSet
        changed.manifests[2].document = KubeObjects.configMap("settings", in: "shop", data: ["k": "v2"])
        let updated = try restore(server, policy: .update).apply(changed, progress: SilentProgress())
        #expect(updated.records.map(\.outcome) == Array(repeating: .updated, count: 5))
        let settings = try KubernetesDiscovery(connection: try server.connection(), namespaces: ["shop"]).inventory()
            .resources.first { $0.kind == "ConfigMap" }
        #expect(settings?.document["data"]?["k"] == "v2")
    }

    @Test func conflictFailsThatObjectWithTheServersMessage() throws {
        guard let server = KubeWireTestServer.start() else { return }
        let message = "Apply failed with 1 conflict: conflict with \"helm\" using apps/v1: .spec.replicas"
        try server.faults([["path": "/apis/apps/v1/namespaces/shop/deployments/web", "method": "PATCH", "status": 409,
                            "reason": "Conflict", "message": .string(message)]])
        let report = try restore(server).apply(shopSet, progress: SilentProgress())
        #expect(report.failed.map(\.description) == ["failed kubernetes apps/v1 Deployment shop/web: 409 Conflict: \(message)"])
        #expect(report.created.count == 4) // the restore went on
    }

    @Test func missingNamespaceFailsWithTheStatusMessage() throws {
        guard let server = KubeWireTestServer.start() else { return }
        let report = try restore(server).apply(restoreSet([KubeObjects.configMap("orphan", in: "nowhere")]), progress: SilentProgress())
        #expect(report.records.map(\.description) == ["failed kubernetes v1 ConfigMap nowhere/orphan: 404 NotFound: namespaces \"nowhere\" not found"])
    }

    @Test func crdThatIsNeverEstablishedFailsItsCustomResourcesWithoutTryingThem() throws {
        guard let server = KubeWireTestServer.start() else { return }
        let set = restoreSet([
            KubeObjects.widgetCRD(annotations: ["wire-format-test-server/never-established": "true"]),
            KubeObjects.namespace("shop"),
            KubeObjects.widget("blue", in: "shop"),
        ])
        let report = try restore(server, crdTimeout: 0.1).apply(set, progress: SilentProgress())
        #expect(report.records.map(\.description) == [
            "failed kubernetes apiextensions.k8s.io/v1 CustomResourceDefinition widgets.example.com: created; CRD widgets.example.com "
                + "not Established within 0.1 s: Established is False (Installing)",
            "created kubernetes v1 Namespace shop",
            "blocked kubernetes example.com/v1 Widget shop/blue: not attempted: it needs apiextensions.k8s.io/v1 CustomResourceDefinition "
                + "widgets.example.com (definition), which was not ready",
        ])
        #expect(report.blocked.map(\.blockedBy) == [["apiextensions.k8s.io/v1 CustomResourceDefinition widgets.example.com"]])
        #expect(!(try server.requestLines()).contains { $0.contains("/widgets/") })
    }

    @Test func customResourcesWaitForDiscoveryToCatchUpWithANewCRD() throws {
        guard let server = KubeWireTestServer.start() else { return }
        let set = restoreSet([
            KubeObjects.widgetCRD(annotations: ["wire-format-test-server/discovery-lag": "2"]),
            KubeObjects.namespace("shop"),
            KubeObjects.widget("blue", in: "shop"),
        ])
        let report = try restore(server).apply(set, progress: SilentProgress())
        #expect(report.records.map(\.outcome) == [.created, .created, .created])
        #expect(try server.requestLines().filter { $0 == "GET /apis/example.com/v1" }.count == 3)
    }

    @Test func kindTheServerDoesNotServeFails() throws {
        guard let server = KubeWireTestServer.start() else { return }
        let set = restoreSet([["apiVersion": "example.com/v1", "kind": "Gadget", "metadata": ["name": "g", "namespace": "shop"]]])
        let report = try restore(server).apply(set, progress: SilentProgress())
        #expect(report.records.map(\.description) == ["failed kubernetes example.com/v1 Gadget shop/g: needs a person: the recovery cluster "
            + "does not serve example.com/v1 Gadget: no lossless conversion of example.com/v1 Gadget to a version it serves is known; "
            + "nothing was sent for it"])
    }

    @Test func namespacedManifestWithoutNamespaceGoesToTheContextNamespace() throws {
        guard let server = KubeWireTestServer.start() else { return }
        let set = restoreSet([KubeObjects.namespace("shop"),
                              ["apiVersion": "v1", "kind": "ConfigMap", "metadata": ["name": "loose"], "data": ["a": "b"]]])
        let report = try restore(server).apply(set, progress: SilentProgress())
        #expect(report.records.map(\.description) == ["created kubernetes v1 Namespace shop", "created kubernetes v1 ConfigMap shop/loose"])
    }
}
