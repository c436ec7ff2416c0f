import Foundation
import Testing
@testable import StandbyCore
import StandbyTestSupport


private func sevenConfigMaps() -> [JSONValue] {
    [KubeObjects.namespace("a"), KubeObjects.namespace("b")]
        + (1...4).map { KubeObjects.configMap("cm-\($0)", in: "a") }
        + (1...3).map { KubeObjects.configMap("cm-\($0)", in: "b") }
}

@Suite("Kubernetes discovery against a wire-format test server") struct KubernetesDiscoveryWireTests {
    @Test func discoversEveryServedResourceIncludingCustomResources() throws {
        guard let server = KubeWireTestServer.start() else { return }
        try server.seed([
            KubeObjects.namespace("shop"),
            KubeObjects.widgetCRD(),
            KubeObjects.widget("blue", in: "shop"), KubeObjects.widget("red", in: "shop"),
            ["apiVersion": "apps/v1", "kind": "Deployment", "metadata": ["name": "web", "namespace": "shop"], "spec": ["replicas": 2]],
            ["apiVersion": "v1", "kind": "Secret", "metadata": ["name": "db", "namespace": "shop"], "data": ["password": "aHVudGVyMg=="]],
            ["apiVersion": "v1", "kind": "Event", "metadata": ["name": "web.1", "namespace": "shop"], "reason": "Scheduled"],
            ["apiVersion": "coordination.k8s.io/v1", "kind": "Lease", "metadata": ["name": "leader", "namespace": "shop"]],
            ["apiVersion": "rbac.authorization.k8s.io/v1", "kind": "ClusterRole", "metadata": ["name": "reader"], "rules": []],
        ])
        let progress = RecordingProgress()
        let connection = try server.connection()
        let inventory = try KubernetesDiscovery(connection: connection, cluster: "prod").inventory(progress: progress)

        #expect(inventory.clusters.map(\.name) == ["prod"])
        let kinds = Set(inventory.resources.map { "\($0.apiVersion ?? "") \($0.kind ?? "")" })
        #expect(kinds == ["v1 Namespace", "apiextensions.k8s.io/v1 CustomResourceDefinition", "example.com/v1 Widget",
                          "apps/v1 Deployment", "v1 Secret", "rbac.authorization.k8s.io/v1 ClusterRole"])
        let widgets = inventory.resources.filter { $0.kind == "Widget" }
        #expect(widgets.compactMap(\.name).sorted() == ["blue", "red"])
        #expect(widgets.allSatisfy { $0.cluster == "prod" && $0.namespace == "shop" && $0.group == "example.com" })
        #expect(widgets.first?.document["apiVersion"] == "example.com/v1")
        #expect(widgets.first?.document["spec"]?["size"] == 3)
        #expect(inventory.resources.first { $0.kind == "Secret" }?.document["data"]?["password"] == "aHVudGVyMg==")
        #expect(inventory.resources.first { $0.kind == "ClusterRole" }?.namespace == nil)

        let lines = try server.requestLines()
        #expect(lines.prefix(2) == ["GET /api", "GET /apis"])
        #expect(lines.contains("GET /apis/example.com/v1"))
        #expect(lines.contains("GET /apis/example.com/v1/widgets"))
        #expect(!lines.contains("GET /api/v1/events"))
        #expect(!lines.contains("GET /apis/events.k8s.io/v1/events"))
        #expect(!lines.contains("GET /apis/coordination.k8s.io/v1/leases"))
        #expect(!lines.contains { $0.contains("/bindings") || $0.contains("selfsubjectaccessreviews") || $0.contains("/status") })
        #expect(progress.phases.contains("listing example.com/v1 widgets"))
        #expect(progress.phases.contains("listing apps/v1 deployments"))
    }

    @Test func listsPageByPageWithContinueTokens() throws {
        guard let server = KubeWireTestServer.start() else { return }
        try server.seed(sevenConfigMaps())
        let inventory = try KubernetesDiscovery(connection: try server.connection(), pageSize: 3).inventory()
        let names = inventory.resources.filter { $0.kind == "ConfigMap" }.map { "\($0.namespace ?? "")/\($0.name ?? "")" }
        #expect(names.sorted() == ["a/cm-1", "a/cm-2", "a/cm-3", "a/cm-4", "b/cm-1", "b/cm-2", "b/cm-3"])

        let pages = try server.requests().filter { $0["path"] == "/api/v1/configmaps" }
        #expect(pages.count == 3)
        #expect(pages.allSatisfy { $0["query"]?["limit"] == "3" })
        #expect(pages[0]["query"]?["continue"] == nil)
        #expect(pages[1]["query"]?["continue"]?.stringValue?.isEmpty == false)
        #expect(pages[2]["query"]?["continue"]?.stringValue?.isEmpty == false)
        #expect(pages[1]["query"]?["continue"] != pages[2]["query"]?["continue"])
    }

    @Test func listsOnlyTheNamespacesAskedForAndClusterScopedResources() throws {
        guard let server = KubeWireTestServer.start() else { return }
        try server.seed(sevenConfigMaps())
        let inventory = try KubernetesDiscovery(connection: try server.connection(), namespaces: ["b"]).inventory()
        #expect(inventory.resources.filter { $0.kind == "ConfigMap" }.map(\.namespace) == ["b", "b", "b"])
        #expect(inventory.resources.filter { $0.kind == "Namespace" }.compactMap(\.name).sorted() == ["a", "b"])
        let lines = try server.requestLines()
        #expect(lines.contains("GET /api/v1/namespaces/b/configmaps"))
        #expect(!lines.contains("GET /api/v1/configmaps"))
    }

    @Test func expiredContinueTokenRestartsTheListOnce() throws {
        guard let server = KubeWireTestServer.start() else { return }
        try server.seed(sevenConfigMaps())
        try server.faults([["path": "/api/v1/configmaps", "query": "continue", "status": 410, "reason": "Expired",
                            "message": "The provided continue parameter is too old to display a consistent list result."]])
        let inventory = try KubernetesDiscovery(connection: try server.connection(), pageSize: 3).inventory()
        let names = inventory.resources.filter { $0.kind == "ConfigMap" }.map { "\($0.namespace ?? "")/\($0.name ?? "")" }
        #expect(names.sorted() == ["a/cm-1", "a/cm-2", "a/cm-3", "a/cm-4", "b/cm-1", "b/cm-2", "b/cm-3"]) // each once
        #expect(inventory.notes.contains { $0.contains("the continue token of /api/v1/configmaps expired after 3 objects (Expired)") })

        let pages = try server.requests().filter { $0["path"] == "/api/v1/configmaps" }
        // page 1, page 2 refused (410), then from the start again: 3 pages.
        #expect(pages.map { $0["query"]?["continue"] == nil } == [true, false, true, false, false])
    }

    @Test func secondExpiryIsAnErrorWithTheStatus() throws {
        guard let server = KubeWireTestServer.start() else { return }
        try server.seed(sevenConfigMaps())
        try server.faults([["path": "/api/v1/configmaps", "query": "continue", "status": 410, "reason": "Expired",
                            "message": "The provided continue parameter is too old", "times": -1]])
        let error = #expect(throws: KubeAPIError.self) {
            try KubernetesDiscovery(connection: try server.connection(), pageSize: 3).inventory()
        }
        #expect(error?.status == 410)
        #expect(error?.reason == "Expired")
        #expect(error?.message == "The provided continue parameter is too old")
        #expect(error?.description.hasPrefix("GET /api/v1/configmaps?limit=3&continue=") == true)
    }

    @Test func throttlingAndServerErrorsAreRetriedThenSucceed() throws {
        guard let server = KubeWireTestServer.start() else { return }
        try server.seed(sevenConfigMaps())
        try server.faults([
            ["path": "/api/v1/configmaps", "status": 429, "reason": "TooManyRequests", "retryAfter": 1, "times": 2],
            ["path": "/apis", "status": 503, "times": 1],
            ["path": "/api/v1/namespaces", "status": 500, "reason": "InternalError", "times": 1],
        ])
        let inventory = try KubernetesDiscovery(connection: try server.connection(), pageSize: 3).inventory()
        #expect(inventory.resources.filter { $0.kind == "ConfigMap" }.count == 7)
        #expect(inventory.resources.filter { $0.kind == "Namespace" }.count == 2)
        let lines = try server.requestLines()
        #expect(lines.filter { $0 == "GET /apis" }.count == 2)
        #expect(lines.filter { $0 == "GET /api/v1/namespaces" }.count == 2)
        #expect(lines.filter { $0 == "GET /api/v1/configmaps" }.count == 3 + 2)
    }

    @Test func statusErrorBodyIsSurfaced() throws {
        guard let server = KubeWireTestServer.start() else { return }
        let message = "secrets is forbidden: User \"system:serviceaccount:backup:standby\" cannot list resource \"secrets\" in API group \"\" at the cluster scope"
        try server.faults([["path": "/api/v1/secrets", "status": 403, "reason": "Forbidden", "message": .string(message), "times": -1]])
        let error = #expect(throws: KubeAPIError.self) { try KubernetesDiscovery(connection: try server.connection()).inventory() }
        #expect(error?.method == "GET")
        #expect(error?.path == "/api/v1/secrets?limit=500")
        #expect(error?.status == 403)
        #expect(error?.reason == "Forbidden")
        #expect(error?.message == message)
        #expect(error?.description == "GET /api/v1/secrets?limit=500: 403 Forbidden: \(message)")
        #expect(try server.requestLines().filter { $0 == "GET /api/v1/secrets" }.count == 1) // a 403 is not retried
    }

    /// A deployment and a namespace, with a 503 (after every retry) on the discovery document of `apps/v1`.
    static func appsUnavailable(_ server: KubeWireTestServer) throws {
        try server.seed([KubeObjects.namespace("a"),
                         ["apiVersion": "apps/v1", "kind": "Deployment", "metadata": ["name": "web", "namespace": "a"], "spec": ["replicas": 2]]])
        try server.faults([["path": "/apis/apps/v1", "status": 503, "reason": "ServiceUnavailable",
                            "message": "the server is currently unable to handle the request", "times": -1]])
    }

    @Test("a group whose discovery fails fails the discovery, naming the group, the URL and the status")
    func groupWhoseDiscoveryFailsIsAnError() throws {
        guard let server = KubeWireTestServer.start() else { return }
        try Self.appsUnavailable(server)
        let error = #expect(throws: IncompleteDiscoveryError.self) { try KubernetesDiscovery(connection: try server.connection()).inventory() }
        #expect(error?.gaps.map(\.what) == ["apps/v1"])
        #expect(error?.gaps.first?.source == "kubernetes cluster wire-cluster")
        let text = error?.description ?? ""
        #expect(text.hasPrefix("discovery of kubernetes cluster wire-cluster is incomplete: 1 part could not be read: apps/v1 "), "\(text)")
        #expect(text.contains("GET \(server.endpoint)/apis/apps/v1: 503 ServiceUnavailable: the server is currently unable to handle the request"), "\(text)")
        #expect(text.contains("partial = true"))
        let lines = try server.requestLines()
        #expect(lines.filter { $0 == "GET /apis/apps/v1" }.count == 4, "after the HTTP client's retries")
        #expect(!lines.contains("GET /apis/apps/v1/deployments"))
    }

    @Test("asked to be partial, the discovery reads the rest and records the group as a gap")
    func partialDiscoveryRecordsTheGap() throws {
        guard let server = KubeWireTestServer.start() else { return }
        try Self.appsUnavailable(server)
        let inventory = try KubernetesDiscovery(connection: try server.connection(), partial: true).inventory()
        #expect(inventory.resources.map(\.kind) == ["Namespace"])
        #expect(inventory.isPartial)
        #expect(inventory.gaps.map(\.what) == ["apps/v1"])
        #expect(inventory.gaps.first?.reason.contains("GET \(server.endpoint)/apis/apps/v1: 503 ServiceUnavailable") == true)
        #expect(inventory.notes.contains { $0.hasPrefix("kubernetes cluster wire-cluster: apps/v1 not read: ") })
    }

    @Test("asked to be partial, a list that fails is a gap too, with what was read before it")
    func partialDiscoveryRecordsAFailedList() throws {
        guard let server = KubeWireTestServer.start() else { return }
        try server.seed(sevenConfigMaps())
        try server.faults([["path": "/api/v1/secrets", "status": 403, "reason": "Forbidden", "message": "secrets is forbidden", "times": -1]])
        let inventory = try KubernetesDiscovery(connection: try server.connection(), partial: true).inventory()
        #expect(inventory.resources.filter { $0.kind == "ConfigMap" }.count == 7)
        #expect(inventory.gaps.map(\.what) == ["v1 secrets"])
        #expect(inventory.gaps.first?.reason == "its list failed after 0 objects: GET \(server.endpoint)/api/v1/secrets?limit=500: 403 Forbidden: secrets is forbidden")
    }
}

@Suite("Kubernetes API errors") struct KubeAPIErrorTests {
    @Test func bodyThatIsNotAStatusIsNeverQuoted() {
        let body = Array(#"{"kind":"Secret","data":{"password":"c2VjcmV0"}}"#.utf8)
        let error = KubeAPIError(method: "GET", path: "/api/v1/namespaces/a/secrets/db",
                                 response: HTTPResponse(status: 500, headers: ["content-type": "application/json"], body: body))
        #expect(error.description == "GET /api/v1/namespaces/a/secrets/db: 500: the answer (application/json, \(body.count) bytes) is not a Status object")
        #expect(!error.description.contains("c2VjcmV0"))
    }

    @Test func queryValuesArePercentEncoded() {
        #expect(KubeAPIClient.pathWithQuery("/api/v1/pods", [("limit", "5"), ("continue", "ab+/c=")]) == "/api/v1/pods?limit=5&continue=ab%2B%2Fc%3D")
    }
}
