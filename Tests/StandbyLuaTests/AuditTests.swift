import StandbyCore
import StandbyLua
import Testing

/// Regressions found auditing the Lua host (sandbox escapes, limits, C boundary).
@Suite struct AuditTests {
    /// `pairs(proxy)` used to return `next, <real table>, nil`, handing the script the real library
    /// (or native module, or the `standby` module) table to mutate for everyone.
    @Test func pairsOnReadOnlyTablesDoesNotExposeTheRealTable() throws {
        let runtime = try Fixture.runtime()
        let (results, _) = try Fixture.run("""
            local standby = require "standby"
            local leaked = {}
            for _, t in ipairs{ string, math, table, os, coroutine, utf8, require "string",
                                require "standby._host", standby, standby.json } do
              local _, state = pairs(t)
              if state ~= t then leaked[#leaked + 1] = tostring(state) end
              if type(state) == "table" then pcall(rawset, state, "rep", "hacked") end
            end
            local n = 0
            for k, v in pairs(string) do n = n + 1 end
            local keys = {}
            for k in pairs(standby.json) do keys[#keys + 1] = k end
            table.sort(keys)
            return #leaked, n > 10, table.concat(keys, ",")
            """, in: runtime)
        #expect(results == [0, true, "decode,encode,null"])
        let (after, _) = try Fixture.run("return ('x'):rep(3), type(string.rep)", in: runtime)
        #expect(after == ["xxx", "function"])
    }

    /// A NUL in a module name truncated the file path: `require "secret\\0"` loaded `<dir>/secret`.
    @Test func moduleNamesWithNulAreInvalid() throws {
        let folder = try Fixture.folder(["secret": "return 'loaded an extensionless file'"])
        let runtime = try Fixture.runtime()
        let (results, _) = try Fixture.run("""
            local ok, message = pcall(require, "secret\\0")
            return ok, message
            """, name: "secret-test.lua", in: runtime, folder: folder)
        #expect(results == [false, "invalid module name 'secret\0'"])
    }
}
