import CLua
import CLuaShim
import StandbyCore

extension LuaCall {
    /// Field `key` of table argument `n` read as a table of named fields: the functions under
    /// `functionKeys` as references, every other field as JSON (`hooks = { before = function(ctx)
    /// ... end, kube = { context = "prod" } }`). Nil when the field is absent.
    func functionTable(_ n: Int, field key: String, functionKeys: [String]) throws -> (functions: [String: LuaRef], fields: JSONObject)? {
        try withFieldTable(n, field: key, expected: "a table") { entry, problem in
            try namedFields(at: entry, label: key, whole: "field '\(key)'", functionKeys: Set(functionKeys), problem: problem)
        }
    }

    /// Runs `body` with field `key` of table argument `n` on the stack (its index), when it is a
    /// table; nil when the field is absent; an argument error when it is something else. The
    /// stack is restored afterwards.
    func withFieldTable<T>(_ n: Int, field key: String, expected: String,
                           _ body: (Int32, (String) -> LuaArgumentError) throws -> T) throws -> T? {
        let table = Slot(call: self, n)
        guard rawType(table.index) == LUA_TTABLE else { return nil }
        try reserve(6)
        let top = lua_gettop(L)
        defer { lua_settop(L, top) }
        runtime.pushString(L, key)
        lua_rawget(L, table.index)
        let entry = lua_gettop(L)
        if lua_type(L, entry) <= LUA_TNIL { return nil }
        func problem(_ text: String) -> LuaArgumentError { LuaArgumentError(argument: n, function: function, problem: text) }
        guard lua_type(L, entry) == LUA_TTABLE else {
            throw problem("field '\(key)' must be \(expected), got \(runtime.typeName(L, at: entry))")
        }
        return try body(entry, problem)
    }

    /// The named fields of the table at `entry`: functions under `functionKeys` as references,
    /// every other field as JSON. Errors name a field as `label.name` and the table as `whole`.
    func namedFields(at entry: Int32, label: String, whole: String, functionKeys: Set<String>,
                     problem: (String) -> LuaArgumentError) throws -> (functions: [String: LuaRef], fields: JSONObject) {
        var functions: [String: LuaRef] = [:]
        var fields = JSONObject()
        lua_pushnil(L)
        while lua_next(L, entry) != 0 {
            guard lua_type(L, -2) == LUA_TSTRING, let name = runtime.string(L, at: -2) else {
                throw problem("\(whole) must have named fields only")
            }
            if functionKeys.contains(name) {
                guard lua_type(L, -1) == LUA_TFUNCTION else {
                    throw problem("\(label).\(name) must be a function, got \(runtime.typeName(L, at: -1))")
                }
                functions[name] = runtime.reference(L, at: lua_gettop(L))
            } else {
                do {
                    fields[name] = try runtime.toJSON(L, at: lua_gettop(L))
                } catch let error as LuaJSONError {
                    throw problem("\(label).\(name): \(error.message)")
                }
            }
            CLuaShim_pop(L, 1)
        }
        return (functions, fields)
    }
}
