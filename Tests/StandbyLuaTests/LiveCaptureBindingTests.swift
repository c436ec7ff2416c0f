import Foundation
import Testing
import StandbyCore
import StandbyLua
import StandbyTestSupport

/// A live inventory goes where a loaded one goes: discovered from a cluster (the Kubernetes
/// wire-format test server, not a cluster), selected, captured into a signed, encrypted point,
/// and opened again.
@Suite("Lua: capturing a live inventory against a Kubernetes wire-format test server")
struct LiveCaptureBindingTests {
    @Test func aDiscoveredClusterIsCapturedAndOpensWithItsSecretsDecrypted() throws {
        guard let server = KubeWireTestServer.start() else { return }
        try server.seed([
            KubeObjects.namespace("shop"),
            KubeObjects.configMap("settings", in: "shop", data: ["mode": "live"]),
            ["apiVersion": "v1", "kind": "Secret", "metadata": ["name": "db", "namespace": "shop"], "data": ["password": "aHVudGVyMg=="]],
        ])
        let kubeconfig = try server.writeKubeconfig()
        let folder = try Fixture.folder()
        let signing = try SigningKeyPair.generate(), recovery = try RecoveryKeyPair.generate()
        for (name, pem) in [("signing.key", signing.privatePEM), ("signing.pub", signing.publicPEM),
                            ("recovery.key", recovery.privatePEM), ("recovery.pub", recovery.publicPEM)] {
            try pem.write(toFile: folder + "/" + name, atomically: true, encoding: .utf8)
        }
        let (results, _) = try Fixture.run("""
            local standby = require "standby"
            local inv = standby.kube.discover{ kubeconfig = "\(kubeconfig)", cluster = "shop-prod" }
            local sel = standby.select{ inventory = inv, namespaces = { "shop" } }
            local point = standby.capture{ selection = sel, to = "\(folder)/points",
              signing_key = "\(folder)/signing.key", recovery_key = "\(folder)/recovery.pub" }
            local opened = standby.points.open("\(folder)/points", { verify_key = "\(folder)/signing.pub" }):newest()
            local back = opened:selection{ recovery_key = "\(folder)/recovery.key" }
            local secret = back.inventory:find{ kind = "Secret", namespace = "shop" }[1]
            local settings = back.inventory:find{ kind = "ConfigMap", namespace = "shop" }[1]
            return point.clusters[1], point.objects, secret.doc.data.password, settings.doc.data.mode, opened.id == point.id
            """, folder: folder)
        #expect(results[0] == "shop-prod")
        #expect((results[1].intValue ?? 0) >= 3)
        #expect(results[2] == "aHVudGVyMg==", "sealed in the point, decrypted with the recovery key")
        #expect(results[3] == "live")
        #expect(results[4] == true)
        let stored = try FileManager.default.subpathsOfDirectory(atPath: folder + "/points")
            .filter { $0.hasSuffix(".json") }
            .map { try String(contentsOfFile: folder + "/points/" + $0, encoding: .utf8) }
        #expect(!stored.isEmpty)
        #expect(!stored.contains { $0.contains("aHVudGVyMg==") }, "the Secret's value is never stored in plaintext")
    }
}
