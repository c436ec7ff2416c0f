import Foundation
import StandbyCore
import StandbyLua

/// Temp folders of scripts, and runtimes pointed at the repository's stdlib.
enum Fixture {
    /// `<repo>/stdlib`.
    static let stdlib: String = URL(fileURLWithPath: #filePath)
        .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
        .appendingPathComponent("stdlib").path

    /// A fresh folder with a short path (/tmp/sbl-XXXXXX), so Lua does not abbreviate chunk names.
    static func folder(_ files: [String: String] = [:]) throws -> String {
        var template = Array("/tmp/sbl-XXXXXX".utf8CString)
        guard let made = mkdtemp(&template) else { throw CocoaError(.fileWriteUnknown) }
        let path = String(cString: made)
        for (name, contents) in files {
            let file = URL(fileURLWithPath: path).appendingPathComponent(name)
            try FileManager.default.createDirectory(at: file.deletingLastPathComponent(), withIntermediateDirectories: true)
            try contents.write(to: file, atomically: true, encoding: .utf8)
        }
        return path
    }

    static func runtime(_ limits: LuaLimits = .init(), luaPaths: [String] = []) throws -> LuaRuntime {
        try LuaRuntime(limits: limits, stdlibPath: stdlib, luaPaths: luaPaths)
    }

    /// Writes `code` to `<new folder>/<name>` and runs it; returns the results and the script's path.
    static func run(
        _ code: String, name: String = "script.lua", in runtime: LuaRuntime? = nil, arguments: [String] = [],
        folder existing: String? = nil
    ) throws -> (results: [JSONValue], path: String) {
        let folder = try existing ?? folder()
        try code.write(toFile: folder + "/" + name, atomically: true, encoding: .utf8)
        let path = folder + "/" + name
        let runtime = try runtime ?? Fixture.runtime()
        return (try runtime.run(file: path, arguments: arguments), path)
    }

    /// Runs `code` as a file and returns the error it fails with (nil if it does not fail).
    static func failure(
        _ code: String, in runtime: LuaRuntime? = nil, limits: LuaLimits = .init()
    ) throws -> (error: LuaScriptError?, path: String) {
        let folder = try folder(["script.lua": code])
        let path = folder + "/script.lua"
        let runtime = try runtime ?? Fixture.runtime(limits)
        do {
            _ = try runtime.run(file: path, arguments: [])
            return (nil, path)
        } catch let error as LuaScriptError {
            return (error, path)
        }
    }
}
