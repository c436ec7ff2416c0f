import CLua
import CLuaShim
import StandbyCore

extension LuaCall {
    /// Field `key` of table argument `n` read as a list of tables, each holding a function under
    /// `functionKey` and JSON values under its other keys (`after = { { kind = "Deployment",
    /// run = function(obj, kube) ... end } }`). Nil when the field is absent.
    func functionList(_ n: Int, field key: String, functionKey: String) throws -> [(fields: JSONObject, function: LuaRef)]? {
        try withFieldTable(n, field: key, expected: "a list of tables") { list, problem in
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
                let label = "\(key)[\(i + 1)]"
                let (functions, fields) = try namedFields(at: entry, label: label, whole: label, functionKeys: [functionKey], problem: problem)
                guard let found = functions[functionKey] else {
                    throw problem("\(label): field '\(functionKey)' is required: function(object, kube) run when the object is ready")
                }
                out.append((fields, found))
            }
            return out
        }
    }
}
