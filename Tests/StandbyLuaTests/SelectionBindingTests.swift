import Foundation
import StandbyCore
import StandbyLua
import Testing
import StandbyTestSupport

/// `standby.select` and `standby.refs.register` from Lua.
@Suite("standby.select")
struct SelectionBindingTests {
    static let manifests = """
        apiVersion: apps/v1
        kind: Deployment
        metadata: {name: api, namespace: payments, labels: {app: api}}
        spec:
          template:
            metadata: {labels: {app: api}}
            spec:
              serviceAccountName: api
              containers:
              - name: api
                image: api:1
                envFrom: [{configMapRef: {name: api-config}}]
                env: [{name: DB, valueFrom: {secretKeyRef: {name: db, key: pw}}}]
        ---
        apiVersion: v1
        kind: ConfigMap
        metadata: {name: api-config, namespace: payments}
        ---
        apiVersion: v1
        kind: ServiceAccount
        metadata: {name: api, namespace: payments}
        ---
        apiVersion: v1
        kind: ConfigMap
        metadata: {name: unrelated, namespace: payments}
        ---
        apiVersion: batch.example.com/v1
        kind: Report
        metadata: {name: nightly, namespace: reports}
        spec: {deployment: api, deploymentNamespace: payments}
        ---
        apiVersion: v1
        kind: ConfigMap
        metadata: {name: other, namespace: reports, labels: {tier: web}}
        """

    func run(_ body: String, extra: [String: String] = [:]) throws -> [JSONValue] {
        let folder = try Fixture.folder(["objects.yaml": Self.manifests].merging(extra) { $1 })
        return try Fixture.run("""
            local standby = require "standby"
            local inv = standby.inventory.load("\(folder)/objects.yaml", { cluster = "c1" })
            \(body)
            """).results
    }

    @Test("a Deployment root pulls in its ConfigMap and ServiceAccount; the missing Secret is dangling")
    func closureWhyAndDangling() throws {
        let r = try run("""
            local sel = standby.select{ inventory = inv, roots = { "k8s://c1/apps/Deployment/payments/api" } }
            local ids = {}
            for res in sel:each() do ids[#ids + 1] = res.id end
            local d = sel:dangling()[1]
            local text, steps = sel:why("k8s://c1/core/ConfigMap/payments/api-config")
            return ids, text, steps[1].relation, steps[1].path, #sel:dangling(), d.target, d.relation, d.path,
                   sel:contains("k8s://c1/core/ConfigMap/payments/unrelated"), sel:why("k8s://c1/core/ConfigMap/payments/unrelated")
            """)
        #expect(r[0] == .array(["k8s://c1/apps/Deployment/payments/api", "k8s://c1/core/ConfigMap/payments/api-config",
                                "k8s://c1/core/ServiceAccount/payments/api"]))
        #expect(r[1] == .string("Deployment payments/api → envFrom → ConfigMap payments/api-config"))
        #expect(r[2] == .string("envFrom"))
        #expect(r[3] == .string("spec.template.spec.containers[0].envFrom[0].configMapRef.name"))
        #expect(r[4] == .int(1))
        #expect(r[5] == .string("Secret payments/db"))
        #expect(r[7] == .string("spec.template.spec.containers[0].env[0].valueFrom.secretKeyRef.name"))
        #expect(r[8] == .bool(false))
        #expect(r[9] == .null)
    }

    @Test("a binding's ServiceAccount subject outside the selected namespaces is an external reference, with its reason")
    func bindingSubjectOutsideTheSelection() throws {
        let binding = KubeObjects.bindingWithSubjectInReports
        let r = try run("""
            local extra = standby.inventory.load("\(try Fixture.folder(["rbac.yaml": binding]))/rbac.yaml", { cluster = "c1" })
            local sel = standby.select{ inventory = standby.inventory.merge(inv, extra), namespaces = { "payments" } }
            local external
            for _, d in ipairs(sel:dangling()) do if d.reason then external = d end end
            local plain
            for _, d in ipairs(sel:dangling()) do if d.target == "Secret payments/db" then plain = d end end
            return sel:contains("k8s://c1/core/ServiceAccount/reports/reporter"), external.target, external.path, external.reason, plain.reason
            """)
        #expect(r[0] == .bool(false))
        #expect(r[1] == .string("ServiceAccount reports/reporter"))
        #expect(r[2] == .string("subjects[0]"))
        #expect(r[3].stringValue?.contains("namespace reports, which this selection does not select") == true, "\(r[3])")
        #expect(r[4] == .null)
    }

    @Test("tag rules: conditions of one rule AND, rules OR; each filters")
    func tagRules() throws {
        let r = try run("""
            local sel = standby.select{ inventory = inv, tags = {
              { ["k8s:kind"] = "ConfigMap", ["k8s:namespace"] = "reports" },
              { ["k8s:name"] = "unre*" },
            } }
            local names = {}
            for res in sel:each{ kind = "ConfigMap" } do names[#names + 1] = res.namespace .. "/" .. res.name end
            local none = standby.select{ inventory = inv, tags = { { ["k8s:kind"] = "ConfigMap", ["k8s:label"] = "tier=db" } } }
            return names, none.count, sel:summary().selected
            """)
        #expect(r == [.array(["payments/unrelated", "reports/other"]), .int(0), .int(2)])
    }

    @Test("refs.register teaches the walker a custom kind; objects of other kinds never reach it")
    func registerCustomKind() throws {
        let r = try run("""
            local calls = 0
            standby.refs.register{ kind = "Report", group = "batch.example.com", extract = function(obj, ctx)
              calls = calls + 1
              assert(ctx.cluster == "c1" and ctx.namespace == "reports" and ctx.kind == "Report")
              return { { relation = "reports on", kind = "Deployment", group = "apps",
                         namespace = obj.spec.deploymentNamespace, name = obj.spec.deployment, path = "spec.deployment" } }
            end }
            local sel = standby.select{ inventory = inv, roots = { "k8s://c1/batch.example.com/Report/reports/nightly" },
                                        namespaces = { "payments" } }
            return calls, sel:why("k8s://c1/core/ServiceAccount/payments/api") ~= nil,
                   (standby.select{ inventory = inv, roots = { "k8s://c1/batch.example.com/Report/reports/nightly" } }
                     :why("k8s://c1/core/ConfigMap/payments/api-config"))
            """)
        #expect(r[0] == .int(1), "the extractor runs once per Report object, and for nothing else")
        #expect(r[1] == .bool(true))
        #expect(r[2] == .string("Report reports/nightly → reports on → Deployment payments/api → envFrom → ConfigMap payments/api-config"))
    }

    @Test("an extractor error names the extractor, the object and the script line")
    func extractorError() throws {
        let folder = try Fixture.folder(["objects.yaml": Self.manifests])
        let (error, path) = try Fixture.failure("""
            local standby = require "standby"
            local inv = standby.inventory.load("\(folder)/objects.yaml", { cluster = "c1" })
            standby.refs.register{ kind = "Report", extract = function(obj, ctx)
              return obj.spec.missing.field
            end }
            standby.select{ inventory = inv, roots = { "k8s://c1/batch.example.com/Report/reports/nightly" } }
            """)
        let message = error?.message ?? ""
        #expect(message.hasPrefix("\(path):6: refs extractor 'lua: Report' failed on Report reports/nightly: \(path):4: attempt to index a nil value"), "\(message)")
    }

    @Test("bad requests are refused with a message that teaches")
    func badRequests() throws {
        let folder = try Fixture.folder(["objects.yaml": Self.manifests])
        let prelude = "local standby = require \"standby\"\nlocal inv = standby.inventory.load(\"\(folder)/objects.yaml\", { cluster = \"c1\" })\n"
        let (e1, p1) = try Fixture.failure(prelude + "standby.select{ inventory = inv, tags = { { [\"k8s:type\"] = \"x\" } } }\n")
        #expect(e1?.message == "\(p1):3: select: tags[1]: Unknown tag 'k8s:type': expected k8s:kind, k8s:namespace, k8s:label or k8s:name.")
        let (e2, p2) = try Fixture.failure(prelude + "standby.select{ inventory = inv, root = { \"x\" } }\n")
        #expect(e2?.message == "\(p2):3: bad argument #1 to 'select' (unknown field 'root' (did you mean 'roots'?); known fields: roots, namespaces, tags, exclude, policy_objects, strict, inventory)")
        let (e3, p3) = try Fixture.failure(prelude + "standby.select{ roots = { \"x\" } }\n")
        #expect(e3?.message.hasPrefix("\(p3):3: bad argument #1 to 'select' (field 'inventory' must be a standby.Inventory") == true)
        let (e4, p4) = try Fixture.failure(prelude + "standby.select{ inventory = inv, roots = { \"k8s://c1/apps/Deployment/payments/nope\" } }\n")
        #expect(e4?.message == "\(p4):3: select: root 'k8s://c1/apps/Deployment/payments/nope' is not in the inventory (give an id, an alias, or a cluster name)")
        let (e5, p5) = try Fixture.failure(prelude + "standby.refs.register{ kind = \"X\" }\n")
        #expect(e5?.message == "\(p5):3: bad argument #1 to 'register' (field 'extract' must be a function(obj, ctx))")
    }
}
