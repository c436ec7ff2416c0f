import ArgumentParser
import Foundation
import StandbyCore

extension Standby {
    /// `standby init DIR`: a customer folder to start from — an estate, rules with their tests,
    /// a runbook, and `.luarc.json` pointing LuaLS at the installed stdlib's annotations.
    struct InitCommand: ParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "init",
            abstract: "Create a customer folder: estate.yaml, rules/customer.lua and its tests, runbook.lua, .luarc.json.",
            discussion: """
                The folder works at once: `standby test DIR/rules` passes, `standby run DIR/runbook.lua` \
                writes a recovery plan for the example workload, and editors with LuaLS complete the \
                `standby` module. Replace the example exports with your own.
                """)

        @Argument(help: ArgumentHelp("The folder to create (must not exist, or be empty).", valueName: "dir"),
                  completion: .directory)
        var directory: String

        @Option(help: ArgumentHelp("The estate's name (default: the folder's name).", valueName: "name"))
        var name: String?

        @Option(name: .customLong("stdlib"), help: ArgumentHelp(
            "The stdlib .luarc.json points at (default: the one this binary uses).", valueName: "dir"),
                completion: .directory)
        var stdlib: String?

        func run() throws {
            let fm = FileManager.default
            let target = URL(fileURLWithPath: directory).standardizedFileURL
            if fm.fileExists(atPath: target.path), !((try? fm.contentsOfDirectory(atPath: target.path)) ?? ["?"]).isEmpty {
                throw ValidationError("'\(directory)' exists and is not empty: init writes into a new or empty folder only.")
            }
            let estateName = name ?? target.lastPathComponent
            guard estateName.range(of: #"^[A-Za-z0-9][A-Za-z0-9._-]*$"#, options: .regularExpression) != nil else {
                throw ValidationError("'\(estateName)' cannot name an estate: use letters, digits, '.', '_' and '-' (or pass --name).")
            }
            let stdlibPath = URL(fileURLWithPath: try StdlibLocation(flag: stdlib).resolve()).standardizedFileURL.path

            // Written into a staging folder beside the target, then moved into place in one rename.
            let parent = target.deletingLastPathComponent()
            try fm.createDirectory(at: parent, withIntermediateDirectories: true)
            let staging = parent.appendingPathComponent(".standby-tmp-init-\(UUID().uuidString)")
            defer { try? fm.removeItem(at: staging) }
            var files = InitTemplate.files.map { ($0.path, $0.text.replacingOccurrences(of: "{{name}}", with: estateName)) }
            files.append((".luarc.json", luarc(stdlib: stdlibPath)))
            for (path, text) in files {
                let url = staging.appendingPathComponent(path)
                try fm.createDirectory(at: url.deletingLastPathComponent(), withIntermediateDirectories: true)
                try Data(text.utf8).write(to: url)
            }
            if fm.fileExists(atPath: target.path) { try fm.removeItem(at: target) }   // empty, checked above
            try fm.moveItem(at: staging, to: target)

            print("created \(directory)/ for estate '\(estateName)':")
            for (path, _) in files.sorted(by: { $0.0 < $1.0 }) where !path.hasSuffix(".keep") { print("  \(path)") }
            print("next: standby test \(directory)/rules && standby run \(directory)/runbook.lua")
        }

        /// LuaLS settings: Lua 5.4, the stdlib's annotations (`_meta.lua`) as a library, `arg` known.
        func luarc(stdlib: String) -> String {
            let document: JSONValue = .object(JSONObject([
                ("$schema", "https://raw.githubusercontent.com/LuaLS/vscode-lua/master/setting/schema.json"),
                ("runtime.version", "Lua 5.4"),
                ("workspace.library", .array([.string(stdlib)])),
                ("workspace.checkThirdParty", false),
                ("diagnostics.globals", .array(["arg"])),
            ]))
            return JSONSerializer.serialize(document, pretty: true) + "\n"
        }
    }
}
