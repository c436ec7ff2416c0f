import Foundation
import PackagePlugin

/// Bakes the git commit a binary was built from into `StandbyCore` (`StandbyVersion.commit`):
/// `scripts/lib/version-stamp.sh` writes `GitCommit.swift` (rewritten only when the stamp
/// changes, so an unchanged tree recompiles nothing). A tree without git (a source tarball) is
/// stamped `unknown`.
///
/// It is a build command whose inputs are the files git changes on a commit, checkout, reset or
/// `add` (`HEAD`, `index`, `logs/HEAD` of the repository, or of the worktree), so it runs again
/// exactly when the commit may have changed. (A prebuild command would not: SwiftPM reuses its
/// cached build plan, and with it the prebuild output, when no source file was added or removed.)
@main
struct VersionStampPlugin: BuildToolPlugin {
    func createBuildCommands(context: PluginContext, target: Target) throws -> [Command] {
        let package = context.package.directoryURL
        let script = package.appendingPathComponent("scripts/lib/version-stamp.sh")
        let output = context.pluginWorkDirectoryURL.appendingPathComponent("GitCommit.swift")
        var inputs = [script]
        if let git = Self.gitDirectory(of: package) {
            inputs += ["HEAD", "index", "logs/HEAD"].map { git.appendingPathComponent($0) }
                .filter { FileManager.default.fileExists(atPath: $0.path) }
        }
        return [
            .buildCommand(
                displayName: "Stamping the git commit into \(target.name)",
                executable: URL(fileURLWithPath: "/bin/sh"),
                arguments: [script.path, package.path, output.path],
                inputFiles: inputs,
                outputFiles: [output])
        ]
    }

    /// The package's git directory: `.git` itself, or the folder a worktree's `.git` file names.
    static func gitDirectory(of package: URL) -> URL? {
        let dotGit = package.appendingPathComponent(".git")
        var isDirectory: ObjCBool = false
        guard FileManager.default.fileExists(atPath: dotGit.path, isDirectory: &isDirectory) else { return nil }
        if isDirectory.boolValue { return dotGit }
        guard let text = try? String(contentsOf: dotGit, encoding: .utf8),
              let line = text.split(separator: "\n").first(where: { $0.hasPrefix("gitdir:") }) else { return nil }
        let path = line.dropFirst("gitdir:".count).trimmingCharacters(in: .whitespaces)
        return path.hasPrefix("/") ? URL(fileURLWithPath: path) : package.appendingPathComponent(path)
    }
}
