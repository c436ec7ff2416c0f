import ArgumentParser
import Foundation
import StandbyLua

/// Flags shared by every command that runs Lua: search paths and the sandbox's limits.
struct LuaOptions: ParsableArguments {
    @Option(name: .customLong("lua-path"), help: ArgumentHelp(
        "A folder `require` may also load modules from (repeatable).", valueName: "dir"), completion: .directory)
    var luaPaths: [String] = []

    @Option(name: .customLong("budget"), help: ArgumentHelp(
        "Instruction budget for scripts (Lua VM instructions, and the work of library functions: patterns, copies, garbage); 0 means unlimited.", valueName: "n"))
    var instructionBudget: Int = LuaLimits().instructionBudget

    @Option(name: .customLong("memory"), help: ArgumentHelp(
        "Memory ceiling for scripts in MiB (Lua's memory and the inventories, selections, translations and plans they hold); 0 means unlimited.", valueName: "MiB"))
    var memoryMiB: Int = LuaLimits().memoryCeiling / (1024 * 1024)

    @Flag(name: .customLong("allow-env"), help: "Let scripts read environment variables with os.getenv.")
    var allowEnvironment = false

    @Option(name: .customLong("stdlib"), help: ArgumentHelp(
        "The folder holding Standby's Lua standard library (default: $STANDBY_STDLIB, else found beside the executable).",
        valueName: "dir"), completion: .directory)
    var stdlib: String?

    func validate() throws {
        if instructionBudget < 0 { throw ValidationError("--budget must be 0 (unlimited) or positive, not \(instructionBudget).") }
        if memoryMiB < 0 { throw ValidationError("--memory must be 0 (unlimited) or a number of MiB, not \(memoryMiB).") }
        for p in luaPaths where !FileManager.default.fileExists(atPath: p) {
            throw ValidationError("--lua-path '\(p)' does not exist.")
        }
    }

    var limits: LuaLimits {
        LuaLimits(
            instructionBudget: instructionBudget == 0 ? Int.max : instructionBudget,
            memoryCeiling: memoryMiB == 0 ? Int.max : memoryMiB * 1024 * 1024,
            allowGetenv: allowEnvironment)
    }

    /// The stdlib folder (see `StdlibLocation`).
    func stdlibPath() throws -> String {
        try StdlibLocation(flag: stdlib).resolve()
    }
}

extension LuaOptions {
    /// Runs a runbook in a new runtime with these options and returns the runtime (what the
    /// runbook built lives in it). A script error is printed and becomes the exit status
    /// `LuaScriptError.exitStatus` gives, so `run`, `plan` and `capture` fail the same way.
    func runRunbook(_ script: String, arguments: [String]) throws -> LuaRuntime {
        let runtime = try LuaRuntime(limits: limits, stdlibPath: try stdlibPath(), luaPaths: luaPaths)
        do {
            _ = try runtime.run(file: script, arguments: arguments)
        } catch let error as LuaScriptError {
            FileHandle.standardError.write(Data("standby: \(error)\n".utf8))
            throw ExitCode(error.exitStatus)
        }
        return runtime
    }
}

/// Ends a command whose runbook finished, without tearing the runtime down. Rule failures that no
/// translation accepted (`on_rule_failure = "fail"`, the default) end it with
/// `RuleFailurePolicy.exitStatus`, after what the command writes has been written.
///
/// Releasing the runtime would free every object it holds — the Lua state, and with it loaded
/// inventories, their parsed JSON trees and selections, millions of small allocations (0.7 s for
/// a 100k-object List) — all memory the process's exit returns at once anyway. Nothing else is
/// pending: C stdio (Lua's `print`/`io.write`, Swift's `print`) is flushed here and by `exit`,
/// FileHandle writes are unbuffered. Error paths still unwind normally.
func exitWithoutTeardown(keeping runtime: LuaRuntime) -> Never {
    fflush(nil)    // every C stdio stream
    var status: Int32 = 0
    let failures = runtime.unacceptedRuleFailures
    if !failures.isEmpty {
        var lines = ["standby: \(failures.count) translation rule failure\(failures.count == 1 ? "" : "s"): the objects they failed on are left untranslated"]
        lines += failures.prefix(5).map { "  \($0)" }
        if failures.count > 5 { lines.append("  … and \(failures.count - 5) more (the translation report lists them all)") }
        lines.append("Fix the rules, or accept the failures with standby.translate{ ..., on_rule_failure = \"report\" }.")
        FileHandle.standardError.write(Data((lines.joined(separator: "\n") + "\n").utf8))
        status = RuleFailurePolicy.exitStatus
    }
    withExtendedLifetime(runtime) { Foundation.exit(status) }
}
