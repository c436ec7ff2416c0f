import Foundation
import StandbyCore
@testable import StandbyLua
import Testing

/// `standby.rule`, `standby.map_id` and `standby.translate` from Lua, on a small estate: three
/// Deployments, a ConfigMap naming an Azure identity, and that identity.
@Suite("standby.translate")
struct TranslationBindingTests {
    static let src = "8f3c2a1e-5b7d-4c9a-9e21-3d6f0a4b7c15"
    static let dst = "0b9d4c3e-7a61-4f2b-8c5d-1e2f3a4b5c6d"
    static let identity = "/subscriptions/\(src)/resourceGroups/rg-app/providers/Microsoft.ManagedIdentity/userAssignedIdentities/id-api"
    static let recoveredIdentity = "/subscriptions/\(dst)/resourceGroups/rg-app-dr/providers/Microsoft.ManagedIdentity/userAssignedIdentities/id-api"
    static let api = "k8s://c1/apps/Deployment/payments/api"
    static let worker = "k8s://c1/apps/Deployment/payments/worker"
    static let web = "k8s://c1/apps/Deployment/checkout/web"
    static let config = "k8s://c1/core/ConfigMap/payments/api-config"

    static let manifests = """
        apiVersion: apps/v1
        kind: Deployment
        metadata: {name: api, namespace: payments, labels: {app: api, tier: web}}
        spec:
          replicas: 3
          template:
            metadata: {labels: {app: api}}
            spec:
              containers:
              - {name: api, image: "registry.contoso.com/api:1"}
        ---
        apiVersion: apps/v1
        kind: Deployment
        metadata: {name: worker, namespace: payments, labels: {app: worker}}
        spec:
          replicas: 2
          template:
            metadata: {labels: {app: worker}}
            spec:
              containers:
              - {name: worker, image: "registry.contoso.com/worker:1"}
        ---
        apiVersion: apps/v1
        kind: Deployment
        metadata: {name: web, namespace: checkout, labels: {app: web, tier: web}}
        spec: {replicas: 1, template: {metadata: {labels: {app: web}}, spec: {containers: [{name: web, image: "nginx:1"}]}}}
        ---
        apiVersion: v1
        kind: ConfigMap
        metadata: {name: api-config, namespace: payments}
        data:
          IDENTITY: \(identity)
          REGION: westeurope
        """

    static let azure = """
        {"id": "\(identity)", "name": "id-api", "type": "Microsoft.ManagedIdentity/userAssignedIdentities",
         "location": "westeurope", "tags": {"env": "prod"}, "properties": {"clientId": "c0ffee00-0000-4000-8000-000000000001"}}
        """

    static func prelude(_ folder: String) -> String {
        """
        local standby = require "standby"
        local ID = "\(identity)"
        local inv = standby.inventory.load({ "\(folder)/objects.yaml", "\(folder)/azure.json" }, { cluster = "c1" })
        local sel = standby.select{ inventory = inv, roots = { ID }, namespaces = { "payments", "checkout" } }
        local to = { azure = { subscription = "\(dst)", location = "northeurope", resource_groups = { ["rg-app"] = "rg-app-dr" } } }

        """
    }

    static func folder(_ extra: [String: String] = [:]) throws -> String {
        try Fixture.folder(["objects.yaml": manifests, "azure.json": azure].merging(extra) { $1 })
    }

    /// Runs `body` after the prelude (which takes 6 lines, so `body`'s first line is line 7).
    func run(_ body: String, runtime: LuaRuntime? = nil) throws -> [JSONValue] {
        let folder = try Self.folder()
        return try Fixture.run(Self.prelude(folder) + body, in: runtime, folder: folder).results
    }

    func failure(_ body: String, limits: LuaLimits = .init()) throws -> (error: LuaScriptError?, path: String) {
        let folder = try Self.folder()
        return try Fixture.failure(Self.prelude(folder) + body, limits: limits)
    }

    @Test("two rules editing one field: the later wins, and both changes are recorded with their names")
    func ruleOrdering() throws {
        let r = try run("""
            local t = standby.translate{ selection = sel, to = to, rules = {
              standby.rule{ name = "first", match = { ["k8s:kind"] = "Deployment" }, apply = function(obj) obj.spec.replicas = 10 end },
              standby.rule{ name = "second", match = { ["k8s:name"] = "api" }, apply = function(obj) obj.spec.replicas = 20 end },
            } }
            local bys = {}
            for _, c in ipairs(t:resource("\(Self.api)").changes) do
              if c.path == "spec.replicas" then bys[#bys + 1] = string.format("%s: %s -> %s", c.by, c.before, c.after) end
            end
            return t:get("\(Self.api)").spec.replicas, bys, t:get("\(Self.worker)").spec.replicas
            """)
        #expect(r[0] == .int(20))
        #expect(r[1] == .array(["rule: first: 3 -> 10", "rule: second: 10 -> 20"]))
        #expect(r[2] == .int(10))
    }

    @Test("rules matching one object share one crossing: the next rule gets the table the last one left; after a failure, a fresh one")
    func rulesShareOneCrossing() throws {
        let r = try run("""
            local seen, same = nil, {}
            local t = standby.translate{ selection = sel, to = to, rules = {
              standby.rule{ name = "one", match = { ["k8s:name"] = "api" }, apply = function(obj) seen = obj; obj.spec.replicas = 5 end },
              standby.rule{ name = "two", match = { ["k8s:name"] = "api" }, apply = function(obj)
                same[#same + 1] = rawequal(obj, seen) and obj.spec.replicas == 5
                obj.spec.replicas = 6
                error("two fails after editing", 0)
              end },
              standby.rule{ name = "three", match = { ["k8s:name"] = "api" }, apply = function(obj)
                same[#same + 1] = rawequal(obj, seen)
                obj.metadata.labels = obj.metadata.labels or {}
                obj.metadata.labels.seen = tostring(obj.spec.replicas)
              end },
            } }
            return same, t:get("\(Self.api)").spec.replicas, t:get("\(Self.api)").metadata.labels.seen
            """)
        #expect(r[0] == .array([true, false]), "two shares one's table; three gets a fresh one after two failed")
        #expect(r[1] == .int(5))
        #expect(r[2] == "5", "the failed rule's edit is not seen")
    }

    @Test("built-ins run before rules: a rule sees the recovery subscription, group and location")
    func builtInsFirst() throws {
        let r = try run("""
            local seen = {}
            local t = standby.translate{ selection = sel, to = to, rules = {
              standby.rule{ name = "peek", match = { type = "Microsoft.ManagedIdentity/userAssignedIdentities" },
                apply = function(obj) seen.id = obj.id; obj.tags.copied_location = obj.location end },
              standby.rule{ name = "peek config", match = { ["k8s:kind"] = "ConfigMap" },
                apply = function(obj) seen.identity = obj.data.IDENTITY; seen.region = obj.data.REGION end },
            } }
            return seen, t:get(ID).tags.copied_location
            """)
        #expect(r[0]["id"] == .string(Self.recoveredIdentity))
        #expect(r[0]["identity"] == .string(Self.recoveredIdentity))
        #expect(r[0]["region"] == "northeurope")
        #expect(r[1] == "northeurope")
    }

    @Test("a rule error leaves the object as it was and is reported with the rule, the object and the line")
    func ruleErrorRestoresObject() throws {
        let folder = try Self.folder()
        let (results, path) = try Fixture.run(Self.prelude(folder) + """
            local t = standby.translate{ selection = sel, to = to, rules = {
              standby.rule{ name = "half done", match = { ["k8s:name"] = "api" }, apply = function(obj)
                obj.spec.replicas = 99
                local missing = nil
                return missing.field
              end },
              standby.rule{ name = "quiet", match = { ["k8s:name"] = "worker" }, apply = function(obj)
                obj.spec.replicas = 0
                error("workers must keep a replica", 0)
              end },
              standby.rule{ name = "after", match = { ["k8s:name"] = "api" }, apply = function(obj)
                obj.metadata.annotations = { ["after"] = tostring(obj.spec.replicas) }
              end },
            } }
            local api = t:resource("\(Self.api)")
            local by_half = 0
            for _, c in ipairs(api.changes) do if c.by == "rule: half done" then by_half = by_half + 1 end end
            return api.doc.spec.replicas, by_half, api.doc.metadata.annotations.after, t:get("\(Self.worker)").spec.replicas,
                   t.failures, t.summary.failures
            """, folder: folder)
        #expect(results[0] == .int(3))
        #expect(results[1] == .int(0))
        #expect(results[2] == "3", "the next rule sees the object as it was before the failed one")
        #expect(results[3] == .int(2))
        let failures = try #require(results[4].arrayValue)
        #expect(failures.count == 2)
        #expect(failures[0]["rule"] == "half done")
        #expect(failures[0]["resource"] == .string(Self.api))
        #expect(failures[0]["display"] == "Deployment payments/api")
        #expect(failures[0]["message"] == .string("rule 'half done' on Deployment payments/api: \(path):10: attempt to index a nil value (local 'missing')"))
        // error(msg, 0) carries no position: the line comes from the traceback.
        #expect(failures[1]["message"] == .string("rule 'quiet' on Deployment payments/worker: \(path):14: workers must keep a replica"))
        #expect(results[5] == .int(2))
    }

    @Test("a rule may return a new table or edit obj in place; anything else is a failure")
    func returnOrEditInPlace() throws {
        let r = try run("""
            local t = standby.translate{ selection = sel, to = to, rules = {
              standby.rule{ name = "replace", match = { ["k8s:name"] = "worker" }, apply = function(obj)
                return { apiVersion = "apps/v1", kind = "Deployment", metadata = { name = "worker", namespace = "payments" },
                         spec = { replicas = 5 } }
              end },
              standby.rule{ name = "in place", match = { ["k8s:name"] = "api" }, apply = function(obj)
                obj.spec.template.spec.containers[1].image = "registry-dr.contoso.com/api:1"
              end },
              standby.rule{ name = "bad return", match = { ["k8s:name"] = "web" }, apply = function(obj) return "web" end },
            } }
            local worker = t:resource("\(Self.worker)")
            local removed = {}
            for _, c in ipairs(worker.changes) do
              if c.by == "rule: replace" and c.after == nil then removed[#removed + 1] = c.path end
            end
            table.sort(removed)
            return worker.doc, removed, t:get("\(Self.api)").spec.template.spec.containers[1].image, t.failures[1].message
            """)
        #expect(r[0] == ["apiVersion": "apps/v1", "kind": "Deployment", "metadata": ["name": "worker", "namespace": "payments"],
                         "spec": ["replicas": 5]])
        #expect(r[1] == ["metadata.labels", "spec.template"])
        #expect(r[2] == "registry-dr.contoso.com/api:1")
        #expect(r[3].stringValue?.hasPrefix("rule 'bad return' on Deployment checkout/web: apply must return the object (a table) or nothing, got string (rule defined at /tmp/") == true, "\(r[3])")
        #expect(r[3].stringValue?.contains("script.lua:14)") == true, "\(r[3])")
    }

    @Test("match by kind, namespace, label, type and alternatives; unmatched objects never reach Lua")
    func matching() throws {
        let r = try run("""
            local seen, never = {}, 0
            local function record(tag) return function(obj, ctx) seen[#seen + 1] = tag .. " " .. ctx.resource.display end end
            local t = standby.translate{ selection = sel, to = to, rules = {
              standby.rule{ name = "kind", match = { ["k8s:kind"] = "ConfigMap" }, apply = record("kind") },
              standby.rule{ name = "ns", match = { ["k8s:namespace"] = "checkout" }, apply = record("ns") },
              standby.rule{ name = "label", match = { ["k8s:label"] = "tier=web" }, apply = record("label") },
              standby.rule{ name = "type", match = { type = "microsoft.managedidentity/userassignedidentities" }, apply = record("type") },
              standby.rule{ name = "or", match = { { ["k8s:name"] = "work*" }, { env = "prod" } }, apply = record("or") },
              standby.rule{ name = "and", match = { ["k8s:kind"] = "Deployment", ["k8s:namespace"] = "payments", ["k8s:label"] = "app=api" },
                            apply = record("and") },
              standby.rule{ name = "nothing", match = { ["k8s:kind"] = "Service" }, apply = function() never = never + 1 end },
            } }
            table.sort(seen)
            return seen, #seen, never, t.count
            """)
        #expect(r[0] == [
            "and Deployment payments/api", "kind ConfigMap payments/api-config", "label Deployment checkout/web",
            "label Deployment payments/api", "ns Deployment checkout/web",
            "or Deployment payments/worker", "or Microsoft.ManagedIdentity/userAssignedIdentities id-api",
            "type Microsoft.ManagedIdentity/userAssignedIdentities id-api",
        ])
        // 5 objects × 7 rules = 35 possible calls; only the 8 matches entered Lua.
        #expect(r[1] == .int(8))
        #expect(r[2] == .int(0))
        #expect(r[3] == .int(5))
    }

    @Test("a rule with a counter in its closure is called once per matching object and for nothing else")
    func unmatchedObjectsNeverCrossIntoLua() throws {
        let r = try run("""
            local calls, kinds = 0, {}
            local t = standby.translate{ selection = sel, to = to, rules = {
              standby.rule{ name = "count", match = { ["k8s:kind"] = "ConfigMap" }, apply = function(obj)
                calls = calls + 1
                kinds[#kinds + 1] = obj.kind
              end },
            } }
            return calls, kinds, t.count
            """)
        #expect(r == [.int(1), ["ConfigMap"], .int(5)])
    }

    @Test("standby.map_id overrides the derived mapping, everywhere the id appears; ids = {...} wins over map_id")
    func mapIDOverride() throws {
        let other = "/subscriptions/\(Self.dst)/resourceGroups/rg-shared/providers/Microsoft.ManagedIdentity/userAssignedIdentities/id-shared"
        let third = "/subscriptions/\(Self.dst)/resourceGroups/rg-third/providers/Microsoft.ManagedIdentity/userAssignedIdentities/id-third"
        let r = try run("""
            local plain = standby.translate{ selection = sel, to = to }
            local t = standby.translate{ selection = sel, to = to, rules = { standby.map_id(ID:upper(), "\(other)") } }
            local rid, how = t:recovery_id(ID)
            local both = standby.translate{ selection = sel, to = to, ids = { [ID] = "\(third)" },
                                            rules = { standby.map_id(ID, "\(other)") } }
            return plain:recovery_id(ID), rid, how, t:get("\(Self.config)").data.IDENTITY, t:source_id("\(other)"),
                   t:resource(ID).mapping, both:recovery_id(ID), tostring(standby.map_id("a", "b"))
            """)
        #expect(r[0] == .string(Self.recoveredIdentity))
        #expect(r[1] == .string(other))
        #expect(r[2] == "override")
        #expect(r[3] == .string(other))
        #expect(r[4] == .string(Self.identity))
        #expect(r[5] == "override")
        #expect(r[6] == .string(third))
        #expect(r[7] == "standby.IdMapping(a → b)")
    }

    @Test("ctx: mode, to, resource, map_id, map_arn, map_image, recovery_id")
    func ruleContext() throws {
        let r = try run("""
            local out = {}
            standby.translate{ selection = sel, to = to, mode = "failover", rules = {
              standby.rule{ name = "ctx", match = { ["k8s:kind"] = "ConfigMap" }, apply = function(obj, ctx)
                out.mode, out.sub, out.location = ctx.mode, ctx.to.azure.subscription, ctx.to.azure.location
                out.rid, out.kind, out.cluster = ctx.resource.recovery_id, ctx.resource.kind, ctx.resource.cluster
                out.map, out.how = ctx:map_id(ID)
                out.foreign, out.foreign_how = ctx:map_id("/subscriptions/11111111-2222-3333-4444-555555555555/resourceGroups/x/providers/Microsoft.Network/virtualNetworks/v")
                out.subnet, out.subnet_why = ctx:map_id("subnet-0b1c2d3e4f5a60718")
                out.image = ctx:map_image("nginx:1")
                out.self = ctx:recovery_id()
                out.obj = ctx:recovery_id(obj)
                out.by_id = ctx:recovery_id(ID)
                out.arn_error = select(2, pcall(ctx.map_arn, ctx, "not-an-arn"))
                out.text = tostring(ctx)
              end },
            } }
            return out
            """)
        let o = try #require(r.first)
        #expect(o["mode"] == "failover")
        #expect(o["sub"] == .string(Self.dst))
        #expect(o["location"] == "northeurope")
        #expect(o["rid"] == .string(Self.config))
        #expect(o["kind"] == "ConfigMap")
        #expect(o["cluster"] == "c1")
        #expect(o["map"] == .string(Self.recoveredIdentity))
        #expect(o["how"] == "derived")
        #expect(o["foreign"]?.stringValue?.hasPrefix("/subscriptions/11111111-") == true)
        #expect(o["foreign_how"] == "not the source environment's; kept as is")
        #expect(o["subnet"] == nil)
        #expect(o["subnet_why"]?.stringValue?.contains("standby.map_id") == true)
        #expect(o["image"] == "nginx:1")
        #expect(o["self"] == .string(Self.config))
        #expect(o["obj"] == .string(Self.config))
        #expect(o["by_id"] == .string(Self.recoveredIdentity))
        #expect(o["arn_error"]?.stringValue?.contains("bad argument #1 to 'map_arn' ('not-an-arn' is not an ARN") == true, "\(o["arn_error"] ?? .null)")
        #expect(o["text"] == "standby.RuleContext(ConfigMap payments/api-config)")
    }

    @Test("the Translation object: count, summary, get, each, resource, report, json, text")
    func translationObject() throws {
        let r = try run("""
            local t = standby.translate{ selection = sel, to = to, rules = {
              standby.rule{ name = "one replica", match = { ["k8s:name"] = "api" }, apply = function(obj) obj.spec.replicas = 1 end },
            } }
            local ids = {}
            for res in t:each{ kind = "Deployment" } do ids[#ids + 1] = res.id .. " " .. res.source.name .. " " .. res.doc.spec.replicas end
            local report = t:report()
            local decoded = standby.json.decode(t:json{ pretty = true })
            return t.count, t.summary.resources, t.summary.changed, ids, t:get("nope"), report.objects[1].source,
                   decoded.summary.text == t.summary.text, t:text(), t.mode, tostring(t), t:get(ID) == t:resource(ID).doc
            """)
        #expect(r[0] == .int(5))
        #expect(r[1] == .int(5))
        #expect(r[2] == .int(3), "identity, ConfigMap and api changed")
        #expect(r[3] == [.string("\(Self.web) web 1"), .string("\(Self.api) api 1"), .string("\(Self.worker) worker 2")])
        #expect(r[4] == .null)
        #expect(r[5] == .string(Self.identity))
        #expect(r[6] == .bool(true))
        let text = r[7].stringValue ?? ""
        #expect(text.contains("\nDeployment payments/api → \(Self.api) (same cluster name)\n  spec.replicas: 3 → 1 (rule: one replica)\n"), "\(text)")
        #expect(text.contains("  data.IDENTITY: \(Self.identity) → \(Self.recoveredIdentity) (built-in: "), "\(text)")
        #expect(r[8] == "test")
        #expect(r[9] == "standby.Translation(5 resources)")
        #expect(r[10] == .bool(true))
    }

    @Test("`rules = { require \"rules.x\" }` works although the first require also returns the file path")
    func requireIdiom() throws {
        let folder = try Self.folder(["rules/contoso.lua": """
            local standby = require "standby"
            return {
              standby.map_id("subnet-0b1c2d3e4f5a60718", "subnet-0a0000000000000a1"),
              { standby.rule{ name = "nested", match = { ["k8s:name"] = "web" }, apply = function(obj) obj.spec.replicas = 4 end } },
            }
            """])
        let r = try Fixture.run(Self.prelude(folder) + """
            local t = standby.translate{ selection = sel, to = to, rules = { require "rules.contoso" } }
            return t:get("\(Self.web)").spec.replicas, #t.failures
            """, folder: folder).results
        #expect(r == [.int(4), .int(0)])
    }

    @Test("a rule's output keeps the source's key order; keys it adds follow")
    func keyOrderIsKept() throws {
        final class Box { var translation: TranslationObject? }
        let box = Box()
        let runtime = try Fixture.runtime()
        try runtime.registerNativeModule("test.sink", functions: [
            "keep": { call in box.translation = try call.object(1, as: TranslationObject.self); return 0 },
        ])
        _ = try run("""
            require("test.sink").keep(standby.translate{ selection = sel, to = to, rules = {
              standby.rule{ name = "touch", match = { ["k8s:name"] = "api" }, apply = function(obj)
                obj.spec.replicas = 4
                obj.zzz = true
                obj.aaa = true
              end },
            } })
            """, runtime: runtime)
        let t = try #require(box.translation?.translation)
        let doc = try #require(t.resource(Self.api)?.document.objectValue)
        #expect(doc.keys == ["apiVersion", "kind", "metadata", "spec", "aaa", "zzz"])
        #expect(doc["spec"]?.objectValue?.keys == ["replicas", "template"])
        #expect(doc["metadata"]?.objectValue?.keys == ["name", "namespace", "labels"])
    }

    @Test("mistakes in rules and options are refused with messages that teach, at the caller's line")
    func mistakes() throws {
        let rule = "standby.rule{ name = \"r\", match = { [\"k8s:kind\"] = \"Deployment\" }, aply = function() end }\n"
        let (e1, p1) = try failure(rule)
        #expect(e1?.message == "\(p1):6: bad argument #1 to 'rule' (unknown field 'aply' (did you mean 'apply'?); known fields: name, match, apply)")
        let (e2, p2) = try failure("standby.rule{ match = { [\"k8s:kind\"] = \"Deployment\" }, apply = function() end }\n")
        #expect(e2?.message.hasPrefix("\(p2):6: bad argument #1 to 'rule' (field 'name' is required") == true, "\(e2?.message ?? "")")
        let (e3, p3) = try failure("standby.rule{ name = \"r\", match = { [\"k8s:kind\"] = \"Deployment\" } }\n")
        #expect(e3?.message == "\(p3):6: bad argument #1 to 'rule' (field 'apply' is required: function(obj, ctx) that edits obj, or returns the new object)")
        let (e4, _) = try failure("standby.rule{ name = \"r\", match = function() return true end, apply = function() end }\n")
        #expect(e4?.message.contains("field 'match' must be a table of conditions, not a function") == true)
        #expect(e4?.message.contains("never reach Lua") == true)
        let (e5, p5) = try failure("standby.rule{ name = \"r\", match = { kind = \"Deployment\" }, apply = function() end }\n")
        #expect(e5?.message == "\(p5):6: rule 'r': match: 'kind' is not a condition; for the Kubernetes kind write [\"k8s:kind\"] = …")
        let (e6, p6) = try failure("standby.rule{ name = \"r\", match = {}, apply = function() end }\n")
        #expect(e6?.message.hasPrefix("\(p6):6: rule 'r': match needs at least one condition") == true)
        let (e7, p7) = try failure("standby.translate{ selection = sel, to = { azure = { subscripton = \"x\", location = \"y\" } } }\n")
        #expect(e7?.message == "\(p7):6: translate: to.azure: unknown field 'subscripton' (did you mean 'subscription'?); known fields: subscription, location, tenant, resource_groups, resource_group_suffix, unique_suffix")
        let (e8, p8) = try failure("standby.translate{ selection = sel, to = to, mode = \"tset\" }\n")
        #expect(e8?.message == "\(p8):6: translate: mode must be \"test\" or \"failover\", not \"tset\" (did you mean 'test'?)")
        let (e9, _) = try failure("standby.translate{ selection = sel, to = to, rules = { { name = \"r\", apply = function() end } } }\n")
        #expect(e9?.message.contains("rules[1] is a plain table with '") == true)
        #expect(e9?.message.contains("make it a rule with standby.rule{ name = …, match = …, apply = … }") == true)
        let (e10, p10) = try failure("standby.translate{ to = to }\n")
        #expect(e10?.message.hasPrefix("\(p10):6: bad argument #1 to 'translate' (field 'selection' is required") == true)
        let (e11, p11) = try failure("standby.translate{ selection = sel, to = to, rules = { standby.rule, 3 } }\n")
        #expect(e11?.message == "\(p11):6: rules[1] must be a rule (standby.rule{...}), an id mapping (standby.map_id(from, to)) or a list of them, got function")
        let (e12, p12) = try failure("standby.translate{ selection = sel, to = { aws = { account = 999988887777, region = \"us-west-2\" } } }\n")
        #expect(e12?.message.hasPrefix("\(p12):6: translate: to.aws.account must be a string, got a number (quote it") == true)
        let (e13, _) = try failure("standby.translate{ selection = sel }\n")
        #expect(e13?.message.contains("translate: 'to' is required") == true)
    }

    @Test("running out of instructions inside a rule stops the translation as a budget error, not a rule failure")
    func budgetInsideRule() throws {
        let (error, _) = try failure("""
            standby.translate{ selection = sel, to = to, rules = {
              standby.rule{ name = "spin", match = { ["k8s:kind"] = "Deployment" }, apply = function() while true do end end },
            } }
            print("not reached")
            """, limits: LuaLimits(instructionBudget: 20_000_000))
        #expect(error?.kind == .budget)
        #expect(error?.message.contains("instruction budget of 20000000 exceeded") == true, "\(error?.message ?? "")")
    }

    @Test("reaching the memory ceiling inside a rule stops the translation as a memory error")
    func memoryInsideRule() throws {
        let (error, _) = try failure("""
            standby.translate{ selection = sel, to = to, rules = {
              standby.rule{ name = "hog", match = { ["k8s:kind"] = "Deployment" }, apply = function()
                local t = {}
                for i = 1, 1e9 do t[i] = ("x"):rep(1000) .. i end
              end },
            } }
            """, limits: LuaLimits(memoryCeiling: 32 << 20))
        #expect(error?.kind == .memory, "\(String(describing: error))")
        #expect(error?.message.contains("memory ceiling of 32 MiB") == true, "\(error?.message ?? "")")
    }

    @Test("a memory error inside a rule names the rule's line, not the stdlib's or the sandbox's")
    func memoryInsideRuleNamesTheLine() throws {
        let (error, path) = try failure("""
            standby.translate{ selection = sel, to = to, rules = {
              standby.rule{ name = "hog", match = { ["k8s:kind"] = "Deployment" }, apply = function()
                local chunk, kept = ("0123456789abcdef"):rep(1 << 16), {}
                for i = 1, 1000 do kept[i] = chunk .. i end
              end },
            } }
            """, limits: LuaLimits(memoryCeiling: 32 << 20))
        #expect(error?.kind == .memory, "\(String(describing: error))")
        // The refusal is at the rule's rep (line 9) or its concatenation (line 10), whichever
        // allocation crosses the ceiling first.
        let lines = ["\(path):9", "\(path):10"].map { "memory ceiling of 32 MiB exceeded near \($0)" }
        #expect(lines.contains(error?.message ?? ""), "\(error?.message ?? "")")
    }

    @Test("the drill's recovery environment on the sample estate: EKS ids, images and a rule together")
    func sampleEstate() throws {
        let root = URL(fileURLWithPath: Fixture.stdlib).deletingLastPathComponent().path
        let r = try Fixture.run("""
            local standby = require "standby"
            local inv = standby.inventory.load("\(root)/scripts/estate")
            local eks = inv:get("eks-prod-use1")
            local sel = standby.select{ inventory = inv, roots = { eks.id }, namespaces = { "orders" } }
            local t = standby.translate{ selection = sel,
              to = { azure = { subscription = "\(Self.dst)", location = "northeurope",
                               tenant = "5e1f2d3c-4b5a-4968-8776-a5b4c3d2e1f0", resource_groups = { ["rg-payments-prod"] = "rg-payments-dr" } },
                     aws = { account = "999988887777", region = "us-west-2" } },
              rules = {
                standby.rule{ name = "orders replicas", match = { ["k8s:kind"] = "Deployment", ["k8s:namespace"] = "orders" },
                  apply = function(obj, ctx) obj.spec.replicas = 1 end },
              } }
            local api = t:resource("k8s://eks-prod-use1/apps/Deployment/orders/orders-api")
            local by = {}
            for _, c in ipairs(api.changes) do by[c.path] = c.by end
            return t:recovery_id(eks.id), api.doc.spec.template.spec.containers[1].image, api.doc.spec.replicas,
                   by["spec.replicas"], by["spec.template.spec.containers[0].image"], #t.failures
            """).results
        #expect(r[0] == "arn:aws:eks:us-west-2:999988887777:cluster/eks-prod-use1")
        #expect(r[1] == "999988887777.dkr.ecr.us-west-2.amazonaws.com/orders/api:1.4.2")
        #expect(r[2] == .int(1))
        #expect(r[3] == "rule: orders replicas")
        #expect(r[4] == "built-in: ECR image of the primary account")
        #expect(r[5] == .int(0))
    }
}
