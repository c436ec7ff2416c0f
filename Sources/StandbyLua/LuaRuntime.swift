import CLua
import CLuaShim
import Foundation
import StandbyCore

/// A Swift function callable from Lua.
///
/// It reads its arguments and pushes its results through `call`, and returns how many results it
/// pushed. To fail, throw: a `LuaArgumentError`, a `LuaError`, or any `Error` (its description is
/// used); Lua sees the message prefixed with the calling script's position. Errors never unwind
/// through Swift: the C trampoline raises them after the function has returned.
public typealias LuaFunction = (LuaCall) throws -> Int

/// A Lua 5.4 state running Standby scripts in a sandbox.
///
/// Each script (and each module file) runs in its own environment: the standard libraries are
/// read-only, globals must be declared with `rawset(_ENV, name, value)`, and one script never sees
/// another's globals. `require` finds native modules, then `<dir>/<name>.lua` and
/// `<dir>/<name>/init.lua` in the stdlib folder, the running script's folder and `luaPaths`.
///
/// Native code is added with `registerNativeModule` and `defineClass`:
///
/// ```swift
/// try runtime.registerNativeModule("standby.greeter", functions: [
///     "greet": { call in try call.push("hello, " + (try call.optionalString(1) ?? "world")) },
/// ])
/// ```
/// Closures are kept by the runtime (never turned into C function pointers), so they may capture
/// context; reach the runtime through `call.runtime` rather than capturing it, to avoid a cycle.
///
/// A runtime is used from one thread.
public final class LuaRuntime {
    public let limits: LuaLimits
    public let stdlibPath: String?
    public let luaPaths: [String]

    /// The main thread of the state.
    let mainState: OpaquePointer
    /// The thread running the innermost Swift function, while one runs.
    var currentThread: OpaquePointer?
    /// Swift functions, reached from the trampoline by index.
    var functions: [(name: String, body: LuaFunction)] = []
    /// Userdata classes by Swift type.
    var classes: [ObjectIdentifier: LuaClassInfo] = [:]
    /// The folder of the script `run(file:)` is running, searched by `require`.
    var scriptDirectory: String?
    /// Nesting of protected calls from Swift; 0 means the next call is a top-level entry.
    var activeEntries = 0
    /// Why the host refused memory, when it did ("loading 'x.yaml' needs about 80 MiB, ..."):
    /// added to the final memory error.
    var hostMemoryDetail: String?

    // Registry references.
    var nullRef: Int32 = -1
    var arrayMetatableRef: Int32 = -1
    var objectMetatableRef: Int32 = -1
    var objectCacheRef: Int32 = -1
    var newEnvironmentRef: Int32 = -1
    var preloadRef: Int32 = -1
    /// State of the engine bindings (`standby.refs` registrations, shared iterators).
    var bindings = BindingState()

    static let registry = CLuaShim_registryindex()

    /// Creates a Lua state with the sandbox installed.
    ///
    /// - Parameters:
    ///   - limits: the instruction budget, memory ceiling and `os.getenv` permission.
    ///   - stdlibPath: the folder holding `standby/init.lua`, searched first by `require`.
    ///   - luaPaths: more folders `require` searches, after the running script's own folder.
    public init(limits: LuaLimits = .init(), stdlibPath: String?, luaPaths: [String] = []) throws {
        guard let L = CLuaShim_newstate(limits.hasCeiling ? limits.memoryCeiling : 0) else {
            throw LuaScriptError(kind: .memory, message: "cannot create a Lua state: not enough memory")
        }
        self.limits = limits
        self.stdlibPath = stdlibPath
        self.luaPaths = luaPaths
        self.mainState = L
        let shared = CLuaShim_state(L)!
        shared.pointee.host = Unmanaged.passUnretained(self).toOpaque()
        shared.pointee.dispatch = { L, host, index in
            let runtime = Unmanaged<LuaRuntime>.fromOpaque(host!).takeUnretainedValue()
            return runtime.dispatch(L!, Int(index))
        }
        shared.pointee.release = { object in Unmanaged<AnyObject>.fromOpaque(object!).release() }
        let hostSource = stdlibPath.map { path -> String in
            let absolute = URL(fileURLWithPath: path).standardizedFileURL.path
            return absolute.hasSuffix("/") ? absolute : absolute + "/"
        }
        CLuaShim_configure(L, hostSource, limits.hasCeiling ? limits.ceilingDescription : "(none)")
        try hostSection {
            try installSandbox()
            try installInventoryBinding()
            try installSelectionBinding()
            try installTranslationBinding()
            try installPlanBinding()
            try installSandboxBinding()
            try installPointsBinding()
            try installConnectorsBinding()
        }
    }

    deinit {
        CLuaShim_close(mainState)
    }

    // MARK: - Running scripts

    /// Runs a script file in a fresh environment.
    ///
    /// The chunk is named `@path`, so errors read "path:line: message". The arguments are the
    /// chunk's `...` and the table `arg` (`arg[0]` is `path`), which lives in the script's own
    /// environment.
    /// - Returns: the script's return values, converted to JSON.
    /// - Throws: `LuaScriptError`.
    public func run(file path: String, arguments: [String] = []) throws -> [JSONValue] {
        guard let data = FileManager.default.contents(atPath: path) else {
            throw LuaScriptError(kind: .syntax, message: "cannot read \(path)")
        }
        let folder = (path as NSString).deletingLastPathComponent
        let saved = scriptDirectory
        scriptDirectory = folder.isEmpty ? "." : folder
        defer { scriptDirectory = saved }
        return try run(bytes: [UInt8](data), chunkName: "@" + path, arguments: arguments, arg0: path)
    }

    /// Runs Lua source in a fresh environment.
    ///
    /// - Parameter chunkName: how errors name the chunk: "@path" for a file-like name
    ///   ("path:line:"), "=name" for a literal name; other names get a "=" prefix.
    /// - Returns: the chunk's return values, converted to JSON.
    /// - Throws: `LuaScriptError`.
    public func run(string code: String, chunkName: String = "=(string)", arguments: [String] = []) throws -> [JSONValue] {
        let name = chunkName.hasPrefix("@") || chunkName.hasPrefix("=") ? chunkName : "=" + chunkName
        return try run(bytes: Array(code.utf8), chunkName: name, arguments: arguments, arg0: String(name.dropFirst()))
    }

    private func run(bytes: [UInt8], chunkName: String, arguments: [String], arg0: String) throws -> [JSONValue] {
        let L = currentThread ?? mainState
        return try hostSection {
            let top = lua_gettop(L)
            defer { lua_settop(L, top) }
            guard lua_checkstack(L, Int32(arguments.count) + 8) != 0 else {
                throw LuaScriptError(kind: .runtime, message: "too many arguments")
            }
            let status = bytes.withUnsafeBytes { buffer in
                luaL_loadbufferx(L, buffer.baseAddress?.assumingMemoryBound(to: CChar.self), buffer.count, chunkName, "t")
            }
            guard status == LUA_OK else { throw scriptError(L, status: status) }
            let function = lua_gettop(L)

            lua_rawgeti(L, Self.registry, lua_Integer(newEnvironmentRef))
            _ = try protectedCall(L, arguments: 0, results: 1)
            let environment = lua_gettop(L)
            pushString(L, "arg")
            lua_createtable(L, Int32(arguments.count), 1)
            pushString(L, arg0)
            lua_rawseti(L, -2, 0)
            for (i, argument) in arguments.enumerated() {
                pushString(L, argument)
                lua_rawseti(L, -2, lua_Integer(i + 1))
            }
            lua_rawset(L, environment)
            lua_pushvalue(L, environment)
            if lua_setupvalue(L, function, 1) == nil { CLuaShim_pop(L, 1) }
            lua_settop(L, function)

            for argument in arguments { pushString(L, argument) }
            let count = try protectedCall(L, arguments: Int32(arguments.count))
            return try results(L, from: function, count: count)
        }
    }

    // MARK: - Calling Lua from Swift

    /// Calls a Lua function with JSON arguments and returns its results as JSON.
    ///
    /// Called from outside any script, this is a top-level entry: the instruction budget starts
    /// afresh. Called from a Swift function that Lua called, it runs within the current budget.
    /// - Throws: `LuaScriptError` if the function raises or a result cannot be converted.
    public func call(_ function: LuaRef, _ arguments: [JSONValue] = []) throws -> [JSONValue] {
        try call(function) { call in
            for argument in arguments { try call.push(argument) }
            return arguments.count
        }
    }

    /// Calls a Lua function; `arguments` pushes the arguments (any value, including userdata) and
    /// returns how many it pushed. Returns the results as JSON.
    public func call(_ function: LuaRef, arguments: (LuaCall) throws -> Int) throws -> [JSONValue] {
        guard function.runtime === self else {
            throw LuaScriptError(kind: .runtime, message: "the function belongs to another Lua runtime")
        }
        let L = currentThread ?? mainState
        return try hostSection {
            let top = lua_gettop(L)
            defer { lua_settop(L, top) }
            guard lua_checkstack(L, 4) != 0 else { throw LuaScriptError(kind: .runtime, message: "stack overflow") }
            lua_rawgeti(L, Self.registry, lua_Integer(function.reference))
            let pusher = LuaCall(runtime: self, state: L, function: "call", base: lua_gettop(L))
            let pushed = try arguments(pusher)
            let count = try protectedCall(L, arguments: Int32(pushed))
            return try results(L, from: top + 1, count: count)
        }
    }

    private func results(_ L: OpaquePointer, from first: Int32, count: Int32) throws -> [JSONValue] {
        var values: [JSONValue] = []
        for i in 0..<count {
            do {
                values.append(try toJSON(L, at: first + i))
            } catch {
                throw LuaScriptError(kind: .runtime, message: "return value #\(i + 1): \(error)")
            }
        }
        return values
    }

    /// Calls the function below the top `arguments` values through `CLuaShim_pcall`. On success
    /// the results replace the function and arguments; returns how many there are. On failure the
    /// stack is left without the function and arguments, and a `LuaScriptError` is thrown.
    func protectedCall(_ L: OpaquePointer, arguments: Int32, results: Int32 = LUA_MULTRET) throws -> Int32 {
        let function = lua_gettop(L) - arguments
        guard lua_checkstack(L, 2) != 0 else {
            lua_settop(L, function - 1)
            throw LuaScriptError(kind: .runtime, message: "stack overflow")
        }
        let topLevel = activeEntries == 0
        if topLevel {
            CLuaShim_resetbudget(L, limits.hasBudget ? Int64(limits.instructionBudget) : 0)
            hostMemoryDetail = nil
            if limits.hasBudget || limits.hasCeiling { CLuaShim_sethook(L, 1) }
        }
        activeEntries += 1
        let status = CLuaShim_pcall(L, arguments, results)
        activeEntries -= 1
        if topLevel { CLuaShim_sethook(L, 0) }
        if status == LUA_OK { return lua_gettop(L) - function + 1 }
        let error = scriptError(L, status: status)
        lua_settop(L, function - 1)
        throw error
    }

    /// Builds the error for a failed load or call whose error value is on top.
    func scriptError(_ L: OpaquePointer, status: Int32) -> LuaScriptError {
        let shared = CLuaShim_state(L)!.pointee
        let message = lua_type(L, -1) == LUA_TSTRING ? (string(L, at: -1) ?? "") : "(error object is not a string)"
        var traceback = ""
        if status == LUA_ERRRUN || status == LUA_ERRERR {
            CLuaShim_pushtraceback(L)
            if lua_type(L, -1) == LUA_TSTRING { traceback = Self.cleanTraceback(string(L, at: -1) ?? "") }
            CLuaShim_pop(L, 1)
        }
        // The limit flags are sticky until the next top-level entry, so whatever a script did to
        // the message (caught it, wrapped it, raised something else) the limit is reported.
        let near = withUnsafeBytes(of: shared.where_src) { String(decoding: $0.prefix(while: { $0 != 0 }), as: UTF8.self) }
        let position = !near.isEmpty && shared.where_line > 0 ? "\(near):\(shared.where_line)" : nil
        if shared.budget_exceeded != 0 {
            var text = "instruction budget of \(limits.instructionBudget) exceeded"
            if let position { text = "\(position): " + text }
            return LuaScriptError(kind: .budget, message: text, traceback: traceback)
        }
        if status == LUA_ERRMEM || shared.memory_exceeded != 0 {
            var text = limits.hasCeiling ? "\(memoryErrorPrefix) exceeded" : "not enough memory"
            if let position { text += " near \(position)" }
            // What the host holds for the script is the estate's size, not a runaway script: say how to
            // give a large estate room.
            let raise = "; a larger estate needs a higher ceiling: --memory <MiB> (0: none)"
            if let detail = hostMemoryDetail {
                text += " (\(detail)\(raise))"
            } else if limits.hasCeiling, Int(shared.host_used) > limits.memoryCeiling / 4 {
                text += " (inventories, selections, translations and plans the script holds: about "
                    + "\(HostMemoryEstimate.describe(Int(shared.host_used)))\(raise))"
            }
            return LuaScriptError(kind: .memory, message: text, traceback: traceback)
        }
        return LuaScriptError(kind: status == LUA_ERRSYNTAX ? .syntax : .runtime, message: message, traceback: traceback)
    }

    private var memoryErrorPrefix: String { "memory ceiling of \(limits.ceilingDescription)" }

    /// Drops host frames ("[C]: in ?", "[C]: in function 'error'", the sandbox's own Lua) from both
    /// ends of a traceback, so that it starts at the user's frame.
    static func cleanTraceback(_ traceback: String) -> String {
        var lines = traceback.split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
        guard lines.first == "stack traceback:" else { return traceback }
        lines.removeFirst()
        func isHostFrame(_ line: String) -> Bool {
            line.hasPrefix("\t[C]:") || line.hasPrefix("\t[standby sandbox]:")
        }
        while let first = lines.first, isHostFrame(first) { lines.removeFirst() }
        while let last = lines.last, isHostFrame(last) || last.isEmpty { lines.removeLast() }
        return lines.isEmpty ? "" : (["stack traceback:"] + lines).joined(separator: "\n")
    }

    // MARK: - Swift functions

    /// Runs Swift code that manipulates the Lua stack outside a Lua call: the allocator never
    /// refuses meanwhile, so no push can raise.
    func hostSection<T>(_ body: () throws -> T) rethrows -> T {
        let shared = CLuaShim_state(mainState)!
        shared.pointee.in_host += 1
        defer { shared.pointee.in_host -= 1 }
        return try body()
    }

    /// Adds a Swift function to the dispatch table; returns the index the trampoline uses.
    func addFunction(_ name: String, _ body: @escaping LuaFunction) -> lua_Integer {
        functions.append((name, body))
        return lua_Integer(functions.count - 1)
    }

    /// Pushes a Lua function that calls `body`.
    func pushFunction(_ L: OpaquePointer, _ name: String, _ body: @escaping LuaFunction) {
        CLuaShim_pushfunction(L, addFunction(name, body))
    }

    /// Called by the trampoline (through the dispatcher) with the allocator in host mode.
    fileprivate func dispatch(_ L: OpaquePointer, _ index: Int) -> Int32 {
        let entry = functions[index]
        let saved = currentThread
        currentThread = L
        defer { currentThread = saved }
        do {
            let count = try entry.body(LuaCall(runtime: self, state: L, function: entry.name, base: 0))
            return Int32(max(0, min(count, Int(lua_gettop(L)))))
        } catch let error as LuaMemoryError {
            lua_settop(L, 0)
            pushString(L, error.description)
            return CLUASHIM_ERROR_MEMORY
        } catch let error as LuaScriptError {
            lua_settop(L, 0)
            pushString(L, error.message)
            return CLUASHIM_ERROR_RAW
        } catch {
            lua_settop(L, 0)
            pushString(L, String(describing: error))
            return CLUASHIM_ERROR
        }
    }

    // MARK: - Registration

    /// Registers a native module: `require(name)` returns a read-only table of `functions` and
    /// `values`. Function names are used in argument errors ("bad argument #1 to 'get' …").
    public func registerNativeModule(
        _ name: String, functions: [String: LuaFunction], values: [String: JSONValue] = [:]
    ) throws {
        try hostSection {
            let L = mainState
            guard lua_checkstack(L, 6) != 0 else { throw LuaError("stack overflow") }
            let top = lua_gettop(L)
            defer { lua_settop(L, top) }
            lua_rawgeti(L, Self.registry, lua_Integer(preloadRef))
            pushString(L, name)
            lua_createtable(L, 0, Int32(functions.count + values.count))
            for (key, body) in functions.sorted(by: { $0.key < $1.key }) {
                pushString(L, key)
                pushFunction(L, key, body)
                lua_rawset(L, -3)
            }
            for (key, value) in values.sorted(by: { $0.key < $1.key }) {
                pushString(L, key)
                try pushJSON(L, value)
                lua_rawset(L, -3)
            }
            lua_rawset(L, -3)
        }
    }

    /// Defines a userdata class for Swift objects of type `Object`, named `name` in Lua
    /// (`tostring`, error messages and `getmetatable(obj)` show it).
    ///
    /// ```swift
    /// runtime.defineClass("standby.Resource", for: Resource.self) { cls in
    ///     cls.field("id") { .string($0.id) }
    ///     cls.method("get") { resource, call in try call.push(resource.document[try call.string(1)] ?? .null) }
    /// }
    /// ```
    /// Then `call.push(object: resource)` gives Lua a `standby.Resource` whose fields read like
    /// table fields and whose methods are called as `resource:get("kind")`.
    public func defineClass<Object: AnyObject>(
        _ name: String, for type: Object.Type, _ build: (LuaClass<Object>) throws -> Void
    ) rethrows {
        let cls = LuaClass<Object>(name: name)
        try build(cls)
        hostSection { installClass(cls) }
    }
}
