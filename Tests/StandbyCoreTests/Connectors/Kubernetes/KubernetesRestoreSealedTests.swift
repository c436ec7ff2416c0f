import Foundation
import Testing
@testable import StandbyCore
import StandbyTestSupport

/// Objects of a recovery point opened without its key hold sealed placeholders, never values.
@Suite("Kubernetes restore of sealed values against a wire-format test server")
struct KubernetesRestoreSealedTests {
    static let sealed: JSONValue = [PointFormat.encryptedKey: "AAAAbm9uY2U=", PointFormat.jsonKey: false]

    @Test func aSealedPathIsFoundWhereverItIs() {
        #expect(KubernetesRestore.sealedPath(in: ["kind": "Secret", "data": ["password": Self.sealed]]) == "data.password")
        #expect(KubernetesRestore.sealedPath(in: ["spec": ["containers": [["env": [["value": Self.sealed]]]]]]) == "spec.containers[0].env[0].value")
        #expect(KubernetesRestore.sealedPath(in: ["metadata": ["labels": ["team": .string(Self.sealed.description)]]]) == "metadata.labels.team")
        #expect(KubernetesRestore.sealedPath(in: ["kind": "Secret", "data": ["password": "aHVudGVyMg=="]]) == nil)
    }

    @Test("a Secret still sealed is not applied and says how to open the point; the others are")
    func sealedObjectsAreNotApplied() throws {
        guard let server = KubeWireTestServer.start() else { return }
        let documents: [JSONValue] = [
            ["apiVersion": "v1", "kind": "Namespace", "metadata": ["name": "shop"]],
            ["apiVersion": "v1", "kind": "Secret", "metadata": ["name": "db", "namespace": "shop"], "data": ["password": Self.sealed]],
            ["apiVersion": "v1", "kind": "ConfigMap", "metadata": ["name": "settings", "namespace": "shop"], "data": ["mode": "dr"]],
        ]
        let set = KubernetesRestoreSet(cluster: "recovery", manifests: documents.enumerated().map {
            KubernetesManifest(source: "k8s://source/\($0.offset)", tier: $0.offset, path: "\($0.offset).yaml", document: $0.element)
        })
        let report = KubernetesRestore(connection: try server.connection()).apply(set, progress: SilentProgress())
        #expect(report.records.map(\.outcome) == [.created, .failed, .created])
        let failed = try #require(report.failed.first)
        #expect(failed.id == "shop/db")
        #expect(failed.message.contains("data.password is still sealed"))
        #expect(failed.message.contains("recovery_key"))
        #expect(!(try server.requestLines()).contains { $0.contains("/secrets/db") }, "not even read")
    }
}
