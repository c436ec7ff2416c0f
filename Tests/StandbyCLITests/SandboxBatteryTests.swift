import Foundation
import Testing

/// The sandbox battery: every script of Tests/StandbyCLITests/Battery runs through the real
/// `standby run --budget 1000000 --memory 64`, and must end with the exit status and first line
/// (stderr's when it fails, stdout's when it succeeds) that `Battery/expected.tsv` gives, within
/// 5 s of CPU and 2 × the ceiling + the runtime's baseline of resident memory.
///
/// The scripts cover escapes from the sandbox, the instruction budget (each kind of C work that
/// once ran unbounded), the memory ceiling (Lua's memory and the host's), error objects, and
/// callbacks from the host into Lua. To add a case: add `<area>-<name>.lua` and its line in
/// expected.tsv.
@Suite("sandbox battery")
struct SandboxBatteryTests {
    /// The ceiling the battery runs under, in MiB.
    static let ceilingMiB = 64
    /// Resident memory of the runtime itself: the `standby` binary with Foundation, the Lua state,
    /// the stdlib and an empty script measure 33–35 MiB (debug build, Linux x86-64); 64 MiB leaves
    /// room for allocator slack and a release build's different layout.
    static let baselineMiB = 64
    static let cpuLimitSeconds = 5.0

    static let battery = StandbyBinary.root.appendingPathComponent("Tests/StandbyCLITests/Battery")

    struct Expectation {
        var script: String
        var status: Int32
        var firstLine: String
    }

    /// expected.tsv: `script<TAB>exit status<TAB>first line`; `#` starts a comment line; a first
    /// line ending in " …" is a prefix (for messages that carry measured sizes).
    static func expectations() throws -> [Expectation] {
        let text = try String(contentsOf: battery.appendingPathComponent("expected.tsv"), encoding: .utf8)
        return try text.split(separator: "\n").compactMap { line in
            if line.hasPrefix("#") || line.isEmpty { return nil }
            let fields = line.split(separator: "\t", maxSplits: 2, omittingEmptySubsequences: false)
            guard fields.count == 3, let status = Int32(fields[1]) else {
                throw BatteryError("expected.tsv: malformed line '\(line)'")
            }
            return Expectation(script: String(fields[0]), status: status, firstLine: String(fields[2]))
        }
    }

    struct BatteryError: Error, CustomStringConvertible {
        var description: String
        init(_ description: String) { self.description = description }
    }

    @Test("every script of the battery has an expectation, and every expectation a script")
    func everyScriptIsListed() throws {
        let scripts = try FileManager.default.contentsOfDirectory(atPath: Self.battery.path)
            .filter { $0.hasSuffix(".lua") }.sorted()
        let listed = try Self.expectations().map(\.script).sorted()
        #expect(scripts == listed)
        #expect(scripts.count >= 50)
    }

    @Test("each script ends as expected, within 5 s of CPU and 2 × the ceiling + the baseline of memory")
    func battery() throws {
        let folder = try Self.preparedCopy()
        defer { try? FileManager.default.removeItem(at: folder) }
        let rssLimitKiB = (2 * Self.ceilingMiB + Self.baselineMiB) * 1024
        for expectation in try Self.expectations() {
            let run = try ChildRun.standby(
                ["run", "--budget", "1000000", "--memory", "\(Self.ceilingMiB)", expectation.script], in: folder)
            let output = run.status == 0 ? run.stdout : run.stderr
            let first = output.split(separator: "\n", omittingEmptySubsequences: false).first.map(String.init) ?? ""
            #expect(run.status == expectation.status, "\(expectation.script): exit \(run.status)\n\(run.stderr)")
            if expectation.firstLine.hasSuffix(" …") {
                #expect(first.hasPrefix(String(expectation.firstLine.dropLast(2))), "\(expectation.script): \(first)")
            } else {
                #expect(first == expectation.firstLine, "\(expectation.script)")
            }
            #expect(run.cpuSeconds < Self.cpuLimitSeconds, "\(expectation.script): \(run.cpuSeconds) s of CPU")
            #expect(run.maxRSSKiB < rssLimitKiB, "\(expectation.script): \(run.maxRSSKiB / 1024) MiB resident")
            print(String(format: "battery %-34@ exit %d  %5.2f s CPU  %4d MiB", expectation.script as NSString,
                         run.status, run.cpuSeconds, run.maxRSSKiB / 1024))
        }
    }

    @Test("the runtime's baseline: an empty script stays under the documented baseline")
    func baseline() throws {
        let folder = try Self.preparedCopy()
        defer { try? FileManager.default.removeItem(at: folder) }
        try Data("local standby = require 'standby'\n".utf8).write(to: folder.appendingPathComponent("empty.lua"))
        let run = try ChildRun.standby(["run", "--budget", "1000000", "--memory", "64", "empty.lua"], in: folder)
        #expect(run.status == 0, "\(run.stderr)")
        #expect(run.maxRSSKiB < Self.baselineMiB * 1024, "\(run.maxRSSKiB / 1024) MiB")
    }

    /// A copy of the battery in a temporary folder, with the generated inventories: data/big.json
    /// (about 24 MB: four times that is more than the ceiling) and data/medium.json (about 0.9 MB).
    static func preparedCopy() throws -> URL {
        let folder = try StandbyBinary.temporaryDirectory().appendingPathComponent("battery")
        try FileManager.default.copyItem(at: battery, to: folder)
        try deployments(20_000, padding: 1000).write(to: folder.appendingPathComponent("data/big.json"))
        try deployments(2_000, padding: 200).write(to: folder.appendingPathComponent("data/medium.json"))
        return folder
    }

    /// A Kubernetes List of `count` Deployments, each with an argument of `padding` bytes.
    static func deployments(_ count: Int, padding: Int) -> Data {
        let pad = String(repeating: "x", count: padding)
        var text = #"{"apiVersion":"v1","kind":"List","items":["#
        for i in 0..<count {
            if i > 0 { text += "," }
            text += #"{"apiVersion":"apps/v1","kind":"Deployment","metadata":{"name":"d\#(i)","namespace":"n\#(i % 10)","#
                + #""labels":{"app":"d\#(i)"}},"spec":{"replicas":1,"template":{"spec":{"containers":"#
                + #"[{"name":"c","image":"nginx:1","args":["\#(pad)"]}]}}}}"#
        }
        text += "]}"
        return Data(text.utf8)
    }
}

/// A child process and its resource usage, measured by a small Python parent.
///
/// Linux charges a process the resident size its address space had before `exec`, and a child of
/// the test process is spawned from the test process's own address space (vfork), so wait4 would
/// report the test runner's hundred-odd MiB for every child. So a Python parent (a few MiB) runs
/// the child, reaps it, and reports `getrusage(RUSAGE_CHILDREN)`: the child's CPU and peak RSS
/// (overstated by at most the Python parent's size).
struct ChildRun {
    var status: Int32
    var stdout: String
    var stderr: String
    var cpuSeconds: Double
    var maxRSSKiB: Int

    static let reporter = """
        import json, resource, subprocess, sys
        folder, out, err, report = sys.argv[1:5]
        with open(out, "wb") as o, open(err, "wb") as e:
            child = subprocess.Popen(sys.argv[5:], cwd=folder, stdout=o, stderr=e)
            try:
                status = child.wait(timeout=60)  # a runaway child is stopped, not waited for forever
            except subprocess.TimeoutExpired:
                child.kill()
                child.wait()
                status = 137
        u = resource.getrusage(resource.RUSAGE_CHILDREN)
        with open(report, "w") as r:
            json.dump({"status": status, "cpu": u.ru_utime + u.ru_stime, "maxrss": u.ru_maxrss}, r)
        """

    static func standby(_ arguments: [String], in directory: URL) throws -> ChildRun {
        guard let path = StandbyBinary.path else {
            throw SandboxBatteryTests.BatteryError("the standby executable was not found next to the tests")
        }
        var environment = ProcessInfo.processInfo.environment
        environment["STANDBY_STDLIB"] = StandbyBinary.root.appendingPathComponent("stdlib").path
        return try run(path, arguments, in: directory, environment: environment)
    }

    static func run(_ path: String, _ arguments: [String], in directory: URL, environment: [String: String]) throws -> ChildRun {
        let scratch = try StandbyBinary.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: scratch) }
        let out = scratch.appendingPathComponent("stdout"), err = scratch.appendingPathComponent("stderr")
        let report = scratch.appendingPathComponent("report.json")
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        process.arguments = ["python3", "-c", reporter, directory.path, out.path, err.path, report.path, path] + arguments
        process.environment = environment
        try process.run()
        process.waitUntilExit()
        guard process.terminationStatus == 0,
              let data = FileManager.default.contents(atPath: report.path),
              let fields = try JSONSerialization.jsonObject(with: data) as? [String: Any],
              let status = fields["status"] as? Int, let cpu = fields["cpu"] as? Double, let rss = fields["maxrss"] as? Int
        else { throw SandboxBatteryTests.BatteryError("the Python reporter failed (status \(process.terminationStatus))") }
        let read = { (u: URL) in (try? String(contentsOf: u, encoding: .utf8)) ?? "" }
        return ChildRun(status: Int32(truncatingIfNeeded: status < 0 ? 128 - status : status), stdout: read(out), stderr: read(err),
                        cpuSeconds: cpu, maxRSSKiB: rss)
    }
}
