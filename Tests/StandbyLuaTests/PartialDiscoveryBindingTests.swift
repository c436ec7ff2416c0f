import Foundation
import Testing
import StandbyCore
import StandbyLua
import StandbyTestSupport

/// A discovery that cannot read everything (a 503 on `/apis/apps/v1`, the Kubernetes wire-format
/// test server) fails unless asked to be partial; a partial inventory makes a partial point that
/// `points:newest()` never picks unless asked; a newest point that fails verification is never
/// passed over silently.
@Suite("Lua: partial discovery, partial points, and which point newest() picks")
struct PartialDiscoveryBindingTests {
    /// A server whose `apps/v1` discovery document answers 503 (every try), holding a Deployment,
    /// and a folder with keys.
    static func setUp() throws -> (server: KubeWireTestServer, kubeconfig: String, folder: String)? {
        guard let server = KubeWireTestServer.start() else { return nil }
        try server.seed([
            KubeObjects.namespace("shop"),
            KubeObjects.configMap("settings", in: "shop", data: ["mode": "live"]),
            ["apiVersion": "apps/v1", "kind": "Deployment", "metadata": ["name": "web", "namespace": "shop"], "spec": ["replicas": 2]],
        ])
        try server.faults([["path": "/apis/apps/v1", "status": 503, "reason": "ServiceUnavailable",
                            "message": "the server is currently unable to handle the request", "times": -1]])
        let folder = try Fixture.folder()
        let signing = try SigningKeyPair.generate(), recovery = try RecoveryKeyPair.generate()
        for (name, pem) in [("signing.key", signing.privatePEM), ("signing.pub", signing.publicPEM),
                            ("recovery.key", recovery.privatePEM), ("recovery.pub", recovery.publicPEM)] {
            try pem.write(toFile: folder + "/" + name, atomically: true, encoding: .utf8)
        }
        return (server, try server.writeKubeconfig(), folder)
    }

    @Test("kube.discover fails by default, naming the group version, the URL and the status, at the script's line")
    func discoveryFailsByDefault() throws {
        guard let (server, kubeconfig, _) = try Self.setUp() else { return }
        let (error, path) = try Fixture.failure("""
            local standby = require "standby"
            local inv = standby.kube.discover{ kubeconfig = "\(kubeconfig)", cluster = "shop-prod" }
            """)
        let message = try #require(error?.message)
        #expect(message.hasPrefix("\(path):2: discovery of kubernetes cluster shop-prod is incomplete: 1 part could not be read: apps/v1 "), "\(message)")
        #expect(message.contains("GET \(server.endpoint)/apis/apps/v1: 503 ServiceUnavailable"), "\(message)")
        #expect(message.contains("partial = true"))
    }

    @Test("partial = true: the inventory lists the gap; its capture is a partial point newest() refuses unless asked")
    func partialDiscoveryMakesAPartialPoint() throws {
        guard let (_, kubeconfig, folder) = try Self.setUp() else { return }
        let capture = """
            local standby = require "standby"
            local function capture(inv, id)
              return standby.capture{ selection = standby.select{ inventory = inv, namespaces = { "shop" } }, id = id,
                to = "\(folder)/points", signing_key = "\(folder)/signing.key", recovery_key = "\(folder)/recovery.pub" }
            end
            """
        let (results, _) = try Fixture.run(capture + """

            local inv = standby.kube.discover{ kubeconfig = "\(kubeconfig)", cluster = "shop-prod", partial = true }
            local point = capture(inv, "b-partial")
            local listed = standby.points.open("\(folder)/points", { verify_key = "\(folder)/signing.pub" }):list()
            return #inv.gaps, inv.gaps[1].what, inv.gaps[1].source, #inv:find{ kind = "Deployment" },
              point.partial, point.gaps[1].what, listed[1].partial, listed[1].verified
            """, folder: folder)
        #expect(results[0] == 1)
        #expect(results[1] == "apps/v1")
        #expect(results[2] == "kubernetes cluster shop-prod")
        #expect(results[3] == 0, "no Deployments: the gap is why")
        #expect(results[4] == true)
        #expect(results[5] == "apps/v1")
        #expect(results[6] == true && results[7] == true, "listed as verified and partial")

        let (error, path) = try Fixture.failure("""
            local standby = require "standby"
            local points = standby.points.open("\(folder)/points", { verify_key = "\(folder)/signing.pub" })
            local point = points:newest()
            """)
        let message = try #require(error?.message)
        #expect(message.hasPrefix("\(path):3: newest(): the newest recovery point b-partial is partial: its capture could not read kubernetes cluster shop-prod: apps/v1 ("), "\(message)")
        #expect(message.contains("newest{ partial = true }"), "\(message)")

        let (chosen, _) = try Fixture.run("""
            local standby = require "standby"
            local points = standby.points.open("\(folder)/points", { verify_key = "\(folder)/signing.pub" })
            local point, passed_over = points:newest{ partial = true }
            return point.id, point.summary.partial, #passed_over
            """)
        #expect(chosen == ["b-partial", true, 0])
    }

    @Test("newest() refuses a newest point that fails verification, naming it and the check; allow_older falls back, saying so")
    func tamperedNewestIsRefused() throws {
        let folder = try Fixture.folder([
            "cm.json": #"{"apiVersion": "v1", "kind": "ConfigMap", "metadata": {"name": "settings", "namespace": "shop"}, "data": {"mode": "live"}}"#,
        ])
        let signing = try SigningKeyPair.generate(), recovery = try RecoveryKeyPair.generate()
        for (name, pem) in [("signing.key", signing.privatePEM), ("signing.pub", signing.publicPEM), ("recovery.pub", recovery.publicPEM)] {
            try pem.write(toFile: folder + "/" + name, atomically: true, encoding: .utf8)
        }
        let capture = """
            local standby = require "standby"
            local inv = standby.inventory.load("\(folder)/cm.json", { cluster = "shop-prod" })
            local sel = standby.select{ inventory = inv, namespaces = { "shop" } }
            for _, id in ipairs{ "a-old", "b-new" } do
              standby.capture{ selection = sel, id = id, to = "\(folder)/points",
                signing_key = "\(folder)/signing.key", recovery_key = "\(folder)/recovery.pub" }
            end
            """
        _ = try Fixture.run(capture, folder: folder)
        let manifest = folder + "/points/b-new/manifest.json"
        let text = try String(contentsOfFile: manifest, encoding: .utf8)
        try text.replacingOccurrences(of: "\"b-new\"", with: "\"b-neW\"").write(toFile: manifest, atomically: true, encoding: .utf8)

        let (error, path) = try Fixture.failure("""
            local standby = require "standby"
            local points = standby.points.open("\(folder)/points", { verify_key = "\(folder)/signing.pub" })
            local point = points:newest()
            """)
        let message = try #require(error?.message)
        #expect(message.hasPrefix("\(path):3: newest(): the newest recovery point b-new fails verification: manifest signature does not verify; pass newest{ allow_older = true } to restore the older point a-old"), "\(message)")

        let (results, _) = try Fixture.run("""
            local standby = require "standby"
            local points = standby.points.open("\(folder)/points", { verify_key = "\(folder)/signing.pub" })
            local point, passed_over = points:newest{ allow_older = true }
            return point.id, #passed_over, passed_over[1].id, passed_over[1].check, passed_over[1].reason
            """)
        #expect(results == ["a-old", 1, "b-new", "fails verification", "manifest signature does not verify"])
    }

    @Test func newestRejectsAnOptionThatIsNotABoolean() throws {
        let folder = try Fixture.folder(["points/.keep": ""])
        let signing = try SigningKeyPair.generate()
        try signing.publicPEM.write(toFile: folder + "/signing.pub", atomically: true, encoding: .utf8)
        let (error, _) = try Fixture.failure("""
            local standby = require "standby"
            standby.points.open("\(folder)/points", { verify_key = "\(folder)/signing.pub" }):newest{ allow_older = "yes" }
            """)
        #expect(error?.message.hasSuffix("newest: field 'allow_older' must be a boolean, got string") == true, "\(String(describing: error?.message))")
    }
}
