import ArgumentParser
import Foundation

/// The runbook and the arguments passed to it, for every command that runs one (`run`, `plan`).
struct RunbookArguments: ParsableArguments {
    @Argument(help: ArgumentHelp("The runbook to run.", valueName: "runbook.lua"), completion: .file(extensions: ["lua"]))
    var script: String

    @Argument(parsing: .captureForPassthrough, help: "Arguments for the runbook (its `...` and `arg`).")
    var arguments: [String] = []

    func validate() throws {
        guard FileManager.default.fileExists(atPath: script) else {
            throw ValidationError("Runbook '\(script)' not found.")
        }
    }
}
