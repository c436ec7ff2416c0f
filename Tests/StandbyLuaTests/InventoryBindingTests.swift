import Foundation
import StandbyCore
import StandbyLua
import Testing

/// `standby.inventory` from Lua, on small inventories written by the tests and on the sample estate.
@Suite("standby.inventory")
struct InventoryBindingTests {
    static let estate = URL(fileURLWithPath: Fixture.stdlib).deletingLastPathComponent()
        .appendingPathComponent("scripts/estate").path

    static let manifests = """
        apiVersion: v1
        kind: ConfigMap
        metadata: {name: api-config, namespace: payments, labels: {app: api}}
        data: {LOG_LEVEL: debug}
        ---
        apiVersion: apps/v1
        kind: Deployment
        metadata: {name: api, namespace: payments, labels: {app: api, tier: web}}
        spec:
          replicas: 3
          template:
            spec:
              containers: [{name: api, image: "example.azurecr.io/api:1.0", args: []}]
        ---
        apiVersion: v1
        kind: Namespace
        metadata: {name: payments}
        """

    func run(_ body: String) throws -> [JSONValue] {
        let folder = try Fixture.folder(["objects.yaml": Self.manifests])
        return try Fixture.run("""
            local standby = require "standby"
            local inv = standby.inventory.load("\(folder)/objects.yaml", { cluster = "aks-test" })
            \(body)
            """).results
    }

    @Test("get returns a resource exposing id, kind, name, namespace, cluster and labels")
    func getExposesIdentity() throws {
        let r = try run("""
            local d = inv:get("k8s://aks-test/apps/Deployment/payments/api")
            return d.id, d.kind, d.name, d.namespace, d.cluster, d.labels.tier, d.type, d.group, d.api_version
            """)
        #expect(r == [.string("k8s://aks-test/apps/Deployment/payments/api"), .string("Deployment"), .string("api"),
                      .string("payments"), .string("aks-test"), .string("web"), .null, .string("apps"), .string("apps/v1")])
    }

    @Test("find ANDs its fields and returns handles in load order")
    func findFilters() throws {
        let r = try run("""
            local names = {}
            for _, res in ipairs(inv:find{ namespace = "payments", label = "app=api" }) do names[#names + 1] = res.kind end
            return names, #inv:find{ kind = "deployment", label = "tier" }, #inv:find{ kind = "Deployment", label = "tier=db" },
                   #inv:find{ kind = "Namespace" }, inv.count
            """)
        #expect(r == [.array(["ConfigMap", "Deployment"]), .int(1), .int(0), .int(1), .int(3)])
    }

    @Test("the document is a Lua table that keeps JSON shapes, and the same table on every read")
    func documentIsLazyAndStable() throws {
        let r = try run("""
            local d = inv:get("k8s://aks-test/apps/Deployment/payments/api")
            local doc = d.doc
            return doc.spec.replicas, doc == d.doc, standby.json.encode(doc.spec.template.spec.containers[1].args),
                   d == inv:get(d.id), tostring(d)
            """)
        #expect(r == [.int(3), .bool(true), .string("[]"), .bool(true),
                      .string("standby.Resource(k8s://aks-test/apps/Deployment/payments/api)")])
    }

    @Test("get of an unknown id is nil; a typo in find names the field and suggests the right one")
    func unknownIdAndTypo() throws {
        #expect(try run(#"return inv:get("k8s://aks-test/core/ConfigMap/payments/nope") == nil"#) == [.bool(true)])
        let folder = try Fixture.folder(["objects.yaml": Self.manifests])
        let (error, path) = try Fixture.failure("""
            local standby = require "standby"
            local inv = standby.inventory.load("\(folder)/objects.yaml", { cluster = "c" })
            return inv:find{ namespce = "payments" }
            """)
        #expect(error?.message == "\(path):3: bad argument #1 to 'find' (unknown field 'namespce' (did you mean 'namespace'?); known fields: type, kind, namespace, label, tag, cluster, name)")
    }

    @Test("resources are read-only; a wrong argument type names the expected type and the line")
    func readOnlyAndTypeErrors() throws {
        let folder = try Fixture.folder(["objects.yaml": Self.manifests])
        let prelude = "local standby = require \"standby\"\nlocal inv = standby.inventory.load(\"\(folder)/objects.yaml\", { cluster = \"c\" })\n"
        let (e1, p1) = try Fixture.failure(prelude + "inv:get(\"k8s://c/core/Namespace/payments\").name = \"x\"\n")
        #expect(e1?.message == "\(p1):3: cannot set 'name': standby.Resource is read-only")
        let (e2, p2) = try Fixture.failure(prelude + "inv:get(42)\n")
        #expect(e2?.message == "\(p2):3: bad argument #1 to 'get' (string expected, got number)")
        let (e3, p3) = try Fixture.failure("local standby = require \"standby\"\nstandby.inventory.load(\"\(folder)/objects.yaml\")\n")
        #expect(e3?.message.hasPrefix("\(p3):2: ") == true)
        #expect(e3?.message.contains("cluster") == true, "a Kubernetes file without a cluster must say how to give one: \(e3?.message ?? "")")
    }

    @Test("malformed YAML fails the load with file, line and column at the script's line")
    func malformedYAML() throws {
        let folder = try Fixture.folder(["bad.yaml": "apiVersion: v1\nkind: ConfigMap\nmetadata: {name: [unclosed\n"])
        let (error, path) = try Fixture.failure("""
            local standby = require "standby"
            local ok, err = pcall(standby.inventory.load, "\(folder)/bad.yaml", { cluster = "c" })
            assert(not ok)
            error(err, 0)
            """)
        #expect(error?.message.contains("\(folder)/bad.yaml:") == true, "\(error?.message ?? "") (\(path))")
    }

    @Test("the sample estate: both clusters, every object in exactly one of them, summary counts")
    func sampleEstate() throws {
        guard FileManager.default.fileExists(atPath: Self.estate + "/estate.yaml") else {
            Issue.record("scripts/estate/estate.yaml is missing"); return
        }
        let r = try Fixture.run("""
            local standby = require "standby"
            local inv = standby.inventory.load("\(Self.estate)")
            local s = inv:summary()
            local clusters = {}
            for _, c in ipairs(inv:clusters()) do clusters[#clusters + 1] = c.name .. "/" .. c.cloud end
            local objects, orphans = 0, 0
            for _, res in ipairs(inv:find{}) do
              if res.kind then
                objects = objects + 1
                if not res.cluster then orphans = orphans + 1 end
              end
            end
            return clusters, s.clusters["aks-prod-weu"].objects + s.clusters["eks-prod-use1"].objects, objects, orphans,
                   s.types["Microsoft.ContainerService/managedClusters/agentPools"], s.types["AWS::EKS::Nodegroup"],
                   inv:get("subnet-0b1c2d3e4f5a60718").type
            """).results
        #expect(r[0] == .array(["aks-prod-weu/azure", "eks-prod-use1/aws"]))
        #expect(r[1] == r[2], "every Kubernetes object is counted in exactly one cluster")
        #expect(r[3] == .int(0))
        #expect(r[4] == .int(7))
        #expect(r[5] == .int(2))
        #expect(r[6] == .string("AWS::EC2::Subnet"))
    }
}
