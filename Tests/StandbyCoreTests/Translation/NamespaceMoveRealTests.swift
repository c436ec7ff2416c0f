import Foundation
import Testing
@testable import StandbyCore
import StandbyTestSupport

/// Namespace maps on real public manifests (`Tests/Fixtures/real/kubectl/`, provenance in
/// `Tests/Fixtures/real/SOURCES.md`): ingress-nginx's release manifest (RBAC subjects, an admission
/// webhook's service reference) and the Kubernetes examples' Cassandra StatefulSet (a pod DNS name
/// in an env value, in the `default` namespace).
@Suite struct NamespaceMoveRealTests {
    static let root = LocalServer.root + "/Tests/Fixtures/real/kubectl"
    static let to = RecoveryEnvironment(azure: AzureSite(subscription: "11111111-2222-3333-4444-555555555555", location: "eastus2"))

    static func plan(_ files: [String], namespaces: [String], map: [String: String], roots: [String] = [],
                     mode: TranslationMode = .failover) throws -> (Translation, KubernetesRestoreSet) {
        let inventory = try InventoryLoader.load(paths: files.map { root + "/" + $0 }, options: LoadOptions(cluster: "c1"))
        let namespaceMap = NamespaceMap(map)
        try namespaceMap.check(against: inventory)
        let selection = inventory.select(SelectionRequest(roots: roots, namespaces: namespaces))
        let t = Translator(settings: TranslationSettings(to: to, mode: mode, namespaces: namespaceMap)).translate(selection)
        let set = try #require(RecoveryPlan(t).kubernetes.first { $0.cluster == "c1" })
        return (t, set)
    }

    @Test("ingress-nginx moved: RBAC subjects, the webhook's service and every file follow")
    func ingressNginx() throws {
        let (t, set) = try Self.plan(["ingress-nginx-deploy.yaml"], namespaces: ["ingress-nginx"], map: ["ingress-nginx": "ingress-dr"],
                                     roots: ["k8s://c1/rbac.authorization.k8s.io/ClusterRoleBinding/ingress-nginx",
                                             "k8s://c1/rbac.authorization.k8s.io/ClusterRoleBinding/ingress-nginx-admission",
                                             "k8s://c1/admissionregistration.k8s.io/ValidatingWebhookConfiguration/ingress-nginx-admission"])
        func doc(_ id: String) throws -> JSONValue { try #require(set.manifests.first { $0.source == id }, "\(id)").document }
        for binding in ["k8s://c1/rbac.authorization.k8s.io/ClusterRoleBinding/ingress-nginx",
                        "k8s://c1/rbac.authorization.k8s.io/RoleBinding/ingress-nginx/ingress-nginx-admission"] {
            let subjects = try doc(binding)["subjects"]?.arrayValue ?? []
            #expect(!subjects.isEmpty)
            for s in subjects { #expect(s["namespace"] == "ingress-dr", "\(binding)") }
        }
        let hook = try doc("k8s://c1/admissionregistration.k8s.io/ValidatingWebhookConfiguration/ingress-nginx-admission")
        #expect(hook["webhooks"]?[0]?["clientConfig"]?["service"]?["namespace"] == "ingress-dr")
        #expect(try doc("k8s://c1/core/Namespace/ingress-nginx")["metadata"]?["name"] == "ingress-dr")
        let paths = set.manifests.map(\.path)
        #expect(paths.contains("ingress-dr/Deployment/ingress-nginx-controller.yaml"))
        #expect(!paths.contains { $0.hasPrefix("ingress-nginx/") }, "\(paths)")
        // `$(POD_NAMESPACE)` is the pod's own namespace: nothing to rewrite.
        let job = try doc("k8s://c1/batch/Job/ingress-dr/ingress-nginx-admission-create".replacingOccurrences(of: "ingress-dr", with: "ingress-nginx"))
        let args = job["spec"]?["template"]?["spec"]?["containers"]?[0]?["args"]?.arrayValue ?? []
        #expect(args.contains("--host=ingress-nginx-controller-admission,ingress-nginx-controller-admission.$(POD_NAMESPACE).svc"))
        #expect(t.issues.filter { $0.feature == "metadata.namespace" }.isEmpty, "\(t.issues)")
    }

    @Test("Cassandra moved out of default: the seed's pod DNS name follows; nothing creates the new namespace, and the report says so")
    func cassandra() throws {
        let (t, set) = try Self.plan(["cassandra-statefulset.yaml", "cassandra-service.yaml"], namespaces: ["default"],
                                     map: ["default": "cassandra"])
        let sts = try #require(set.manifests.first { $0.source == "k8s://c1/apps/StatefulSet/default/cassandra" })
        #expect(sts.path == "cassandra/StatefulSet/cassandra.yaml")
        let env = sts.document["spec"]?["template"]?["spec"]?["containers"]?[0]?["env"]?.arrayValue ?? []
        let seeds = try #require(env.first { $0["name"] == "CASSANDRA_SEEDS" })
        #expect(seeds["value"] == "cassandra-0.cassandra.cassandra.svc.cluster.local")
        let issue = try #require(t.issues.first { $0.feature == "metadata.namespace" })
        #expect(issue.message.contains("moved to namespace cassandra of cluster c1"))
        #expect(issue.message.contains("which the plan does not create"))
    }
}
