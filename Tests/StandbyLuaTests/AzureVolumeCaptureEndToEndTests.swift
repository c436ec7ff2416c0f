import Foundation
import Testing
import StandbyCore
import StandbyLua
import StandbyTestSupport

/// A runbook's whole Azure volume path against the ARM wire-format test server (disks, snapshots,
/// `CopyStart`, async operations: `Tests/Servers/arm_compute.py`) and the Kubernetes wire-format
/// test server (neither is Azure or a cluster): `standby.capture{ volumes = ..., hooks = ... }`
/// scales the Kubernetes documentation's `web` StatefulSet to 0, snapshots the azuredisk CSI
/// driver's example PV's disk (the Compute REST API's `Disk_Get` example), copies it to the
/// recovery region, scales back; then the plan made from the cluster and the recovery resource
/// group creates the disk from that copy and the PV names it.
@Suite("Lua: Azure disk capture with hooks, then plan, on the ARM and Kubernetes wire servers", .serialized)
struct AzureVolumeCaptureEndToEndTests {
    static let subscription = "5f1c3a2e-8d4b-4e6f-9a0b-1c2d3e4f5a6b"
    static let recovery = "0b9d4c3e-7a61-4f2b-8c5d-1e2f3a4b5c6d"
    /// The PV's handle as the driver's example writes it (lower-case path segments).
    static let handle = "/subscriptions/\(subscription)/resourcegroups/myResourceGroup/providers/microsoft.compute/disks/myManagedDisk"

    struct Servers {
        let arm: LocalServer
        let kube: KubeWireTestServer
        let kubeconfig: String
    }

    static func yaml(_ fixture: String, _ replacements: [(String, String)] = []) throws -> [JSONValue]? {
        guard var text = try Fixtures.text(fixture) else { return nil }
        for (a, b) in replacements { text = text.replacingOccurrences(of: a, with: b) }
        return try YAMLDocuments.parse(text, source: fixture)
    }

    static func start() throws -> Servers? {
        guard let fixtures = Fixtures.path("arm"), let diskExample = try Fixtures.text("real/volumes/Disk_Get.json"),
              let pv = try yaml("k8s/azuredisk-static-pv.yaml", [("{sub-id}", subscription), ("{group-name}", "myResourceGroup"),
                                                                 ("{disk-id}", "myManagedDisk")]),
              let pvc = try yaml("k8s/azuredisk-static-pvc.yaml"), let web = try yaml("k8s/web-statefulset.yaml"),
              let kube = KubeWireTestServer.start() else { return nil }
        setenv("AZURE_ACCESS_TOKEN", "lua-volume-test-token", 1)
        let arm = try LocalServer.startScript("arm_wire_server.py", arguments: [fixtures], probe: "/_test/requests")
        let example = try JSONParser.parse(Array(diskExample.replacingOccurrences(of: "{subscriptionId}", with: subscription).utf8))
        try control(arm, "resources", try #require(example[path: [.key("responses"), .key("200"), .key("body")]]))
        try control(arm, "resources", ["id": .string("/subscriptions/\(recovery)/resourceGroups/rg-dr"), "name": "rg-dr",
                                       "type": "Microsoft.Resources/resourceGroups", "location": "northeurope", "properties": [:]])
        try control(arm, "compute", ["retryAfter": 0, "copyPolls": 2])
        func inShop(_ doc: JSONValue) -> JSONValue {
            var d = doc
            d.set([.key("metadata"), .key("namespace")], "shop")
            return d
        }
        try kube.seed([KubeObjects.namespace("shop")] + pv + pvc.map(inShop) + web.map(inShop))
        return Servers(arm: arm, kube: kube, kubeconfig: try kube.writeKubeconfig())
    }

    static func control(_ arm: LocalServer, _ name: String, _ body: JSONValue) throws {
        let response = try HTTPClient().send(HTTPRequest(method: "POST", url: "\(arm.endpoint)/_test/\(name)",
                                                         headers: [("Content-Type", "application/json")],
                                                         body: Array(JSONSerializer.serialize(body).utf8)))
        #expect(response.status == 200, "POST /_test/\(name) → \(response.status)")
    }

    static func armRequests(_ arm: LocalServer) throws -> [JSONValue] {
        let response = try HTTPClient().send(HTTPRequest(method: "GET", url: "\(arm.endpoint)/_test/requests"))
        return try JSONParser.parse(response.body)["requests"]?.arrayValue ?? []
    }

    static func keys(_ folder: String) throws {
        let signing = try SigningKeyPair.generate(), recoveryKey = try RecoveryKeyPair.generate()
        for (name, pem) in [("signing.key", signing.privatePEM), ("signing.pub", signing.publicPEM), ("recovery.pub", recoveryKey.publicPEM)] {
            try pem.write(toFile: folder + "/" + name, atomically: true, encoding: .utf8)
        }
    }

    /// The capture call: `hooks` is Lua source for the hooks field (or `nil`).
    static func capture(_ s: Servers, _ folder: String, hooks: String) -> String {
        """
        local standby = require "standby"
        local inv = standby.kube.discover{ kubeconfig = "\(s.kubeconfig)", cluster = "aks-prod" }
        local sel = standby.select{ inventory = inv, namespaces = { "shop" } }
        local seen = {}
        local function scale(kube, replicas)
          kube:apply{ apiVersion = "apps/v1", kind = "StatefulSet", metadata = { name = "web", namespace = "shop" },
                      spec = { replicas = replicas } }
        end
        local point = standby.capture{ selection = sel, to = "\(folder)/points",
          signing_key = "\(folder)/signing.key", recovery_key = "\(folder)/recovery.pub",
          volumes = { recovery_region = "northeurope", recovery_resource_group = "rg-dr", recovery_subscription = "\(recovery)",
                      azure = { endpoint = "\(s.arm.endpoint)" } },
          hooks = \(hooks) }
        """
    }

    @Test("capture scales the StatefulSet to 0 before the snapshot and back after; the point records the copy as application-consistent; the plan creates the disk from it")
    func captureWithHooksThenPlan() throws {
        guard let s = try Self.start() else { return }
        let folder = try Fixture.folder()
        try Self.keys(folder)
        let hooks = """
            { kube = { kubeconfig = "\(s.kubeconfig)" },
                    before = function(ctx, kube) seen[#seen + 1] = "before " .. ctx.point; scale(kube, 0) end,
                    after = function(ctx, kube)
                      local web = kube:get{ apiVersion = "apps/v1", kind = "StatefulSet", namespace = "shop", name = "web" }
                      seen[#seen + 1] = "after, replicas " .. tostring(web.spec.replicas)
                      scale(kube, 2)
                    end }
            """
        let (results, _) = try Fixture.run(Self.capture(s, folder, hooks: hooks) + """

            local opened = standby.points.open("\(folder)/points", { verify_key = "\(folder)/signing.pub" }):open(point.id)
            local disks = standby.azure.discover{ subscription = "\(Self.subscription)", resource_group = "myResourceGroup",
                                                  endpoint = "\(s.arm.endpoint)" }
            local copies = standby.azure.discover{ subscription = "\(Self.recovery)", resource_group = "rg-dr", endpoint = "\(s.arm.endpoint)" }
            local t = standby.translate{ selection = standby.select{ inventory = standby.inventory.merge(inv, disks, copies), namespaces = { "shop" } },
              mode = "failover", to = { azure = { subscription = "\(Self.recovery)", location = "northeurope",
                                                  resource_groups = { myResourceGroup = "rg-dr" } } } }
            local plan = standby.plan{ translation = t }
            plan:write("\(folder)/plan")
            return point, opened:volumes(), seen, plan:volumes()
            """, folder: folder)
        let point = results[0], volumes = results[1].arrayValue ?? [], seen = results[2].arrayValue ?? []
        let planned = results[3].arrayValue ?? []
        let id = try #require(point["id"]?.stringValue)
        #expect(point["partial"] == false, "\(point)")

        // The manifest's record: the snapshot in the disk's group, the copy in the recovery group.
        #expect(volumes.count == 1)
        let v = try #require(volumes.first)
        let name = "myManagedDisk-\(id)"
        #expect(v["volume"]?.stringValue == Self.handle)
        #expect(v["snapshot"]?.stringValue == "/subscriptions/\(Self.subscription)/resourceGroups/myResourceGroup/providers/Microsoft.Compute/snapshots/\(name)")
        #expect(v["copy"]?.stringValue == "/subscriptions/\(Self.recovery)/resourceGroups/rg-dr/providers/Microsoft.Compute/snapshots/\(name)")
        #expect(v["copy_region"] == "northeurope" && v["size_gib"] == 10)
        #expect(v["consistency"] == "application-consistent")

        // The hooks ran in order, with the workload scaled down in between, and back up after.
        #expect(seen == [.string("before \(id)"), "after, replicas 0"])
        #expect(try s.kube.get("/apis/apps/v1/namespaces/shop/statefulsets/web")?["spec"]?["replicas"] == 2)
        // The Kubernetes server saw the scale to 0 before ARM saw the snapshot's PUT, and the scale
        // back after ARM saw the copy's last poll.
        let applies = try s.kube.requests().filter { $0["method"] == "PATCH" && $0["path"]?.stringValue?.hasSuffix("/statefulsets/web") == true }
        let arm = try Self.armRequests(s.arm)
        let firstPut = try #require(arm.first { $0["method"] == "PUT" }?["at"]?.intValue)
        let lastCompute = try #require(arm.last { $0["path"]?.stringValue?.contains("/DiskOperations/") == true }?["at"]?.intValue)
        #expect(applies.count == 2)
        #expect((applies.first?["at"]?.intValue ?? .max) < firstPut, "scaled to 0 before the snapshot")
        #expect((applies.last?["at"]?.intValue ?? 0) > lastCompute, "scaled back after the copy")

        // The plan restores the disk from this point's copy, and the PV names the restored disk.
        let restore = try #require(planned.first)
        #expect(restore["action"] == "from_snapshot_copy", "\(restore)")
        #expect(restore["snapshot"] == v["copy"] && restore["point"]?.stringValue == id)
        let recoveryDisk = try #require(restore["recovery_volume"]?.stringValue)
        let written = try FileManager.default.subpathsOfDirectory(atPath: folder + "/plan")
        let templateFile = try #require(written.first { $0.hasSuffix(".json") && $0.contains("template") }, "\(written)")
        let template = try String(contentsOfFile: folder + "/plan/" + templateFile, encoding: .utf8)
        #expect(template.contains("\"createOption\": \"Copy\"") || template.contains("\"createOption\":\"Copy\""), "\(template.prefix(400))")
        #expect(template.contains(try #require(v["copy"]?.stringValue)))
        #expect(!template.contains("\"Empty\""))
        let pvFile = try #require(written.first { $0.lowercased().contains("persistentvolume") && $0.contains("pv-azuredisk") }, "\(written)")
        let pvText = try String(contentsOfFile: folder + "/plan/" + pvFile, encoding: .utf8)
        #expect(pvText.lowercased().contains(recoveryDisk.lowercased()), "\(pvText)")
    }

    @Test("an error in hooks.before aborts the capture at the script line: no snapshot, no point, and after still runs")
    func beforeFailureAbortsTheCapture() throws {
        guard let s = try Self.start() else { return }
        let folder = try Fixture.folder()
        try Self.keys(folder)
        let hooks = """
            { kube = { kubeconfig = "\(s.kubeconfig)" },
                    before = function(ctx, kube) scale(kube, 0); error("cannot flush the ledger") end,
                    after = function(ctx, kube) scale(kube, 2) end }
            """
        let (error, path) = try Fixture.failure(Self.capture(s, folder, hooks: hooks))
        let message = try #require(error?.message)
        #expect(message.hasPrefix("\(path):9:") || message.hasPrefix("\(path):10:"), "\(message)")
        #expect(message.contains("hooks.before failed, so no snapshot was taken and no point written"), "\(message)")
        #expect(message.contains("cannot flush the ledger"), "\(message)")
        #expect(try Self.armRequests(s.arm).allSatisfy { $0["method"] != "PUT" }, "no snapshot PUT")
        #expect(!FileManager.default.fileExists(atPath: folder + "/points"))
        #expect(try s.kube.get("/apis/apps/v1/namespaces/shop/statefulsets/web")?["spec"]?["replicas"] == 2, "after scaled it back")
    }

    @Test("a copy that fails makes the point partial naming the disk and ARM's error; after still runs; without hooks the volume is crash-consistent")
    func failedCopyIsAGapAndAfterRuns() throws {
        guard let s = try Self.start() else { return }
        let folder = try Fixture.folder()
        try Self.keys(folder)
        try Self.control(s.arm, "compute/fail", ["name": "rg-dr/myManagedDisk-p-fail", "code": "InternalDiskManagementError",
                                                 "message": "The snapshot copy to northeurope failed."])
        let hooks = """
            { kube = { kubeconfig = "\(s.kubeconfig)" },
                    before = function(ctx, kube) scale(kube, 0) end,
                    after = function(ctx, kube) seen[#seen + 1] = "after"; scale(kube, 2) end }
            """
        let code = Self.capture(s, folder, hooks: hooks).replacingOccurrences(of: "local point = standby.capture{ selection = sel,",
                                                                             with: "local point = standby.capture{ selection = sel, id = \"p-fail\",")
        let (results, _) = try Fixture.run(code + "\nreturn point, seen", folder: folder)
        let point = results[0]
        #expect(point["partial"] == true)
        let gap = try #require(point["gaps"]?.arrayValue?.first)
        #expect(gap["what"]?.stringValue == "Azure disk \(Self.handle) data (PersistentVolume aks-prod/pv-azuredisk)", "\(gap)")
        #expect(gap["reason"]?.stringValue?.contains("The snapshot copy to northeurope failed.") == true, "\(gap)")
        #expect(results[1] == ["after"])
        #expect(try s.kube.get("/apis/apps/v1/namespaces/shop/statefulsets/web")?["spec"]?["replicas"] == 2)

        // Again without hooks, for another point (whose copy does not fail): whole, and crash-consistent.
        let plain = Self.capture(s, folder, hooks: "nil").replacingOccurrences(of: "local point = standby.capture{ selection = sel,",
                                                                               with: "local point = standby.capture{ selection = sel, id = \"p-ok\",")
        let (again, _) = try Fixture.run(plain + """

            local opened = standby.points.open("\(folder)/points", { verify_key = "\(folder)/signing.pub" }):open(point.id)
            return point, opened:volumes()
            """, folder: folder)
        #expect(again[0]["partial"] == false)
        #expect(again[1].arrayValue?.first?["consistency"] == "crash-consistent")
    }
}
