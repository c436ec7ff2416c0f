import ArgumentParser
import Foundation

/// Where Standby's Lua standard library is: `--stdlib`, then `$STANDBY_STDLIB`, then beside the
/// running executable — `<prefix>/share/standby/stdlib` for an installed `<prefix>/bin/standby`,
/// or the `stdlib/` of the checkout a `.build/…/standby` was built in. The executable is found
/// through `/proc/self/exe`, so a binary started from `PATH` or through a symlink finds its own.
struct StdlibLocation {
    var flag: String?
    var environment: [String: String] = ProcessInfo.processInfo.environment
    var executable: URL? = StdlibLocation.runningExecutable()

    /// A folder is a stdlib when it holds `standby/init.lua`.
    static func isStdlib(_ path: String) -> Bool {
        FileManager.default.fileExists(atPath: (path as NSString).appendingPathComponent("standby/init.lua"))
    }

    func resolve() throws -> String {
        if let flag {
            guard Self.isStdlib(flag) else {
                throw ValidationError("--stdlib '\(flag)' holds no standby/init.lua: name the folder that has standby/ in it.")
            }
            return flag
        }
        if let env = environment["STANDBY_STDLIB"], !env.isEmpty {
            guard Self.isStdlib(env) else {
                throw ValidationError("STANDBY_STDLIB='\(env)' holds no standby/init.lua: name the folder that has standby/ in it, or unset it.")
            }
            return env
        }
        guard let executable else {
            throw ValidationError("Standby cannot tell where its executable is. Pass --stdlib <dir> or set STANDBY_STDLIB.")
        }
        let bin = executable.deletingLastPathComponent()
        let installed = bin.appendingPathComponent("../share/standby/stdlib").standardized.path
        if Self.isStdlib(installed) { return installed }
        var dir = bin
        for _ in 0..<6 {
            let candidate = dir.appendingPathComponent("stdlib").path
            if Self.isStdlib(candidate) { return candidate }
            dir = dir.deletingLastPathComponent()
        }
        throw ValidationError("""
            Standby's Lua stdlib is neither at \(installed) nor in a checkout above \(bin.path). \
            Install with scripts/install.sh, pass --stdlib <dir> or set STANDBY_STDLIB.
            """)
    }

    /// The running executable, symlinks resolved: `/proc/self/exe` on Linux, else `argv[0]`
    /// looked up the way a shell does.
    static func runningExecutable() -> URL? {
        if let path = try? FileManager.default.destinationOfSymbolicLink(atPath: "/proc/self/exe") {
            return URL(fileURLWithPath: path)
        }
        let arg0 = CommandLine.arguments.first ?? ""
        if arg0.contains("/") { return URL(fileURLWithPath: arg0).resolvingSymlinksInPath() }
        for dir in (ProcessInfo.processInfo.environment["PATH"] ?? "").split(separator: ":") {
            let candidate = "\(dir)/\(arg0)"
            if FileManager.default.isExecutableFile(atPath: candidate) {
                return URL(fileURLWithPath: candidate).resolvingSymlinksInPath()
            }
        }
        return nil
    }
}
