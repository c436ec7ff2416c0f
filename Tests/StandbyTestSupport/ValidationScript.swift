import Foundation
import Testing
import StandbyCore

/// The Python checkers of `scripts/validate/` (kubernetes-validate, the Azure SDK models), run
/// with the repository's `.venv` (made by `scripts/test.sh`).
public enum ValidationScript {
    /// Runs `scripts/validate/<script>` with `arguments`; its exit status and what it printed
    /// (standard output and error together). Nil, after recording a failing issue, when `.venv`
    /// is missing: a missing checker never lets a test pass silently.
    public static func run(_ script: String, _ arguments: [String],
                           sourceLocation: SourceLocation = #_sourceLocation) throws -> (status: Int32, output: String)? {
        guard FileManager.default.isExecutableFile(atPath: LocalServer.python) else {
            Issue.record("\(LocalServer.python) is missing: run scripts/test.sh (it creates .venv)", sourceLocation: sourceLocation)
            return nil
        }
        let process = Process()
        process.executableURL = URL(fileURLWithPath: LocalServer.python)
        process.arguments = [LocalServer.root + "/scripts/validate/" + script] + arguments
        let pipe = Pipe()
        process.standardOutput = pipe
        process.standardError = pipe
        try process.run()
        let data = pipe.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        return (process.terminationStatus, String(decoding: data, as: UTF8.self))
    }

    /// Runs `scripts/validate/<script>` on `input`, written to a temporary JSON file.
    public static func check(_ script: String, _ input: JSONValue,
                             sourceLocation: SourceLocation = #_sourceLocation) throws -> (status: Int32, output: String)? {
        let file = FileManager.default.temporaryDirectory.appendingPathComponent("standby-\(UUID().uuidString).json")
        try JSONSerializer.data(input, pretty: true).write(to: file)
        defer { try? FileManager.default.removeItem(at: file) }
        return try run(script, [file.path], sourceLocation: sourceLocation)
    }
}
