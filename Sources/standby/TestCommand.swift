import ArgumentParser
import Foundation
import StandbyLua

extension Standby {
    /// `standby test <rules-dir>`: runs the tests kept beside translation rules.
    struct TestCommand: ParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "test",
            abstract: "Run the tests of translation rules (<rule>.test.yaml next to each <rule>.lua).",
            discussion: """
                Each case gives an input document, the recovery environment (to, from, mode) and the \
                expected output (expect) or part of the expected rule failure (expect_error). Prints \
                PASS or FAIL per case, with the differing paths; exits 1 if any case fails or no \
                test is found.
                """)

        @OptionGroup var lua: LuaOptions

        @Argument(help: ArgumentHelp("The folder holding the rule modules and their tests.", valueName: "rules-dir"), completion: .directory)
        var rulesDirectory: String

        @Flag(name: .shortAndLong, help: "Print each case's translation report.")
        var verbose = false

        func validate() throws {
            var isDirectory: ObjCBool = false
            guard FileManager.default.fileExists(atPath: rulesDirectory, isDirectory: &isDirectory), isDirectory.boolValue else {
                throw ValidationError("Rules folder '\(rulesDirectory)' not found.")
            }
        }

        func run() throws {
            let runner = RuleTestRunner(rulesDirectory: rulesDirectory, limits: lua.limits, stdlibPath: try lua.stdlibPath(),
                                        luaPaths: lua.luaPaths, verbose: verbose)
            let summary = runner.run { print($0) }
            if !summary.succeeded { throw ExitCode(1) }
        }
    }
}
