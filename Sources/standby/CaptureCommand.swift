import ArgumentParser
import Foundation
import StandbyLua

extension Standby {
    /// `standby capture <runbook>`: runs a runbook that calls `standby.capture{...}`.
    struct CaptureCommand: ParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "capture",
            abstract: "Run a capture runbook (it calls standby.capture{...}) and print the points it stored.")

        @OptionGroup var lua: LuaOptions

        @Argument(help: ArgumentHelp("The runbook.", valueName: "runbook.lua"))
        var script: String

        @Argument(parsing: .captureForPassthrough, help: "Arguments for the runbook.")
        var arguments: [String] = []

        func run() throws {
            let runtime = try LuaRuntime(limits: lua.limits, stdlibPath: try lua.stdlibPath(), luaPaths: lua.luaPaths)
            do {
                _ = try runtime.run(file: script, arguments: arguments)
            } catch let error as LuaScriptError {
                FileHandle.standardError.write(Data("standby: \(error)\n".utf8))
                throw ExitCode(error.exitStatus)
            }
            let captured = runtime.capturedPoints
            guard !captured.isEmpty else {
                FileHandle.standardError.write(Data("standby: \(script) captured nothing: call standby.capture{ selection = sel, to = ..., ... } in it\n".utf8))
                throw ExitCode(1)
            }
            for id in captured { print("captured \(id)") }
            fflush(nil)
            withExtendedLifetime(runtime) { Foundation.exit(0) }
        }
    }
}
