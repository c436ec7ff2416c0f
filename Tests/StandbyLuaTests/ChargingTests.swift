import StandbyCore
import StandbyLua
import Testing

/// Work done inside C library functions is charged to the instruction budget: each script here
/// executes only a few thousand VM instructions, but makes C do millions of steps, and must stop
/// on the budget (before the fix each ran to the end, or for minutes).
@Suite("instruction budget: C work is charged")
struct ChargingTests {
    static let limits = LuaLimits(instructionBudget: 1_000_000)

    func expectBudget(_ code: String, line: Int, sourceLocation: SourceLocation = #_sourceLocation) throws {
        let (error, path) = try Fixture.failure(code, limits: Self.limits)
        #expect(error?.kind == .budget, "\(String(describing: error))", sourceLocation: sourceLocation)
        #expect(error?.message == "\(path):\(line): instruction budget of 1000000 exceeded", sourceLocation: sourceLocation)
    }

    @Test("a backtracking pattern in find, match, gmatch and gsub")
    func backtrackingPatterns() throws {
        try expectBudget("local s = ('a'):rep(400)\nreturn s:find('.-.-.-b')", line: 2)
        try expectBudget("local s = ('a'):rep(400)\nreturn s:match('a-a-a-b')", line: 2)
        try expectBudget("local s = ('a'):rep(3000)\nfor x in s:gmatch('a-a-b') do end", line: 2)
        try expectBudget("local s = ('a'):rep(3000)\nreturn (s:gsub('a-a-b', ''))", line: 2)
    }

    @Test("a plain find whose needle almost matches everywhere")
    func quadraticPlainFind() throws {
        try expectBudget("local hay, needle = ('a'):rep(1 << 16), ('a'):rep(2000) .. 'b'\nreturn hay:find(needle, 1, true)", line: 2)
    }

    @Test("garbage: concatenations and string.rep thrown away")
    func garbage() throws {
        try expectBudget("local s = ('0123456789abcdef'):rep(1 << 12)\nfor i = 1, 2000 do local t = s .. s end", line: 2)
        try expectBudget("for i = 1, 500 do\n  local t = table.concat({ ('0123456789abcdef'):rep(1 << 12), 'x' })\nend", line: 2)
    }

    @Test("table.sort, table.unpack and string.byte work per element")
    func elements() throws {
        try expectBudget("local t = {}\nfor i = 1, 20000 do t[i] = (i * 7919) % 20000 end\nfor i = 1, 10 do table.sort(t) end", line: 3)
        try expectBudget("for i = 1, 10 do local n = select('#', table.unpack({}, 1, 200000)) end", line: 1)
        try expectBudget("local s = ('x'):rep(100000)\nfor i = 1, 20 do local n = select('#', s:byte(1, -1)) end", line: 2)
    }

    @Test("the patterns still match like Lua's")
    func semantics() throws {
        let (results, _) = try Fixture.run("""
            local out = {}
            local function add(...) for i = 1, select("#", ...) do out[#out + 1] = tostring((select(i, ...))) end end
            add(("hello world"):find("o w"))
            add(("hello world"):find("l+"))
            add(("key = value"):match("^(%w+)%s*=%s*(%w+)$"))
            add(("THE (quick) fox"):find("%((%a+)%)"))
            add(("f(a(b)c)"):match("%b()"))
            add(("THE END"):find("%f[%a]%a+", 2))
            add(("aaa"):match("()a()"))
            add(("hello"):gsub("l", { l = "L" }))
            add(("abc"):gsub("%w", "%0%0"))
            add(("x"):gsub("", "-"))
            add(("abc"):gsub("b", function(c) return c:upper() end))
            add(("a.b"):find(".", 1, true))
            add(("[x]"):match("[%[%]]"))
            add(("  trim  "):match("^%s*(.-)%s*$"))
            for k, v in ("a=1, b=2"):gmatch("(%w+)=(%w+)") do add(k, v) end
            add(pcall(string.find, "x", "%"))
            add(pcall(string.gsub, "abc", "(b)", "%2"))
            add(pcall(string.match, "x", "(x"))
            return table.concat(out, "|")
            """)
        #expect(results == [.string([
            "5", "7", "3", "4", "key", "value", "5", "11", "quick", "(a(b)c)", "5", "7", "1", "2", "heLLo", "2",
            "aabbcc", "3", "-x-", "2", "aBc", "1", "2", "2", "[", "trim", "a", "1", "b", "2",
            "false", "malformed pattern (ends with '%')", "false", "invalid capture index %2",
            "false", "unfinished capture",
        ].joined(separator: "|"))])
    }

    @Test("the default budget stops a pure Lua loop within a second or two")
    func defaultBudget() throws {
        let (error, _) = try Fixture.failure("for i = 1, 300000000 do end\nreturn 'finished'")
        #expect(error?.kind == .budget, "\(String(describing: error))")
    }
}
