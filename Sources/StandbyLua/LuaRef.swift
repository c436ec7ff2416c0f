import CLua
import CLuaShim

/// A Lua value (usually a function or a table) kept alive for Swift, e.g. a rule's callback to
/// call later with `LuaRuntime.call`. Released when the reference is.
public final class LuaRef {
    weak var runtime: LuaRuntime?
    let reference: Int32

    init(runtime: LuaRuntime, reference: Int32) {
        self.runtime = runtime
        self.reference = reference
    }

    deinit {
        guard let runtime else { return }
        runtime.hostSection { luaL_unref(runtime.mainState, LuaRuntime.registry, reference) }
    }
}

extension LuaRuntime {
    /// A reference to the value at `index`.
    func reference(_ L: OpaquePointer, at index: Int32) -> LuaRef {
        lua_pushvalue(L, index)
        return LuaRef(runtime: self, reference: luaL_ref(L, Self.registry))
    }

    // MARK: Strings and type names

    func pushString(_ L: OpaquePointer, _ string: String) {
        var string = string
        string.withUTF8 { bytes in
            _ = lua_pushlstring(L, UnsafeRawPointer(bytes.baseAddress)?.assumingMemoryBound(to: CChar.self), bytes.count)
        }
    }

    /// The string at `index` (which must be a string: numbers are not converted), with invalid
    /// UTF-8 repaired.
    func string(_ L: OpaquePointer, at index: Int32) -> String? {
        guard lua_type(L, index) == LUA_TSTRING else { return nil }
        var length = 0
        guard let pointer = lua_tolstring(L, index, &length) else { return nil }
        return String(decoding: UnsafeRawBufferPointer(start: pointer, count: length), as: UTF8.self)
    }

    /// The string at `index` if it is valid UTF-8.
    func validString(_ L: OpaquePointer, at index: Int32) -> String? {
        guard lua_type(L, index) == LUA_TSTRING else { return nil }
        var length = 0
        guard let pointer = lua_tolstring(L, index, &length) else { return nil }
        let bytes = UnsafeRawBufferPointer(start: pointer, count: length).bindMemory(to: UInt8.self)
        // ASCII (nearly every key and value) is valid as it is; only other text is validated.
        if bytes.allSatisfy({ $0 < 0x80 }) { return String(decoding: bytes, as: UTF8.self) }
        return String(validating: bytes, as: UTF8.self)
    }

    /// The type name Lua's own errors use: `__name` from the metatable if it is a string, else
    /// `type()`'s name; "no value" for an absent argument.
    func typeName(_ L: OpaquePointer, at index: Int32) -> String {
        let absolute = lua_absindex(L, index)
        guard absolute >= 1, absolute <= lua_gettop(L) else { return "no value" }
        let type = lua_type(L, absolute)
        if type == LUA_TLIGHTUSERDATA { return "light userdata" }
        if lua_checkstack(L, 2) != 0, lua_getmetatable(L, absolute) != 0 {
            pushString(L, "__name")
            lua_rawget(L, -2)
            let name = string(L, at: -1)
            CLuaShim_pop(L, 2)
            if let name { return name }
        }
        return String(cString: lua_typename(L, type))
    }
}
