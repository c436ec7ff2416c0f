import StandbyCore
import StandbyLua
import Testing

@Suite struct SandboxTests {
    @Test func dangerousFunctionsAreAbsent() throws {
        let (results, _) = try Fixture.run("""
            return os.execute == nil, os.exit == nil, os.remove == nil, os.getenv == nil, io == nil,
              debug == nil, package == nil, dofile == nil, loadfile == nil, string.dump == nil,
              ("").dump == nil, type(os.time()), type(os.clock()), type(os.date("%Y"))
            """)
        #expect(results == [true, true, true, true, true, true, true, true, true, true, true,
                            "number", "number", "string"])
    }

    @Test func ioOpenFails() throws {
        let (error, path) = try Fixture.failure("local f = io.open('/etc/passwd')")
        #expect(error?.message == "\(path):1: attempt to index a nil value (global 'io')")
    }

    @Test func absentStandardModulesSaySo() throws {
        for name in ["io", "debug", "package", "ffi", "lfs", "socket"] {
            let (error, path) = try Fixture.failure("\nlocal m = require '\(name)'")
            #expect(error?.message == "\(path):2: module '\(name)' is not available in the Standby sandbox")
        }
    }

    @Test func binaryChunksAreRefused() throws {
        let (results, _) = try Fixture.run("""
            local f1, e1 = load("\\27LuaT\\0\\25\\147\\r\\n\\26\\n")
            local f2, e2 = load("\\27LuaT\\0\\25\\147\\r\\n\\26\\n", "bin", "b")
            local f3 = load(function() return nil end)
            return f1 == nil, e1, f2 == nil, e2, type(f3)
            """)
        #expect(results == [true, "attempt to load a binary chunk (mode is 't')",
                            true, "attempt to load a binary chunk (mode is 't')", "function"])
    }

    @Test func loadGetsAFreshSandboxEnvironmentUnlessGivenOne() throws {
        let (results, _) = try Fixture.run("""
            local ok, message = pcall(load("y = 1", "=chunk"))
            local with_env = load("return x", "=c", "t", { x = 5 })()
            local sees_string = load("return type(string.format)")()
            return ok, message, with_env, sees_string
            """)
        #expect(results == [false, "chunk:1: assignment to undeclared global 'y'", 5, "function"])
    }

    @Test func globalWritesAreErrorsAtTheAssigningLine() throws {
        let (error, path) = try Fixture.failure("local a = 1\ncounter = a\n")
        #expect(error?.kind == .runtime)
        #expect(error?.message == "\(path):2: assignment to undeclared global 'counter'")
        let (results, _) = try Fixture.run("rawset(_ENV, 'counter', 1)\ncounter = counter + 1\nreturn counter, _G == _ENV")
        #expect(results == [2, true])
    }

    @Test func libraryTablesAreReadOnly() throws {
        let (error, path) = try Fixture.failure("\nstring.x = 1")
        #expect(error?.message == "\(path):2: attempt to modify read-only table 'string' (field 'x')")
        let (mathError, _) = try Fixture.failure("math.pi = 3")
        #expect(mathError?.message.hasSuffix("attempt to modify read-only table 'math' (field 'pi')") == true)

        // rawset changes only this script's view; another script still sees the real library.
        let runtime = try Fixture.runtime()
        _ = try Fixture.run("rawset(string, 'upper', 'hacked') return string.upper", in: runtime)
        let (results, _) = try Fixture.run("""
            local n = 0
            for k, v in pairs(string) do n = n + 1 end
            return type(string.upper), ("abc"):upper(), n > 10, getmetatable(string)
            """, in: runtime)
        #expect(results == ["function", "ABC", true, false])
    }

    @Test func stringMetatableIsHidden() throws {
        let (results, _) = try Fixture.run("""
            local ok = pcall(function() return getmetatable("").__index end)
            return getmetatable(""), ok, ("x"):rep(3)
            """)
        #expect(results == [false, false, "xxx"])
    }

    @Test func scriptsDoNotSeeEachOthersGlobals() throws {
        let runtime = try Fixture.runtime()
        _ = try Fixture.run("rawset(_ENV, 'secret', 42)\nrawset(_G, 'other', 1)\nreturn secret", in: runtime)
        let (results, _) = try Fixture.run("return secret == nil, other == nil, _G.secret == nil", in: runtime)
        #expect(results == [true, true, true])
    }

    @Test func getenvOnlyWhenAllowed() throws {
        let (denied, _) = try Fixture.run("return os.getenv == nil")
        #expect(denied == [true])
        let runtime = try Fixture.runtime(LuaLimits(allowGetenv: true))
        let (allowed, _) = try Fixture.run("return type(os.getenv('PATH'))", in: runtime)
        #expect(allowed == ["string"])
    }

    @Test func collectgarbageIsLimited() throws {
        let (results, _) = try Fixture.run("""
            local ok, message = pcall(collectgarbage, "stop")
            return type(collectgarbage("count")), collectgarbage("isrunning"), ok, message
            """)
        #expect(results == ["number", true, false,
                            "bad argument #1 to 'collectgarbage' (option 'stop' is not allowed in the Standby sandbox)"])
    }

    @Test func finalizersAreRefused() throws {
        let (error, path) = try Fixture.failure("setmetatable({}, { __gc = function() while true do end end })")
        #expect(error?.message == "\(path):1: __gc metamethods are not allowed in the Standby sandbox")
    }
}
