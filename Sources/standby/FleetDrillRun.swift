import Foundation
import StandbyCore
import StandbyLua

/// The drill part of `standby fleet run --drill`: the drill runbook plans from the new point in
/// test mode into a temporary folder (`plan=<folder>` among its arguments), ``PlanCheck`` checks
/// the plan, and the report is stored beside the point (`<id>/drill/report.md` and
/// `report.json`, locked like the point when the store locks).
struct FleetDrillRun {
    var runbook: String
    var point: String
    var store: any PointStore
    var lua: LuaOptions
    var settings: [String]
    var lock: ObjectLockPolicy?

    /// Whether the plan passed its checks; throws when the drill could not run at all.
    func run() throws -> Bool {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("standby-drill-\(UUID().uuidString)").path
        defer { try? FileManager.default.removeItem(atPath: folder) }
        let runtime = try LuaRuntime(limits: lua.limits, stdlibPath: try lua.stdlibPath(), luaPaths: lua.luaPaths)
        let plan = folder + "/plan"
        var check: PlanCheck
        do {
            _ = try runtime.run(file: runbook, arguments: settings + ["plan=\(plan)"])
            check = PlanCheck.run(folder: plan)
        } catch let e as LuaScriptError {
            check = PlanCheck(folder: plan)
            check.findings.append(PlanCheck.Finding(file: runbook, problem: "the drill runbook failed: \(e)"))
        }
        let now = Date()
        let target = try StoreLocking.apply(lock, to: store, now: now).store
        try target.put(point + "/drill/report.md", Array(check.markdown(point: point, at: now).utf8))
        try target.put(point + "/drill/report.json", Array(JSONSerializer.serialize(check.json(point: point, at: now), pretty: true).utf8))
        print("drill of \(point): \(check.passed ? "passed" : "FAILED") (\(check.files) files, \(check.manifests) manifests checked); report at \(point)/drill/report.md")
        for finding in check.findings { print("  \(finding.file): \(finding.problem)") }
        return check.passed
    }
}
