import Foundation
import Testing

@Suite("standby run")
struct RunCommandTests {
    @Test("the drill loads the sample estate and prints both clusters")
    func drillPrintsInventorySummary() throws {
        // The plan goes to a temporary folder (the drill's default, out/drill, is in the checkout).
        let dir = try StandbyBinary.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: dir) }
        let out = dir.appendingPathComponent("drill").path
        let r = try StandbyBinary.run(["run", "scripts/drill.lua", "scripts/estate", out])
        #expect(r.status == 0, "stderr: \(r.stderr)")
        #expect(FileManager.default.fileExists(atPath: out + "/report.md"))
        #expect(r.stdout.contains("cluster aks-prod-weu"))
        #expect(r.stdout.contains("cluster eks-prod-use1"))
        #expect(r.stdout.contains("Microsoft.ContainerService/managedClusters/agentPools"))
        #expect(r.stdout.range(of: #"\s7\s+Microsoft\.ContainerService/managedClusters/agentPools"#, options: .regularExpression) != nil)
    }

    @Test("a misspelt namespace in a selection is a warning on stderr as the script runs, with did-you-mean")
    func misspeltNamespaceIsSaidOnStderr() throws {
        let dir = try StandbyBinary.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: dir) }
        let estate = FileManager.default.currentDirectoryPath + "/scripts/estate"
        try """
        local standby = require "standby"
        local inv = standby.inventory.load("\(estate)")
        local sel = standby.select{ inventory = inv, roots = { "aks-prod-weu" }, namespaces = { "chekout" } }
        print(#sel.warnings)
        """.write(to: dir.appendingPathComponent("select.lua"), atomically: true, encoding: .utf8)
        let r = try StandbyBinary.run(["run", "select.lua"], in: dir)
        #expect(r.status == 0, "stderr: \(r.stderr)")
        #expect(r.stdout == "1\n")
        #expect(r.stderr.contains("standby: warning: select: namespace 'chekout' is in no cluster of the inventory, so it selected nothing (did you mean "))
    }

    @Test("a script error exits non-zero with file:line and a traceback that starts in the script")
    func scriptErrorNamesFileAndLine() throws {
        let dir = try StandbyBinary.temporaryDirectory()
        let script = dir.appendingPathComponent("broken.lua")
        try """
        local function helper(x)
          return x.missing.field
        end
        helper({})
        """.write(to: script, atomically: true, encoding: .utf8)
        let r = try StandbyBinary.run(["run", "broken.lua"], in: dir)
        #expect(r.status == 1)
        #expect(r.stderr.contains("broken.lua:2: attempt to index a nil value (field 'missing')"))
        let traceback = r.stderr.components(separatedBy: "stack traceback:").last ?? ""
        let frames = traceback.split(separator: "\n").map { $0.trimmingCharacters(in: .whitespaces) }.filter { !$0.isEmpty }
        #expect(frames.first?.hasPrefix("broken.lua:2:") == true, "traceback: \(traceback)")
        #expect(frames.contains { $0.hasPrefix("broken.lua:4:") })
    }

    @Test("an error raised by a host function names the script line that called it")
    func hostErrorNamesCallerLine() throws {
        let dir = try StandbyBinary.temporaryDirectory()
        try """
        local standby = require "standby"

        local inv = standby.inventory.load("nowhere")
        """.write(to: dir.appendingPathComponent("load.lua"), atomically: true, encoding: .utf8)
        let r = try StandbyBinary.run(["run", "load.lua"], in: dir)
        #expect(r.status == 1)
        #expect(r.stderr.contains("load.lua:3: cannot load 'nowhere': no such file or folder"))
    }

    @Test("--budget stops a script that loops forever, with its own exit status")
    func budgetStopsInfiniteLoop() throws {
        let dir = try StandbyBinary.temporaryDirectory()
        try "while true do end\n".write(to: dir.appendingPathComponent("spin.lua"), atomically: true, encoding: .utf8)
        let r = try StandbyBinary.run(["run", "--budget", "1000000", "spin.lua"], in: dir)
        #expect(r.status == 4)
        #expect(r.stderr.contains("instruction budget of 1000000 exceeded"))
    }

    @Test("--memory stops a script that allocates without bound, with its own exit status")
    func memoryCeilingStopsGrowth() throws {
        let dir = try StandbyBinary.temporaryDirectory()
        try """
        local t = {}
        for i = 1, 1e9 do t[i] = string.rep("x", 64) .. i end
        """.write(to: dir.appendingPathComponent("grow.lua"), atomically: true, encoding: .utf8)
        let r = try StandbyBinary.run(["run", "--memory", "16", "grow.lua"], in: dir)
        #expect(r.status == 5)
        #expect(r.stderr.contains("memory ceiling of 16 MiB exceeded"))
    }

    @Test("arguments after the script reach it as ... and arg")
    func argumentsReachScript() throws {
        let dir = try StandbyBinary.temporaryDirectory()
        try "local a, b = ...\nprint(a, b, arg[1], #arg)\n".write(
            to: dir.appendingPathComponent("args.lua"), atomically: true, encoding: .utf8)
        let r = try StandbyBinary.run(["run", "args.lua", "one", "--two"], in: dir)
        #expect(r.status == 0, "stderr: \(r.stderr)")
        #expect(r.stdout == "one\t--two\tone\t2\n")
    }

    @Test("a missing runbook is a validation error that names it")
    func missingRunbook() throws {
        let r = try StandbyBinary.run(["run", "no-such.lua"])
        #expect(r.status != 0)
        #expect(r.stderr.contains("Runbook 'no-such.lua' not found."))
    }
}

@Suite("standby inventory")
struct InventoryCommandTests {
    @Test("malformed JSON is reported with file, line and column, exit status 2")
    func malformedJSON() throws {
        let dir = try StandbyBinary.temporaryDirectory()
        try "{\n  \"id\": \"/subscriptions/x\",\n  \"type\": 12,\n}\n".write(
            to: dir.appendingPathComponent("bad.json"), atomically: true, encoding: .utf8)
        let r = try StandbyBinary.run(["inventory", "bad.json"], in: dir)
        #expect(r.status == 2)
        #expect(r.stderr.range(of: #"bad\.json:4:1: "#, options: .regularExpression) != nil, "stderr: \(r.stderr)")
    }

    @Test("the sample estate lists both clusters' objects")
    func estateSummary() throws {
        let r = try StandbyBinary.run(["inventory", "scripts/estate"])
        #expect(r.status == 0, "stderr: \(r.stderr)")
        #expect(r.stdout.contains("cluster aks-prod-weu:"))
        #expect(r.stdout.contains("cluster eks-prod-use1:"))
    }
}

@Suite("standby run sandbox")
struct RunSandboxTests {
    @Test("a global write is refused and the traceback starts at the user's line, not the sandbox")
    func globalWriteTracebackStartsInScript() throws {
        let dir = try StandbyBinary.temporaryDirectory()
        try "local ok = 1\ncounter = ok + 1\n".write(to: dir.appendingPathComponent("glob.lua"), atomically: true, encoding: .utf8)
        let r = try StandbyBinary.run(["run", "glob.lua"], in: dir)
        #expect(r.status == 1)
        #expect(r.stderr.contains("glob.lua:2: assignment to undeclared global 'counter'"))
        let frames = (r.stderr.components(separatedBy: "stack traceback:").last ?? "")
            .split(separator: "\n").map { $0.trimmingCharacters(in: .whitespaces) }.filter { !$0.isEmpty }
        #expect(frames.first?.hasPrefix("glob.lua:2:") == true, "frames: \(frames)")
    }
}
