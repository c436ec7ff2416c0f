import Foundation
import Testing
@testable import StandbyCore
import StandbyTestSupport

/// The sample estate's restore sets, built once.
private enum SampleManifests {
    nonisolated(unsafe) private static var cached: [KubernetesRestoreSet]?

    static func sets() throws -> [KubernetesRestoreSet] {
        if let c = cached { return c }
        let sets = KubernetesManifestBuilder.build(try SampleEstate.translate())
        cached = sets
        return sets
    }

    static func set(_ cluster: String) throws -> KubernetesRestoreSet {
        try #require(try sets().first { $0.cluster == cluster }, "no restore set for \(cluster)")
    }
}

private extension KubernetesRestoreSet {
    /// Position of the first manifest whose source matches `group/Kind[/ns]/name` (after `k8s://cluster/`).
    func position(_ short: String) -> Int? {
        manifests.firstIndex { $0.source == "k8s://\(cluster)/\(short)" }
    }

    func positions(kind: String) -> [Int] {
        manifests.indices.filter { KubeRef(id: manifests[$0].source)?.kind == kind }
    }

    func manifest(_ short: String) -> KubernetesManifest? { position(short).map { manifests[$0] } }
}

/// Builds one small AKS cluster `aks1` from YAML and translates every object of it (or those whose
/// id passes `only`).
private func smallRestoreSet(_ yaml: String, only: (String) -> Bool = { _ in true }) throws -> KubernetesRestoreSet {
    let inv = try TestEstate.aks(yaml).load()
    let settings = TranslationSettings(to: SampleEstate.recovery, mode: .test)
    let translation = Translator(settings: settings).translate(inv.resources.filter { only($0.id) }, in: inv)
    let sets = KubernetesManifestBuilder.build(translation)
    #expect(sets.map(\.cluster) == ["aks1"])
    return try #require(sets.first)
}

@Suite struct KubernetesManifestTests {
    // MARK: Restore order

    @Test func restoreOrderOnTheSampleEstate() throws {
        let sets = try SampleManifests.sets()
        #expect(sets.map(\.cluster) == ["aks-prod-weu", "eks-prod-use1"])
        for set in sets {
            #expect(!set.manifests.isEmpty)
            // Tiers never go down, and each tier is sorted by namespace, kind, name.
            for (a, b) in zip(set.manifests, set.manifests.dropFirst()) {
                #expect(a.tier <= b.tier, "\(a.path) (tier \(a.tier)) before \(b.path) (tier \(b.tier))")
                if a.tier == b.tier, let x = KubeRef(id: a.source), let y = KubeRef(id: b.source) {
                    let kx = [x.namespace ?? "", x.kind, x.name], ky = [y.namespace ?? "", y.kind, y.name]
                    #expect(kx.lexicographicallyPrecedes(ky), "\(a.path) before \(b.path) in tier \(a.tier)")
                }
            }
            // Every namespaced object comes after its Namespace, when that is restored.
            for (i, m) in set.manifests.enumerated() {
                guard let ns = KubeRef(id: m.source)?.namespace, let n = set.position("core/Namespace/\(ns)") else { continue }
                #expect(n < i, "\(m.path) before its Namespace")
            }
            // Workloads after the ServiceAccounts, Secrets and ConfigMaps; Services after the
            // workloads; Ingress after the Services; IngressClass before Ingress.
            let workloads = ["Deployment", "StatefulSet", "DaemonSet", "CronJob", "Job"].flatMap(set.positions(kind:))
            #expect(!workloads.isEmpty)
            for dependency in ["ServiceAccount", "Secret", "ConfigMap", "PersistentVolumeClaim", "Role", "ClusterRoleBinding"] {
                for d in set.positions(kind: dependency) { #expect(workloads.allSatisfy { d < $0 }, "\(set.manifests[d].path) after a workload") }
            }
            let services = set.positions(kind: "Service")
            #expect(!services.isEmpty)
            for s in services { #expect(workloads.allSatisfy { $0 < s }, "\(set.manifests[s].path) before a workload") }
            for i in set.positions(kind: "Ingress") {
                #expect(services.allSatisfy { $0 < i })
                for c in set.positions(kind: "IngressClass") { #expect(c < i) }
            }
            for c in set.positions(kind: "PersistentVolumeClaim") {
                for v in set.positions(kind: "PersistentVolume") { #expect(v < c, "\(set.manifests[c].path) before a PV") }
            }
        }

        let aks = try SampleManifests.set("aks-prod-weu")
        // The CRD first, its custom resource after every built-in kind.
        let crd = try #require(aks.position("apiextensions.k8s.io/CustomResourceDefinition/ledgerreconciliations.payments.contoso.com"))
        let cr = try #require(aks.position("payments.contoso.com/LedgerReconciliation/payments/nightly"))
        #expect(crd == 0)
        #expect(aks.manifests[cr].tier == RestoreOrder.Tier.customResources.rawValue)
        for m in aks.manifests[..<cr] { #expect(m.tier < RestoreOrder.Tier.customResources.rawValue || m.tier == aks.manifests[cr].tier) }
        // Add-on custom resources without a CRD in the capture are custom resources too.
        for short in ["secrets-store.csi.x-k8s.io/SecretProviderClass/payments/payments-kv", "keda.sh/ScaledObject/payments/worker",
                      "keda.sh/TriggerAuthentication/payments/worker-queue-auth"] {
            #expect(aks.manifest(short)?.tier == RestoreOrder.Tier.customResources.rawValue, "\(short)")
        }
        // The PVC pre-bound to a restored PV comes after it.
        let pv = try #require(aks.position("core/PersistentVolume/pv-ledger-archive"))
        let pvc = try #require(aks.position("core/PersistentVolumeClaim/payments/ledger-archive"))
        #expect(pv < pvc)
        // Roles before their bindings; PriorityClass before the workloads that use it.
        let role = try #require(aks.position("rbac.authorization.k8s.io/Role/payments/payments-api-config-reader"))
        let binding = try #require(aks.position("rbac.authorization.k8s.io/RoleBinding/payments/payments-api-config-reader"))
        #expect(role < binding)
        let priority = try #require(aks.position("scheduling.k8s.io/PriorityClass/payments-critical"))
        #expect(priority < (aks.position("apps/Deployment/payments/api") ?? -1))
        // HPA after its target.
        let hpa = try #require(aks.position("autoscaling/HorizontalPodAutoscaler/payments/api"))
        #expect(hpa > (aks.position("apps/Deployment/payments/api") ?? Int.max))
    }

    @Test func tiersOfKinds() {
        typealias T = RestoreOrder.Tier
        let cases: [(String, String, T)] = [
            ("apiextensions.k8s.io", "CustomResourceDefinition", .customResourceDefinitions),
            ("core", "Namespace", .namespaces), ("", "Namespace", .namespaces),
            ("storage.k8s.io", "StorageClass", .clusterConfiguration), ("scheduling.k8s.io", "PriorityClass", .clusterConfiguration),
            ("networking.k8s.io", "IngressClass", .clusterConfiguration), ("", "ResourceQuota", .clusterConfiguration),
            ("", "PersistentVolume", .persistentVolumes), ("", "PersistentVolumeClaim", .persistentVolumeClaims),
            ("", "ServiceAccount", .serviceAccounts), ("", "Secret", .secrets), ("", "ConfigMap", .configMaps),
            ("rbac.authorization.k8s.io", "ClusterRole", .roles), ("rbac.authorization.k8s.io", "RoleBinding", .roleBindings),
            ("networking.k8s.io", "NetworkPolicy", .policies), ("policy", "PodDisruptionBudget", .policies),
            ("apps", "Deployment", .workloads), ("batch", "CronJob", .workloads), ("", "Pod", .workloads), ("apps", "ReplicaSet", .workloads),
            ("", "Service", .services), ("networking.k8s.io", "Ingress", .ingresses),
            ("autoscaling", "HorizontalPodAutoscaler", .autoscalers),
            ("coordination.k8s.io", "Lease", .otherBuiltIn), ("apps", "ControllerRevision", .otherBuiltIn),
            ("secrets-store.csi.x-k8s.io", "SecretProviderClass", .customResources), ("keda.sh", "ScaledObject", .customResources),
            ("gateway.networking.k8s.io", "HTTPRoute", .customResources), ("snapshot.storage.k8s.io", "VolumeSnapshotClass", .customResources),
            ("admissionregistration.k8s.io", "ValidatingWebhookConfiguration", .admissionWebhooks),
            ("apiregistration.k8s.io", "APIService", .admissionWebhooks),
        ]
        for (group, kind, tier) in cases {
            #expect(RestoreOrder.tier(group: group, kind: kind) == tier, "\(group)/\(kind)")
        }
        // A CRD may serve a kind of a group that looks built in.
        let custom: Set<KubeScope.GroupKind> = [.init(group: "networking.k8s.io", kind: "Widget")]
        #expect(RestoreOrder.tier(group: "networking.k8s.io", kind: "Widget") == .otherBuiltIn)
        #expect(RestoreOrder.tier(group: "networking.k8s.io", kind: "Widget", customKinds: custom) == .customResources)
        #expect(RestoreOrder.isCustomResource(group: "keda.sh", kind: "ScaledObject"))
        #expect(!RestoreOrder.isCustomResource(group: "apps", kind: "Deployment"))
        #expect(RestoreOrder.Tier.customResourceDefinitions.rawValue == 0 && RestoreOrder.Tier.namespaces.rawValue == 1)
    }

    // MARK: Stripping

    @Test func serverSetFieldsAreStripped() throws {
        let inv = try SampleEstate.inventory()
        // The sample has them, so the test means something.
        let source = try #require(inv.get("k8s://aks-prod-weu/apps/Deployment/payments/api"))
        #expect(source.document["metadata"]?["uid"] != nil && source.document["status"] != nil)
        #expect(source.document["metadata"]?["annotations"]?["deployment.kubernetes.io/revision"] != nil)

        for set in try SampleManifests.sets() {
            for m in set.manifests {
                let meta = m.document["metadata"]
                #expect(m.document["status"] == nil, "\(m.path) has status")
                for f in ["uid", "resourceVersion", "generation", "creationTimestamp", "managedFields", "selfLink", "ownerReferences"] {
                    #expect(meta?[f] == nil, "\(m.path) has metadata.\(f)")
                }
                for a in ["kubectl.kubernetes.io/last-applied-configuration", "deployment.kubernetes.io/revision",
                          "pv.kubernetes.io/bind-completed", "volume.kubernetes.io/selected-node"] {
                    #expect(meta?["annotations"]?[a] == nil, "\(m.path) has annotation \(a)")
                }
                #expect(m.document["spec"]?["template"]?["metadata"]?["creationTimestamp"] == nil, "\(m.path)")
                let ref = try #require(KubeRef(id: m.source))
                if ref.namespace != nil { #expect(meta?["namespace"]?.stringValue == ref.namespace, "\(m.path) without its namespace") }
                if ref.kind == "Service" {
                    let spec = m.document["spec"]
                    if spec?["clusterIP"]?.stringValue == "None" {
                        #expect(spec?["clusterIPs"] == .array(["None"]))
                    } else {
                        #expect(spec?["clusterIP"] == nil && spec?["clusterIPs"] == nil, "\(m.path) keeps its cluster IP")
                    }
                    if spec?["type"]?.stringValue == "LoadBalancer" {
                        for p in spec?["ports"]?.arrayValue ?? [] { #expect(p["nodePort"] == nil, "\(m.path) keeps a node port") }
                    }
                }
                if ref.kind == "PersistentVolume" {
                    #expect(m.document["spec"]?["claimRef"]?["uid"] == nil && m.document["spec"]?["claimRef"]?["resourceVersion"] == nil)
                }
            }
            #expect(!set.multiDocumentYAML.contains("resourceVersion"))
            #expect(!set.multiDocumentYAML.contains("creationTimestamp"))
        }

        let aks = try SampleManifests.set("aks-prod-weu")
        // The headless Service keeps clusterIP: None; the LoadBalancer loses its IP and node port.
        let ledger = try #require(aks.manifest("core/Service/payments/ledger"))
        #expect(ledger.document["spec"]?["clusterIP"] == "None")
        #expect(YAMLEmitter.emit(ledger.document).contains("clusterIP: None\n"))
        let api = try #require(aks.manifest("core/Service/payments/api"))
        #expect(inv.get("k8s://aks-prod-weu/core/Service/payments/api")?.document["spec"]?["clusterIP"] == "10.0.118.42")
        #expect(api.document["spec"]?["type"] == "LoadBalancer" && api.document["spec"]?["clusterIP"] == nil)
        #expect(api.document["spec"]?["ports"]?[0]?["nodePort"] == nil)
        #expect(api.document["spec"]?["ports"]?[0]?["port"] != nil)
        // The PVC bound to a restored PV keeps volumeName; its PV keeps the claim's name.
        #expect(aks.manifest("core/PersistentVolumeClaim/payments/ledger-archive")?.document["spec"]?["volumeName"] == "pv-ledger-archive")
        #expect(aks.manifest("core/PersistentVolume/pv-ledger-archive")?.document["spec"]?["claimRef"]?["name"] == "ledger-archive")
        // Deployment revision annotation gone, other annotations kept.
        let deployment = try #require(aks.manifest("apps/Deployment/payments/api"))
        #expect(deployment.document["metadata"]?["annotations"]?["deployment.kubernetes.io/revision"] == nil)
        #expect(deployment.document["spec"]?["template"]?["metadata"]?["annotations"]?["sidecar.istio.io/inject"] == "true")
    }

    @Test func smallEstateSkipsOwnedAndClusterMadeObjects() throws {
        let set = try smallRestoreSet(Self.smallEstate)
        let skipped = Dictionary(set.skipped.map { ($0.source, $0.reason) }, uniquingKeysWith: { a, _ in a })
        func reason(_ short: String) -> String? { skipped[k(short)] }

        #expect(reason("apps/ReplicaSet/shop/api-6d9f")?.hasPrefix("owned by Deployment shop/api, which is restored") == true)
        #expect(reason("core/Pod/shop/api-6d9f-x2x7k")?.hasPrefix("owned by ReplicaSet shop/api-6d9f, which is not restored separately") == true)
        #expect(reason("batch/Job/shop/report-28712160")?.hasPrefix("owned by CronJob shop/report") == true)
        #expect(reason("core/Pod/shop/report-28712160-abcde")?.hasPrefix("owned by Job shop/report-28712160") == true)
        #expect(reason("core/Secret/shop/builder-token-abcde")?.contains("token") == true)
        #expect(reason("core/ServiceAccount/shop/default") == "created by the API server in every namespace")
        #expect(reason("core/ServiceAccount/tools/default") == nil, "a customised default ServiceAccount is restored")
        #expect(reason("core/ConfigMap/shop/kube-root-ca.crt")?.contains("root CA") == true)
        #expect(reason("core/Namespace/kube-public") == "exists in every cluster")
        #expect(reason("core/Endpoints/shop/api")?.contains("endpoints controller") == true)
        #expect(reason("core/Endpoints/shop/legacy-db") == nil, "manual endpoints of a selector-less Service are restored")
        #expect(reason("discovery.k8s.io/EndpointSlice/shop/api-abcde")?.contains("managed by") == true)
        #expect(reason("core/Event/shop/api.17a2b3c4d5e6f7a8") == "events are history, not state")
        #expect(reason("core/Pod/kube-system/etcd-node1")?.contains("mirror pod") == true)
        #expect(set.skipped.count == 12, "\(set.skipped.map { "\($0.source): \($0.reason)" }.joined(separator: "\n"))")
        for s in set.skipped { #expect(!set.manifests.contains { $0.source == s.source }) }

        func doc(_ short: String) throws -> JSONValue { try #require(set.manifest(short), "\(short) not restored").document }
        // The Deployment loses the revision, last-applied-configuration and deletion timestamp, keeps the rest.
        let deployment = try doc("apps/Deployment/shop/api")
        #expect(deployment["metadata"] == .object(JSONObject([("name", "api"), ("namespace", "shop"),
                                                              ("annotations", .object(JSONObject([("team", "shop")])))])))
        #expect(deployment["spec"]?["template"]?["metadata"] == .object(JSONObject([("labels", .object(JSONObject([("app", "api")])))])))
        // Restored on their own (their owner is not captured): no ownerReferences, no pod-template-hash.
        let orphan = try doc("apps/ReplicaSet/shop/orphan-5c8d")
        #expect(orphan["metadata"]?["ownerReferences"] == nil)
        #expect(orphan["metadata"]?["labels"] == .object(JSONObject([("app", "orphan")])))
        #expect(orphan["spec"]?["selector"]?["matchLabels"] == .object(JSONObject([("app", "orphan")])))
        #expect(orphan["spec"]?["template"]?["metadata"]?["labels"] == .object(JSONObject([("app", "orphan")])))
        let pod = try doc("core/Pod/shop/debug")
        #expect(pod["spec"]?["nodeName"] == nil && pod["spec"]?["containers"] != nil)
        // A standalone Job loses its generated selector and controller-uid labels.
        let job = try doc("batch/Job/shop/migrate")
        #expect(job["spec"]?["selector"] == nil)
        #expect(job["spec"]?["template"]?["metadata"]?["labels"] == .object(JSONObject([("job-name", "migrate")])))
        // Node ports: kept for NodePort, dropped for LoadBalancer (with the health-check port).
        #expect(try doc("core/Service/shop/nodeport")["spec"]?["ports"]?[0]?["nodePort"] == 30080)
        let lb = try doc("core/Service/shop/lb")
        #expect(lb["spec"]?["ports"]?[0]?["nodePort"] == nil && lb["spec"]?["healthCheckNodePort"] == nil)
        #expect(lb["spec"]?["clusterIP"] == nil && lb["spec"]?["clusterIPs"] == nil)
        // A PVC bound to a PV that is not restored is not pre-bound.
        let pvc = try doc("core/PersistentVolumeClaim/shop/data")
        #expect(pvc["spec"]?["volumeName"] == nil && pvc["spec"]?["storageClassName"] == "managed-csi")
        #expect(pvc["metadata"]?["annotations"] == .object(JSONObject([("keep", "me")])))
        // The ServiceAccount no longer lists its skipped token Secret.
        let builder = try doc("core/ServiceAccount/shop/builder")
        #expect(builder["secrets"] == .array([.object(JSONObject([("name", "registry")]))]))
        // Manual Endpoints come after their Service… in the "other built-in" tier.
        #expect(set.manifest("core/Endpoints/shop/legacy-db")?.tier == RestoreOrder.Tier.otherBuiltIn.rawValue)
    }

    @Test func ownedObjectsAreRestoredWhenTheirOwnerIsNotCaptured() throws {
        // Only the ReplicaSet and its Pod: the Deployment is not captured, so the ReplicaSet is
        // restored (without owner and hash) and the Pod follows it.
        let set = try smallRestoreSet(Self.smallEstate) { id in id.hasSuffix("/shop/api-6d9f") || id.hasSuffix("/shop/api-6d9f-x2x7k") }
        #expect(set.manifests.map(\.path) == ["shop/ReplicaSet/api-6d9f.yaml"])
        #expect(set.skipped.map(\.source) == [k("core/Pod/shop/api-6d9f-x2x7k")])
        let rs = set.manifests[0].document
        #expect(rs["metadata"]?["labels"]?["pod-template-hash"] == nil && rs["metadata"]?["ownerReferences"] == nil)
        #expect(rs["spec"]?["selector"]?["matchLabels"] == .object(JSONObject([("app", "api")])))
    }

    // MARK: Paths and odd input

    @Test func filePaths() throws {
        for set in try SampleManifests.sets() {
            #expect(Set(set.manifests.map(\.path)).count == set.manifests.count, "paths are unique")
            for m in set.manifests {
                let ref = try #require(KubeRef(id: m.source))
                #expect(m.path == "\(ref.namespace ?? "_cluster")/\(ref.kind)/\(ref.name).yaml")
            }
        }
        let aks = try SampleManifests.set("aks-prod-weu")
        #expect(aks.manifest("apps/Deployment/payments/api")?.path == "payments/Deployment/api.yaml")
        #expect(aks.manifest("storage.k8s.io/StorageClass/managed-csi")?.path == "_cluster/StorageClass/managed-csi.yaml")
        #expect(KubernetesManifestBuilder.safe("a/b") == "a_b" && KubernetesManifestBuilder.safe("..") == "_." && KubernetesManifestBuilder.safe("") == "_")
    }

    @Test func oddInput() {
        func object(_ short: String, _ doc: JSONValue, uid: String? = nil) -> KubernetesRestoreFilter.Object {
            KubernetesRestoreFilter.Object(source: k(short), ref: KubeRef(id: k(short))!, document: doc, uid: uid)
        }
        let objects = [
            object("core/ConfigMap/a/scalar", "just a string"),
            object("core/ConfigMap/a/bare", .object(JSONObject())),
            object("core/ConfigMap/a/odd-meta", .object(JSONObject([("metadata", .array([1])), ("status", "x")]))),
            object("example.com/Widget/a/w1", .object(JSONObject([("metadata", .object(JSONObject([("ownerReferences", .array(["nonsense", .object(JSONObject([("kind", "Widget"), ("name", "w2")]))]))])))]))),
            object("example.com/Widget/a/w2", .object(JSONObject([("metadata", .object(JSONObject([("ownerReferences", .array([.object(JSONObject([("kind", "Widget"), ("name", "w1")]))]))])))]))),
            object("example.com/Widget/b/x", .object(JSONObject([("metadata", .object(JSONObject([("name", "x"), ("ownerReferences", .array([.object(JSONObject([("kind", "Widget"), ("name", "x")]))]))])))]))),
            object("core/Service/a/svc", .object(JSONObject([("spec", .object(JSONObject([("type", "LoadBalancer"), ("ports", "not a list"), ("clusterIP", 7)])))]))),
        ]
        let set = KubernetesManifestBuilder.build(cluster: "aks1", objects, skipped: [("k8s://aks1/core/Pod/a/p", "no recovery id")])
        let skipped = Dictionary(set.skipped.map { ($0.source, $0.reason) }, uniquingKeysWith: { a, _ in a })
        #expect(skipped[k("core/ConfigMap/a/scalar")] == "the captured document is not an object")
        #expect(skipped["k8s://aks1/core/Pod/a/p"] == "no recovery id")
        // Owners that own each other: neither is restored; an object owning itself is.
        #expect(skipped[k("example.com/Widget/a/w1")] != nil && skipped[k("example.com/Widget/a/w2")] != nil)
        #expect(set.manifest("example.com/Widget/b/x")?.document["metadata"]?["namespace"] == "b")
        #expect(set.manifest("core/ConfigMap/a/bare")?.document == .object(JSONObject([("metadata", .object(JSONObject([("namespace", "a")])))])))
        #expect(set.manifest("core/ConfigMap/a/odd-meta")?.document == .object(JSONObject([("metadata", .array([1]))])))
        #expect(set.manifest("core/Service/a/svc")?.document["spec"]?["ports"] == "not a list")
        #expect(!set.multiDocumentYAML.isEmpty)
        #expect(KubernetesRestoreSet(cluster: "x", manifests: []).multiDocumentYAML == "")
    }

    // MARK: YAML

    static let trickyStrings: [String] = [
        "", " ", "true", "True", "TRUE", "false", "yes", "Yes", "no", "NO", "on", "On", "off", "y", "Y", "n", "N",
        "null", "Null", "~", "=", "<<", "1", "-1", "+1", "1.0", "1.", ".5", "-.5", "1e3", "1E3", "1e+3", "1.0e-3",
        "0755", "0o755", "0x1F", "0b101", "1_000", "12:30", "190:20:30", "1:2:3.5", ".inf", "-.Inf", ".NaN",
        "2024-06-02", "2024-06-02T10:15:31Z", "2001-12-14 21:59:43.10 -5", "10Gi", "500m", "v1", "3s", "1.30.0",
        "- item", "key: value", "#comment", "a #b", "&anchor", "*alias", "!tag", "%directive", "@at", "`tick", "|", ">",
        "?", "? x", "[a]", "{a: 1}", "'quoted'", "\"double\"", "trailing ", " leading", "tab\there", "line\nbreak",
        "two lines\nend\n", "\n", "\n\n", "keep\n\n\n", " indented\nfirst", "trailing space \nline", "crlf\r\nline",
        "cr\rline", "nel\u{85}line", "ls\u{2028}line", "nul\u{0}char", "bell\u{7}", "unicode é ✓ 🚀", "mid\u{FEFF}bom",
        "---", "...", "--- x", "a\n---\nb", "a\n...\nb", "é:1", "0", "-0", "00", "08", "09", "0.0.0.0/0", "10.0.0.1",
        "5e1f2d3c-4b5a-4968-8776-a5b4c3d2e1f0", "e1", "1e", "0x", "+", "-", ".", ":", "a:b", "http://x:80/y",
        String(repeating: "long words ", count: 30), "{{ .Values.x }}", "${VAR}", "C:\\path\\", "\\", "#",
    ]

    @Test func yamlRoundTripsTrickyStrings() throws {
        var object = JSONObject()
        for (i, s) in Self.trickyStrings.enumerated() {
            object["v\(i)"] = .string(s)
            if !s.isEmpty { object[s] = .int(Int64(i)) }   // as keys too
        }
        object["list"] = .array(Self.trickyStrings.map(JSONValue.string))
        let doc = JSONValue.object(object)
        let text = YAMLEmitter.emit(doc)
        let back = try YAMLDocuments.parse(text)
        #expect(back.count == 1)
        let o = try #require(back.first?.objectValue)
        #expect(o.keys == object.keys)
        for (k, v) in object.pairs { #expect(o[k] == v, "\(k.debugDescription) reads back as \(String(describing: o[k]))") }
        // Strings that look like other types are double-quoted.
        for s in ["true", "1.0", "0755", "null", "yes", "on", "12:30", "2024-06-02", "1e3", "~", ""] {
            #expect(YAMLEmitter.needsQuotes(s), "\(s)")
            #expect(YAMLEmitter.emit(.object(JSONObject([("k", .string(s))]))) == "k: \"\(s)\"\n")
        }
        for s in ["10Gi", "500m", "v1", "payments", "ClusterIP", "a b", "x1"] {
            #expect(!YAMLEmitter.needsQuotes(s), "\(s)")
            #expect(YAMLEmitter.emit(.object(JSONObject([("k", .string(s))]))) == "k: \(s)\n")
        }
        // Multi-line strings are literal blocks.
        #expect(YAMLEmitter.emit(.object(JSONObject([("k", "a\nb\n")]))) == "k: |\n  a\n  b\n")
        // Deterministic.
        #expect(YAMLEmitter.emit(doc) == text)
    }

    @Test func yamlRoundTripsScalarsAndShapes() throws {
        let values: [JSONValue] = [
            .null, true, false, 0, 1, -7, .int(Int64.max), .int(Int64.min), 1.0, -1.5, 0.1, 1e20, 1e-7, 5e-324, 1.7976931348623157e308,
            -0.0, 123456789.125, [], .object(JSONObject()), [[], [[]]], ["a": [], "b": .object(JSONObject()), "c": .null],
            [1, "1", 1.0, true, "true", .null, "null"],
        ]
        let doc = JSONValue.object(JSONObject(values.enumerated().map { ("k\($0.offset)", $0.element) }))
        let text = YAMLEmitter.emit(doc)
        #expect(try YAMLDocuments.parse(text) == [doc], "\(text)")
        #expect(text.contains("k1: true\n") && text.contains("k8: 1.0\n") && text.contains("k11: 1.0e+20\n"))
        #expect(text.contains("k17: []\n") && text.contains("k18: {}\n"))
        #expect(YAMLEmitter.doubleText(.infinity) == ".inf" && YAMLEmitter.doubleText(-.infinity) == "-.inf" && YAMLEmitter.doubleText(.nan) == ".nan")
        #expect(try YAMLDocuments.parse(YAMLEmitter.emit(["x": .double(.infinity)])) == [["x": .double(.infinity)]])
        // Top-level scalars and lists are documents too.
        for v in ["yes", 3, [1, 2], "multi\nline\n"] as [JSONValue] {
            #expect(try YAMLDocuments.parse(YAMLEmitter.emit(v)) == [v], "\(v)")
        }
        // Key order is kept, not sorted.
        #expect(YAMLEmitter.emit(["b": 1, "a": 2]) == "b: 1\na: 2\n")
    }

    @Test func multiDocumentYAMLRoundTripsTheSampleEstate() throws {
        for set in try SampleManifests.sets() {
            let text = set.multiDocumentYAML
            #expect(text.components(separatedBy: "\n---\n").count == set.manifests.count)
            #expect(!text.hasPrefix("---"))
            let back = try YAMLDocuments.parse(text, source: set.cluster)
            #expect(back.count == set.manifests.count)
            for (m, d) in zip(set.manifests, back) { #expect(m.document == d, "\(m.path) does not round-trip") }
            #expect(text == YAMLEmitter.emit(documents: set.manifests.map(\.document)))
            #expect(try SampleManifests.sets().first { $0.cluster == set.cluster }?.multiDocumentYAML == text)
        }
        #expect(YAMLEmitter.emit(documents: [["a": 1], ["b": 2]]) == "a: 1\n---\nb: 2\n")
        #expect(YAMLEmitter.emit(documents: []) == "")
    }

    // MARK: Schema validation

    /// Custom resources of the sample estate whose CRD is not in the capture: the add-on that
    /// serves them installs the CRD in the recovery cluster. They are not schema-validated (their
    /// YAML is still checked against the JSON).
    static let unvalidatedKinds: [String: String] = [
        "SecretProviderClass": "CRD installed by the Secrets Store CSI driver add-on (azure-keyvault-secrets-provider), not captured",
        "ScaledObject": "CRD installed by the KEDA add-on, not captured",
        "TriggerAuthentication": "CRD installed by the KEDA add-on, not captured",
    ]

    /// Every manifest of the sample estate, both clusters, validated by `scripts/validate/k8s.py`:
    /// kubernetes-validate 1.37.0 (PyPI), strict mode, Kubernetes 1.30.0 for built-in kinds; the
    /// CRD's openAPIV3Schema (strict) for custom resources whose CRD is restored; and each YAML
    /// file read with PyYAML (YAML 1.1) compared with the JSON document.
    @Test func everyManifestValidatesAgainstTheKubernetesSchemas() throws {
        let fm = FileManager.default
        let dir = fm.temporaryDirectory.appendingPathComponent("standby-k8s-validate-\(UUID().uuidString)").path
        defer { try? fm.removeItem(atPath: dir) }

        var files: [String] = []
        var crds: [String] = []
        var skippedKinds: Set<String> = []
        for set in try SampleManifests.sets() {
            let customKinds = Set(set.manifests.compactMap { m -> String? in
                guard KubeRef(id: m.source)?.kind == "CustomResourceDefinition" else { return nil }
                return m.document["spec"]?["names"]?["kind"]?.stringValue
            })
            for m in set.manifests {
                let base = "\(dir)/\(set.cluster)/\((m.path as NSString).deletingPathExtension)"
                try fm.createDirectory(atPath: (base as NSString).deletingLastPathComponent, withIntermediateDirectories: true)
                try YAMLEmitter.emit(m.document).write(toFile: base + ".yaml", atomically: true, encoding: .utf8)
                try (JSONSerializer.serialize(.array([m.document])) + "\n").write(toFile: base + ".json", atomically: true, encoding: .utf8)
                files.append(base + ".yaml")
                let ref = try #require(KubeRef(id: m.source))
                if ref.kind == "CustomResourceDefinition" { crds.append(base + ".yaml") }
                if m.tier == RestoreOrder.Tier.customResources.rawValue && !customKinds.contains(ref.kind) {
                    #expect(Self.unvalidatedKinds[ref.kind] != nil, "\(m.path): a custom resource without a CRD that the test does not list")
                    skippedKinds.insert(ref.kind)
                }
            }
            // The whole stream too.
            let all = "\(dir)/\(set.cluster)/all"
            try set.multiDocumentYAML.write(toFile: all + ".yaml", atomically: true, encoding: .utf8)
            try (JSONSerializer.serialize(.array(set.manifests.map(\.document))) + "\n").write(toFile: all + ".json", atomically: true, encoding: .utf8)
            files.append(all + ".yaml")
        }
        // The emitter's tricky strings, as values and as keys, read by PyYAML (YAML 1.1) as the API server would.
        var data = JSONObject(), keys = JSONObject()
        for (i, s) in Self.trickyStrings.enumerated() {
            data["k\(i)"] = .string(s)
            if !s.isEmpty { keys[s] = .string("v\(i)") }
        }
        let tricky: JSONValue = ["apiVersion": "v1", "kind": "ConfigMap",
                                 "metadata": ["name": "tricky", "namespace": "default", "annotations": .object(keys)],
                                 "data": .object(data)]
        try YAMLEmitter.emit(tricky).write(toFile: "\(dir)/tricky.yaml", atomically: true, encoding: .utf8)
        try JSONSerializer.serialize([tricky]).write(toFile: "\(dir)/tricky.json", atomically: true, encoding: .utf8)
        files.append("\(dir)/tricky.yaml")

        #expect(skippedKinds == Set(Self.unvalidatedKinds.keys), "the unvalidated kinds list is out of date")
        #expect(!crds.isEmpty)

        var arguments = ["--kubernetes-version", "1.30.0", "--compare-json"]
        for c in crds { arguments += ["--crd", c] }
        for kind in skippedKinds.sorted() { arguments += ["--skip-kind", kind] }
        guard let (status, output) = try ValidationScript.run("k8s.py", arguments + files) else { return }
        #expect(status == 0, "scripts/validate/k8s.py failed:\n\(output)")
        // Custom resources with a CRD were validated against it, not skipped.
        #expect(output.contains("OK \(dir)/aks-prod-weu/payments/LedgerReconciliation/nightly.yaml (LedgerReconciliation payments/nightly) (CRD schema)"), "\(output)")
        #expect(!output.contains("WARN"))
    }

    /// The validator really fails: an unknown field, a kind without a schema, a string YAML 1.1
    /// reads as a boolean, a custom resource that breaks its CRD's schema.
    @Test func theValidatorRejectsBadManifests() throws {
        let fm = FileManager.default
        let dir = fm.temporaryDirectory.appendingPathComponent("standby-k8s-invalid-\(UUID().uuidString)").path
        try fm.createDirectory(atPath: dir, withIntermediateDirectories: true)
        defer { try? fm.removeItem(atPath: dir) }
        let crd = """
        apiVersion: apiextensions.k8s.io/v1
        kind: CustomResourceDefinition
        metadata: {name: gadgets.example.com}
        spec:
          group: example.com
          names: {kind: Gadget, plural: gadgets}
          scope: Namespaced
          versions:
          - name: v1
            served: true
            storage: true
            schema:
              openAPIV3Schema:
                type: object
                properties:
                  spec: {type: object, properties: {size: {type: integer}}}
        """
        try crd.write(toFile: "\(dir)/crd.yaml", atomically: true, encoding: .utf8)
        let cases: [(String, String, String, [String])] = [
            ("unknown-field", "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: a\ncolour: red\n", "Additional properties", []),
            ("unknown-kind", "apiVersion: example.com/v1\nkind: Gizmo\nmetadata:\n  name: a\n", "no schema", ["--crd", "\(dir)/crd.yaml"]),
            ("yaml11-boolean", "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: a\ndata:\n  flag: yes\n", "YAML and JSON differ", []),
            ("crd-unknown-field", "apiVersion: example.com/v1\nkind: Gadget\nmetadata:\n  name: a\nspec:\n  size: 1\n  colour: red\n",
             "Additional properties", ["--crd", "\(dir)/crd.yaml"]),
            ("crd-wrong-type", "apiVersion: example.com/v1\nkind: Gadget\nmetadata:\n  name: a\nspec:\n  size: big\n",
             "'big' is not of type 'integer'", ["--crd", "\(dir)/crd.yaml"]),
        ]
        for (name, yaml, expected, extra) in cases {
            try yaml.write(toFile: "\(dir)/\(name).yaml", atomically: true, encoding: .utf8)
            let doc = try YAMLDocuments.parse(yaml)
            try JSONSerializer.serialize(.array(doc)).write(toFile: "\(dir)/\(name).json", atomically: true, encoding: .utf8)
            guard let (status, output) = try ValidationScript.run("k8s.py", ["-k", "1.30.0", "--compare-json"] + extra + ["\(dir)/\(name).yaml"]) else { return }
            #expect(status == 1, "\(name): \(output)")
            #expect(output.contains(expected), "\(name): \(output)")
        }
    }

    // MARK: Small estate

    static let smallEstate = """
    apiVersion: v1
    kind: Namespace
    metadata: {name: kube-public}
    ---
    apiVersion: v1
    kind: Namespace
    metadata: {name: shop, uid: ns-1}
    ---
    apiVersion: apps/v1
    kind: Deployment
    metadata:
      name: api
      namespace: shop
      uid: d-1
      deletionTimestamp: "2024-06-02T10:15:31Z"
      annotations:
        deployment.kubernetes.io/revision: "4"
        kubectl.kubernetes.io/last-applied-configuration: '{"apiVersion":"apps/v1","kind":"Deployment"}'
        team: shop
    spec:
      selector: {matchLabels: {app: api}}
      template:
        metadata: {labels: {app: api}, creationTimestamp: null}
        spec: {containers: [{name: api, image: nginx}]}
    ---
    apiVersion: apps/v1
    kind: ReplicaSet
    metadata:
      name: api-6d9f
      namespace: shop
      uid: rs-1
      labels: {app: api, pod-template-hash: 6d9f}
      ownerReferences: [{apiVersion: apps/v1, kind: Deployment, name: api, uid: d-1, controller: true}]
    spec:
      selector: {matchLabels: {app: api, pod-template-hash: 6d9f}}
      template:
        metadata: {labels: {app: api, pod-template-hash: 6d9f}}
        spec: {containers: [{name: api, image: nginx}]}
    ---
    apiVersion: v1
    kind: Pod
    metadata:
      name: api-6d9f-x2x7k
      namespace: shop
      uid: p-1
      labels: {app: api, pod-template-hash: 6d9f}
      ownerReferences: [{apiVersion: apps/v1, kind: ReplicaSet, name: api-6d9f, uid: rs-1}]
    spec: {nodeName: node1, containers: [{name: api, image: nginx}]}
    ---
    apiVersion: apps/v1
    kind: ReplicaSet
    metadata:
      name: orphan-5c8d
      namespace: shop
      labels: {app: orphan, pod-template-hash: 5c8d}
      ownerReferences: [{apiVersion: apps/v1, kind: Deployment, name: orphan, uid: d-gone}]
    spec:
      selector: {matchLabels: {app: orphan, pod-template-hash: 5c8d}}
      template:
        metadata: {labels: {app: orphan, pod-template-hash: 5c8d}}
        spec: {containers: [{name: orphan, image: nginx}]}
    ---
    apiVersion: v1
    kind: Pod
    metadata: {name: debug, namespace: shop, uid: p-2}
    spec: {nodeName: node2, containers: [{name: debug, image: busybox}]}
    ---
    apiVersion: batch/v1
    kind: CronJob
    metadata: {name: report, namespace: shop, uid: cj-1}
    spec:
      schedule: "0 1 * * *"
      jobTemplate:
        spec:
          template:
            spec: {restartPolicy: Never, containers: [{name: report, image: busybox}]}
    ---
    apiVersion: batch/v1
    kind: Job
    metadata:
      name: report-28712160
      namespace: shop
      uid: j-1
      ownerReferences: [{apiVersion: batch/v1, kind: CronJob, name: report, uid: cj-1}]
    spec:
      template:
        spec: {restartPolicy: Never, containers: [{name: report, image: busybox}]}
    ---
    apiVersion: v1
    kind: Pod
    metadata:
      name: report-28712160-abcde
      namespace: shop
      ownerReferences: [{apiVersion: batch/v1, kind: Job, name: report-28712160, uid: j-1}]
    spec: {containers: [{name: report, image: busybox}]}
    ---
    apiVersion: batch/v1
    kind: Job
    metadata:
      name: migrate
      namespace: shop
      uid: j-2
      labels: {controller-uid: j-2, job-name: migrate}
    spec:
      selector: {matchLabels: {controller-uid: j-2}}
      template:
        metadata: {labels: {controller-uid: j-2, batch.kubernetes.io/controller-uid: j-2, job-name: migrate}}
        spec: {restartPolicy: Never, containers: [{name: migrate, image: busybox}]}
    ---
    apiVersion: v1
    kind: Secret
    metadata:
      name: builder-token-abcde
      namespace: shop
      annotations: {kubernetes.io/service-account.name: builder}
    type: kubernetes.io/service-account-token
    ---
    apiVersion: v1
    kind: ServiceAccount
    metadata: {name: builder, namespace: shop}
    secrets: [{name: builder-token-abcde}, {name: registry}]
    ---
    apiVersion: v1
    kind: ServiceAccount
    metadata: {name: default, namespace: shop}
    ---
    apiVersion: v1
    kind: ServiceAccount
    metadata: {name: default, namespace: tools}
    imagePullSecrets: [{name: registry}]
    ---
    apiVersion: v1
    kind: ConfigMap
    metadata: {name: kube-root-ca.crt, namespace: shop}
    data: {ca.crt: x}
    ---
    apiVersion: v1
    kind: Service
    metadata: {name: api, namespace: shop}
    spec: {selector: {app: api}, clusterIP: 10.0.0.10, clusterIPs: [10.0.0.10], ports: [{port: 80}]}
    ---
    apiVersion: v1
    kind: Endpoints
    metadata: {name: api, namespace: shop}
    subsets: [{addresses: [{ip: 10.1.0.4}], ports: [{port: 80}]}]
    ---
    apiVersion: v1
    kind: Service
    metadata: {name: legacy-db, namespace: shop}
    spec: {ports: [{port: 5432}]}
    ---
    apiVersion: v1
    kind: Endpoints
    metadata: {name: legacy-db, namespace: shop}
    subsets: [{addresses: [{ip: 192.168.1.20}], ports: [{port: 5432}]}]
    ---
    apiVersion: discovery.k8s.io/v1
    kind: EndpointSlice
    metadata:
      name: api-abcde
      namespace: shop
      labels: {endpointslice.kubernetes.io/managed-by: endpointslice-controller.k8s.io, kubernetes.io/service-name: api}
    addressType: IPv4
    endpoints: [{addresses: [10.1.0.4]}]
    ---
    apiVersion: v1
    kind: Event
    metadata: {name: api.17a2b3c4d5e6f7a8, namespace: shop}
    reason: Scheduled
    ---
    apiVersion: v1
    kind: Pod
    metadata:
      name: etcd-node1
      namespace: kube-system
      annotations: {kubernetes.io/config.mirror: abc}
    spec: {nodeName: node1, containers: [{name: etcd, image: etcd}]}
    ---
    apiVersion: v1
    kind: Service
    metadata: {name: nodeport, namespace: shop}
    spec: {type: NodePort, clusterIP: 10.0.0.11, selector: {app: api}, ports: [{port: 80, nodePort: 30080}]}
    ---
    apiVersion: v1
    kind: Service
    metadata: {name: lb, namespace: shop}
    spec:
      type: LoadBalancer
      clusterIP: 10.0.0.12
      clusterIPs: [10.0.0.12]
      externalTrafficPolicy: Local
      healthCheckNodePort: 32000
      selector: {app: api}
      ports: [{port: 443, nodePort: 31443}]
    ---
    apiVersion: v1
    kind: PersistentVolumeClaim
    metadata:
      name: data
      namespace: shop
      annotations: {keep: me, pv.kubernetes.io/bind-completed: "yes", volume.kubernetes.io/selected-node: node1}
    spec: {storageClassName: managed-csi, volumeName: pvc-gone, accessModes: [ReadWriteOnce], resources: {requests: {storage: 1Gi}}}
    """
}
