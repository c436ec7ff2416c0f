import CLua
import CLuaShim
import Foundation
import StandbyCore

extension LuaRuntime {
    /// Opens the allowed libraries, creates the shared values (standby.null, the array/object tags)
    /// and runs the sandbox bootstrap. Called once, in a host section.
    func installSandbox() throws {
        let L = mainState
        guard lua_checkstack(L, 10) != 0 else { throw LuaScriptError(kind: .memory, message: "stack overflow") }
        let status = CLuaShim_openlibs(L)
        guard status == LUA_OK else { throw scriptError(L, status: status) }

        // standby.null: a unique userdata.
        _ = lua_newuserdatauv(L, 0, 0)
        lua_createtable(L, 0, 3)
        setField(L, lua_gettop(L), "__name") { pushString(L, "standby.null") }
        setField(L, lua_gettop(L), "__metatable") { lua_pushboolean(L, 0) }
        setField(L, lua_gettop(L), "__tostring") {
            pushFunction(L, "__tostring") { call in try call.push("standby.null") }
        }
        lua_setmetatable(L, -2)
        nullRef = luaL_ref(L, Self.registry)

        // The shape tags. `__metatable` protects them: getmetatable(t) returns the tag's name.
        for (name, isArray) in [("standby.array", true), ("standby.object", false)] {
            lua_createtable(L, 0, 1)
            setField(L, lua_gettop(L), "__metatable") { pushString(L, name) }
            let ref = luaL_ref(L, Self.registry)
            if isArray { arrayMetatableRef = ref } else { objectMetatableRef = ref }
        }

        // The userdata cache: weak values, keyed by the Swift object's address.
        lua_createtable(L, 0, 0)
        lua_createtable(L, 0, 1)
        setField(L, lua_gettop(L), "__mode") { pushString(L, "v") }
        lua_setmetatable(L, -2)
        objectCacheRef = luaL_ref(L, Self.registry)

        // The bootstrap.
        let loaded = Self.bootstrap.withCString { source in
            luaL_loadbufferx(L, source, strlen(source), "=[standby sandbox]", "t")
        }
        guard loaded == LUA_OK else { throw scriptError(L, status: loaded) }
        lua_createtable(L, 0, 3)
        let host = lua_gettop(L)
        setField(L, host, "allow_getenv") { lua_pushboolean(L, limits.allowGetenv ? 1 : 0) }
        setField(L, host, "preload") { CLuaShim_newtable(L) }
        setField(L, host, "find_module") {
            pushFunction(L, "require") { [unowned self] call in try findModule(call) }
        }
        pushString(L, "preload")
        lua_rawget(L, host)
        preloadRef = luaL_ref(L, Self.registry)
        _ = try protectedCall(L, arguments: 1, results: 1)
        pushString(L, "new_env")
        lua_rawget(L, -2)
        newEnvironmentRef = luaL_ref(L, Self.registry)
        CLuaShim_pop(L, 1)

        try registerNativeModule("standby._host", functions: hostFunctions(), values: ["null": .null])
    }

    /// `require "standby._host"`: what stdlib/standby/init.lua builds the `standby` module from.
    private func hostFunctions() -> [String: LuaFunction] {
        [
            "encode": { call in
                let value = try call.json(1)
                try call.checkTable(2, optional: true)
                let pretty = try call.optionalBool(2, field: "pretty") ?? false
                return try call.push(JSONSerializer.serialize(value, pretty: pretty))
            },
            "decode": { call in
                let text = try call.bytes(1)
                let source = try call.optionalString(2) ?? "<json>"
                try call.runtime.reserveHostMemory(HostMemoryEstimate.jsonTree(text),
                                                   for: "decoding \(text.count) bytes of JSON")
                let value: JSONValue
                do { value = try JSONParser.parse(text, source: source) } catch {
                    throw LuaError("invalid JSON: \(error)")
                }
                return try call.push(value)
            },
            "array": { call in try Self.tagArgument(call, array: true) },
            "object": { call in try Self.tagArgument(call, array: false) },
        ]
    }

    /// standby.array(t) / standby.object(t): tags `t` (or a new table) and returns it.
    private static func tagArgument(_ call: LuaCall, array: Bool) throws -> Int {
        let L = call.L
        try call.reserve(2)
        if call.isNil(1) {
            CLuaShim_newtable(L)
        } else {
            try call.checkTable(1)
            if lua_getmetatable(L, 1) != 0 {
                CLuaShim_pop(L, 1)
                if call.runtime.tagOf(L, at: 1) == nil {
                    throw LuaArgumentError(argument: 1, function: call.function, problem: "table already has a metatable")
                }
            }
            lua_pushvalue(L, 1)
        }
        call.runtime.tag(L, array: array)
        return 1
    }

    /// Finds module `name` on disk: returns its source and path, or nil and the list of places
    /// tried. (Native modules and the cache are handled by `require` in the bootstrap.)
    private func findModule(_ call: LuaCall) throws -> Int {
        let name = try call.string(1)
        guard !name.isEmpty, !name.contains("/"), !name.contains("\\"), !name.utf8.contains(0),
              !name.hasPrefix("."), !name.hasSuffix("."), !name.contains("..")
        else {
            try call.pushNil()
            return try call.push("invalid module name '\(name)'") + 1
        }
        let relative = name.replacingOccurrences(of: ".", with: "/")
        var folders: [String] = []
        if let stdlibPath { folders.append(stdlibPath) }
        if let scriptDirectory { folders.append(scriptDirectory) }
        folders += luaPaths
        var tried = ["\n\tno native module '\(name)'"]
        for folder in folders {
            let base = folder.hasSuffix("/") ? String(folder.dropLast()) : folder
            for candidate in ["\(base)/\(relative).lua", "\(base)/\(relative)/init.lua"] {
                var isDirectory: ObjCBool = false
                if FileManager.default.fileExists(atPath: candidate, isDirectory: &isDirectory), !isDirectory.boolValue,
                   let data = FileManager.default.contents(atPath: candidate) {
                    try call.reserve(2)
                    data.withUnsafeBytes { bytes in
                        _ = lua_pushlstring(call.L, bytes.baseAddress?.assumingMemoryBound(to: CChar.self), bytes.count)
                    }
                    return try call.push(candidate) + 1
                }
                tried.append("\n\tno file '\(candidate)'")
            }
        }
        try call.pushNil()
        return try call.push("module '\(name)' not found:" + tried.joined()) + 1
    }

    /// Runs once per runtime with the real globals as _ENV; returns { new_env = function }.
    /// Everything else stays in upvalues no script can reach.
    static let bootstrap = #"""
local host = ...
local next, type, tostring, select, error, pcall, rawget, rawset, setmetatable, getmetatable =
      next, type, tostring, select, error, pcall, rawget, rawset, setmetatable, getmetatable
local format = string.format
local real_load, real_collectgarbage = load, collectgarbage
local preload, find_module = host.preload, host.find_module

-- No binary chunks can be made, and strings do not expose the real string table.
string.dump = nil
getmetatable("").__metatable = false

local safe_os = { time = os.time, date = os.date, clock = os.clock }
if host.allow_getenv then safe_os.getenv = os.getenv end
local libraries = {
  string = string, table = table, math = math, utf8 = utf8, coroutine = coroutine, os = safe_os,
}

-- Read-only views. Each environment gets its own (empty) proxy tables, so even rawset on one
-- cannot change what another script sees.
-- `pairs` must not return `next, lib`: the state it returns is visible to the script, so the
-- iterator closes over `lib` and the state is the proxy itself.
local function readonly_metatable(name, lib)
  local function iterate(_, key) return next(lib, key) end
  return {
    __index = lib,
    __newindex = function(_, key)
      error(format("attempt to modify read-only table '%s' (field '%s')", name, tostring(key)), 2)
    end,
    __pairs = function(proxy) return iterate, proxy, nil end,
    __metatable = false,
  }
end
local library_metatables = {}
for name, lib in next, libraries do library_metatables[name] = readonly_metatable(name, lib) end

local new_env

local base = {
  assert = assert, error = error, getmetatable = getmetatable, ipairs = ipairs, next = next,
  pairs = pairs, pcall = pcall, print = print, rawequal = rawequal, rawget = rawget,
  rawlen = rawlen, rawset = rawset, select = select, tonumber = tonumber, tostring = tostring,
  type = type, xpcall = xpcall, warn = warn, _VERSION = _VERSION,
}

-- Finalizers run with hooks off, so the instruction budget could not stop one: refuse __gc.
function base.setmetatable(t, mt)
  if type(mt) == "table" and rawget(mt, "__gc") ~= nil then
    error("__gc metamethods are not allowed in the Standby sandbox", 2)
  end
  local ok, result = pcall(setmetatable, t, mt)
  if not ok then error(result, 2) end
  return result
end

-- Text chunks only; without an explicit env, the chunk gets a fresh sandbox environment.
function base.load(...)
  local chunk, chunkname, _, env = ...
  if select("#", ...) < 4 then env = new_env() end
  local ok, fn, message = pcall(real_load, chunk, chunkname, "t", env)
  if not ok then error(fn, 2) end
  return fn, message
end

local gc_options = { count = true, collect = true, step = true, isrunning = true }
function base.collectgarbage(option, ...)
  if option == nil then option = "collect" end
  if not gc_options[option] then
    error(format("bad argument #1 to 'collectgarbage' (option '%s' is not allowed in the Standby sandbox)",
      tostring(option)), 2)
  end
  local ok, result = pcall(real_collectgarbage, option, ...)
  if not ok then error(result, 2) end
  return result
end

local unavailable = {
  io = true, debug = true, package = true, ffi = true, jit = true, lfs = true, socket = true,
  posix = true,
}
local loaded, loading = {}, {}

-- Frozen modules. Native modules and the stdlib's modules (the `standby` module) are shared by
-- every script and every module a script requires (customer rules among them). Their tables are
-- frozen, and each `require` hands out its own tree of read-only views: a view is an empty table
-- whose metatable reaches the real table through a closure, so rawset on a view changes that view
-- only, and no script can reach a real table to change what another sees.
local frozen = setmetatable({}, { __mode = "k" })   -- real table -> true
local real_of = setmetatable({}, { __mode = "k" })  -- view -> its real table

local view
local function view_metatable(name, t, views)
  local function wrap(key, value)
    if type(value) == "table" and frozen[value] then return view(name .. "." .. tostring(key), value, views) end
    return value
  end
  local function iterate(_, key)
    local k, v = next(t, key)
    if k == nil then return nil end
    return k, wrap(k, v)
  end
  return {
    __index = function(_, key) return wrap(key, t[key]) end,
    __newindex = function(_, key)
      error(format("attempt to modify read-only table '%s' (field '%s')", name, tostring(key)), 2)
    end,
    __pairs = function(proxy) return iterate, proxy, nil end,
    __len = function() return #t end,
    __metatable = false,
  }
end

-- The view of frozen table `t` in the tree `views` (one tree per require: the same field read
-- twice gives the same view).
function view(name, t, views)
  local v = views[t]
  if v == nil then
    v = setmetatable({}, view_metatable(name, t, views))
    views[t] = v
    real_of[v] = t
  end
  return v
end

-- Freezes `t` and the plain tables it holds (views it holds are replaced by their real tables).
local function freeze(t)
  if frozen[t] then return t end
  frozen[t] = true
  for key, value in next, t do
    if type(value) == "table" then
      local real = real_of[value]
      if real then rawset(t, key, real) elseif getmetatable(value) == nil then freeze(value) end
    end
  end
  return t
end

-- A fresh view tree of a loaded value (the value itself if it is not frozen).
local function handed_out(name, value)
  local real = real_of[value]
  if real then return view(name, real, {}) end
  return value
end

-- The stdlib freezes the `standby` module and its own modules with this (stdlib/standby/init.lua).
loaded["standby._readonly"] = function(name, t) return view(name, freeze(t), {}) end

function base.require(name)
  if type(name) ~= "string" then
    error(format("bad argument #1 to 'require' (string expected, got %s)", type(name)), 2)
  end
  local value = loaded[name]
  if value ~= nil then return handed_out(name, value) end
  if library_metatables[name] then return setmetatable({}, library_metatables[name]) end
  if unavailable[name] then
    error(format("module '%s' is not available in the Standby sandbox", name), 2)
  end
  local native = rawget(preload, name)
  if native ~= nil then
    value = view(name, freeze(native), {})
    loaded[name] = value
    return handed_out(name, value)
  end
  if loading[name] then
    error(format("loop or previous error loading module '%s'", name), 2)
  end
  local source, path = find_module(name)
  if source == nil then error(path, 2) end
  local chunk, message = real_load(source, "@" .. path, "t", new_env())
  if not chunk then
    error(format("error loading module '%s' from file '%s':\n\t%s", name, path, message), 2)
  end
  loading[name] = true
  value = chunk(name, path)
  if value == nil then value = true end
  loaded[name] = value
  loading[name] = nil
  -- One value, whether loaded now or before (Lua 5.4 also returns the file on first load), so
  -- `{ require "rules.a", require "rules.b" }` is a list of modules every time.
  return handed_out(name, value)
end

local builtins_metatable = { __index = base }
local function undeclared(_, key)
  error(format("assignment to undeclared global '%s'", tostring(key)), 2)
end

function new_env()
  local builtins = setmetatable({}, builtins_metatable)
  for name, metatable in next, library_metatables do builtins[name] = setmetatable({}, metatable) end
  local env = setmetatable({}, { __index = builtins, __newindex = undeclared, __metatable = false })
  rawset(env, "_G", env)
  return env
end

return { new_env = new_env }
"""#
}
