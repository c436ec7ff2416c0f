import StandbyCore
import StandbyLua
import Testing

@Suite struct LimitTests {
    @Test func infiniteLoopStopsAtTheBudget() throws {
        let limits = LuaLimits(instructionBudget: 1_000_000)
        let (error, path) = try Fixture.failure("local n = 0\nwhile true do n = n + 1 end\n", limits: limits)
        let failure = try #require(error)
        #expect(failure.kind == .budget)
        #expect(failure.message == "\(path):2: instruction budget of 1000000 exceeded")
    }

    @Test func pcallLoopCannotOutliveTheBudget() throws {
        let limits = LuaLimits(instructionBudget: 1_000_000)
        let (error, _) = try Fixture.failure("""
            local caught = 0
            while true do
              local ok = pcall(function() while true do end end)
              if not ok then caught = caught + 1 end
            end
            """, limits: limits)
        #expect(error?.kind == .budget)

        let (coroutineError, _) = try Fixture.failure("""
            while true do
              coroutine.resume(coroutine.create(function() while true do end end))
            end
            """, limits: limits)
        #expect(coroutineError?.kind == .budget)
    }

    @Test func budgetIsPerRunAndTheRuntimeStaysUsable() throws {
        let runtime = try Fixture.runtime(LuaLimits(instructionBudget: 100_000))
        let (error, _) = try Fixture.failure("while true do end", in: runtime)
        #expect(error?.kind == .budget)
        #expect(try runtime.run(string: "local s = 0 for i = 1, 1000 do s = s + i end return s") == [500500])
    }

    @Test func unboundedTableGrowthStopsAtTheCeiling() throws {
        let runtime = try Fixture.runtime(LuaLimits(memoryCeiling: 16 << 20))
        let (error, path) = try Fixture.failure("""
            local t, i = {}, 0
            while true do
              i = i + 1
              t[i] = string.rep("x", 64) .. i
            end
            """, in: runtime)
        let failure = try #require(error)
        #expect(failure.kind == .memory)
        #expect(failure.message.hasPrefix("memory ceiling of 16 MiB exceeded near \(path):"))
        // The garbage is collectable: the runtime carries on.
        #expect(try runtime.run(string: "return #string.rep('y', 1000)") == [1000])
    }

    @Test func swiftFunctionCrossingTheCeilingIsStoppedAfterItReturns() throws {
        let runtime = try Fixture.runtime(LuaLimits(memoryCeiling: 8 << 20))
        try runtime.registerNativeModule("test.big", functions: [
            "make": { call in
                try call.push(.array((0..<400_000).map { .string("element number \($0)") }))
            },
        ])
        let (error, _) = try Fixture.failure("local big = require 'test.big'\nlocal t = big.make()\nreturn #t", in: runtime)
        #expect(error?.kind == .memory)
        #expect(error?.message.hasPrefix("memory ceiling of 8 MiB exceeded") == true)
        #expect(try runtime.run(string: "return 'still alive'") == ["still alive"])
    }

    @Test func unlimitedRunsWithoutHook() throws {
        let runtime = try Fixture.runtime(.unlimited)
        #expect(try runtime.run(string: "local s = 0 for i = 1, 100000 do s = s + i end return s") == [5000050000])
    }
}
