import ArgumentParser
import Foundation
import StandbyLua

extension Standby {
    /// `standby run <script.lua> [args...]`: runs a runbook in the sandbox.
    struct Run: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Run a Lua runbook.",
            discussion: "Arguments after the script are passed to it as `...` and as the table `arg`.")

        @OptionGroup var lua: LuaOptions

        @OptionGroup var runbook: RunbookArguments

        func run() throws {
            exitWithoutTeardown(keeping: try lua.runRunbook(runbook.script, arguments: runbook.arguments))
        }
    }
}

extension LuaScriptError {
    /// Distinct exit statuses so a CI job can tell a failed runbook from an exhausted budget.
    var exitStatus: Int32 {
        switch kind {
        case .syntax: return 3
        case .budget: return 4
        case .memory: return 5
        default: return 1
        }
    }
}
