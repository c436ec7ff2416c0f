--- A live EKS failover: from the running source cluster to a new one in the recovery account and
--- region, with nothing captured beforehand.
---
---     standby run scripts/live-failover.lua [settings-module]
---
--- The settings module (default `live.settings`: scripts/live/settings.lua; start from
--- scripts/live/settings.example.lua) says where the cluster runs, where it goes, and the network
--- ids to use there. Scripts read no files: a settings module outside this folder is found
--- through `--lua-path <its folder>` and given by name.
---
--- 1. Discover the source account (the cluster, its node groups and Fargate profiles, network,
---    roles, keys) and the cluster's Kubernetes objects, and merge them into one inventory.
--- 2. Select the cluster and the namespaces the settings name.
--- 3. Translate the selection into the recovery account and region for a failover, with the
---    settings' ids as `standby.map_id` mappings (subnets, security groups, the VPC, keys).
--- 4. Build the plan and write it to the settings' `out` folder, for the record.
--- 5. Apply it: the EKS cluster, its OIDC provider, node groups and Fargate profiles as the
---    recovery role, then the Kubernetes objects to the recovery cluster by server-side apply.
---    What exists already is skipped, so running it again is safe. Fails (exit status 1) when
---    anything failed, naming each failure.
local standby = require "standby"

local here = arg[0]:match("^(.*)/[^/]*$") or "."

--- The module name for the settings argument: a module name as it is, or the path of a `.lua`
--- file under this script's folder made into one (scripts/live/prod.lua -> live.prod).
---@param given string a module name or a path
---@return string name
local function settings_module(given)
  if not given:find("/", 1, true) and not given:match("%.lua$") then return given end
  local relative = given:sub(1, #here + 1) == here .. "/" and given:sub(#here + 2)
  local stem = relative and relative:match("^(.*)%.lua$")
  if stem and not stem:find(".", 1, true) then return (stem:gsub("/", ".")) end
  if stem then
    error(string.format("settings '%s': a module's file name cannot hold dots (require reads them as "
      .. "folders); copy it, e.g. to %s/live/settings.lua", given, here), 0)
  end
  error(string.format("settings '%s': give a module name; for a file outside %s, run "
    .. "standby run --lua-path <its folder> %s <its name without .lua>", given, here, arg[0]), 0)
end

--- A copy of `t` with the fields of `extra` added.
---@param t table?
---@param extra table
---@return table
local function with(t, extra)
  local out = {}
  for k, v in pairs(t or {}) do out[k] = v end
  for k, v in pairs(extra) do out[k] = v end
  return out
end

--- Raises an error naming field `path` (`"source.cluster"`) of the settings when it is missing.
---@param settings table
---@param path string
local function check(settings, path)
  local value = settings
  for key in path:gmatch("[^.]+") do value = type(value) == "table" and value[key] or nil end
  if value == nil then error(string.format("settings: '%s' is missing (see %s/live/settings.example.lua)", path, here), 0) end
end

local settings = require(settings_module(arg[1] or "live.settings"))
for _, path in ipairs{ "source.cluster", "source.aws", "source.kube", "recovery.account", "recovery.region",
                       "recovery.aws", "recovery.kube" } do
  check(settings, path)
end
local source, recovery = settings.source, settings.recovery

-- 1. Discovery, live: the cloud side, then the cluster's objects filed under the same cluster
--    name so the merged inventory links them to the EKS cluster.
local inv = standby.inventory.merge(
  standby.aws.discover(with(source.aws, { cluster = source.cluster })),
  standby.kube.discover(with(source.kube, { cluster = source.cluster, namespaces = source.namespaces })))
local summary = inv:summary()
print(string.format("discovered %s: %d resources, %d Kubernetes objects", source.cluster, summary.total,
  (summary.clusters[source.cluster] or { objects = 0 }).objects))

-- 2. Selection: the cluster (with what it references) and the namespaces.
local eks = inv:get(source.cluster) or error("no EKS cluster " .. source.cluster .. " in the source account", 0)
local sel = standby.select{ inventory = inv, roots = { eks.id }, namespaces = source.namespaces }
local s = sel:summary()
print(string.format("selected %d, pulled in %d, %d dangling", s.selected, s.pulled_in, s.dangling))

-- 3. Translation for a failover, the settings' ids first-class (sorted, so the plan is the same
--    from run to run).
local from_ids = {}
for from in pairs(settings.ids or {}) do from_ids[#from_ids + 1] = from end
table.sort(from_ids)
local rules = {}
for _, from in ipairs(from_ids) do rules[#rules + 1] = standby.map_id(from, settings.ids[from]) end
local t = standby.translate{
  selection = sel,
  mode = "failover",
  to = { aws = { account = recovery.account, region = recovery.region } },
  rules = rules,
}
print(string.format("translated into %s %s: %d resources, %d changed, %d issues", recovery.account,
  recovery.region, t.summary.resources, t.summary.changed, t.summary.issues))
for _, i in ipairs(t.issues) do print(string.format("  issue %s: %s", i.feature, i.message)) end

-- 4. The plan, written for the record.
local plan = standby.plan{ translation = t }
local out = settings.out or "out/live-failover"
local files = plan:write(out)
print(string.format("plan: %d EKS requests, %d Kubernetes manifests, %d items need a person; wrote %d files to %s",
  plan.summary.eks_requests, plan.summary.kubernetes_manifests, plan.summary.needs_a_person, #files, out))

-- 5. Apply, and fail loudly on any failure.
local result = plan:apply{
  target = { aws = recovery.aws, kube = recovery.kube },
  existing = settings.existing or "skip",
}
print("apply: " .. result.summary)
local failures = {}
for _, r in ipairs(result.failed) do
  failures[#failures + 1] = string.format("  %s %s %s: %s", r.target, r.kind, r.id, r.message)
end
if #failures > 0 then
  error(string.format("live failover: %d of %d failed:\n%s", #failures, #result.records,
    table.concat(failures, "\n")), 0)
end
