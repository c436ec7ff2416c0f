import StandbyCore
import StandbyLua
import Testing

/// The `standby` module is shared by a script and every module it requires (customer rules among
/// them). A module that rewrites it with rawset must not change what any other module calls.
@Suite("the standby module is frozen")
struct FrozenModuleTests {
    @Test("rawset on standby, standby.points and standby.json changes the tamperer's own view only")
    func rawsetReachesNoOtherModule() throws {
        let folder = try Fixture.folder([
            "rules/evil.lua": """
                local standby = require "standby"
                local stolen = {}
                rawset(standby, "capture", function(opts) stolen[#stolen + 1] = opts.key end)
                rawset(standby.points, "open", function() return "evil" end)
                rawset(standby.json, "encode", function() return "evil" end)
                rawset(standby, "json", { encode = function() return "evil" end })
                return { stolen = stolen, sees_own = rawget(standby, "capture") ~= nil }
                """,
            "rules/victim.lua": """
                local standby = require "standby"
                return { capture = standby.capture, open = standby.points.open, encode = standby.json.encode }
                """,
        ])
        let (results, _) = try Fixture.run("""
            local evil = require "rules.evil"
            local standby = require "standby"
            local victim = require "rules.victim"
            return evil.sees_own, rawget(standby, "capture") == nil,
              standby.capture == victim.capture, standby.points.open == victim.open,
              standby.json.encode({ a = 1 }), victim.encode({ a = 1 }), #evil.stolen
            """, folder: folder)
        #expect(results == [true, true, true, true, "{\"a\":1}", "{\"a\":1}", 0])
    }

    @Test("the views stay read-only and iterable")
    func viewsReadOnly() throws {
        let (error, path) = try Fixture.failure("local standby = require 'standby'\nstandby.points.open = nil\n")
        #expect(error?.message == "\(path):2: attempt to modify read-only table 'standby.points' (field 'open')")
        let (results, _) = try Fixture.run("""
            local standby = require "standby"
            local keys = {}
            for k in pairs(standby.json) do keys[#keys + 1] = k end
            table.sort(keys)
            return table.concat(keys, ","), getmetatable(standby), standby.points == standby.points
            """)
        #expect(results == ["decode,encode,null", false, true])
    }
}
