import StandbyCore
import StandbyLua
import Testing

@Suite struct ErrorTests {
    /// A runtime with a native module whose functions fail.
    func runtimeWithFailingModule() throws -> LuaRuntime {
        let runtime = try Fixture.runtime()
        try runtime.registerNativeModule("test.native", functions: [
            "fail": { _ in throw LuaError("boom") },
            "needstring": { call in try call.push(try call.string(1).uppercased()) },
        ])
        return runtime
    }

    @Test func swiftErrorCarriesScriptPositionAndPcallCatchesIt() throws {
        let runtime = try runtimeWithFailingModule()
        let (results, path) = try Fixture.run("""
            local native = require "test.native"
            local ok, message = pcall(function()
              native.fail()
            end)
            local ok2, message2 = pcall(function() return native.needstring(42) end)
            return ok, message, ok2, message2, native.needstring("x")
            """, in: runtime)
        #expect(results == [
            false, .string("\(path):3: boom"),
            false, .string("\(path):5: bad argument #1 to 'needstring' (string expected, got number)"),
            "X",
        ])
    }

    @Test func uncaughtSwiftErrorBecomesScriptErrorAtTheCallingLine() throws {
        let runtime = try runtimeWithFailingModule()
        let (error, path) = try Fixture.failure("""
            local native = require "test.native"

            native.needstring({})
            """, in: runtime)
        let failure = try #require(error)
        #expect(failure.kind == .runtime)
        #expect(failure.message == "\(path):3: bad argument #1 to 'needstring' (string expected, got table)")
        #expect(failure.traceback.split(separator: "\n").dropFirst().first == "\t\(path):3: in main chunk")
    }

    @Test func runtimeErrorHasFileLineAndTracebackStartingInTheScript() throws {
        let (error, path) = try Fixture.failure("""
            local function inner(t)
              return t.x
            end
            local function outer() return inner(nil) + 1 end
            outer()
            """)
        let failure = try #require(error)
        #expect(failure.kind == .runtime)
        #expect(failure.message == "\(path):2: attempt to index a nil value (local 't')")
        let frames = failure.traceback.split(separator: "\n").map(String.init)
        #expect(frames.first == "stack traceback:")
        #expect(frames.dropFirst().first?.hasPrefix("\t\(path):2: in ") == true)
        #expect(frames.last == "\t\(path):5: in main chunk")
        #expect(!failure.traceback.contains("[C]"))
    }

    @Test func errorCallTracebackSkipsTheHostFrame() throws {
        let (error, path) = try Fixture.failure("""
            local function check(x)
              if not x then error("missing x") end
            end
            check(false)
            """)
        let failure = try #require(error)
        #expect(failure.message == "\(path):2: missing x")
        #expect(failure.traceback.split(separator: "\n").dropFirst().first?.hasPrefix("\t\(path):2: in ") == true)
        #expect(failure.description.hasPrefix("\(path):2: missing x\nstack traceback:\n\t\(path):2:"))
    }

    @Test func nonStringErrorObjectsAreDescribed() throws {
        let (error, _) = try Fixture.failure("""
            error(setmetatable({}, { __tostring = function() return "custom failure" end }))
            """)
        #expect(error?.message == "custom failure")
        let (plain, _) = try Fixture.failure("error({ code = 1 })")
        #expect(plain?.message == "(error object is a table value)")
    }

    @Test func syntaxErrorIsReportedWithFileAndLine() throws {
        let (error, path) = try Fixture.failure("local x = 1\nlocal y = = 2\n")
        let failure = try #require(error)
        #expect(failure.kind == .syntax)
        #expect(failure.message.hasPrefix("\(path):2: unexpected symbol near '='"))
        #expect(failure.traceback == "")
    }

    @Test func runStringUsesTheChunkName() throws {
        let runtime = try Fixture.runtime()
        #expect(throws: LuaScriptError(kind: .runtime, message: "inline:1: nope",
                                       traceback: "stack traceback:\n\tinline:1: in main chunk")) {
            try runtime.run(string: "error('nope')", chunkName: "inline")
        }
        #expect(try runtime.run(string: "return 1 + 1", chunkName: "=sum") == [2])
    }

    @Test func argumentsReachTheScript() throws {
        let (results, path) = try Fixture.run("""
            local first = ...
            return first, arg[0], arg[1], arg[2], select('#', ...)
            """, arguments: ["a", "b"])
        #expect(results == ["a", .string(path), "a", "b", 2])
    }
}
