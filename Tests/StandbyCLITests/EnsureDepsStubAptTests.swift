import Foundation
import Testing

/// The install branch of `scripts/lib/ensure-deps.sh`, run for real by bash with stub `apt-get`,
/// `sudo`, `id`, `pkg-config` and `swift` first on `PATH`. The stubs record their arguments and
/// the `DEBIAN_FRONTEND` they saw, so the way packages are installed on a fresh machine (root
/// without sudo, a user with sudo, a user without) is tested here, where the packages are present.
@Suite("ensure-deps install branch (stub apt-get on PATH)")
struct EnsureDepsStubAptTests {
    /// A PATH of stubs, plus symlinks to the few real tools the script needs; pkg-config is a
    /// stub that knows only the modules in `present` (or is absent when `present` is nil).
    struct Machine {
        let dir: URL
        var log: URL { dir.appendingPathComponent("calls.log") }

        init(uid: Int, sudo: Bool, present: [String]?, dot: Bool = false) throws {
            dir = try StandbyBinary.temporaryDirectory()
            let bin = dir.appendingPathComponent("bin")
            try FileManager.default.createDirectory(at: bin, withIntermediateDirectories: true)
            for tool in ["env", "bash", "dirname", "cat"] {
                let real = ["/usr/bin/\(tool)", "/bin/\(tool)"].first { FileManager.default.isExecutableFile(atPath: $0) }!
                try FileManager.default.createSymbolicLink(atPath: bin.appendingPathComponent(tool).path, withDestinationPath: real)
            }
            let log = dir.appendingPathComponent("calls.log").path
            try stub(bin, "apt-get", "echo \"apt-get DEBIAN_FRONTEND=${DEBIAN_FRONTEND:-unset} uid=$STUB_UID $*\" >> \(log)")
            try stub(bin, "id", "[ \"$1\" = -u ] && echo \(uid)")
            try stub(bin, "swift", "exit 0")
            if dot { try stub(bin, "dot", "exit 0") }
            if sudo {
                try stub(bin, "sudo", "echo \"sudo $*\" >> \(log); STUB_UID=0 exec \"$@\"")
            }
            if let present {
                let known = present.map { "[ \"$2\" = \($0) ] && exit 0" }.joined(separator: "\n")
                try stub(bin, "pkg-config", "[ \"$1\" = --exists ] || exit 2\n\(known)\nexit 1")
            }
        }

        private func stub(_ bin: URL, _ name: String, _ body: String) throws {
            let path = bin.appendingPathComponent(name).path
            try "#!/bin/bash\n\(body)\n".write(toFile: path, atomically: true, encoding: .utf8)
            try FileManager.default.setAttributes([.posixPermissions: 0o755], ofItemAtPath: path)
        }

        /// Sources ensure-deps.sh and calls `function` (default `standby_ensure_deps`) with only the
        /// stubs on PATH.
        func ensureDeps(uid: Int, function: String = "standby_ensure_deps") throws -> (ChildProcess.Result, [String]) {
            let script = StandbyBinary.root.appendingPathComponent("scripts/lib/ensure-deps.sh").path
            let result = try ChildProcess.run(
                dir.appendingPathComponent("bin/bash").path,
                ["-c", "set -euo pipefail; . \(script); \(function)"],
                in: dir,
                environment: ["PATH": dir.appendingPathComponent("bin").path, "STUB_UID": "\(uid)", "HOME": dir.path])
            let calls = ((try? String(contentsOf: log, encoding: .utf8)) ?? "").split(separator: "\n").map(String.init)
            return (result, calls)
        }

        func remove() { try? FileManager.default.removeItem(at: dir) }
    }

    @Test("as root without sudo, the missing packages are installed by apt-get itself, non-interactively")
    func rootWithoutSudo() throws {
        let machine = try Machine(uid: 0, sudo: false, present: ["openssl"])
        defer { machine.remove() }
        let (result, calls) = try machine.ensureDeps(uid: 0)
        #expect(result.status == 0, "\(result.stderr)")
        #expect(calls == [
            "apt-get DEBIAN_FRONTEND=noninteractive uid=0 update -qq",
            "apt-get DEBIAN_FRONTEND=noninteractive uid=0 install -y -qq liblua5.4-dev libcurl4-openssl-dev libarchive-dev graphviz",
        ])
        #expect(!result.stderr.contains("command not found"), "\(result.stderr)")
    }

    @Test("as a user with sudo, apt-get runs through sudo and still sees DEBIAN_FRONTEND")
    func userWithSudo() throws {
        let machine = try Machine(uid: 1000, sudo: true, present: [])
        defer { machine.remove() }
        let (result, calls) = try machine.ensureDeps(uid: 1000)
        #expect(result.status == 0, "\(result.stderr)")
        let packages = "liblua5.4-dev libcurl4-openssl-dev libssl-dev libarchive-dev graphviz"
        #expect(calls == [
            "sudo env DEBIAN_FRONTEND=noninteractive apt-get update -qq",
            "apt-get DEBIAN_FRONTEND=noninteractive uid=0 update -qq",
            "sudo env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq \(packages)",
            "apt-get DEBIAN_FRONTEND=noninteractive uid=0 install -y -qq \(packages)",
        ])
    }

    @Test("as a user without sudo, nothing is attempted and the error says what root must run")
    func userWithoutSudo() throws {
        let machine = try Machine(uid: 1000, sudo: false, present: ["lua5.4", "libcurl"])
        defer { machine.remove() }
        let (result, calls) = try machine.ensureDeps(uid: 1000)
        #expect(result.status != 0)
        #expect(calls.isEmpty)
        #expect(result.stderr.contains("apt-get install -y libssl-dev libarchive-dev"), "\(result.stderr)")
    }

    @Test("without pkg-config, pkg-config is installed with the libraries")
    func noPkgConfig() throws {
        let machine = try Machine(uid: 0, sudo: false, present: nil)
        defer { machine.remove() }
        let (result, calls) = try machine.ensureDeps(uid: 0)
        #expect(result.status == 0, "\(result.stderr)")
        #expect(calls.last == "apt-get DEBIAN_FRONTEND=noninteractive uid=0 install -y -qq pkg-config liblua5.4-dev libcurl4-openssl-dev libssl-dev libarchive-dev graphviz")
    }

    @Test("with every package present, apt-get is never called")
    func allPresent() throws {
        let machine = try Machine(uid: 1000, sudo: true, present: ["lua5.4", "libcurl", "openssl", "libarchive"], dot: true)
        defer { machine.remove() }
        let (result, calls) = try machine.ensureDeps(uid: 1000)
        #expect(result.status == 0, "\(result.stderr)")
        #expect(calls.isEmpty)
    }

    @Test("without Graphviz's dot, graphviz is installed (report.html's graph layout)")
    func noDot() throws {
        let machine = try Machine(uid: 0, sudo: false, present: ["lua5.4", "libcurl", "openssl", "libarchive"])
        defer { machine.remove() }
        let (result, calls) = try machine.ensureDeps(uid: 0)
        #expect(result.status == 0, "\(result.stderr)")
        #expect(calls.last == "apt-get DEBIAN_FRONTEND=noninteractive uid=0 install -y -qq graphviz")
    }

    @Test("the static runtime's libxml2 is installed only when pkg-config does not know libxml-2.0")
    func staticDeps() throws {
        let absent = try Machine(uid: 0, sudo: false, present: ["lua5.4", "libcurl", "openssl"])
        defer { absent.remove() }
        let (result, calls) = try absent.ensureDeps(uid: 0, function: "standby_ensure_static_deps")
        #expect(result.status == 0, "\(result.stderr)")
        #expect(calls.last == "apt-get DEBIAN_FRONTEND=noninteractive uid=0 install -y -qq libxml2-dev")

        let present = try Machine(uid: 0, sudo: false, present: ["libxml-2.0"])
        defer { present.remove() }
        let (ok, none) = try present.ensureDeps(uid: 0, function: "standby_ensure_static_deps")
        #expect(ok.status == 0 && none.isEmpty)
    }
}
