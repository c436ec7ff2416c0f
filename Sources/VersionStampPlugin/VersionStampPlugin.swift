import Foundation
import PackagePlugin

/// Bakes the git commit a binary was built from into `StandbyCore` (`StandbyVersion.commit`):
/// before every build, `scripts/lib/version-stamp.sh` writes `GitCommit.swift` (rewritten only
/// when the commit or its dirty state changes, so an unchanged tree recompiles nothing). A tree
/// without git (a source tarball) is stamped `unknown`.
@main
struct VersionStampPlugin: BuildToolPlugin {
    func createBuildCommands(context: PluginContext, target: Target) throws -> [Command] {
        let output = context.pluginWorkDirectoryURL.appendingPathComponent("Generated")
        let package = context.package.directoryURL
        let script = package.appendingPathComponent("scripts/lib/version-stamp.sh")
        return [
            .prebuildCommand(
                displayName: "Stamping the git commit into \(target.name)",
                executable: URL(fileURLWithPath: "/bin/sh"),
                arguments: [script.path, package.path, output.appendingPathComponent("GitCommit.swift").path],
                outputFilesDirectory: output)
        ]
    }
}
