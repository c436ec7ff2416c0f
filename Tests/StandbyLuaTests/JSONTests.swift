import StandbyCore
import StandbyLua
import Testing

@Suite struct JSONTests {
    /// Runs `body` (Lua statements ending in `return`) with `standby` and `json` in scope.
    func lua(_ body: String) throws -> [JSONValue] {
        try Fixture.run("local standby = require 'standby'\nlocal json = standby.json\n" + body).results
    }

    func luaError(_ body: String) throws -> String? {
        try Fixture.failure("local standby = require 'standby'\nlocal json = standby.json\n" + body).error?.message
    }

    @Test func textRoundTripsExactly() throws {
        let documents = [
            #"{"a":null,"b":[],"c":{},"d":[[],{},[{}]],"e":1,"f":1.0,"g":9007199254740993}"#,
            #"[9223372036854775807,-9223372036854775808,0.5,-0.0,1e+300,"x"]"#,
            #"{"escapes":"quote \" backslash \\ newline \n tab \t nul \u0000","unicode":"é ☃ 😀"}"#,
            #"[null,[null],{"k":null}]"#,
            #"{"nested":{"empty_array":[],"empty_object":{},"list":[1,2,{"x":[]}]}}"#,
        ]
        for text in documents {
            let results = try lua("return json.encode(json.decode([==[\(text)]==]))")
            #expect(results == [.string(text)])
        }
    }

    @Test func decodedValuesHaveTheRightLuaTypes() throws {
        let results = try lua("""
            local v = json.decode[[{"i":1,"f":1.0,"big":9007199254740993,"max":9223372036854775807,"s":"\\u00e9\\n\\ud83d\\ude00","n":null}]]
            return math.type(v.i), math.type(v.f), v.big == 9007199254740993, v.max == math.maxinteger,
              v.s == "é\\n😀", v.n == standby.null, json.null == standby.null, getmetatable(v), getmetatable(json.decode("[]"))
            """)
        #expect(results == ["integer", "float", true, true, true, true, true, "standby.object", "standby.array"])
    }

    @Test func luaValuesEncodeAsExpected() throws {
        let results = try lua("""
            return json.encode({}), json.encode(standby.array()), json.encode(standby.object({})),
              json.encode({1, 2, 3}), json.encode({b = 1, a = {}, c = standby.array({})}),
              json.encode(1), json.encode(1.0), json.encode(math.mininteger), json.encode(standby.null),
              json.encode({x = standby.null, [2] = "two"}), json.encode("a\\"b"), json.encode(true),
              json.encode({b = 1, a = 2}, { pretty = true })
            """)
        #expect(results == [
            "{}", "[]", "{}", "[1,2,3]", #"{"a":{},"b":1,"c":[]}"#, "1", "1.0", "-9223372036854775808", "null",
            #"{"2":"two","x":null}"#, #""a\"b""#, "true", "{\n  \"a\": 2,\n  \"b\": 1\n}",
        ])
    }

    @Test func scriptResultsConvertToJSONValues() throws {
        let (results, _) = try Fixture.run("""
            return {1, 2.5, "x"}, {}, { name = "n", list = { true, false } }, nil, 2^53
            """)
        #expect(results == [
            [1, 2.5, "x"], .object(JSONObject()), ["list": [true, false], "name": "n"], .null, 9007199254740992.0,
        ])
    }

    @Test func unrepresentableValuesAreRejectedWithTheirPath() throws {
        #expect(try luaError("json.encode(0/0)")?.contains("cannot convert to JSON: NaN at the top level") == true)
        #expect(try luaError("json.encode({ spec = { ratio = 1/0 } })")?
            .contains("cannot convert to JSON: infinite number (inf) at .spec.ratio") == true)
        #expect(try luaError("local t = { child = {} }\nt.child.parent = t\njson.encode(t)")?
            .contains("cannot convert to JSON: cycle (a table contains itself) at .child.parent") == true)
        #expect(try luaError("json.encode({ metadata = { [true] = 1 } })")?
            .contains("cannot convert to JSON: key of type boolean at .metadata") == true)
        #expect(try luaError("json.encode({ items = { {}, { f = print } } })")?
            .contains("cannot convert to JSON: value of type function at .items[2].f") == true)
        #expect(try luaError("json.encode({ [1.5] = 1 })")?
            .contains("cannot convert to JSON: key of type number (not an integer) at the top level") == true)
        #expect(try luaError("json.encode(standby.array({ 1, nil, 3 }))")?
            .contains("array has holes or keys outside 1..n") == true)
        #expect(try luaError("json.encode({ ['a b'] = { 0/0 } })")?
            .contains(#"cannot convert to JSON: NaN at ["a b"][1]"#) == true)
    }

    @Test func encodeErrorsNameTheScriptLine() throws {
        let (error, path) = try Fixture.failure("local standby = require 'standby'\n\nstandby.json.encode(0/0)")
        #expect(error?.message == "\(path):3: bad argument #1 to 'encode' (cannot convert to JSON: NaN at the top level)")
    }

    @Test func deepNestingHasALimit() throws {
        let deepText = String(repeating: "[", count: 250) + String(repeating: "]", count: 250)
        #expect(try luaError("json.decode('\(deepText)')")?.hasSuffix("nested deeper than 200 levels") == true)
        #expect(try luaError("local t = {} local c = t for i = 1, 250 do c.x = {} c = c.x end json.encode(t)")?
            .contains("cannot convert to JSON: nested deeper than 200 levels at .x.x.x") == true)
        let shallow = String(repeating: "[", count: 150) + String(repeating: "]", count: 150)
        #expect(try lua("return json.encode(json.decode('\(shallow)'))") == [.string(shallow)])
    }

    @Test func numbersBeyondDoubleAreAnErrorWithTheirPosition() throws {
        let message = try luaError("json.decode('[0, 1e400]', 'big.json')")
        #expect(message?.contains("invalid JSON: big.json:1:5: number out of range: 1e400") == true, "\(message ?? "no error")")
    }

    @Test func invalidJSONTextIsReported() throws {
        let message = try luaError("json.decode('{\"a\": }', 'config.json')")
        #expect(message?.contains("invalid JSON: config.json:1:7") == true)
    }

    @Test func userTablesWithOtherMetatablesCannotBeTagged() throws {
        let message = try luaError("standby.array(setmetatable({}, {}))")
        #expect(message?.hasSuffix("bad argument #1 to 'array' (table already has a metatable)") == true)
    }

    @Test func swiftCanPushAndReadJSON() throws {
        let runtime = try Fixture.runtime()
        let document: JSONValue = [
            "kind": "Deployment", "replicas": 3, "ratio": 0.5, "labels": [:], "ports": [], "owner": nil,
            "big": .int(Int64.max),
        ]
        try runtime.registerNativeModule("test.doc", functions: [
            "get": { call in try call.push(document) },
            "echo": { call in try call.push(try call.json(1)) },
        ], values: ["constant": ["a": [1, 2]]])
        let (results, _) = try Fixture.run("""
            local doc = require "test.doc"
            local d = doc.get()
            return d, doc.echo(d), d.kind, math.type(d.replicas), doc.constant.a[2]
            """, in: runtime)
        let sorted: JSONValue = [
            "big": .int(Int64.max), "kind": "Deployment", "labels": [:], "owner": nil, "ports": [], "ratio": 0.5,
            "replicas": 3,
        ]
        #expect(results == [sorted, sorted, "Deployment", "integer", 2])
    }
}
