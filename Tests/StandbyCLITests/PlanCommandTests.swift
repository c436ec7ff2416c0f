import Foundation
import Testing

@Suite("standby plan")
struct PlanCommandTests {
    @Test("writes the plan the drill builds, with its reports, to --out")
    func drillPlanIsWritten() throws {
        let dir = try StandbyBinary.temporaryDirectory()
        let out = dir.appendingPathComponent("plan").path
        let drillOut = dir.appendingPathComponent("drill").path
        let r = try StandbyBinary.run(["plan", "--out", out, "scripts/drill.lua", "scripts/estate", drillOut])
        #expect(r.status == 0, "stderr: \(r.stderr)")
        #expect(r.stdout.contains("wrote "))
        for file in ["report.json", "report.md"] {
            #expect(FileManager.default.fileExists(atPath: out + "/" + file), "\(file) missing")
        }
        // The drill wrote its own copy too: the same files.
        let a = try FileManager.default.subpathsOfDirectory(atPath: out).sorted()
        let b = try FileManager.default.subpathsOfDirectory(atPath: drillOut).sorted()
        #expect(a == b)
    }

    @Test("a runbook that builds no plan is an error that says what to do")
    func noPlanIsAnError() throws {
        let dir = try StandbyBinary.temporaryDirectory()
        try "print('hello')\n".write(to: dir.appendingPathComponent("noplan.lua"), atomically: true, encoding: .utf8)
        let r = try StandbyBinary.run(["plan", "noplan.lua", "--out", dir.appendingPathComponent("x").path], in: dir)
        #expect(r.status == 1)
        #expect(r.stderr.contains("built no plan: call standby.plan{ translation = t }"))
        #expect(!FileManager.default.fileExists(atPath: dir.appendingPathComponent("x").path))
    }
}
