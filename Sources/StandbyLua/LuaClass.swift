import CLua
import CLuaShim
import StandbyCore

/// A userdata class being defined with `LuaRuntime.defineClass`: the fields and methods Lua sees
/// on a Swift object of type `Object`.
///
/// Fields read like table fields (`resource.id`); methods are called with a colon
/// (`resource:get("kind")`), and their `LuaCall` numbers arguments after `self`. Reading a name
/// that is neither raises "standby.Resource has no field or method 'x'"; objects are read-only.
public final class LuaClass<Object: AnyObject> {
    public let name: String
    var methods: [(name: String, body: (Object, LuaCall) throws -> Int)] = []
    var fields: [String: (Object, LuaCall) throws -> Int] = [:]
    var describe: ((Object) -> String)?

    init(name: String) { self.name = name }

    /// A method, called as `object:name(...)`. Push the results and return their count.
    public func method(_ name: String, _ body: @escaping (Object, LuaCall) throws -> Int) {
        methods.append((name, body))
    }

    /// A field whose value is JSON.
    public func field(_ name: String, _ value: @escaping (Object) throws -> JSONValue) {
        fields[name] = { object, call in try call.push(try value(object)) }
    }

    /// A field that pushes its value itself (e.g. another object); push one value and return 1.
    public func field(_ name: String, push: @escaping (Object, LuaCall) throws -> Int) {
        fields[name] = push
    }

    /// What `tostring(object)` returns (default: "<name>: 0x…").
    public func toString(_ body: @escaping (Object) -> String) {
        describe = body
    }
}

/// What the runtime keeps about a defined class.
struct LuaClassInfo {
    let name: String
    let metatableRef: Int32
}

extension LuaRuntime {
    func installClass<Object: AnyObject>(_ cls: LuaClass<Object>) {
        let L = mainState
        let top = lua_gettop(L)
        defer { lua_settop(L, top) }
        _ = lua_checkstack(L, 8)
        let className = cls.name

        // Methods, called with self as argument 1.
        lua_createtable(L, 0, Int32(cls.methods.count))
        let methodsTable = lua_gettop(L)
        for (name, body) in cls.methods {
            pushString(L, name)
            pushFunction(L, name) { call in
                guard let object = call.runtime.object(call.L, at: 1, as: Object.self) else {
                    throw LuaArgumentError(
                        argument: 0, function: name,
                        problem: "\(className) expected, got \(call.runtime.typeName(call.L, at: 1))")
                }
                return try body(object, call.shifted(by: 1))
            }
            lua_rawset(L, methodsTable)
        }

        lua_createtable(L, 0, 6)
        let metatable = lua_gettop(L)
        setField(L, metatable, "__name") { pushString(L, className) }
        setField(L, metatable, "__metatable") { pushString(L, className) }
        setField(L, metatable, "__gc") { CLuaShim_pushgc(L) }
        let fields = cls.fields
        setField(L, metatable, "__index") {
            lua_pushvalue(L, methodsTable)
            let methodsRef = luaL_ref(L, Self.registry)
            pushFunction(L, "__index") { call in
                let L = call.L
                guard let object = call.runtime.object(L, at: 1, as: Object.self) else {
                    throw LuaError("\(className) expected, got \(call.runtime.typeName(L, at: 1))")
                }
                guard lua_type(L, 2) == LUA_TSTRING, let key = call.runtime.string(L, at: 2) else {
                    throw LuaError("\(className) has no field \(call.runtime.typeName(L, at: 2))")
                }
                if let field = fields[key] { return try field(object, call.shifted(by: 2)) }
                try call.reserve(2)
                lua_rawgeti(L, Self.registry, lua_Integer(methodsRef))
                lua_pushvalue(L, 2)
                lua_rawget(L, -2)
                guard lua_type(L, -1) != LUA_TNIL else {
                    throw LuaError("\(className) has no field or method '\(key)'")
                }
                return 1
            }
        }
        setField(L, metatable, "__newindex") {
            pushFunction(L, "__newindex") { call in
                let key = call.runtime.string(call.L, at: 2) ?? "?"
                throw LuaError("cannot set '\(key)': \(className) is read-only")
            }
        }
        if let describe = cls.describe {
            setField(L, metatable, "__tostring") {
                pushFunction(L, "__tostring") { call in
                    guard let object = call.runtime.object(call.L, at: 1, as: Object.self) else {
                        throw LuaError("\(className) expected")
                    }
                    return try call.push(describe(object))
                }
            }
        }
        let metatableRef = luaL_ref(L, Self.registry)
        classes[ObjectIdentifier(Object.self)] = LuaClassInfo(name: className, metatableRef: metatableRef)
    }

    /// t[key] = (value pushed by `push`), with rawset, for the table at absolute `table`.
    func setField(_ L: OpaquePointer, _ table: Int32, _ key: String, _ push: () -> Void) {
        pushString(L, key)
        push()
        lua_rawset(L, table)
    }

    func className<Object: AnyObject>(of type: Object.Type) -> String {
        classes[ObjectIdentifier(type)]?.name ?? String(describing: type)
    }

    /// Pushes `object` as userdata of its class. The same object gives the same userdata while Lua
    /// holds it (a weak cache keyed by the object's address).
    func pushObject(_ L: OpaquePointer, _ object: AnyObject) throws {
        guard let info = classes[ObjectIdentifier(type(of: object))] else {
            throw LuaError("no Lua class is defined for \(type(of: object))")
        }
        guard lua_checkstack(L, 4) != 0 else { throw LuaError("stack overflow") }
        let address = Unmanaged.passUnretained(object).toOpaque()
        lua_rawgeti(L, Self.registry, lua_Integer(objectCacheRef))
        if lua_rawgetp(L, -1, address) == LUA_TUSERDATA {
            CLuaShim_remove(L, -2)
            return
        }
        CLuaShim_pop(L, 1)
        let box = lua_newuserdatauv(L, MemoryLayout<CLuaShim_Box>.size, 0)!.assumingMemoryBound(to: CLuaShim_Box.self)
        box.pointee = CLuaShim_Box(object: Unmanaged.passRetained(object).toOpaque(), bytes: 0)
        chargeHostMemory(for: object, box: box)
        lua_rawgeti(L, Self.registry, lua_Integer(info.metatableRef))
        lua_setmetatable(L, -2)
        lua_pushvalue(L, -1)
        lua_rawsetp(L, -3, address)
        CLuaShim_remove(L, -2)
    }

    /// The Swift object in the userdata at `index`, if it is of the class defined for `type`.
    func object<Object: AnyObject>(_ L: OpaquePointer, at index: Int32, as type: Object.Type) -> Object? {
        guard index >= 1, index <= lua_gettop(L), lua_type(L, index) == LUA_TUSERDATA,
              let info = classes[ObjectIdentifier(type)], lua_getmetatable(L, index) != 0
        else { return nil }
        lua_rawgeti(L, Self.registry, lua_Integer(info.metatableRef))
        let same = lua_rawequal(L, -1, -2) != 0
        CLuaShim_pop(L, 2)
        guard same, let box = lua_touserdata(L, index),
              let pointer = box.load(as: UnsafeMutableRawPointer?.self)
        else { return nil }
        return Unmanaged<AnyObject>.fromOpaque(pointer).takeUnretainedValue() as? Object
    }
}
