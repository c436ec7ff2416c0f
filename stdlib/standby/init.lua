--- The `standby` module: the Lua face of Standby's SDK.
---
---     local standby = require "standby"
---
--- Built from the native module `standby._host` (implemented in Swift, see StandbyLua) plus helpers
--- written in Lua. Annotations for editors live in `_meta.lua`. The module is read-only: scripts
--- share it, so none may change what another sees.
local host = require "standby._host"

local error, format, ipairs, tostring, type, concat =
  error, string.format, ipairs, tostring, type, table.concat

local standby = {}

--- JSON null. A unique value: `value == standby.null` tests for it, `tostring` gives "standby.null".
standby.null = host.null

--- Marks a table (or a new one) as a JSON array, so that an empty one encodes as `[]`.
standby.array = host.array

--- Marks a table (or a new one) as a JSON object, so that an empty one encodes as `{}`.
standby.object = host.object

standby.json = {
  --- `standby.json.encode(value, { pretty = true })`
  encode = host.encode,
  --- `standby.json.decode(text [, source])`
  decode = host.decode,
  null = host.null,
}

--- Checks an argument and blames the caller of the function doing the check:
---
---     standby.validate("opts", opts, "table", true)
---
--- fails with "opts: expected table, got number" at the line that called that function.
function standby.validate(name, value, expected, optional)
  if value == nil and optional then return end
  local actual = type(value)
  if type(expected) == "table" then
    for _, candidate in ipairs(expected) do
      if actual == candidate then return end
    end
    expected = concat(expected, "|")
  elseif actual == expected then
    return
  end
  error(format("%s: expected %s, got %s", tostring(name), tostring(expected), actual), 3)
end

--- The `key=value` arguments a runbook was given (what `standby fleet run` passes), as a table;
--- an error at the caller's line for an argument that is not `key=value` or a `required` key that
--- is missing:
---
---     local settings = standby.settings(arg, { "cluster", "store", "keys" })
function standby.settings(args, required)
  standby.validate("args", args, "table")
  standby.validate("required", required, "table", true)
  local settings = {}
  for _, a in ipairs(args) do
    local k, v = tostring(a):match("^([%w_]+)=(.*)$")
    if not k then error(format("argument '%s' is not key=value (standby fleet run passes them)", tostring(a)), 2) end
    settings[k] = v
  end
  for _, key in ipairs(required or {}) do
    if not settings[key] then error(format("missing %s=... among the arguments", key), 2) end
  end
  return settings
end

-- Engine bindings. Native functions are exposed directly (not wrapped in Lua), so the errors they
-- raise name the caller's line. See _meta.lua for their annotations.

--- Resource inventories: `standby.inventory.load(path, opts)`.
standby.inventory = require "standby._inventory"

--- Selection and the dependency walker: `standby.select{ inventory = inv, roots = {...}, ... }`.
standby.select = (require "standby._select").select

--- Reference extractors for kinds the walker does not know: `standby.refs.register{...}`.
standby.refs = require "standby.refs"

--- Translation into the recovery environment: `standby.rule{...}`, `standby.map_id(from, to)`,
--- `standby.translate{ selection = sel, to = {...}, rules = {...} }`.
local translation = require "standby._translate"
standby.rule = translation.rule
standby.map_id = translation.map_id
standby.translate = translation.translate

--- Recovery plans: `standby.plan{ translation = t }`, then `plan:write(dir)`.
standby.plan = (require "standby._plan").plan

--- Recovery points: `standby.capture{...}` stores a signed, encrypted point; `standby.points.open(url, opts)`
--- lists, verifies, opens and prunes them.
local points = require "standby._points"
standby.capture = points.capture
standby.points = { open = points.open }

--- Live connectors: inventories read from the APIs (`standby.aws.discover{...}`,
--- `standby.kube.discover{...}`, `standby.azure.discover{...}`), combined with
--- `standby.inventory.merge`; `plan:apply{ target = ... }` writes the recovery environment.
local connectors = require "standby._connectors"
standby.aws = { discover = connectors.aws_discover }
standby.kube = { discover = connectors.kube_discover }
standby.azure = { discover = connectors.azure_discover }

--- The network sandbox of a failover test: `standby.sandbox.firewall{ plan = plan, allow = {...} }`.
standby.sandbox = { firewall = (require "standby._sandbox").firewall }

--- Egress allowlists for the sandbox: `standby.allowlists.aks(region) + standby.allowlists.addons(plan)`.
standby.allowlists = require "standby.allowlists"

-- Frozen: scripts and the modules they require share this module, so each `require "standby"`
-- gets its own read-only views (rawset on one changes nothing another sees; `pairs` never hands
-- out the real tables).
return require("standby._readonly")("standby", standby)
