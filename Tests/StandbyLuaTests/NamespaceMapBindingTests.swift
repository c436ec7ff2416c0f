import Foundation
import StandbyCore
@testable import StandbyLua
import Testing

/// `standby.translate{ namespaces = {...} }` and rules that change `metadata.namespace`, end to end:
/// the sample estate translated, planned and written; the files, manifests and references checked.
@Suite("standby.translate namespaces")
struct NamespaceMapBindingTests {
    static let root = URL(fileURLWithPath: Fixture.stdlib).deletingLastPathComponent().path

    /// Loads the sample estate and selects the AKS cluster with checkout and payments (4 lines, so
    /// the body starts at line 5).
    static let prelude = """
        local standby = require "standby"
        local inv = standby.inventory.load("\(root)/scripts/estate")
        local sel = standby.select{ inventory = inv, roots = { "/subscriptions/8f3c2a1e-5b7d-4c9a-9e21-3d6f0a4b7c15/resourceGroups/rg-payments-prod/providers/Microsoft.ContainerService/managedClusters/aks-prod-weu" }, namespaces = { "payments", "checkout" } }
        local to = { azure = { subscription = "0b9d4c3e-7a61-4f2b-8c5d-1e2f3a4b5c6d", location = "northeurope", resource_groups = { ["rg-payments-prod"] = "rg-payments-dr" } } }

        """

    static func temporary() -> String {
        FileManager.default.temporaryDirectory.appendingPathComponent("standby-ns-\(UUID().uuidString)").path
    }

    static func read(_ path: String) throws -> String { try String(contentsOfFile: path, encoding: .utf8) }

    @Test("namespaces = {...}: the written plan has the moved files, manifests and references, and the report lists the move")
    func writtenPlanFollowsTheMap() throws {
        let dir = Self.temporary()
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let r = try Fixture.run(Self.prelude + """
            local t = standby.translate{ selection = sel, to = to, mode = "failover", namespaces = { checkout = "checkout-dr" } }
            local plan = standby.plan{ translation = t }
            plan:write("\(dir)")
            return t:resource("k8s://aks-prod-weu/apps/Deployment/checkout/web").id,
                   t:recovery_id("k8s://aks-prod-weu/apps/Deployment/checkout/web")
            """).results
        #expect(r[0] == "k8s://aks-prod-weu/apps/Deployment/checkout-dr/web")
        #expect(r[1] == "k8s://aks-prod-weu/apps/Deployment/checkout-dr/web")
        let base = dir + "/kubernetes/aks-prod-weu"
        let fm = FileManager.default
        #expect(fm.fileExists(atPath: base + "/checkout-dr/Deployment/web.yaml"))
        #expect(!fm.fileExists(atPath: base + "/checkout"), "nothing is written under the source namespace")
        #expect(try Self.read(base + "/checkout-dr/Deployment/web.yaml").contains("namespace: checkout-dr"))
        #expect(try Self.read(base + "/_cluster/Namespace/checkout-dr.yaml").contains("name: checkout-dr"))
        let config = try Self.read(base + "/checkout-dr/ConfigMap/web-config.yaml")
        #expect(config.contains("http://cart.checkout-dr.svc.cluster.local:8080"))
        #expect(config.contains("https://api.payments.svc.cluster.local"), "payments stays")
        let all = try Self.read(base + "/all.yaml")
        #expect(!all.contains("namespace: checkout\n"))
        let report = try JSONParser.parse(Self.read(dir + "/report.json"))
        let moves = try #require(report["namespaces"]?.arrayValue)
        #expect(moves.count == 1)
        #expect(moves.first?["from"] == "checkout" && moves.first?["to"] == "checkout-dr" && moves.first?["cluster"] == "aks-prod-weu")
        #expect(try Self.read(dir + "/report.md").contains("## Namespaces moved"))
    }

    @Test("a Lua rule that changes metadata.namespace is honoured by the plan")
    func luaRuleMove() throws {
        let dir = Self.temporary()
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let r = try Fixture.run(Self.prelude + """
            local t = standby.translate{ selection = sel, to = to, mode = "failover", rules = {
              standby.rule{ name = "shop", match = { ["k8s:namespace"] = "checkout" },
                apply = function(obj) obj.metadata.namespace = "shop" end },
              standby.rule{ name = "shop namespace", match = { ["k8s:kind"] = "Namespace", ["k8s:name"] = "checkout" },
                apply = function(obj) obj.metadata.name = "shop" end },
            } }
            standby.plan{ translation = t }:write("\(dir)")
            return t:resource("k8s://aks-prod-weu/core/Namespace/checkout").id,
                   t:recovery_id("k8s://aks-prod-weu/apps/Deployment/checkout/web")
            """).results
        #expect(r[0] == "k8s://aks-prod-weu/core/Namespace/shop")
        #expect(r[1] == "k8s://aks-prod-weu/apps/Deployment/shop/web")
        let base = dir + "/kubernetes/aks-prod-weu"
        #expect(try Self.read(base + "/shop/Deployment/web.yaml").contains("namespace: shop"))
        #expect(try Self.read(base + "/shop/ConfigMap/web-config.yaml").contains("http://cart.shop.svc.cluster.local:8080"))
        #expect(try Self.read(base + "/_cluster/Namespace/shop.yaml").contains("name: shop"))
        #expect(!FileManager.default.fileExists(atPath: base + "/checkout"))
    }

    @Test("maps that cannot work are errors naming the script line")
    func refused() throws {
        let (two, path) = try Fixture.failure(Self.prelude + """
            standby.translate{ selection = sel, to = to, namespaces = { checkout = "shop", payments = "shop" } }
            """)
        #expect(two?.message.hasPrefix("\(path):5: translate: namespaces: checkout and payments both map to shop") == true,
                "\(two?.message ?? "no error")")
        let (exists, _) = try Fixture.failure(Self.prelude + """
            standby.translate{ selection = sel, to = to, namespaces = { checkout = "payments" } }
            """)
        #expect(exists?.message.contains("namespace payments already exists in the capture of cluster aks-prod-weu") == true,
                "\(exists?.message ?? "no error")")
        let (typo, _) = try Fixture.failure(Self.prelude + """
            standby.translate{ selection = sel, to = to, namespaces = { chekout = "checkout-dr" } }
            """)
        #expect(typo?.message.contains("no namespace 'chekout' in the inventory (did you mean 'checkout'?)") == true,
                "\(typo?.message ?? "no error")")
        let (shape, _) = try Fixture.failure(Self.prelude + """
            standby.translate{ selection = sel, to = to, namespaces = { checkout = 3 } }
            """)
        #expect(shape?.message.contains("namespaces[\"checkout\"] must be a string") == true, "\(shape?.message ?? "no error")")
    }
}

@Suite("standby.select warnings")
struct SelectionWarningsBindingTests {
    @Test("a misspelt namespace is in sel.warnings, or an error with strict = true")
    func misspelt() throws {
        let r = try Fixture.run(NamespaceMapBindingTests.prelude + """
            local s = standby.select{ inventory = inv, namespaces = { "chekout" } }
            return s.warnings, sel.warnings
            """).results
        #expect(r[0] == ["namespace 'chekout' is in no cluster of the inventory, so it selected nothing (did you mean 'checkout'?)"])
        #expect(r[1] == .array([]))
        let (error, path) = try Fixture.failure(NamespaceMapBindingTests.prelude + """
            standby.select{ inventory = inv, namespaces = { "chekout" }, strict = true }
            """)
        #expect(error?.message.hasPrefix("\(path):5: select: namespace 'chekout' is in no cluster") == true, "\(error?.message ?? "no error")")
        #expect(error?.message.contains("did you mean 'checkout'?") == true)
    }
}
