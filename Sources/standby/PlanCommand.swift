import ArgumentParser
import Foundation
import StandbyCore
import StandbyLua

extension Standby {
    /// `standby plan <runbook> [--out DIR]`: runs a runbook and writes the plan it built.
    struct PlanCommand: ParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "plan",
            abstract: "Run a runbook and write the recovery plan it built.",
            discussion: """
                The runbook builds a plan with standby.plan{ translation = t } (and may attach a sandbox \
                with standby.sandbox.firewall{...}); the last plan it built is written to --out, \
                atomically, with report.json and report.md.
                """)

        @OptionGroup var lua: LuaOptions

        @Option(name: .shortAndLong, help: ArgumentHelp("Where to write the plan (default: out/<runbook name>).", valueName: "dir"), completion: .directory)
        var out: String?

        @OptionGroup var runbook: RunbookArguments

        func run() throws {
            let runtime = try lua.runRunbook(runbook.script, arguments: runbook.arguments)
            guard let plan = runtime.lastPlan else {
                FileHandle.standardError.write(Data("standby: \(runbook.script) built no plan: call standby.plan{ translation = t } in it\n".utf8))
                throw ExitCode(1)
            }
            let stem = ((runbook.script as NSString).lastPathComponent as NSString).deletingPathExtension
            let dir = out ?? "out/\(stem)"
            do {
                let files = try plan.write(to: dir)
                let report = PlanReport(plan)
                print("wrote \(files.count) files to \(dir): \(report.needsPerson.count + plan.notes.count) items need a person (see \(dir)/report.md)")
            } catch {
                FileHandle.standardError.write(Data("standby: \(error)\n".utf8))
                throw ExitCode(1)
            }
            exitWithoutTeardown(keeping: runtime)
        }
    }
}
