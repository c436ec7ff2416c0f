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

    /// C loops that execute no VM instruction and allocate nothing: the count hook never fired, so
    /// these hung the host whatever the budget.
    @Test(arguments: [
        "string.rep('', 1 << 62)",
        "string.rep('', 2^62, '')",
        "table.move({}, 1, 1 << 40, 2)",
        "table.insert(setmetatable({}, { __len = function() return 1 << 40 end }), 1, 0)",
        "table.remove(setmetatable({}, { __len = function() return 1 << 40 end }), 1)",
    ])
    func cLoopsAreChargedToTheBudget(_ code: String) throws {
        let limits = LuaLimits(instructionBudget: 1_000_000)
        let (error, path) = try Fixture.failure("local x = " + code, limits: limits)
        if code.hasPrefix("string.rep") {
            #expect(error == nil) // an empty result is returned at once
        } else {
            #expect(error?.kind == .budget)
            #expect(error?.message == "\(path):1: instruction budget of 1000000 exceeded")
        }
    }

    @Test func wrappedLibraryFunctionsBehaveAsBefore() throws {
        let (results, _) = try Fixture.run("""
            local t = { 1, 2, 3 }
            table.insert(t, 1, 0); table.insert(t, 9)
            local a, b = table.remove(t, 1), table.remove(t)
            local _, e1 = pcall(table.insert, t, 10, 1)
            local _, e2 = pcall(table.remove, t, 10)
            local _, e3 = pcall(string.rep, "x", 1.5)
            return string.rep("ab", 3, ","), ("x"):rep(0), string.rep(12, 2), table.concat(t, ","), a, b,
              table.concat(table.move({ 1, 2, 3 }, 1, 3, 2), ","), e1, e2, e3
            """)
        #expect(results == ["ab,ab,ab", "", "1212", "1,2,3", 0, 9, "1,1,2,3",
                            "bad argument #2 to 'table.insert' (position out of bounds)",
                            "bad argument #2 to 'table.remove' (position out of bounds)",
                            "bad argument #2 to 'string.rep' (number has no integer representation)"])
    }

    /// A LuaRef of one runtime pushed into another read an unrelated slot of the other registry.
    @Test func referencesDoNotCrossRuntimes() throws {
        let a = try Fixture.runtime(), b = try Fixture.runtime()
        nonisolated(unsafe) var kept: LuaRef?
        try a.registerNativeModule("keep", functions: ["keep": { call in kept = call.reference(1); return 0 }])
        try b.registerNativeModule("give", functions: ["give": { call in try call.push(kept!) }])
        _ = try a.run(string: "require('keep').keep({ 1 })")
        #expect(throws: LuaScriptError.self) { try b.run(string: "return require('give').give()") }
    }
}
