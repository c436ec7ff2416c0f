import Foundation
import Testing

/// How `scripts/live-failover.lua` finds and checks its settings module, before it reaches any
/// server (none runs in these tests).
@Suite("Live failover runbook settings")
struct LiveFailoverSettingsTests {
    /// Nothing of AWS's from the machine: shared files that do not exist.
    static func environment(_ folder: URL) -> [String: String] {
        ["AWS_CONFIG_FILE": folder.appendingPathComponent("no-config").path,
         "AWS_SHARED_CREDENTIALS_FILE": folder.appendingPathComponent("no-credentials").path]
    }

    @Test func theExampleSettingsAreCompleteAndReachDiscovery() throws {
        let folder = try StandbyBinary.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: folder) }
        try FileManager.default.copyItem(at: StandbyBinary.root.appendingPathComponent("scripts/live/settings.example.lua"),
                                         to: folder.appendingPathComponent("example_settings.lua"))
        let result = try StandbyBinary.run(["run", "--lua-path", folder.path, "scripts/live-failover.lua", "example_settings"],
                                           environment: Self.environment(folder))
        #expect(result.status == 1)
        // Past the settings check: discovery asked for the example's profile.
        #expect(result.stderr.hasPrefix("standby: scripts/live-failover.lua:"), "\(result.stderr)")
        #expect(result.stderr.contains("AWS credentials: profile prod is in neither"), "\(result.stderr)")
    }

    @Test func aMissingSettingIsNamed() throws {
        let folder = try StandbyBinary.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: folder) }
        try "return { source = { cluster = \"eks-prod-use1\", aws = {}, kube = {} }, recovery = { account = \"222222222222\" } }\n"
            .write(to: folder.appendingPathComponent("partial.lua"), atomically: true, encoding: .utf8)
        let result = try StandbyBinary.run(["run", "--lua-path", folder.path, "scripts/live-failover.lua", "partial"],
                                           environment: Self.environment(folder))
        #expect(result.status == 1)
        #expect(result.stderr.hasPrefix("standby: settings: 'recovery.region' is missing (see scripts/live/settings.example.lua)"),
                "\(result.stderr)")
    }

    @Test func aPathOutsideTheScriptsFolderGetsTheLuaPathHint() throws {
        let result = try StandbyBinary.run(["run", "scripts/live-failover.lua", "/tmp/dr/prod.lua"], environment: [:])
        #expect(result.status == 1)
        #expect(result.stderr.hasPrefix("standby: settings '/tmp/dr/prod.lua': give a module name; for a file outside scripts, "
                                        + "run standby run --lua-path <its folder> scripts/live-failover.lua <its name without .lua>"),
                "\(result.stderr)")
    }

    @Test func theExampleFileItselfCannotBeRequired() throws {
        let result = try StandbyBinary.run(["run", "scripts/live-failover.lua", "scripts/live/settings.example.lua"], environment: [:])
        #expect(result.status == 1)
        #expect(result.stderr.contains("a module's file name cannot hold dots"), "\(result.stderr)")
        #expect(result.stderr.contains("copy it, e.g. to scripts/live/settings.lua"), "\(result.stderr)")
    }
}
