import Foundation
import Testing
@testable import StandbyCore

@Suite("Selection: selection rules, closure and explanations")
struct SelectionSemanticsTests {
    static let cluster = """
        apiVersion: v1
        kind: Namespace
        metadata: {name: kube-system}
        ---
        apiVersion: v1
        kind: Namespace
        metadata: {name: payments}
        ---
        apiVersion: rbac.authorization.k8s.io/v1
        kind: ClusterRole
        metadata: {name: view}
        ---
        apiVersion: v1
        kind: ConfigMap
        metadata: {name: coredns, namespace: kube-system}
        ---
        apiVersion: apps/v1
        kind: Deployment
        metadata: {name: api, namespace: payments, labels: {tier: web, team: pay}}
        spec:
          template:
            metadata: {labels: {app: api}}
            spec:
              containers: [{name: c, image: x, envFrom: [{configMapRef: {name: api-config}}]}]
        ---
        apiVersion: v1
        kind: ConfigMap
        metadata: {name: api-config, namespace: payments}
        ---
        apiVersion: v1
        kind: Secret
        metadata: {name: api-secret, namespace: payments, labels: {tier: web}}
        ---
        apiVersion: apps/v1
        kind: Deployment
        metadata: {name: worker, namespace: payments, labels: {tier: batch}}
        spec: {template: {spec: {containers: [{name: c, image: x}]}}}
        ---
        apiVersion: apps/v1
        kind: Deployment
        metadata: {name: web-frontend, namespace: shop, labels: {tier: web}}
        spec: {template: {spec: {containers: [{name: c, image: x}]}}}
        ---
        apiVersion: v1
        kind: ConfigMap
        metadata: {name: shop-config, namespace: shop}
        """

    static let gatekeeper = """
        apiVersion: v1
        kind: Namespace
        metadata: {name: gatekeeper-system}
        ---
        apiVersion: apps/v1
        kind: Deployment
        metadata: {name: gatekeeper-controller, namespace: gatekeeper-system}
        spec: {template: {spec: {containers: [{name: c, image: x}]}}}
        ---
        apiVersion: templates.gatekeeper.sh/v1
        kind: ConstraintTemplate
        metadata: {name: k8sazurev2noprivilege}
        ---
        apiVersion: constraints.gatekeeper.sh/v1beta1
        kind: K8sAzureV2NoPrivilege
        metadata: {name: azurepolicy-noprivilege}
        ---
        apiVersion: apiextensions.k8s.io/v1
        kind: CustomResourceDefinition
        metadata: {name: k8sazurev2noprivilege.constraints.gatekeeper.sh}
        spec: {group: constraints.gatekeeper.sh, names: {kind: K8sAzureV2NoPrivilege}, scope: Cluster}
        ---
        apiVersion: admissionregistration.k8s.io/v1
        kind: ValidatingWebhookConfiguration
        metadata: {name: gatekeeper-validating-webhook-configuration, labels: {gatekeeper.sh/system: "yes"}}
        webhooks: []
        """

    static func inventory(_ extra: String...) throws -> Inventory {
        try TestEstate.aks(([cluster] + extra).joined(separator: "\n---\n"),
                           azure: ["[" + arm("Microsoft.ContainerService/managedClusters/aks1") + "]"]).load()
    }

    static let mc = TestEstate.aksID

    @Test func clusterRootPullsClusterScopedAndKubeSystemOnly() throws {
        let s = select(SelectionRequest(roots: [Self.mc]), in: try Self.inventory())
        #expect(displays(s) == [
            "ClusterRole view", "ConfigMap kube-system/coredns", "Namespace kube-system", "Namespace payments",
            "managedClusters aks1",
        ])
        #expect(s.explain(k("core/ConfigMap/kube-system/coredns")) == "managedClusters aks1 → kube-system → ConfigMap kube-system/coredns")
        #expect(s.explain(k("rbac.authorization.k8s.io/ClusterRole/view"))
                == "managedClusters aks1 → cluster-scoped object → ClusterRole view")
        #expect(s.explain(Self.mc) == "managedClusters aks1 (root)")
        #expect(s.why(Self.mc) == [])
        #expect(s.why(k("apps/Deployment/payments/api")) == nil)
    }

    @Test func clusterNameAsRootSelectsTheControlPlane() throws {
        let s = select(SelectionRequest(roots: ["aks1"]), in: try Self.inventory())
        #expect(s.inclusion(of: Self.mc) == .selected(.root))
        #expect(s.contains(k("core/ConfigMap/kube-system/coredns")))
        // Without a control-plane resource, the cluster's defaults are selected directly.
        let bare = try TestEstate.aks(Self.cluster).load()
        let s2 = select(SelectionRequest(roots: ["aks1"]), in: bare)
        #expect(s2.inclusion(of: k("core/ConfigMap/kube-system/coredns")) == .selected(.clusterDefault(cluster: "aks1")))
        #expect(s2.ids.count == 4)
        let s3 = select(SelectionRequest(roots: ["nope", Self.mc]), in: bare)
        #expect(s3.unknownRoots == ["nope", Self.mc])
        #expect(s3.ids.isEmpty)
    }

    @Test func namespacesApplyToSelectedClustersOrAreQualified() throws {
        let inv = try Self.inventory()
        let s = select(SelectionRequest(roots: [Self.mc], namespaces: ["payments"]), in: inv)
        #expect(s.inclusion(of: k("apps/Deployment/payments/api")) == .selected(.namespace("payments")))
        #expect(s.inclusion(of: k("core/Namespace/payments")) == .selected(.namespace("payments")))
        #expect(s.contains(k("core/Secret/payments/api-secret")))
        #expect(!s.contains(k("core/ConfigMap/shop/shop-config")))
        #expect(s.explain(k("core/ConfigMap/payments/api-config")) == "ConfigMap payments/api-config (namespace payments)")

        let q = select(SelectionRequest(namespaces: ["aks1/shop", "other/payments"]), in: inv)
        #expect(displays(q) == ["ConfigMap shop/shop-config", "Deployment shop/web-frontend"])
        #expect(q.inclusion(of: k("core/ConfigMap/shop/shop-config")) == .selected(.namespace("aks1/shop")))

        // No cluster selected: plain names apply to every cluster.
        let all = select(SelectionRequest(namespaces: ["shop"]), in: inv)
        #expect(all.ids.count == 2)
    }

    @Test func tagRulesAndWithinOrAcross() throws {
        let inv = try Self.inventory()
        let rules = [try TagRule(["k8s:kind": "Deployment", "k8s:label": "tier=web"]),
                     try TagRule(["k8s:name": "api-*", "k8s:namespace": "payments"])]
        let s = select(SelectionRequest(tags: rules), in: inv)
        #expect(displays(s) == [
            "ConfigMap payments/api-config", "Deployment payments/api", "Deployment shop/web-frontend", "Namespace payments",
            "Secret payments/api-secret",
        ])
        // Selected objects pull in their Namespace object.
        #expect(s.explain(k("core/Namespace/payments")) == "Deployment payments/api → namespace → Namespace payments")
        #expect(s.inclusion(of: k("apps/Deployment/payments/api")) == .selected(.tagRule(1)))
        #expect(s.inclusion(of: k("core/Secret/payments/api-secret")) == .selected(.tagRule(2)))
        #expect(s.inclusion(of: k("core/ConfigMap/payments/api-config")) == .selected(.tagRule(2)))
        #expect(s.explain(k("core/Secret/payments/api-secret")) == "Secret payments/api-secret (tag rule 2)")

        let exists = select(SelectionRequest(tags: [try TagRule(["k8s:label": "team"])]), in: inv)
        #expect(displays(exists) == ["ConfigMap payments/api-config", "Deployment payments/api", "Namespace payments"])
        let glob = select(SelectionRequest(tags: [try TagRule(["k8s:name": "?orker"])]), in: inv)
        #expect(displays(glob) == ["Deployment payments/worker", "Namespace payments"])
        // Within a selected cluster only.
        let scoped = select(SelectionRequest(roots: ["aks1"], tags: [try TagRule(["k8s:kind": "Deployment"])]), in: inv)
        #expect(scoped.summary.byType.first { $0.type == "Deployment" }?.selected == 3)
    }

    @Test func tagRuleParsingErrors() {
        #expect(throws: SelectionError("Unknown tag 'k8s:type': expected k8s:kind, k8s:namespace, k8s:label or k8s:name.")) {
            try TagRule(["k8s:type": "x"])
        }
        #expect(throws: SelectionError("A tag rule needs at least one condition.")) { try TagRule([:]) }
        #expect(throws: SelectionError("Tag condition 'k8s:kind' has an empty value.")) { try TagRule(["k8s:kind": ""]) }
        #expect((try? TagRule(["k8s:label": "a=b=c"]))?.conditions == [.label(key: "a", value: "b=c")])
        #expect((try? TagRule(["env": "prod"]))?.conditions == [.tag(key: "env", value: "prod")])
    }

    @Test func exclusionWinsAndReportsWhoWantedIt() throws {
        let inv = try Self.inventory()
        let s = select(SelectionRequest(roots: [Self.mc], namespaces: ["payments"],
                                        exclude: [try TagRule(["k8s:kind": "ConfigMap"])]), in: inv)
        #expect(!s.contains(k("core/ConfigMap/payments/api-config")))
        #expect(!s.contains(k("core/ConfigMap/kube-system/coredns")))
        let ex = Dictionary(uniqueKeysWithValues: s.excluded.map { ($0.id, $0) })
        let cfg = try #require(ex[k("core/ConfigMap/payments/api-config")])
        #expect(cfg.reason == "exclude rule 1")
        #expect(cfg.wantedBy == [
            .init(from: nil, relation: "namespace payments", path: ""),
            .init(from: k("apps/Deployment/payments/api"), relation: "envFrom",
                  path: "spec.template.spec.containers[0].envFrom[0].configMapRef.name"),
        ])
        #expect(ex[k("core/ConfigMap/kube-system/coredns")]?.wantedBy == [
            .init(from: Self.mc, relation: "kube-system", path: "(Kubernetes cluster aks1)"),
        ])
        #expect(s.excluded.count == 2)
        #expect(s.dangling.isEmpty)
    }

    @Test func azurePolicyObjectsAreExcludedFromAKS() throws {
        let inv = try Self.inventory(Self.gatekeeper)
        let s = select(SelectionRequest(roots: [Self.mc], namespaces: ["gatekeeper-system"]), in: inv)
        #expect(displays(s) == [
            "ClusterRole view", "ConfigMap kube-system/coredns", "Namespace kube-system", "Namespace payments",
            "managedClusters aks1",
        ])
        #expect(Set(s.excluded.map(\.reason)) == ["Azure Policy/Gatekeeper object"])
        #expect(s.excluded.map { Selection.display(inv.get($0.id)!) }.sorted() == [
            "ConstraintTemplate k8sazurev2noprivilege", "CustomResourceDefinition k8sazurev2noprivilege.constraints.gatekeeper.sh",
            "Deployment gatekeeper-system/gatekeeper-controller", "K8sAzureV2NoPrivilege azurepolicy-noprivilege",
            "Namespace gatekeeper-system", "ValidatingWebhookConfiguration gatekeeper-validating-webhook-configuration",
        ])
        let keep = select(SelectionRequest(roots: [Self.mc], excludePolicyObjects: false), in: inv)
        #expect(keep.contains(k("templates.gatekeeper.sh/ConstraintTemplate/k8sazurev2noprivilege")))
    }

    @Test func cyclesTerminateAndChainsAreShortest() throws {
        let yaml = """
            apiVersion: v1
            kind: ConfigMap
            metadata:
              name: a
              namespace: ns
              ownerReferences: [{apiVersion: v1, kind: ConfigMap, name: b, uid: u}]
            ---
            apiVersion: v1
            kind: ConfigMap
            metadata:
              name: b
              namespace: ns
              ownerReferences: [{apiVersion: v1, kind: ConfigMap, name: c, uid: u}]
            ---
            apiVersion: v1
            kind: ConfigMap
            metadata:
              name: c
              namespace: ns
              ownerReferences: [{apiVersion: v1, kind: ConfigMap, name: a, uid: u}, {apiVersion: v1, kind: ConfigMap, name: c, uid: u}]
            ---
            apiVersion: autoscaling/v2
            kind: HorizontalPodAutoscaler
            metadata: {name: api, namespace: ns}
            spec: {scaleTargetRef: {apiVersion: apps/v1, kind: Deployment, name: api}}
            ---
            apiVersion: apps/v1
            kind: Deployment
            metadata: {name: api, namespace: ns}
            spec: {template: {spec: {containers: [{name: c, image: x, envFrom: [{configMapRef: {name: c}}]}]}}}
            """
        let inv = try TestEstate.aks(yaml).load()
        let s = select(SelectionRequest(roots: [k("core/ConfigMap/ns/a")]), in: inv)
        #expect(displays(s) == ["ConfigMap ns/a", "ConfigMap ns/b", "ConfigMap ns/c"])
        #expect(s.explain(k("core/ConfigMap/ns/c")) == "ConfigMap ns/a → owner → ConfigMap ns/b → owner → ConfigMap ns/c")
        #expect(s.dangling.isEmpty)
        // HPA ↔ Deployment is a mutual reference; the Deployment's envFrom reaches c in two steps
        // while the owner chain through a and b would take four.
        let m = select(SelectionRequest(roots: [k("autoscaling/HorizontalPodAutoscaler/ns/api")]), in: inv)
        #expect(m.ids.count == 5)
        #expect(m.explain(k("core/ConfigMap/ns/c"))
                == "HorizontalPodAutoscaler ns/api → scaleTargetRef → Deployment ns/api → envFrom → ConfigMap ns/c")
        #expect(m.why(k("core/ConfigMap/ns/b"))?.map(\.relation) == ["scaleTargetRef", "envFrom", "owner", "owner"])
        #expect(m.why(k("core/ConfigMap/ns/b"))?.first?.path == "spec.scaleTargetRef")
    }

    @Test func summaryCountsSelectedAndPulledIn() throws {
        let s = select(SelectionRequest(roots: [Self.mc, k("apps/Deployment/payments/api")]), in: try Self.inventory())
        let sum = s.summary
        #expect(sum.selected == 2)
        #expect(sum.pulledIn == 5)
        #expect(sum.total == s.resources.count)
        #expect(sum.byType.map(\.type) == ["ClusterRole", "ConfigMap", "Deployment", "Namespace",
                                          "Microsoft.ContainerService/managedClusters"].sorted())
        #expect(sum.byType.first { $0.type == "ConfigMap" }.map { [$0.selected, $0.pulledIn] } == [0, 2])
        #expect(sum.description.hasPrefix("7 resources (2 selected, 5 pulled in), 0 dangling, 0 excluded"))
    }

    @Test func outputIsDeterministicAndIndependentOfLoadOrder() throws {
        let inv = try Self.inventory()
        let shuffled = Inventory(resources: inv.resources.reversed(), clusters: inv.clusters)
        let r = SelectionRequest(roots: [Self.mc], namespaces: ["payments"])
        let a = select(r, in: inv), b = select(r, in: shuffled)
        #expect(a.ids == b.ids)
        #expect(a.ids == a.ids.sorted())
        for id in a.ids { #expect(a.explain(id) == b.explain(id)) }
    }

    @Test func syntheticEstateWalksCompletely() {
        let inv = SyntheticEstate.make(kubeObjects: 400, armResources: 60)
        let s = select(SelectionRequest(roots: [SyntheticEstate.managedClusterID], namespaces: [SyntheticEstate.namespace(1)]), in: inv)
        #expect(s.dangling.isEmpty)
                let app = "app-000021"
        #expect(s.explain(k("apps/Deployment/app-0001/\(app)", cluster: SyntheticEstate.clusterName))
                == "Deployment app-0001/\(app) (namespace app-0001)")
        // Every PersistentVolume is cluster-scoped, so every disk behind one comes along.
        #expect(s.resources.filter { $0.type == "Microsoft.Compute/disks" }.count == 40)
        #expect(s.summary.byType.first { $0.type == "Deployment" }.map { $0.selected } == 20)
        let big = SyntheticEstate.make(kubeObjects: 2000, armResources: 300)
        #expect(big.resources.count == 2000 + 10 + 4 + 300)  // apps, namespaces, defaults, ARM
    }
}
