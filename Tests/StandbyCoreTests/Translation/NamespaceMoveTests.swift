import Foundation
import Testing
@testable import StandbyCore

/// Moving Kubernetes objects to another namespace: by a rule that edits `metadata.namespace`, or by
/// `TranslationSettings.namespaces`. The plan's ids, file paths and manifests follow, and so do the
/// references to the moved objects.
@Suite struct NamespaceMoveTests {
    static let cluster = "aks-prod-weu"

    /// A rule that moves every object of `from` to `to` (and renames the Namespace object).
    struct Move: TranslationStep {
        var from: String
        var to: String
        var name: String { "move \(from)" }
        func applies(to resource: Resource) -> Bool {
            resource.isKubernetesObject && (resource.namespace == from || (resource.kind == "Namespace" && resource.name == from))
        }
        func apply(to document: inout TranslatedDocument, in context: TranslationContext) throws {
            var doc = document.value
            if document.resource.kind == "Namespace" {
                doc.set([.key("metadata"), .key("name")], .string(to))
            } else {
                doc.set([.key("metadata"), .key("namespace")], .string(to))
            }
            document.replace(with: doc, by: "rule: \(name)")
        }
    }

    static func manifests(_ plan: RecoveryPlan) throws -> [String: KubernetesManifest] {
        let set = try #require(plan.kubernetes.first { $0.cluster == cluster })
        return Dictionary(set.manifests.map { ($0.source, $0) }, uniquingKeysWith: { a, _ in a })
    }

    @Test("a rule that changes metadata.namespace moves the object's id, file and manifest")
    func ruleMoveIsHonoured() throws {
        let t = try SampleEstate.translate(rules: [Move(from: "checkout", to: "checkout-dr")])
        let web = "k8s://\(Self.cluster)/apps/Deployment/checkout/web"
        let r = try #require(t.resource(web))
        #expect(r.recoveryID == "k8s://\(Self.cluster)/apps/Deployment/checkout-dr/web")
        let plan = RecoveryPlan(t)
        let m = try #require(try Self.manifests(plan)[web])
        #expect(m.path == "checkout-dr/Deployment/web.yaml")
        #expect(m.document["metadata"]?["namespace"] == "checkout-dr")
        let ns = try #require(try Self.manifests(plan)["k8s://\(Self.cluster)/core/Namespace/checkout"])
        #expect(ns.document["metadata"]?["name"] == "checkout-dr")
        #expect(ns.path == "_cluster/Namespace/checkout-dr.yaml")
    }

    /// A rule that gives every cluster-scoped object (but Namespaces) a namespace.
    struct Namespaced: TranslationStep {
        var name: String { "namespaced" }
        func applies(to resource: Resource) -> Bool {
            resource.isKubernetesObject && resource.namespace == nil && resource.kind != "Namespace"
        }
        func apply(to document: inout TranslatedDocument, in context: TranslationContext) throws {
            var doc = document.value
            doc.set([.key("metadata"), .key("namespace")], .string("checkout"))
            document.replace(with: doc, by: "rule: \(name)")
        }
    }

    @Test("a rule that gives a cluster-scoped object a namespace is reported, not silently dropped")
    func namespaceOnAClusterScopedObjectIsReported() throws {
        let t = try SampleEstate.translate(rules: [Namespaced()])
        let touched = t.resources.filter { Namespaced().applies(to: $0.source) }
        #expect(!touched.isEmpty, "the sample estate has cluster-scoped objects")
        let reported = Set(t.issues.filter { $0.feature == "metadata.namespace" && $0.message.contains("cluster-scoped") }.map(\.resource))
        #expect(reported == Set(touched.map(\.source.id)))
        for r in touched { #expect(r.recoveryID.map { KubeRef(id: $0)?.namespace } == .some(nil), "\(r.source.id) keeps no namespace") }
    }
}

/// `TranslationSettings.namespaces` on the sample estate: ids, manifests, file paths and the
/// references to the moved objects.
@Suite struct NamespaceMapTests {
    static let cluster = "aks-prod-weu"
    static let map = NamespaceMap(["checkout": "checkout-dr", "payments": "payments-dr"])

    static func translate(_ map: NamespaceMap = Self.map, rules: [any TranslationStep] = []) throws -> Translation {
        let settings = TranslationSettings(to: SampleEstate.recovery, mode: .failover, namespaces: map)
        try map.check(against: try SampleEstate.inventory())
        return Translator(settings: settings, rules: rules).translate(try SampleEstate.selection())
    }

    static func k(_ tail: String) -> String { "k8s://\(cluster)/\(tail)" }

    @Test("every object of a mapped namespace moves: id, metadata.namespace, file path; the Namespace is renamed")
    func objectsMove() throws {
        let t = try Self.translate()
        #expect(t.resource(Self.k("apps/Deployment/checkout/web"))?.recoveryID == Self.k("apps/Deployment/checkout-dr/web"))
        #expect(t.resource(Self.k("core/Namespace/payments"))?.recoveryID == Self.k("core/Namespace/payments-dr"))
        let plan = RecoveryPlan(t)
        let set = try #require(plan.kubernetes.first { $0.cluster == Self.cluster })
        let paths = Set(set.manifests.map(\.path))
        #expect(paths.contains("checkout-dr/Deployment/web.yaml"))
        #expect(paths.contains("_cluster/Namespace/checkout-dr.yaml"))
        #expect(!paths.contains { $0.hasPrefix("checkout/") || $0.hasPrefix("payments/") }, "\(paths.sorted())")
        for m in set.manifests {
            if let ns = m.document["metadata"]?["namespace"]?.stringValue {
                #expect(!["checkout", "payments"].contains(ns), "\(m.path) keeps \(ns)")
            }
        }
        let ns = try #require(set.manifests.first { $0.source == Self.k("core/Namespace/checkout") })
        #expect(ns.document["metadata"]?["name"] == "checkout-dr")
        // The report says what moved, per namespace.
        let moves = Dictionary(t.namespaceMoves.map { ($0.from, $0) }, uniquingKeysWith: { a, _ in a })
        #expect(moves["checkout"]?.to == "checkout-dr")
        #expect((moves["checkout"]?.objects ?? 0) > 5)
        #expect(moves["checkout"]?.by == ["built-in: namespace"])
        let md = PlanReport(plan).markdown
        #expect(md.contains("## Namespaces moved"))
        #expect(md.contains("| aks-prod-weu | `checkout` | `checkout-dr` |"))
        #expect(!t.issues.contains { $0.feature == "metadata.namespace" }, "\(t.issues.filter { $0.feature == "metadata.namespace" })")
    }

    @Test("Service DNS names in ConfigMap data follow their Service; other namespaces' names are left")
    func serviceDNSNamesFollow() throws {
        let t = try Self.translate(NamespaceMap(["checkout": "checkout-dr"]))
        let web = try #require(t.resource(Self.k("core/ConfigMap/checkout/web-config")))
        #expect(web.document["data"]?["CART_URL"] == "http://cart.checkout-dr.svc.cluster.local:8080")
        #expect(web.document["data"]?["PAYMENTS_API"] == "https://api.payments.svc.cluster.local", "payments is not mapped")
        let cart = try #require(t.resource(Self.k("core/ConfigMap/checkout/cart-config")))
        #expect(cart.document["data"]?["REDIS_HOST"] == "cart-redis.checkout-dr.svc.cluster.local")
        #expect(web.changes.contains { $0.path == "data.CART_URL" && $0.by == "built-in: namespace move" })
        // Both maps: the payments name follows too.
        let both = try Self.translate()
        #expect(both.resource(Self.k("core/ConfigMap/checkout/web-config"))?.document["data"]?["PAYMENTS_API"]
                == "https://api.payments-dr.svc.cluster.local")
    }

    @Test("PersistentVolume claimRefs and CSI attributes follow their claims; the AKS pod identity follows its namespace")
    func claimRefsAndPodIdentity() throws {
        let t = try Self.translate()
        let pvs = t.resources.filter {
            $0.source.kind == "PersistentVolume" && $0.source.document["spec"]?["claimRef"]?["namespace"] == "payments"
        }
        #expect(!pvs.isEmpty)
        for pv in pvs {
            #expect(pv.document["spec"]?["claimRef"]?["namespace"] == "payments-dr", "\(pv.source.id)")
            if let attr = pv.document["spec"]?["csi"]?["volumeAttributes"]?[NamespaceReferences.pvcNamespace] {
                #expect(attr == "payments-dr", "\(pv.source.id)")
            }
        }
        let aks = try #require(t.resource(SampleEstate.aksID))
        let identities = aks.document["properties"]?["podIdentityProfile"]?["userAssignedIdentities"]?.arrayValue ?? []
        let legacy = try #require(identities.first { $0["name"] == "checkout-legacy" })
        #expect(legacy["namespace"] == "checkout-dr")
    }

    @Test("a rule's move is honoured with the map: the references follow the rule's target")
    func ruleAndMapTogether() throws {
        let t = try Self.translate(NamespaceMap(["payments": "payments-dr"]),
                                   rules: [NamespaceMoveTests.Move(from: "checkout", to: "shop")])
        #expect(t.resource(Self.k("apps/Deployment/checkout/web"))?.recoveryID == Self.k("apps/Deployment/shop/web"))
        let web = try #require(t.resource(Self.k("core/ConfigMap/checkout/web-config")))
        #expect(web.document["data"]?["CART_URL"] == "http://cart.shop.svc.cluster.local:8080")
        #expect(web.document["data"]?["PAYMENTS_API"] == "https://api.payments-dr.svc.cluster.local")
        let move = try #require(t.namespaceMoves.first { $0.from == "checkout" })
        #expect(move.to == "shop" && move.by == ["rule: move checkout"])
    }

    @Test("a rule that moves objects to a namespace nothing creates, or onto another object, is reported")
    func movesThatNeedAPerson() throws {
        struct MoveWeb: TranslationStep {
            let name = "web to payments"
            func applies(to resource: Resource) -> Bool { resource.isKubernetesObject && resource.namespace == "checkout" }
            func apply(to document: inout TranslatedDocument, in context: TranslationContext) throws {
                var doc = document.value
                doc.set([.key("metadata"), .key("namespace")], .string(document.resource.name == "web" ? "payments" : "nowhere"))
                document.replace(with: doc, by: "rule: \(name)")
            }
        }
        let t = try Self.translate(NamespaceMap(), rules: [MoveWeb()])
        let issues = t.issues.filter { $0.feature == "metadata.namespace" }.map(\.message)
        #expect(issues.contains { $0.contains("moved to namespace nowhere of cluster aks-prod-weu") && $0.contains("which the plan does not create") },
                "\(issues)")
        // payments/web does not exist in the estate: moving web there is fine, payments is created.
        #expect(!issues.contains { $0.contains("namespace payments of cluster") }, "\(issues)")
    }

    @Test("maps that cannot work are refused before anything is translated")
    func refusedMaps() throws {
        let inv = try SampleEstate.inventory()
        func message(_ map: [String: String]) -> String {
            do { try NamespaceMap(map).check(against: inv); return "accepted" } catch { return "\(error)" }
        }
        #expect(message(["checkout": "shop", "payments": "shop"]).contains("checkout and payments both map to shop"))
        #expect(message(["checkout": "payments"]).contains("namespace payments already exists in the capture of cluster aks-prod-weu"))
        #expect(message(["chekout": "checkout-dr"]).contains("no namespace 'chekout' in the inventory (did you mean 'checkout'?)"))
        #expect(message(["checkout": "Checkout_DR"]).contains("lower-case letters, digits and '-'"))
        #expect(message(["checkout": "checkout-dr", "payments": "payments"]) == "accepted", "a namespace mapped to itself stays")
    }
}
