import StandbyCore
import StandbyLua
import Testing

final class Box {
    let id: String
    var items: [String]
    init(id: String, items: [String]) {
        self.id = id
        self.items = items
    }
}

@Suite struct ClassTests {
    func runtime(with box: Box) throws -> LuaRuntime {
        let runtime = try Fixture.runtime()
        runtime.defineClass("test.Box", for: Box.self) { cls in
            cls.field("id") { .string($0.id) }
            cls.field("items") { .array($0.items.map { .string($0) }) }
            cls.method("item") { box, call in
                let index = try call.integer(1)
                guard box.items.indices.contains(index - 1) else { return try call.pushNil() }
                return try call.push(box.items[index - 1])
            }
            cls.method("add") { box, call in
                box.items.append(try call.string(1))
                return 0
            }
            cls.toString { "Box(\($0.id))" }
        }
        try runtime.registerNativeModule("test.boxes", functions: [
            "get": { call in try call.push(object: box) },
            "id_of": { call in try call.push(try call.object(1, as: Box.self).id) },
        ])
        return runtime
    }

    @Test func objectsExposeFieldsAndMethods() throws {
        let box = Box(id: "box-1", items: ["a", "b"])
        let runtime = try runtime(with: box)
        let (results, _) = try Fixture.run("""
            local boxes = require "test.boxes"
            local b = boxes.get()
            b:add("c")
            return b.id, b:item(1), b:item(9), tostring(b), b == boxes.get(), getmetatable(b), b.items,
              boxes.id_of(b), type(b)
            """, in: runtime)
        #expect(results == ["box-1", "a", nil, "Box(box-1)", true, "test.Box", ["a", "b", "c"], "box-1", "userdata"])
        #expect(box.items == ["a", "b", "c"])
    }

    @Test func misuseIsReportedLikeLua() throws {
        let runtime = try runtime(with: Box(id: "x", items: []))
        let prelude = "local boxes = require 'test.boxes'\nlocal b = boxes.get()\n"
        let cases: [(String, String)] = [
            ("b:item('one')", "bad argument #1 to 'item' (integer expected, got string)"),
            ("b.item('one')", "calling 'item' on bad self (test.Box expected, got string)"),
            ("local _ = b.nope", "test.Box has no field or method 'nope'"),
            ("b.id = 'y'", "cannot set 'id': test.Box is read-only"),
            ("boxes.id_of({})", "bad argument #1 to 'id_of' (test.Box expected, got table)"),
            ("boxes.id_of(require('standby').null)", "bad argument #1 to 'id_of' (test.Box expected, got standby.null)"),
            ("require('standby').json.encode(b)", "bad argument #1 to 'encode' (cannot convert to JSON: value of type test.Box at the top level)"),
        ]
        for (code, message) in cases {
            let (error, path) = try Fixture.failure(prelude + code, in: runtime)
            #expect(error?.message == "\(path):3: \(message)")
        }
    }

    @Test func objectsAreReleasedWithTheRuntime() throws {
        weak var weakBox: Box?
        do {
            let box = Box(id: "temp", items: [])
            weakBox = box
            let runtime = try runtime(with: box)
            _ = try Fixture.run("local b = require('test.boxes').get() return b.id", in: runtime)
        }
        #expect(weakBox == nil)
    }

    @Test func swiftCanCallLuaFunctionsLater() throws {
        let runtime = try Fixture.runtime(LuaLimits(instructionBudget: 1_000_000))
        var callbacks: [LuaRef] = []
        try runtime.registerNativeModule("test.rules", functions: [
            "register": { call in
                callbacks.append(try call.function(1))
                return 0
            },
        ])
        _ = try Fixture.run("""
            local rules = require "test.rules"
            rules.register(function(doc) return doc.replicas * 2, "ok" end)
            rules.register(function() error("rule failed") end)
            rules.register(function() while true do end end)
            """, in: runtime)
        #expect(try runtime.call(callbacks[0], [["replicas": 21]]) == [42, "ok"])
        #expect(throws: LuaScriptError.self) { try runtime.call(callbacks[1]) }
        do {
            _ = try runtime.call(callbacks[2])
            Issue.record("expected the budget to stop the callback")
        } catch let error as LuaScriptError {
            #expect(error.kind == .budget)
        }
        #expect(try runtime.call(callbacks[0], [["replicas": 1]]) == [2, "ok"])
    }

    @Test func callbacksCalledFromSwiftInsideAScriptKeepTheLimits() throws {
        let runtime = try Fixture.runtime(LuaLimits(instructionBudget: 1_000_000))
        try runtime.registerNativeModule("test.each", functions: [
            "apply": { call in
                let function = try call.function(1)
                let results = try call.runtime.call(function, [.int(Int64(try call.integer(2)))])
                return try call.push(results.first ?? .null)
            },
        ])
        let (results, _) = try Fixture.run("""
            local each = require "test.each"
            local ok, message = pcall(each.apply, function(x) error("bad " .. x) end, 7)
            return each.apply(function(x) return x + 1 end, 41), ok, message
            """, in: runtime)
        #expect(results.count == 3)
        #expect(results.first == 42)
        #expect(results.last?.stringValue?.hasSuffix("script.lua:2: bad 7") == true)

        let (error, _) = try Fixture.failure("""
            local each = require "test.each"
            each.apply(function() while true do end end, 1)
            """, in: runtime)
        #expect(error?.kind == .budget)
    }

    @Test func validateBlamesTheCallersCaller() throws {
        let (error, path) = try Fixture.failure("""
            local standby = require "standby"
            local function deploy(opts, name)
              standby.validate("opts", opts, "table")
              standby.validate("name", name, { "string", "number" }, true)
            end
            deploy({})
            deploy({}, 1)
            deploy(42)
            """)
        #expect(error?.message == "\(path):8: opts: expected table, got number")
        let (second, path2) = try Fixture.failure("""
            local standby = require "standby"
            local function deploy(opts, name)
              standby.validate("name", name, { "string", "number" }, true)
            end
            deploy({}, true)
            """)
        #expect(second?.message == "\(path2):5: name: expected string|number, got boolean")
    }

    @Test func standbyModuleIsReadOnly() throws {
        let (error, path) = try Fixture.failure("local standby = require 'standby'\nstandby.json.encode = print")
        #expect(error?.message == "\(path):2: attempt to modify read-only table 'standby.json' (field 'encode')")
    }
}
