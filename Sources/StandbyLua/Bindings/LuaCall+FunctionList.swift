import CLua
import CLuaShim
import StandbyCore

extension LuaCall {
    /// Field `key` of table argument `n` read as a list of tables, each holding a function under
    /// `functionKey` and JSON values under its other keys (`after = { { kind = "Deployment",
    /// run = function(obj, kube) ... end } }`). Nil when the field is absent.
    func functionList(_ n: Int, field key: String, functionKey: String) throws -> [(fields: JSONObject, function: LuaRef)]? {
        let table = Slot(call: self, n)
        guard rawType(table.index) == LUA_TTABLE else { return nil }
        try reserve(6)
        let top = lua_gettop(L)
        defer { lua_settop(L, top) }
        runtime.pushString(L, key)
        lua_rawget(L, table.index)
        let list = lua_gettop(L)
        if lua_type(L, list) <= LUA_TNIL { return nil }
        func problem(_ text: String) -> LuaArgumentError { LuaArgumentError(argument: n, function: function, problem: text) }
        guard lua_type(L, list) == LUA_TTABLE else {
            throw problem("field '\(key)' must be a list of tables, got \(runtime.typeName(L, at: list))")
        }
        var out: [(JSONObject, LuaRef)] = []
        let count = Int(lua_rawlen(L, list))
        lua_pushnil(L)
        if count == 0, lua_next(L, list) != 0 {
            throw problem("field '\(key)' must be a list of tables ({ { kind = ..., \(functionKey) = function ... end } }), got a table with named fields")
        }
        for i in 0..<count {
            lua_settop(L, list)
            lua_rawgeti(L, list, lua_Integer(i + 1))
            let entry = lua_gettop(L)
            guard lua_type(L, entry) == LUA_TTABLE else {
                throw problem("\(key)[\(i + 1)] must be a table, got \(runtime.typeName(L, at: entry))")
            }
            var fields = JSONObject()
            var found: LuaRef?
            lua_pushnil(L)
            while lua_next(L, entry) != 0 {
                guard lua_type(L, -2) == LUA_TSTRING, let name = runtime.string(L, at: -2) else {
                    throw problem("\(key)[\(i + 1)] must have named fields only")
                }
                if name == functionKey {
                    guard lua_type(L, -1) == LUA_TFUNCTION else {
                        throw problem("\(key)[\(i + 1)].\(functionKey) must be a function, got \(runtime.typeName(L, at: -1))")
                    }
                    found = runtime.reference(L, at: lua_gettop(L))
                } else {
                    do {
                        fields[name] = try runtime.toJSON(L, at: lua_gettop(L))
                    } catch let error as LuaJSONError {
                        throw problem("\(key)[\(i + 1)].\(name): \(error.message)")
                    }
                }
                CLuaShim_pop(L, 1)
            }
            guard let found else {
                throw problem("\(key)[\(i + 1)]: field '\(functionKey)' is required: function(object, kube) run when the object is ready")
            }
            out.append((fields, found))
        }
        return out
    }
}
