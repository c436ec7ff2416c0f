import Foundation
import Testing

/// Runs the built `standby` executable, as an operator would.
struct StandbyBinary {
    typealias Result = ChildProcess.Result

    /// The package root (this file is Tests/StandbyCLITests/StandbyBinary.swift).
    static let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .deletingLastPathComponent()

    /// `$STANDBY_BIN`, else `standby` next to the test bundle (the same build folder).
    static let path: String? = {
        if let env = ProcessInfo.processInfo.environment["STANDBY_BIN"] { return env }
        var dir = URL(fileURLWithPath: CommandLine.arguments[0]).deletingLastPathComponent()
        for _ in 0..<4 {
            let candidate = dir.appendingPathComponent("standby").path
            if FileManager.default.isExecutableFile(atPath: candidate) { return candidate }
            dir = dir.deletingLastPathComponent()
        }
        let fallback = root.appendingPathComponent(".build/debug/standby").path
        return FileManager.default.isExecutableFile(atPath: fallback) ? fallback : nil
    }()

    /// Runs `standby args...` in `directory` (default: the package root). `environment` is set
    /// over the test process's; when given, the test process's `AWS_*`, `AZURE_*` and `KUBECONFIG`
    /// are not passed on, so a developer's cloud settings never reach a test.
    static func run(_ args: [String], in directory: URL? = nil, environment: [String: String]? = nil) throws -> Result {
        guard let path else {
            Issue.record("the standby executable was not found next to the tests; build it or set STANDBY_BIN")
            return Result(status: -1, stdout: "", stderr: "")
        }
        var env = ProcessInfo.processInfo.environment
        env["STANDBY_STDLIB"] = root.appendingPathComponent("stdlib").path
        if let environment {
            env = env.filter { !$0.key.hasPrefix("AWS_") && !$0.key.hasPrefix("AZURE_") && $0.key != "KUBECONFIG" }
            env.merge(environment) { $1 }
        }
        return try ChildProcess.run(path, args, in: directory ?? root, environment: env)
    }

    /// A fresh temporary folder.
    static func temporaryDirectory() throws -> URL {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("standby-cli-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        return dir
    }
}
