import Foundation
import Testing

/// `scripts/install.sh PREFIX` for real: a release build with the Swift runtime linked
/// statically, installed into a temporary prefix, then run from another working directory with
/// no toolchain on PATH and no STANDBY_STDLIB. `scripts/test.sh` builds `.build-install` first
/// so this reuses it; run alone, it builds there itself (several minutes).
@Suite("scripts/install.sh into a temporary prefix", .serialized)
struct InstallTests {
    static let scratch = StandbyBinary.root.appendingPathComponent(".build-install").path

    /// Installs once for the suite's tests.
    static let installed: Result<URL, InstallError> = {
        do {
            let prefix = try StandbyBinary.temporaryDirectory().appendingPathComponent("prefix with space")
            var env = ProcessInfo.processInfo.environment
            env["STANDBY_SCRATCH"] = scratch
            let r = try ChildProcess.run("/bin/bash", [StandbyBinary.root.appendingPathComponent("scripts/install.sh").path, prefix.path],
                                         in: StandbyBinary.root, environment: env)
            guard r.status == 0 else { return .failure(InstallError(message: "install.sh exited \(r.status): \(r.stderr.suffix(2000))")) }
            return .success(prefix)
        } catch {
            return .failure(InstallError(message: "\(error)"))
        }
    }()

    struct InstallError: Error, CustomStringConvertible { var message: String; var description: String { message } }

    /// A bare environment: the system's PATH only (no Swift toolchain), a HOME, nothing of Standby.
    static func bareEnvironment(_ home: URL) -> [String: String] {
        ["PATH": "/usr/local/bin:/usr/bin:/bin", "HOME": home.path, "LANG": "C.UTF-8"]
    }

    @Test("the installed binary runs the drill from another directory, with its own stdlib and examples")
    func drillFromInstall() throws {
        let prefix = try Self.installed.get()
        let work = try StandbyBinary.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: work) }
        let standby = prefix.appendingPathComponent("bin/standby").path
        let drill = prefix.appendingPathComponent("share/standby/examples/drill.lua").path
        let r = try ChildProcess.run(standby, ["run", drill], in: work, environment: Self.bareEnvironment(work))
        #expect(r.status == 0, "\(r.stderr)")
        let report = work.appendingPathComponent("out/drill/report.json").path
        #expect(FileManager.default.fileExists(atPath: report), "the drill wrote no report into its working directory")
        let template = work.appendingPathComponent("out/drill/azure/template.json").path
        #expect(FileManager.default.fileExists(atPath: template))
    }

    @Test("the installed binary links no Swift runtime library and prints the commit it was built from")
    func staticRuntimeAndVersion() throws {
        let prefix = try Self.installed.get()
        let standby = prefix.appendingPathComponent("bin/standby").path
        let ldd = try ChildProcess.run("/usr/bin/ldd", [standby], in: prefix, environment: ["PATH": "/usr/bin:/bin"])
        #expect(ldd.status == 0)
        #expect(!ldd.stdout.contains("libswift"), "\(ldd.stdout)")
        #expect(!ldd.stdout.contains("libFoundation"), "\(ldd.stdout)")
        #expect(ldd.stdout.contains("liblua5.4"), "\(ldd.stdout)")
        #expect(ldd.stdout.contains("libarchive"), "\(ldd.stdout)")

        let version = try ChildProcess.run(standby, ["--version"], in: prefix, environment: Self.bareEnvironment(prefix))
        #expect(version.status == 0)
        let head = try ChildProcess.run("/usr/bin/git", ["rev-parse", "--short=12", "HEAD"], in: StandbyBinary.root,
                                        environment: ["PATH": "/usr/bin:/bin"]).stdout.trimmingCharacters(in: .whitespacesAndNewlines)
        #expect(version.stdout.hasPrefix("standby "), "\(version.stdout)")
        #expect(version.stdout.contains("(\(head)"), "\(version.stdout) names no commit \(head)")

        let bash = try String(contentsOf: prefix.appendingPathComponent("share/bash-completion/completions/standby"), encoding: .utf8)
        #expect(bash.contains("_standby_run()"), "no bash completion installed")
        #expect(FileManager.default.fileExists(atPath: prefix.appendingPathComponent("share/zsh/site-functions/_standby").path))
    }

    @Test("a symlink to the installed binary on PATH still finds the stdlib; a wrong STANDBY_STDLIB is named")
    func symlinkAndWrongStdlib() throws {
        let prefix = try Self.installed.get()
        let work = try StandbyBinary.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: work) }
        let bin = work.appendingPathComponent("bin")
        try FileManager.default.createDirectory(at: bin, withIntermediateDirectories: true)
        try FileManager.default.createSymbolicLink(atPath: bin.appendingPathComponent("standby").path,
                                                   withDestinationPath: prefix.appendingPathComponent("bin/standby").path)
        try "print(require('standby').json.encode({ ok = true }))\n".write(
            to: work.appendingPathComponent("hello.lua"), atomically: true, encoding: .utf8)
        var env = Self.bareEnvironment(work)
        env["PATH"] = bin.path + ":" + env["PATH"]!
        let r = try ChildProcess.run("/bin/sh", ["-c", "standby run hello.lua"], in: work, environment: env)
        #expect(r.status == 0, "\(r.stderr)")
        #expect(r.stdout == "{\"ok\":true}\n")

        env["STANDBY_STDLIB"] = work.path
        let wrong = try ChildProcess.run("/bin/sh", ["-c", "standby run hello.lua"], in: work, environment: env)
        #expect(wrong.status != 0)
        #expect(wrong.stderr.contains("STANDBY_STDLIB='\(work.path)' holds no standby/init.lua"), "\(wrong.stderr)")
    }
}
