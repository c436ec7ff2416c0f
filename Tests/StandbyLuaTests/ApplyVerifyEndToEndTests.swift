import Foundation
import Testing
import StandbyCore
import StandbyLua
import StandbyTestSupport

/// A restore from a script, end to end, against two Kubernetes wire-format test servers
/// (`Tests/Servers/kube_wire_server.py`: local HTTP servers speaking the API's wire format, not
/// clusters): the source is discovered, planned in test mode, applied to the recovery server with
/// an `after` hook, verified with `plan:verify`, and the plan written; what the hook did is read
/// back from the recovery server.
@Suite("Lua: plan:apply with a hook, plan:verify and report.md's RTO against the Kubernetes wire-format server", .serialized)
struct ApplyVerifyEndToEndTests {
    /// Online Boutique's redis-cart Deployment and Service (Tests/Fixtures/k8s, a real public
    /// manifest), put in namespace `shop`, with the feature-flag ConfigMap a hook sets.
    static func sourceObjects() throws -> [JSONValue] {
        let path = try #require(Fixtures.path("k8s/microservices-demo-kubernetes-manifests.yaml"))
        let docs = try YAMLDocuments.parse(try String(contentsOfFile: path, encoding: .utf8), source: path)
        var picked = docs.filter { $0["metadata"]?["name"]?.stringValue == "redis-cart" }
        #expect(picked.map { $0["kind"]?.stringValue ?? "" }.sorted() == ["Deployment", "Service"])
        for n in picked.indices { picked[n].set([.key("metadata"), .key("namespace")], "shop") }
        return [KubeObjects.namespace("shop"), KubeObjects.configMap("cart-flags", in: "shop", data: ["mode": "live"])] + picked
    }

    /// The script's first lines: `plan`, a test-mode plan of the source's `shop` namespace, and
    /// `target`, the recovery server's context.
    static func prelude(source: String, recovery: String) -> String {
        """
        local standby = require "standby"
        local inv = standby.kube.discover{ kubeconfig = "\(source)", cluster = "edge-src" }
        local sel = standby.select{ inventory = inv, roots = { "edge-src" }, namespaces = { "shop" } }
        local t = standby.translate{ selection = sel, mode = "test",
          to = { aws = { account = "000000000000", region = "us-west-2" } } }
        local plan = standby.plan{ translation = t }
        local target = { kube = { kubeconfig = "\(recovery)", context = "wire" } }
        -- Once the cart's Deployment is ready, mark its cache seeded in the flags ConfigMap.
        local hook = { kind = "Deployment", name = "seed-cart-cache", run = function(obj, kube)
          local flags = kube:get{ apiVersion = "v1", kind = "ConfigMap", namespace = obj.metadata.namespace, name = "cart-flags" }
          assert(flags, "cart-flags is not there yet")
          kube:apply{ apiVersion = "v1", kind = "ConfigMap",
                      metadata = { name = "cart-flags", namespace = obj.metadata.namespace },
                      data = { cache_seeded = "by " .. obj.metadata.name } }
        end }
        local result = plan:apply{ target = target, after = { hook } }
        """
    }

    @Test("the hook runs once the Deployment is ready, verify passes, the hook's change is there and report.md has the RTO")
    func applyHookVerifyAndReport() throws {
        guard let source = KubeWireTestServer.start(), let recovery = KubeWireTestServer.start() else { return }
        defer { source.stop(); recovery.stop() }
        try source.seed(try Self.sourceObjects())
        let out = try Fixture.folder()
        let (results, _) = try Fixture.run(Self.prelude(source: try source.writeKubeconfig(), recovery: try recovery.writeKubeconfig()) + """

            local verified = plan:verify{ target = target }
            plan:write("\(out)/plan")
            return result, verified, plan.summary.rto
            """)
        let apply = results[0], verified = results[1]
        #expect(apply["ok"] == true, "\(apply["summary"] ?? .null)")
        let hooks = apply["hooks"]?.arrayValue ?? []
        #expect(hooks.count == 1)
        #expect(hooks.first?["hook"]?.stringValue == "seed-cart-cache")
        #expect(hooks.first?["object"]?.stringValue?.contains("redis-cart") == true)
        #expect(hooks.first?["ok"] == true, "\(hooks.first?["message"] ?? .null)")

        #expect(verified["ok"] == true, "\(verified["failed"] ?? .null)")
        #expect((verified["records"]?.arrayValue?.count ?? 0) >= 4)
        #expect(verified["failed"]?.arrayValue?.isEmpty == true)
        let cluster = try #require(verified["clusters"]?.arrayValue?.first)
        #expect(cluster["rto_seconds"]?.typeName == "number")

        // The hook's change, read back from the recovery server, beside the planned data.
        let flags = try #require(try recovery.get("/api/v1/namespaces/shop/configmaps/cart-flags"))
        #expect(flags["data"]?["cache_seeded"]?.stringValue == "by redis-cart")
        #expect(flags["data"]?["mode"]?.stringValue == "live")
        // The hook applies as a field manager of its own: under server-side apply, its partial
        // ConfigMap applied as the restore's manager would remove `mode`, which the restore set.
        let patches = try recovery.requests().filter {
            $0["method"] == "PATCH" && $0["path"]?.stringValue == "/api/v1/namespaces/shop/configmaps/cart-flags"
        }
        #expect(patches.compactMap { $0["query"]?["fieldManager"]?.stringValue } == ["standby", "standby-hook"])

        // report.md's first screen carries the RTO plan:apply measured.
        let rto = try #require(results[2].stringValue)
        #expect(rto.contains(" ready ") && rto.contains("after the first request"))
        let report = try String(contentsOfFile: out + "/plan/report.md", encoding: .utf8)
        let line = try #require(report.split(separator: "\n").first { $0.contains("RTO of the last apply") })
        #expect(line.contains(rto))
        #expect(!line.contains("not measured"))
    }

    @Test("verify fails and names the object deleted after the apply; no RTO is claimed for that verification")
    func verifyNamesAnObjectDeletedAfterTheApply() throws {
        guard let source = KubeWireTestServer.start(), let recovery = KubeWireTestServer.start() else { return }
        defer { source.stop(); recovery.stop() }
        try source.seed(try Self.sourceObjects())
        let runtime = try Fixture.runtime()
        // What an operator (or a controller) does between the apply and the verification.
        try runtime.registerNativeModule("test.cluster", functions: ["delete": { call in
            let path = try call.string(1)
            let response = try recovery.control.send(HTTPRequest(method: "DELETE", url: recovery.endpoint + path))
            return try call.push(.int(Int64(response.status)))
        }])
        let (results, _) = try Fixture.run(Self.prelude(source: try source.writeKubeconfig(), recovery: try recovery.writeKubeconfig()) + """

            assert(result.ok, result.summary)
            local status = require("test.cluster").delete("/api/v1/namespaces/shop/services/redis-cart")
            return plan:verify{ target = target }, status
            """, in: runtime)
        let verified = results[0]
        #expect(results[1].intValue == 200)
        #expect(verified["ok"] == false)
        let failed = verified["failed"]?.arrayValue ?? []
        #expect(failed.count == 1)
        #expect(failed.first?["kind"]?.stringValue == "v1 Service")
        #expect(failed.first?["id"]?.stringValue == "shop/redis-cart")
        #expect(failed.first?["message"]?.stringValue?.contains("missing") == true)
        #expect(verified["summary"]?.stringValue?.hasPrefix("\((verified["records"]?.arrayValue?.count ?? 0) - 1) of ") == true)
        let cluster = try #require(verified["clusters"]?.arrayValue?.first)
        #expect(cluster["rto_seconds"] == nil)
    }
}
