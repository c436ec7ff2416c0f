import Foundation
import Testing

@Suite("standby keys, capture, points and a restore plan from a recovery point")
struct RecoveryPointCommandTests {
    @Test("capture, list, verify, then plan from the newest point: the same plan as from the live estate")
    func captureThenRestorePlan() throws {
        let dir = try StandbyBinary.temporaryDirectory()
        let keys = dir.appendingPathComponent("keys").path
        let points = dir.appendingPathComponent("points").path
        var r = try StandbyBinary.run(["keys", "new", keys])
        #expect(r.status == 0, "stderr: \(r.stderr)")
        r = try StandbyBinary.run(["capture", "scripts/capture.lua", points, keys])
        #expect(r.status == 0, "stderr: \(r.stderr)")
        let id = try #require(r.stdout.split(separator: "\n").first { $0.hasPrefix("captured ") }?.dropFirst("captured ".count))
        r = try StandbyBinary.run(["points", "list", points, "--keys", keys])
        #expect(r.status == 0 && r.stdout.contains("\(id)") && r.stdout.contains("verified"), "\(r.stdout) \(r.stderr)")
        r = try StandbyBinary.run(["points", "verify", points, String(id), "--keys", keys])
        #expect(r.status == 0, "stderr: \(r.stderr)")
        r = try StandbyBinary.run(["verify", points + "/" + id, "--keys", keys])
        #expect(r.status == 0 && r.stdout.contains("verified"), "stderr: \(r.stderr)")

        // Volume ages (the RPO) are measured from when a plan is made: both processes pin that instant.
        let clock = ["SOURCE_DATE_EPOCH": "1796601600"]
        let restored = dir.appendingPathComponent("restored").path
        r = try StandbyBinary.run(["plan", "--out", restored, "scripts/restore.lua", points, keys], environment: clock)
        #expect(r.status == 0, "stderr: \(r.stderr)")
        let live = dir.appendingPathComponent("live").path
        r = try StandbyBinary.run(["run", "scripts/drill.lua", "scripts/estate", live], environment: clock)
        #expect(r.status == 0, "stderr: \(r.stderr)")
        let files = try FileManager.default.subpathsOfDirectory(atPath: live).sorted()
        #expect(files == (try FileManager.default.subpathsOfDirectory(atPath: restored).sorted()))
        for f in files {
            var isDir: ObjCBool = false
            guard FileManager.default.fileExists(atPath: live + "/" + f, isDirectory: &isDir), !isDir.boolValue else { continue }
            #expect(FileManager.default.contents(atPath: live + "/" + f) == FileManager.default.contents(atPath: restored + "/" + f),
                    "\(f) differs between the live plan and the plan from the point")
        }
    }

    @Test("a tampered object is refused by verify and by the restore runbook, named")
    func tamperedPointIsRefused() throws {
        let dir = try StandbyBinary.temporaryDirectory()
        let keys = dir.appendingPathComponent("keys").path
        let points = dir.appendingPathComponent("points").path
        _ = try StandbyBinary.run(["keys", "new", keys])
        var r = try StandbyBinary.run(["capture", "scripts/capture.lua", points, keys])
        let id = try #require(r.stdout.split(separator: "\n").first { $0.hasPrefix("captured ") }?.dropFirst("captured ".count))
        let objects = points + "/" + id + "/objects"
        let file = try #require(try FileManager.default.contentsOfDirectory(atPath: objects).sorted().first)
        var bytes = try #require(FileManager.default.contents(atPath: objects + "/" + file))
        bytes[bytes.count / 2] ^= 0x01
        try bytes.write(to: URL(fileURLWithPath: objects + "/" + file))
        r = try StandbyBinary.run(["points", "verify", points, String(id), "--keys", keys])
        #expect(r.status == 1)
        #expect(r.stderr.contains("fails verification") && r.stderr.contains("digest"), "\(r.stderr)")
        r = try StandbyBinary.run(["verify", points + "/" + id, "--keys", keys])
        #expect(r.status == 1 && r.stderr.contains("digest"), "\(r.stderr)")
        r = try StandbyBinary.run(["points", "list", points, "--keys", keys])
        #expect(r.stdout.contains("FAILS VERIFICATION"), "\(r.stdout)")
        #expect(r.status == 6)
        r = try StandbyBinary.run(["plan", "--out", dir.appendingPathComponent("x").path, "scripts/restore.lua", points, keys])
        #expect(r.status != 0)
        #expect(r.stderr.contains("the newest recovery point \(id) fails verification") && r.stderr.contains("digest mismatch"), "\(r.stderr)")
        r = try StandbyBinary.run(["plan", "--out", dir.appendingPathComponent("x").path, "scripts/restore.lua", points, keys, "--allow-older"])
        #expect(r.status != 0)
        #expect(r.stderr.contains("no verified recovery point"), "\(r.stderr)")
    }

    @Test("capture from flags, without a runbook")
    func captureFromFlags() throws {
        let dir = try StandbyBinary.temporaryDirectory()
        let keys = dir.appendingPathComponent("keys").path
        let points = dir.appendingPathComponent("points").path
        _ = try StandbyBinary.run(["keys", "new", keys])
        var r = try StandbyBinary.run(["capture", "--estate", "scripts/estate", "--root", "eks-prod-use1", "--namespace", "orders",
                                       "--to", points, "--keys", keys])
        #expect(r.status == 0, "stderr: \(r.stderr)")
        #expect(r.stdout.contains("captured ") && r.stdout.contains("clusters eks-prod-use1"))
        r = try StandbyBinary.run(["capture", "--estate", "scripts/estate", "--root", "no-such-cluster", "--to", points, "--keys", keys])
        #expect(r.status != 0 && r.stderr.contains("not in the estate: no-such-cluster"), "\(r.stderr)")
    }

    @Test("a signing key others can read is used with a warning naming the file and the chmod")
    func signingKeyOpenToOthersIsWarnedAbout() throws {
        let dir = try StandbyBinary.temporaryDirectory()
        let keys = dir.appendingPathComponent("keys").path
        let points = dir.appendingPathComponent("points").path
        _ = try StandbyBinary.run(["keys", "new", keys])
        let key = keys + "/signing.key"
        var r = try StandbyBinary.run(["capture", "--estate", "scripts/estate", "--root", "eks-prod-use1", "--namespace", "orders",
                                       "--to", points, "--keys", keys])
        #expect(r.status == 0 && !r.stderr.contains("warning"), "stderr: \(r.stderr)")
        #expect(chmod(key, 0o644) == 0)
        r = try StandbyBinary.run(["capture", "--estate", "scripts/estate", "--root", "eks-prod-use1", "--namespace", "orders",
                                   "--to", points, "--keys", keys])
        #expect(r.status == 0, "stderr: \(r.stderr)")
        #expect(r.stderr.contains("standby: warning: signing key \(key) can be read or changed by its group or others (mode 0644)"), "\(r.stderr)")
        #expect(r.stderr.contains("run: chmod 600 \(key)"), "\(r.stderr)")
        // The same through a runbook (standby.points.capture reads the key).
        r = try StandbyBinary.run(["capture", "scripts/capture.lua", points, keys])
        #expect(r.status == 0, "stderr: \(r.stderr)")
        #expect(r.stderr.contains("standby: warning: signing_key \(key) can be read or changed by its group or others (mode 0644)"), "\(r.stderr)")
    }

    @Test("a mistyped store is an error, not an empty catalog")
    func mistypedStoreIsAnError() throws {
        let dir = try StandbyBinary.temporaryDirectory()
        let r = try StandbyBinary.run(["points", "list", dir.appendingPathComponent("no-such-points").path])
        #expect(r.status != 0)
        #expect(r.stderr.contains("no recovery points at") && r.stderr.contains("there is no such folder"), "\(r.stderr)")
    }
}
