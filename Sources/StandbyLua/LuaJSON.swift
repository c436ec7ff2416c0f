import CLua
import CLuaShim
import StandbyCore

// JSON <-> Lua, both directions from Swift, never raising (rule: only raw accessors).
//
// Mapping:
//   null    <-> standby.null (a unique userdata; Lua nil cannot be stored in a table, so an array
//               element that is nil is not representable: use standby.null)
//   object  <-> table tagged with the shared "object" metatable
//   array   <-> table tagged with the shared "array" metatable (so {} and [] survive a round trip)
//   int     <-> Lua integer (all of Int64);  double <-> Lua float (1.0 stays a float)
// Untagged tables: keys exactly 1...n (n > 0) make an array, anything else an object; an empty
// untagged table is an object. Object keys must be strings or integers (written as strings) and are
// sorted by bytes, so the output is deterministic.

/// A Lua value that has no JSON form; the message names the path ("... at .metadata.labels").
struct LuaJSONError: Error, CustomStringConvertible {
    let message: String
    init(_ message: String) { self.message = message }
    var description: String { message }
}

extension LuaRuntime {
    /// Deepest nesting converted in either direction.
    static let maximumJSONDepth = 200

    /// Converts the Lua value at `index` to JSON; the stack is left as it was.
    func toJSON(_ L: OpaquePointer, at index: Int32) throws -> JSONValue {
        let top = lua_gettop(L)
        var converter = LuaToJSON(runtime: self, L: L)
        do {
            return try converter.convert(lua_absindex(L, index), depth: 0)
        } catch {
            lua_settop(L, top)
            throw error
        }
    }

    /// Pushes a JSON value. On error the stack may hold a partial value: callers restore the top.
    func pushJSON(_ L: OpaquePointer, _ value: JSONValue, depth: Int = 0) throws {
        guard lua_checkstack(L, 3) != 0 else { throw LuaJSONError("cannot push JSON: stack overflow") }
        switch value {
        case .null: lua_rawgeti(L, Self.registry, lua_Integer(nullRef))
        case .bool(let b): lua_pushboolean(L, b ? 1 : 0)
        case .int(let i): lua_pushinteger(L, i)
        case .double(let d): lua_pushnumber(L, d)
        case .string(let s): pushString(L, s)
        case .array(let elements):
            guard depth < Self.maximumJSONDepth else {
                throw LuaJSONError("cannot push JSON: nested deeper than \(Self.maximumJSONDepth) levels")
            }
            try checkCeilingWhilePushing()
            lua_createtable(L, Int32(clamping: elements.count), 0)
            for (i, element) in elements.enumerated() {
                if i & 0xFFFF == 0xFFFF { try checkCeilingWhilePushing() }
                try pushJSON(L, element, depth: depth + 1)
                lua_rawseti(L, -2, lua_Integer(i + 1))
            }
            tag(L, array: true)
        case .object(let object):
            guard depth < Self.maximumJSONDepth else {
                throw LuaJSONError("cannot push JSON: nested deeper than \(Self.maximumJSONDepth) levels")
            }
            try checkCeilingWhilePushing()
            lua_createtable(L, 0, Int32(clamping: object.count))
            for (key, member) in object.pairs {
                pushString(L, key)
                try pushJSON(L, member, depth: depth + 1)
                lua_rawset(L, -3)
            }
            tag(L, array: false)
        }
    }

    /// Pushes run in host mode, where the allocator never refuses: a big value stops here, at the
    /// next table, once the script's memory is over the ceiling (Lua's garbage collected first).
    func checkCeilingWhilePushing() throws {
        guard limits.hasCeiling, scriptMemoryInUse > limits.memoryCeiling else { return }
        CLuaShim_collect(mainState)
        guard scriptMemoryInUse > limits.memoryCeiling else { return }
        throw LuaMemoryError("memory ceiling of \(limits.ceilingDescription) exceeded while converting a value for Lua")
    }

    /// Sets the array or object metatable on the table on top.
    func tag(_ L: OpaquePointer, array: Bool) {
        lua_rawgeti(L, Self.registry, lua_Integer(array ? arrayMetatableRef : objectMetatableRef))
        lua_setmetatable(L, -2)
    }

    enum Tag { case array, object }

    /// The shape tag of the table at `index`, if it has one of ours.
    func tagOf(_ L: OpaquePointer, at index: Int32) -> Tag? {
        guard lua_getmetatable(L, index) != 0 else { return nil }
        defer { CLuaShim_pop(L, 1) }
        for (ref, tag) in [(arrayMetatableRef, Tag.array), (objectMetatableRef, Tag.object)] {
            lua_rawgeti(L, Self.registry, lua_Integer(ref))
            let same = lua_rawequal(L, -1, -2) != 0
            CLuaShim_pop(L, 1)
            if same { return tag }
        }
        return nil
    }

    /// Whether the value at `index` is `standby.null`.
    func isNull(_ L: OpaquePointer, at index: Int32) -> Bool {
        let absolute = lua_absindex(L, index)
        lua_rawgeti(L, Self.registry, lua_Integer(nullRef))
        defer { CLuaShim_pop(L, 1) }
        return lua_rawequal(L, absolute, -1) != 0
    }
}

private struct LuaToJSON {
    enum Step {
        case key(String)
        case index(Int)
    }

    let runtime: LuaRuntime
    let L: OpaquePointer
    var path: [Step] = []
    /// The tables being converted, outermost first (a short stack: documents are shallow).
    var visiting: [UnsafeRawPointer] = []

    init(runtime: LuaRuntime, L: OpaquePointer) {
        self.runtime = runtime
        self.L = L
    }

    var pathText: String {
        if path.isEmpty { return "the top level" }
        var text = ""
        for step in path {
            switch step {
            case .index(let i): text += "[\(i)]"
            case .key(let k):
                let identifier = k.first.map { $0 == "_" || $0.isLetter } == true
                    && k.allSatisfy { $0 == "_" || ($0.isASCII && ($0.isLetter || $0.isNumber)) }
                text += identifier ? ".\(k)" : "[\"\(k)\"]"
            }
        }
        return text
    }

    func failure(_ problem: String) -> LuaJSONError {
        LuaJSONError("cannot convert to JSON: \(problem) at \(pathText)")
    }

    mutating func convert(_ index: Int32, depth: Int) throws -> JSONValue {
        switch lua_type(L, index) {
        case LUA_TNIL, LUA_TNONE:
            return .null
        case LUA_TBOOLEAN:
            return .bool(lua_toboolean(L, index) != 0)
        case LUA_TNUMBER:
            if lua_isinteger(L, index) != 0 { return .int(lua_tointegerx(L, index, nil)) }
            let number = lua_tonumberx(L, index, nil)
            guard number.isFinite else { throw failure(number.isNaN ? "NaN" : "infinite number (\(number))") }
            return .double(number)
        case LUA_TSTRING:
            guard let string = runtime.validString(L, at: index) else { throw failure("string is not valid UTF-8") }
            return .string(string)
        case LUA_TUSERDATA, LUA_TLIGHTUSERDATA:
            if runtime.isNull(L, at: index) { return .null }
            throw failure("value of type \(runtime.typeName(L, at: index))")
        case LUA_TTABLE:
            return try table(index, depth: depth)
        default:
            throw failure("value of type \(runtime.typeName(L, at: index))")
        }
    }

    private mutating func table(_ index: Int32, depth: Int) throws -> JSONValue {
        guard depth < LuaRuntime.maximumJSONDepth else {
            throw failure("nested deeper than \(LuaRuntime.maximumJSONDepth) levels")
        }
        let identity = lua_topointer(L, index)!
        guard !visiting.contains(identity) else { throw failure("cycle (a table contains itself)") }
        visiting.append(identity)
        defer { visiting.removeLast() }
        guard lua_checkstack(L, 4) != 0 else { throw failure("stack overflow") }

        // Pass 1: the keys.
        var stringKeys: [String] = []
        var integerKeys: [Int64] = []
        lua_pushnil(L)
        while lua_next(L, index) != 0 {
            CLuaShim_pop(L, 1)
            switch lua_type(L, -1) {
            case LUA_TSTRING:
                guard let key = runtime.validString(L, at: -1) else { throw failure("key is not valid UTF-8") }
                stringKeys.append(key)
            case LUA_TNUMBER where lua_isinteger(L, -1) != 0:
                integerKeys.append(lua_tointegerx(L, -1, nil))
            case LUA_TNUMBER:
                throw failure("key of type number (not an integer)")
            default:
                throw failure("key of type \(runtime.typeName(L, at: -1))")
            }
        }
        let count = Int64(integerKeys.count)
        let isSequence = stringKeys.isEmpty && integerKeys.allSatisfy { $0 >= 1 && $0 <= count }

        switch runtime.tagOf(L, at: index) {
        case .array:
            if let key = stringKeys.min(by: { $0.utf8.lexicographicallyPrecedes($1.utf8) }) {
                throw failure("array has a non-index key '\(key)'")
            }
            guard isSequence else {
                throw failure("array has holes or keys outside 1..n (nil cannot be an element; use standby.null)")
            }
            return try array(index, count: Int(count), depth: depth)
        case .object:
            return try object(index, stringKeys: stringKeys, integerKeys: integerKeys, depth: depth)
        case nil:
            if isSequence && count > 0 { return try array(index, count: Int(count), depth: depth) }
            return try object(index, stringKeys: stringKeys, integerKeys: integerKeys, depth: depth)
        }
    }

    private mutating func array(_ index: Int32, count: Int, depth: Int) throws -> JSONValue {
        var elements: [JSONValue] = []
        elements.reserveCapacity(count)
        for i in 0..<count {
            lua_rawgeti(L, index, lua_Integer(i + 1))
            path.append(.index(i + 1))
            elements.append(try convert(lua_gettop(L), depth: depth + 1))
            path.removeLast()
            CLuaShim_pop(L, 1)
        }
        return .array(elements)
    }

    private mutating func object(
        _ index: Int32, stringKeys: [String], integerKeys: [Int64], depth: Int
    ) throws -> JSONValue {
        var entries: [(name: String, integer: Int64?)] = stringKeys.map { ($0, nil) }
        entries += integerKeys.map { (String($0), $0) }
        entries.sort { $0.name.utf8.lexicographicallyPrecedes($1.name.utf8) }
        for (a, b) in zip(entries, entries.dropFirst()) where a.name == b.name {
            throw failure("duplicate key '\(a.name)' (as a string and as an integer)")
        }
        var values: [JSONValue] = []
        values.reserveCapacity(entries.count)
        for entry in entries {
            if let integer = entry.integer { lua_pushinteger(L, integer) } else { runtime.pushString(L, entry.name) }
            lua_rawget(L, index)
            path.append(.key(entry.name))
            values.append(try convert(lua_gettop(L), depth: depth + 1))
            path.removeLast()
            CLuaShim_pop(L, 1)
        }
        return .object(JSONObject(uniqueKeys: entries.map(\.name), values: values))
    }
}
