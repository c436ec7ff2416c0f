import Foundation
import Testing
import StandbyTestSupport

/// Through the real `standby` binary: a newest point that fails verification is never passed
/// over silently (`points list` exits 6 saying so first; `scripts/restore.lua` stops unless
/// `--allow-older`), and a capture of a partial discovery (a 503 on `/apis/apps/v1`) is a
/// partial point (`points list` and `verify` exit 7; the restore refuses it).
@Suite("standby points list, verify and restore.lua: the newest point or nothing, partial points")
struct PointChoiceCommandTests {
    /// Keys and two points of the sample estate (`scripts/capture.lua`), ids newest first as the
    /// catalog orders them (two captures may share a second; the catalog then orders by id).
    static func twoPoints() throws -> (dir: URL, keys: String, points: String, newest: String, older: String) {
        let dir = try StandbyBinary.temporaryDirectory()
        let keys = dir.appendingPathComponent("keys").path
        let points = dir.appendingPathComponent("points").path
        _ = try StandbyBinary.run(["keys", "new", keys])
        for _ in 0..<2 {
            let r = try StandbyBinary.run(["capture", "scripts/capture.lua", points, keys])
            #expect(r.status == 0, "stderr: \(r.stderr)")
        }
        let r = try StandbyBinary.run(["points", "list", points, "--keys", keys])
        let ids = r.stdout.split(separator: "\n").filter { $0.first?.isNumber == true }.map { String($0.split(separator: " ")[0]) }
        try #require(ids.count == 2, "\(r.stdout)")
        return (dir, keys, points, ids[0], ids[1])
    }

    @Test("a tampered newest point: points list exits 6 saying so first; restore.lua stops naming it and the check")
    func tamperedNewestIsNotPassedOverSilently() throws {
        let (dir, keys, points, newest, older) = try Self.twoPoints()
        var r = try StandbyBinary.run(["points", "list", points, "--keys", keys])
        #expect(r.status == 0, "\(r.stdout) \(r.stderr)")
        #expect(r.stdout.hasPrefix("newest point \(newest) verifies and is whole: a restore uses it\n"), "\(r.stdout)")

        let objects = points + "/" + newest + "/objects"
        let file = try #require(try FileManager.default.contentsOfDirectory(atPath: objects).sorted().first)
        var bytes = try #require(FileManager.default.contents(atPath: objects + "/" + file))
        bytes[bytes.count / 2] ^= 0x01
        try bytes.write(to: URL(fileURLWithPath: objects + "/" + file))

        r = try StandbyBinary.run(["points", "list", points, "--keys", keys])
        #expect(r.status == 6, "\(r.stdout) \(r.stderr)")
        let first = r.stdout.split(separator: "\n").first.map(String.init) ?? ""
        #expect(first.hasPrefix("newest point \(newest) FAILS VERIFICATION: object "), "\(first)")
        #expect(first.contains("digest mismatch") && first.contains("the newest point that verifies and is whole is \(older)"), "\(first)")

        let refused = dir.appendingPathComponent("refused").path
        r = try StandbyBinary.run(["plan", "--out", refused, "scripts/restore.lua", points, keys])
        #expect(r.status != 0)
        #expect(r.stderr.contains("newest(): the newest recovery point \(newest) fails verification: object "), "\(r.stderr)")
        #expect(r.stderr.contains("allow_older = true") && r.stderr.contains(older), "\(r.stderr)")
        #expect(!r.stdout.contains("restoring from"), "\(r.stdout)")
        #expect(!FileManager.default.fileExists(atPath: refused), "no plan from an older point without asking")

        let allowed = dir.appendingPathComponent("allowed").path
        r = try StandbyBinary.run(["plan", "--out", allowed, "scripts/restore.lua", points, keys, "--allow-older"])
        #expect(r.status == 0, "stderr: \(r.stderr)")
        #expect(r.stdout.contains("NOT restoring from the newer point \(newest) (fails verification): object "), "\(r.stdout)")
        #expect(r.stdout.contains("restoring from \(older) ") && r.stdout.contains("an OLDER point (--allow-older)"), "\(r.stdout)")

        r = try StandbyBinary.run(["plan", "--out", allowed, "scripts/restore.lua", points, keys, "--allow-olde"])
        #expect(r.status != 0 && r.stderr.contains("unknown option --allow-olde (known: --allow-older, --partial, --apply CLUSTER=CONTEXT, --kubeconfig=PATH, --verify)"), "\(r.stderr)")
    }

    @Test("an incomplete newest point (manifest.sig gone) is refused the same way")
    func incompleteNewestIsRefused() throws {
        let (dir, keys, points, newest, _) = try Self.twoPoints()
        try FileManager.default.removeItem(atPath: points + "/" + newest + "/manifest.sig")
        var r = try StandbyBinary.run(["points", "list", points])
        #expect(r.status == 6, "\(r.stdout)")
        #expect(r.stdout.hasPrefix("newest point \(newest) is INCOMPLETE: it has no manifest.sig"), "\(r.stdout)")
        r = try StandbyBinary.run(["plan", "--out", dir.appendingPathComponent("x").path, "scripts/restore.lua", points, keys])
        #expect(r.status != 0 && r.stderr.contains("recovery point \(newest) is incomplete"), "\(r.stderr)")
    }

    @Test("a 503 on /apis/apps/v1: capture fails; asked to be partial, the point is partial, listed and verified as such, and not restored")
    func partialDiscoveryMakesAPartialPoint() throws {
        guard let server = KubeWireTestServer.start() else { return }
        try server.seed([
            KubeObjects.namespace("shop"),
            KubeObjects.configMap("settings", in: "shop"),
            ["apiVersion": "apps/v1", "kind": "Deployment", "metadata": ["name": "web", "namespace": "shop"], "spec": ["replicas": 2]],
        ])
        try server.faults([["path": "/apis/apps/v1", "status": 503, "reason": "ServiceUnavailable",
                            "message": "the server is currently unable to handle the request", "times": -1]])
        let kubeconfig = try server.writeKubeconfig()
        let dir = try StandbyBinary.temporaryDirectory()
        let keys = dir.appendingPathComponent("keys").path
        let points = dir.appendingPathComponent("points").path
        _ = try StandbyBinary.run(["keys", "new", keys])
        let runbook = dir.appendingPathComponent("capture-live.lua").path
        try """
            local standby = require "standby"
            local partial = arg[1] == "--partial" or nil
            local inv = standby.kube.discover{ kubeconfig = "\(kubeconfig)", cluster = "shop-prod", partial = partial }
            standby.capture{ selection = standby.select{ inventory = inv, namespaces = { "shop" } }, to = "\(points)",
              signing_key = "\(keys)/signing.key", recovery_key = "\(keys)/recovery.pub" }
            """.write(toFile: runbook, atomically: true, encoding: .utf8)

        var r = try StandbyBinary.run(["capture", runbook])
        #expect(r.status != 0)
        #expect(r.stderr.contains("discovery of kubernetes cluster shop-prod is incomplete"), "\(r.stderr)")
        #expect(r.stderr.contains("GET \(server.endpoint)/apis/apps/v1: 503 ServiceUnavailable"), "\(r.stderr)")
        #expect(!FileManager.default.fileExists(atPath: points), "no point captured")

        r = try StandbyBinary.run(["capture", runbook, "--partial"])
        #expect(r.status == 0, "stderr: \(r.stderr)")
        let id = try #require(r.stdout.split(separator: "\n").first { $0.hasPrefix("captured ") }?.dropFirst("captured ".count))
        #expect(r.stdout.contains("\(id) is PARTIAL: its inventory could not read 1 part"), "\(r.stdout)")

        r = try StandbyBinary.run(["points", "list", points, "--keys", keys])
        #expect(r.status == 7, "\(r.stdout) \(r.stderr)")
        let lines = r.stdout.split(separator: "\n").map(String.init)
        #expect(lines.first?.hasPrefix("newest point \(id) verifies but is PARTIAL: its capture could not read kubernetes cluster shop-prod: apps/v1 (") == true,
                "\(r.stdout)")
        #expect(lines.contains { $0.hasPrefix(String(id)) && $0.contains("verified, partial") }, "\(r.stdout)")
        #expect(lines.contains { $0.hasPrefix("    missing: kubernetes cluster shop-prod: apps/v1 not read: ") }, "\(r.stdout)")

        r = try StandbyBinary.run(["points", "verify", points, String(id), "--keys", keys])
        #expect(r.status == 7, "\(r.stdout) \(r.stderr)")
        #expect(r.stdout.hasPrefix("\(id): verified (signature and ") && r.stdout.contains("but PARTIAL"), "\(r.stdout)")
        r = try StandbyBinary.run(["verify", points + "/" + id, "--keys", keys])
        #expect(r.status == 7 && r.stdout.contains("but PARTIAL"), "\(r.stdout)")

        r = try StandbyBinary.run(["plan", "--out", dir.appendingPathComponent("x").path, "scripts/restore.lua", points, keys])
        #expect(r.status != 0)
        #expect(r.stderr.contains("newest(): the newest recovery point \(id) is partial: its capture could not read kubernetes cluster shop-prod: apps/v1"),
                "\(r.stderr)")
    }
}
