import CLua
import CLuaShim
import StandbyCore

/// The type of a Lua value, as `type()` names it (`.none` is an absent argument).
public enum LuaType: String, Sendable {
    case none = "no value", `nil`, boolean, number, string, table, function, userdata, thread
}

/// One call of a Swift function from Lua: reads the arguments, pushes the results.
///
/// Readers check types and throw `LuaArgumentError`s worded like Lua's own
/// ("bad argument #2 to 'get' (string expected, got nil)"). Argument 1 is the first argument
/// after `self` in methods. Pushers return 1, so a function can end with `return try call.push(x)`.
public struct LuaCall {
    /// The runtime running the call (e.g. to call back into Lua with `call.runtime.call`).
    public unowned let runtime: LuaRuntime
    let L: OpaquePointer
    /// The name used in argument errors.
    public let function: String
    /// Stack index of argument 0 (`self` in methods).
    let base: Int32

    init(runtime: LuaRuntime, state: OpaquePointer, function: String, base: Int32) {
        self.runtime = runtime
        self.L = state
        self.function = function
        self.base = base
    }

    /// The same call with `count` leading arguments consumed (argument 1 becomes `count + 1`).
    func shifted(by count: Int32) -> LuaCall {
        LuaCall(runtime: runtime, state: L, function: function, base: base + count)
    }

    // MARK: Arguments

    /// How many arguments were passed (after `self` for methods).
    public var argumentCount: Int { max(0, Int(lua_gettop(L) - base)) }

    /// The type of argument `n`.
    public func type(_ n: Int) -> LuaType { LuaType(code: rawType(slot(n))) }

    /// Whether argument `n` is absent or nil.
    public func isNil(_ n: Int) -> Bool { rawType(slot(n)) <= LUA_TNIL }

    public func string(_ n: Int) throws -> String { try required(n, "string") { try readString($0) } }
    public func optionalString(_ n: Int) throws -> String? { try readString(Slot(call: self, n)) }
    public func integer(_ n: Int) throws -> Int { try required(n, "integer") { try readInteger($0) } }
    public func optionalInteger(_ n: Int) throws -> Int? { try readInteger(Slot(call: self, n)) }
    public func number(_ n: Int) throws -> Double { try required(n, "number") { try readNumber($0) } }
    public func optionalNumber(_ n: Int) throws -> Double? { try readNumber(Slot(call: self, n)) }
    public func bool(_ n: Int) throws -> Bool { try required(n, "boolean") { try readBool($0) } }
    public func optionalBool(_ n: Int) throws -> Bool? { try readBool(Slot(call: self, n)) }

    /// Argument `n` converted to JSON (nil and `standby.null` become `.null`).
    public func json(_ n: Int) throws -> JSONValue {
        let slot = Slot(call: self, n)
        do {
            return try runtime.toJSON(L, at: slot.index)
        } catch let error as LuaJSONError {
            throw argumentError(slot, error.message)
        }
    }

    /// The raw bytes of string argument `n`.
    public func bytes(_ n: Int) throws -> [UInt8] {
        let slot = Slot(call: self, n)
        guard rawType(slot.index) == LUA_TSTRING else { throw typeError(slot, expected: "string") }
        var length = 0
        let pointer = lua_tolstring(L, slot.index, &length)!
        return [UInt8](UnsafeRawBufferPointer(start: pointer, count: length))
    }

    /// Argument `n`, which must be a table (fields are read with the `field:` readers).
    public func checkTable(_ n: Int, optional: Bool = false) throws {
        let slot = Slot(call: self, n)
        let type = rawType(slot.index)
        if type == LUA_TTABLE || (optional && type <= LUA_TNIL) { return }
        throw typeError(slot, expected: "table")
    }

    /// Field `key` of table argument `n` (an options table): nil if the argument or the field is
    /// nil. Read with `rawget`: metamethods are not consulted.
    public func optionalString(_ n: Int, field key: String) throws -> String? {
        try withField(n, key) { try readString($0) }
    }
    public func optionalBool(_ n: Int, field key: String) throws -> Bool? {
        try withField(n, key) { try readBool($0) }
    }
    public func optionalInteger(_ n: Int, field key: String) throws -> Int? {
        try withField(n, key) { try readInteger($0) }
    }
    public func optionalNumber(_ n: Int, field key: String) throws -> Double? {
        try withField(n, key) { try readNumber($0) }
    }
    public func json(_ n: Int, field key: String) throws -> JSONValue? {
        try withField(n, key) { slot in
            if rawType(slot.index) <= LUA_TNIL { return nil }
            do { return try runtime.toJSON(L, at: slot.index) } catch let error as LuaJSONError {
                throw argumentError(slot, error.message)
            }
        }
    }

    /// The Swift object in userdata argument `n`, which must be of the class defined for `type`.
    public func object<Object: AnyObject>(_ n: Int, as type: Object.Type) throws -> Object {
        guard let object = try optionalObject(n, as: type) else {
            throw typeError(Slot(call: self, n), expected: runtime.className(of: type))
        }
        return object
    }

    /// Like `object(_:as:)`, but nil when the argument is absent or nil.
    public func optionalObject<Object: AnyObject>(_ n: Int, as type: Object.Type) throws -> Object? {
        let slot = Slot(call: self, n)
        if rawType(slot.index) <= LUA_TNIL { return nil }
        guard let object = runtime.object(L, at: slot.index, as: type) else {
            throw typeError(slot, expected: runtime.className(of: type))
        }
        return object
    }

    /// A reference to function argument `n`, to call later with `LuaRuntime.call`.
    public func function(_ n: Int) throws -> LuaRef {
        let slot = Slot(call: self, n)
        guard rawType(slot.index) == LUA_TFUNCTION else { throw typeError(slot, expected: "function") }
        return runtime.reference(L, at: slot.index)
    }

    /// A reference to argument `n`, whatever its type (nil included).
    public func reference(_ n: Int) -> LuaRef {
        let slot = Slot(call: self, n)
        if slot.index > lua_gettop(L) {
            _ = lua_checkstack(L, 1)
            lua_pushnil(L)
            defer { CLuaShim_pop(L, 1) }
            return runtime.reference(L, at: lua_gettop(L))
        }
        return runtime.reference(L, at: slot.index)
    }

    // MARK: Results

    @discardableResult public func push(_ value: JSONValue) throws -> Int {
        let top = lua_gettop(L)
        do { try runtime.pushJSON(L, value) } catch {
            lua_settop(L, top)
            throw error
        }
        return 1
    }
    @discardableResult public func push(_ value: String) throws -> Int {
        try reserve(1); runtime.pushString(L, value); return 1
    }
    @discardableResult public func push(_ value: Int) throws -> Int {
        try reserve(1); lua_pushinteger(L, lua_Integer(value)); return 1
    }
    @discardableResult public func push(_ value: Double) throws -> Int {
        try reserve(1); lua_pushnumber(L, value); return 1
    }
    @discardableResult public func push(_ value: Bool) throws -> Int {
        try reserve(1); lua_pushboolean(L, value ? 1 : 0); return 1
    }
    @discardableResult public func pushNil() throws -> Int {
        try reserve(1); lua_pushnil(L); return 1
    }
    /// Pushes `standby.null`.
    @discardableResult public func pushNull() throws -> Int {
        try reserve(1); lua_rawgeti(L, LuaRuntime.registry, lua_Integer(runtime.nullRef)); return 1
    }
    /// Pushes a Swift object as userdata of the class defined for its type (nil pushes nil). The
    /// same object always gives the same userdata while Lua holds it, so `==` works.
    @discardableResult public func push<Object: AnyObject>(object: Object?) throws -> Int {
        guard let object else { return try pushNil() }
        try runtime.pushObject(L, object)
        return 1
    }
    /// Pushes an array (tagged `standby.array`) of Swift objects.
    @discardableResult public func push<Object: AnyObject>(objects: [Object]) throws -> Int {
        try reserve(3)
        lua_createtable(L, Int32(clamping: objects.count), 0)
        for (i, object) in objects.enumerated() {
            do { try runtime.pushObject(L, object) } catch { CLuaShim_pop(L, 1); throw error }
            lua_rawseti(L, -2, lua_Integer(i + 1))
        }
        runtime.tag(L, array: true)
        return 1
    }
    /// Pushes the value a reference holds.
    @discardableResult public func push(_ reference: LuaRef) throws -> Int {
        // Another state's registry index would push an unrelated (possibly internal) value.
        guard reference.runtime === runtime else { throw LuaError("the value belongs to another Lua runtime") }
        try reserve(1)
        lua_rawgeti(L, LuaRuntime.registry, lua_Integer(reference.reference))
        return 1
    }
    /// Pushes a Lua function that calls `body`; `name` is used in its argument errors.
    @discardableResult public func push(function name: String, _ body: @escaping LuaFunction) throws -> Int {
        try reserve(1); runtime.pushFunction(L, name, body); return 1
    }

    // MARK: Internals

    struct Slot {
        let index: Int32
        let argument: Int
        var field: String? = nil
        init(call: LuaCall, _ n: Int) {
            index = call.slot(n)
            argument = n
        }
        init(index: Int32, argument: Int, field: String) {
            self.index = index
            self.argument = argument
            self.field = field
        }
    }

    func slot(_ n: Int) -> Int32 { base + Int32(clamping: n) }

    /// `lua_type` that is safe for any index at or above 1.
    func rawType(_ index: Int32) -> Int32 {
        index < 1 || index > lua_gettop(L) ? LUA_TNONE : lua_type(L, index)
    }

    func reserve(_ slots: Int32) throws {
        guard lua_checkstack(L, slots) != 0 else { throw LuaError("stack overflow") }
    }

    func argumentError(_ slot: Slot, _ problem: String) -> LuaArgumentError {
        LuaArgumentError(
            argument: slot.argument, function: function,
            problem: slot.field.map { "field '\($0)': \(problem)" } ?? problem)
    }

    func typeError(_ slot: Slot, expected: String) -> LuaArgumentError {
        argumentError(slot, "\(expected) expected, got \(runtime.typeName(L, at: slot.index))")
    }

    private func required<T>(_ n: Int, _ expected: String, _ read: (Slot) throws -> T?) throws -> T {
        let slot = Slot(call: self, n)
        guard let value = try read(slot) else { throw typeError(slot, expected: expected) }
        return value
    }

    private func readString(_ slot: Slot) throws -> String? {
        switch rawType(slot.index) {
        case LUA_TNONE, LUA_TNIL: return nil
        case LUA_TSTRING: return runtime.string(L, at: slot.index)
        default: throw typeError(slot, expected: "string")
        }
    }

    private func readInteger(_ slot: Slot) throws -> Int? {
        switch rawType(slot.index) {
        case LUA_TNONE, LUA_TNIL: return nil
        case LUA_TNUMBER:
            var isInteger: Int32 = 0
            let value = lua_tointegerx(L, slot.index, &isInteger)
            guard isInteger != 0 else { throw argumentError(slot, "number has no integer representation") }
            return Int(value)
        default: throw typeError(slot, expected: "integer")
        }
    }

    private func readNumber(_ slot: Slot) throws -> Double? {
        switch rawType(slot.index) {
        case LUA_TNONE, LUA_TNIL: return nil
        case LUA_TNUMBER: return lua_tonumberx(L, slot.index, nil)
        default: throw typeError(slot, expected: "number")
        }
    }

    private func readBool(_ slot: Slot) throws -> Bool? {
        switch rawType(slot.index) {
        case LUA_TNONE, LUA_TNIL: return nil
        case LUA_TBOOLEAN: return lua_toboolean(L, slot.index) != 0
        default: throw typeError(slot, expected: "boolean")
        }
    }

    /// Field `key` of table argument `n` as a Swift object of the class defined for `type`.
    public func optionalObject<Object: AnyObject>(_ n: Int, field key: String, as type: Object.Type) throws -> Object? {
        try withField(n, key) { slot in
            if rawType(slot.index) <= LUA_TNIL { return nil }
            guard let object = runtime.object(L, at: slot.index, as: type) else {
                throw typeError(slot, expected: runtime.className(of: type))
            }
            return object
        }
    }

    /// Field `key` of table argument `n` as a function reference.
    public func optionalFunction(_ n: Int, field key: String) throws -> LuaRef? {
        try withField(n, key) { slot in
            if rawType(slot.index) <= LUA_TNIL { return nil }
            guard rawType(slot.index) == LUA_TFUNCTION else { throw typeError(slot, expected: "function") }
            return runtime.reference(L, at: slot.index)
        }
    }

    /// The keys of table argument `n` (raw traversal, no metamethods). A key that is not a string
    /// is reported as `"[<type>]"`.
    public func tableKeys(_ n: Int) throws -> [String] {
        let table = Slot(call: self, n)
        guard rawType(table.index) == LUA_TTABLE else { throw typeError(table, expected: "table") }
        try reserve(3)
        var keys: [String] = []
        lua_pushnil(L)
        while lua_next(L, table.index) != 0 {
            if let key = runtime.string(L, at: -2), lua_type(L, -2) == LUA_TSTRING {
                keys.append(key)
            } else {
                keys.append("[\(runtime.typeName(L, at: -2))]")
            }
            CLuaShim_pop(L, 1)
        }
        return keys
    }

    private func withField<T>(_ n: Int, _ key: String, _ read: (Slot) throws -> T?) throws -> T? {
        let table = Slot(call: self, n)
        switch rawType(table.index) {
        case LUA_TNONE, LUA_TNIL: return nil
        case LUA_TTABLE: break
        default: throw typeError(table, expected: "table")
        }
        try reserve(2)
        runtime.pushString(L, key)
        lua_rawget(L, table.index)
        defer { CLuaShim_pop(L, 1) }
        return try read(Slot(index: lua_gettop(L), argument: n, field: key))
    }
}

extension LuaType {
    init(code: Int32) {
        switch code {
        case LUA_TNIL: self = .nil
        case LUA_TBOOLEAN: self = .boolean
        case LUA_TNUMBER: self = .number
        case LUA_TSTRING: self = .string
        case LUA_TTABLE: self = .table
        case LUA_TFUNCTION: self = .function
        case LUA_TUSERDATA, LUA_TLIGHTUSERDATA: self = .userdata
        case LUA_TTHREAD: self = .thread
        default: self = .none
        }
    }
}
