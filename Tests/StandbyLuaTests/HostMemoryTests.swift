import Foundation
import StandbyCore
import StandbyLua
import Testing

/// `--memory` covers what the host holds for a script (inventories, selections, translations,
/// plans, decoded JSON), not only Lua's own allocations; and a memory error names the script line.
@Suite("memory ceiling: host allocations")
struct HostMemoryTests {
    /// A Kubernetes List of `count` Deployments with an argument of `padding` bytes each.
    static func list(_ count: Int, padding: Int) -> String {
        let pad = String(repeating: "x", count: padding)
        let items = (0..<count).map { i in
            #"{"apiVersion":"apps/v1","kind":"Deployment","metadata":{"name":"d\#(i)","namespace":"n"},"#
                + #""spec":{"template":{"spec":{"containers":[{"name":"c","image":"nginx:1","args":["\#(pad)"]}]}}}}"#
        }
        return #"{"apiVersion":"v1","kind":"List","items":["# + items.joined(separator: ",") + "]}"
    }

    @Test("an inventory bigger than the ceiling is refused before it is read, naming the script line")
    func inventoryBiggerThanTheCeiling() throws {
        let folder = try Fixture.folder(["big.json": Self.list(5000, padding: 1000)]) // about 5.4 MB
        let runtime = try Fixture.runtime(LuaLimits(memoryCeiling: 16 << 20))
        let (error, path) = try Fixture.failure("""
            local standby = require "standby"
            local inv = standby.inventory.load("\(folder)/big.json", { cluster = "c1" })
            return inv.count
            """, in: runtime)
        #expect(error?.kind == .memory, "\(String(describing: error))")
        #expect(error?.message.hasPrefix("memory ceiling of 16 MiB exceeded near \(path):2 (loading '\(folder)/big.json'") == true,
                "\(error?.message ?? "")")
        // An estate too big for the ceiling is not a runaway script: the message says how to give it room.
        #expect(error?.message.contains("a larger estate needs a higher ceiling: --memory <MiB> (0: none)") == true, "\(error?.message ?? "")")
        #expect(try runtime.run(string: "return 'the runtime carries on'") == ["the runtime carries on"])
    }

    @Test("inventories kept by a script count against the ceiling")
    func inventoriesKept() throws {
        let folder = try Fixture.folder(["medium.json": Self.list(500, padding: 200)]) // about 0.1 MB each
        let (error, path) = try Fixture.failure("""
            local standby = require "standby"
            local kept = {}
            for i = 1, 1000 do
              kept[i] = standby.inventory.load("\(folder)/medium.json", { cluster = "c" .. i })
            end
            """, limits: LuaLimits(memoryCeiling: 24 << 20))
        #expect(error?.kind == .memory, "\(String(describing: error))")
        #expect(error?.message.hasPrefix("memory ceiling of 24 MiB exceeded near \(path):4") == true, "\(error?.message ?? "")")
    }

    @Test("inventories thrown away are collected and leave the account")
    func inventoriesCollected() throws {
        let folder = try Fixture.folder(["medium.json": Self.list(500, padding: 200)])
        let (results, _) = try Fixture.run("""
            local standby = require "standby"
            local n = 0
            for i = 1, 300 do n = n + standby.inventory.load("\(folder)/medium.json", { cluster = "c" }).count end
            return n
            """, in: try Fixture.runtime(LuaLimits(instructionBudget: .max, memoryCeiling: 24 << 20)))
        #expect(results == [150_000])
    }

    @Test("JSON whose parsed tree cannot fit is refused before it is parsed")
    func jsonDecode() throws {
        let (error, path) = try Fixture.failure("""
            local standby = require "standby"
            local text = "[" .. ("0,"):rep(1 << 20) .. "0]"
            return #standby.json.decode(text)
            """, limits: LuaLimits(memoryCeiling: 16 << 20))
        #expect(error?.kind == .memory)
        #expect(error?.message.hasPrefix("memory ceiling of 16 MiB exceeded near \(path):3 (decoding 2097155 bytes of JSON") == true,
                "\(error?.message ?? "")")
    }

    @Test("a memory error caught with pcall is raised again: the script cannot carry on")
    func pcallCannotCatchTheCeiling() throws {
        let (error, path) = try Fixture.failure("""
            local caught = 0
            for i = 1, 100 do
              if not pcall(function() local s = ("x"):rep(100 << 20) end) then caught = caught + 1 end
            end
            return caught
            """, limits: LuaLimits(instructionBudget: .max, memoryCeiling: 32 << 20))
        #expect(error?.kind == .memory)
        #expect(error?.message == "memory ceiling of 32 MiB exceeded near \(path):3")
    }
}
