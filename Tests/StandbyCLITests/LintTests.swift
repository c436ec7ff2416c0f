import Foundation
import Testing

/// The linters a fresh machine's problems hide from: shellcheck on every shell script a user or
/// CI runs, luacheck on the Lua of stdlib/ and scripts/ (settings in scripts/luacheckrc).
/// `scripts/test.sh` installs both (Debian packages shellcheck and lua-check).
@Suite("lint: shellcheck and luacheck")
struct LintTests {
    static func tool(_ name: String) -> String? {
        ["/usr/bin/\(name)", "/usr/local/bin/\(name)"].first { FileManager.default.isExecutableFile(atPath: $0) }
    }

    /// Every shell script under scripts/ and .ci/, by extension or shebang.
    static func shellScripts() throws -> [String] {
        let root = StandbyBinary.root.path
        var found: [String] = []
        for top in ["scripts", ".ci"] {
            let base = (root as NSString).appendingPathComponent(top)
            for relative in try FileManager.default.subpathsOfDirectory(atPath: base) {
                let path = (base as NSString).appendingPathComponent(relative)
                var isDirectory: ObjCBool = false
                guard FileManager.default.fileExists(atPath: path, isDirectory: &isDirectory), !isDirectory.boolValue else { continue }
                let head = (try? FileHandle(forReadingFrom: URL(fileURLWithPath: path)).readData(ofLength: 64)) ?? Data()
                let shebang = String(decoding: head, as: UTF8.self)
                if relative.hasSuffix(".sh") || shebang.hasPrefix("#!/usr/bin/env bash") || shebang.hasPrefix("#!/bin/sh")
                    || shebang.hasPrefix("#!/bin/bash") {
                    found.append("\(top)/\(relative)")
                }
            }
        }
        return found.sorted()
    }

    @Test("shellcheck finds no warning in the scripts a fresh machine runs")
    func shellcheck() throws {
        guard let shellcheck = Self.tool("shellcheck") else {
            Issue.record("shellcheck is not installed (Debian package shellcheck; scripts/test.sh installs it)")
            return
        }
        let scripts = try Self.shellScripts()
        #expect(scripts.contains("scripts/lib/ensure-deps.sh") && scripts.contains(".ci/run") && scripts.contains("scripts/install.sh"))
        let r = try ChildProcess.run(shellcheck, ["-S", "warning", "-x"] + scripts, in: StandbyBinary.root, environment: ["PATH": "/usr/bin:/bin"])
        #expect(r.status == 0, "\(r.stdout)\(r.stderr)")
    }

    @Test("luacheck finds no warning in stdlib/ and scripts/ (the annotation stub aside)")
    func luacheck() throws {
        guard let luacheck = Self.tool("luacheck") else {
            Issue.record("luacheck is not installed (Debian package lua-check; scripts/test.sh installs it)")
            return
        }
        let r = try ChildProcess.run(luacheck, ["--config", "scripts/luacheckrc", "--no-color", "--codes", "stdlib", "scripts"],
                                     in: StandbyBinary.root, environment: ["PATH": "/usr/bin:/bin", "HOME": NSTemporaryDirectory()])
        #expect(r.status == 0, "\(r.stdout)\(r.stderr)")
    }
}
