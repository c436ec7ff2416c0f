import Foundation
import Testing

/// A Velero backup tarball named to `standby inventory` and to `standby.inventory.load`, as a team
/// moving from Velero would: no cluster given, the backup's name files the objects.
@Suite("Velero backups on the command line and in runbooks")
struct VeleroBackupCommandTests {
    /// `<dir>/nightly.tar.gz`: a Deployment in format 1.1 (preferred-version and version-less copies)
    /// and `metadata/version`, packed by the real `tar`.
    static func backup() throws -> URL {
        let dir = try StandbyBinary.temporaryDirectory()
        let root = dir.appendingPathComponent("nightly")
        let deployment = #"{"apiVersion": "apps/v1", "kind": "Deployment", "metadata": {"name": "web", "namespace": "shop"}, "spec": {"template": {"spec": {"containers": [{"name": "web", "image": "nginx"}]}}}}"#
        for (relative, text) in [
            ("metadata/version", "1.1.0\n"),
            ("resources/deployments.apps/namespaces/shop/web.json", deployment),
            ("resources/deployments.apps/v1-preferredversion/namespaces/shop/web.json", deployment),
        ] {
            let url = root.appendingPathComponent(relative)
            try FileManager.default.createDirectory(at: url.deletingLastPathComponent(), withIntermediateDirectories: true)
            try text.write(to: url, atomically: true, encoding: .utf8)
        }
        let tar = try ChildProcess.run("/usr/bin/tar", ["-czf", "../nightly.tar.gz", "resources", "metadata"], in: root, environment: [:])
        try #require(tar.status == 0, "tar: \(tar.stderr)")
        return dir
    }

    @Test("standby inventory reads a backup tarball and says what it read")
    func inventoryCommand() throws {
        let dir = try Self.backup()
        defer { try? FileManager.default.removeItem(at: dir) }
        let r = try StandbyBinary.run(["inventory", "nightly.tar.gz"], in: dir)
        #expect(r.status == 0, "stderr: \(r.stderr)")
        #expect(r.stdout.contains("cluster nightly: 1 object"), "\(r.stdout)")
        #expect(r.stdout.contains("Velero backup \"nightly\" (format 1.1.0): read 1 object of 1 resource"), "\(r.stdout)")
        #expect(!r.stderr.contains("control characters"))
    }

    @Test("standby.inventory.load reads a backup tarball")
    func runbook() throws {
        let dir = try Self.backup()
        defer { try? FileManager.default.removeItem(at: dir) }
        try """
        local standby = require "standby"
        local inv = standby.inventory.load("nightly.tar.gz")
        print(inv.count, inv:get("k8s://nightly/apps/Deployment/shop/web").source)
        """.write(to: dir.appendingPathComponent("load.lua"), atomically: true, encoding: .utf8)
        let r = try StandbyBinary.run(["run", "load.lua"], in: dir)
        #expect(r.status == 0, "stderr: \(r.stderr)")
        #expect(r.stdout.contains("1\tnightly.tar.gz!resources/deployments.apps/v1-preferredversion/namespaces/shop/web.json"), "\(r.stdout)")
    }
}
