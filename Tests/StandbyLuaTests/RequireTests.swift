import StandbyCore
import StandbyLua
import Testing

@Suite struct RequireTests {
    @Test func stdlibModuleIsFound() throws {
        let (results, _) = try Fixture.run("""
            local standby = require "standby"
            local again = require "standby"
            -- Each require gets its own read-only view (see FrozenModuleTests) of the same module.
            return type(standby.json.encode), tostring(standby.null), again.json.encode == standby.json.encode
            """)
        #expect(results == ["function", "standby.null", true])
    }

    @Test func modulesInTheScriptFolderAreFound() throws {
        let folder = try Fixture.folder([
            "main.lua": """
                local util = require "helpers.util"
                local pkg = require "pkg"
                return util.double(21), pkg.name, require("helpers.util") == util
                """,
            "helpers/util.lua": "local M = {}\nfunction M.double(x) return x * 2 end\nreturn M",
            "pkg/init.lua": "return { name = 'pkg' }",
        ])
        let runtime = try Fixture.runtime()
        #expect(try runtime.run(file: folder + "/main.lua") == [42, "pkg", true])
    }

    @Test func luaPathModulesAreFound() throws {
        let library = try Fixture.folder(["shared/names.lua": "return { greeting = 'hello' }"])
        let runtime = try Fixture.runtime(luaPaths: [library])
        let (results, _) = try Fixture.run("return require('shared.names').greeting", in: runtime)
        #expect(results == ["hello"])
    }

    @Test func missingModuleListsThePlacesTried() throws {
        let library = try Fixture.folder()
        let runtime = try Fixture.runtime(luaPaths: [library])
        let (error, path) = try Fixture.failure("\nlocal m = require 'nope.mod'", in: runtime)
        let folder = String(path.dropLast("/script.lua".count))
        #expect(error?.message == """
            \(path):2: module 'nope.mod' not found:
            \tno native module 'nope.mod'
            \tno file '\(Fixture.stdlib)/nope/mod.lua'
            \tno file '\(Fixture.stdlib)/nope/mod/init.lua'
            \tno file '\(folder)/nope/mod.lua'
            \tno file '\(folder)/nope/mod/init.lua'
            \tno file '\(library)/nope/mod.lua'
            \tno file '\(library)/nope/mod/init.lua'
            """)
    }

    @Test func modulesRunInTheirOwnEnvironment() throws {
        let folder = try Fixture.folder([
            "main.lua": "local m = require 'leaky'\nreturn m",
            "leaky.lua": "\nleaked = true\nreturn 1",
        ])
        let runtime = try Fixture.runtime()
        #expect(throws: LuaScriptError.self) { try runtime.run(file: folder + "/main.lua") }
        do {
            _ = try runtime.run(file: folder + "/main.lua")
        } catch let error as LuaScriptError {
            #expect(error.message.hasPrefix("\(folder)/leaky.lua:2: assignment to undeclared global 'leaked'")
                    || error.message.contains("loop or previous error loading module 'leaky'"))
        }
    }

    @Test func moduleSyntaxErrorsNameTheModuleFile() throws {
        let folder = try Fixture.folder([
            "main.lua": "local broken = require 'broken'\nreturn broken",
            "broken.lua": "return {",
        ])
        let runtime = try Fixture.runtime()
        do {
            _ = try runtime.run(file: folder + "/main.lua")
            Issue.record("expected an error")
        } catch let error as LuaScriptError {
            #expect(error.message.hasPrefix(
                "\(folder)/main.lua:1: error loading module 'broken' from file '\(folder)/broken.lua':\n\t\(folder)/broken.lua:1:"))
        }
    }
}
