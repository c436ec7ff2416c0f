---@meta
-- Annotations for the `standby` module (LuaLS). Stubs only: the functions are implemented in
-- Swift (StandbyLua) and in stdlib/standby/init.lua.

---@class standby
local standby = {}

---JSON null: decoding `null` gives this value, and encoding it gives `null`.
---`tostring(standby.null)` is "standby.null".
---@type userdata
standby.null = nil

---Marks `t` (or a new table) as a JSON array, so that it encodes as `[]` even when empty.
---Raises if `t` already has another metatable.
---@generic T: table
---@param t? T
---@return T
function standby.array(t) end

---Marks `t` (or a new table) as a JSON object, so that it encodes as `{}` even when empty.
---Raises if `t` already has another metatable.
---@generic T: table
---@param t? T
---@return T
function standby.object(t) end

---Checks a value's type; on failure raises "name: expected table, got number" blaming the
---caller of the function that called `validate`.
---@param name string The argument's name, for the message.
---@param value any
---@param expected type|type[] A type name as `type()` returns it, or a list of them.
---@param optional? boolean Whether nil is accepted.
function standby.validate(name, value, expected, optional) end

---@class standby.json
standby.json = {}

---@class standby.json.EncodeOpts
---@inlinedoc
---Indent the output (default false).
---@field pretty? boolean

---Encodes a value as JSON text. Tables tagged by `standby.array`/`standby.object` (and decoded
---ones) keep their shape; untagged tables with keys 1..n are arrays, others objects (an empty one
---is `{}`). Object keys are sorted. Integers and floats stay apart (`1` vs `1.0`).
---Raises with the path on values JSON cannot hold: functions, NaN, infinities, cycles, keys that are
---neither strings nor integers, nil holes in arrays, nesting deeper than 200.
---@param value any
---@param opts? standby.json.EncodeOpts
---@return string
function standby.json.encode(value, opts) end

---Decodes JSON text. `null` becomes `standby.null`; arrays and objects are tagged so that they
---encode back to the same shape; integers that fit in 64 bits are Lua integers.
---@param text string
---@param source? string A name for error messages (default "<json>").
---@return any
function standby.json.decode(text, source) end

---The JSON null, also reachable as `standby.null`.
standby.json.null = standby.null

return standby
