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

        @Argument(help: ArgumentHelp("The runbook to run.", valueName: "script.lua"))
        var script: String

        @Argument(parsing: .captureForPassthrough, help: "Arguments for the runbook.")
        var arguments: [String] = []

        func validate() throws {
            guard FileManager.default.fileExists(atPath: script) else {
                throw ValidationError("Runbook '\(script)' not found.")
            }
        }

        func run() throws {
            let runtime = try LuaRuntime(limits: lua.limits, stdlibPath: try lua.stdlibPath(), luaPaths: lua.luaPaths)
            do {
                _ = try runtime.run(file: script, arguments: arguments)
            } catch let error as LuaScriptError {
                FileHandle.standardError.write(Data("standby: \(error)\n".utf8))
                throw ExitCode(error.exitStatus)
            }
            // Done: exit without tearing down. Releasing the runtime frees every object it holds —
            // the Lua state, and with it loaded inventories, their parsed JSON trees and selections,
            // millions of small allocations (0.7 s for a 100k-object List) — all memory the
            // process's exit returns at once anyway. Nothing else is pending: C stdio (Lua's
            // `print`/`io.write`, Swift's `print`) is flushed here and by `exit`, FileHandle writes
            // are unbuffered. Error paths above still unwind normally.
            fflush(nil)    // every C stdio stream
            withExtendedLifetime(runtime) { Foundation.exit(0) }
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
