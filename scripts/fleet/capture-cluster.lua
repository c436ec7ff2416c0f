--- The capture a fleet's scheduled job runs (standby fleet render puts it in the cluster's
--- runbook ConfigMap; standby fleet run runs it). It gets its settings as key=value arguments:
---
---     cluster=NAME cloud=aks|eks|kubernetes [id=ID] kubeconfig=PATH store=URL keys=DIR
---     [endpoint=URL] [region=REGION]
---
--- and captures every namespace of the cluster with its cluster-scoped objects. The store's
--- Object Lock (the fleet's immutability) is applied by standby fleet run, not here.
local standby = require "standby"

local settings = {}
for _, a in ipairs(arg) do
  local k, v = a:match("^([%w_]+)=(.*)$")
  if not k then error("argument '" .. a .. "' is not key=value (standby fleet run passes them)") end
  settings[k] = v
end
for _, required in ipairs{ "cluster", "store", "keys" } do
  if not settings[required] then error("missing " .. required .. "=... among the arguments") end
end

local inv = standby.kube.discover{ kubeconfig = settings.kubeconfig, cluster = settings.cluster }
local namespaces = {}
for _, ns in ipairs(inv:find{ kind = "Namespace" }) do namespaces[#namespaces + 1] = ns.doc.metadata.name end

local sel = standby.select{ inventory = inv, roots = { settings.cluster }, namespaces = namespaces }
local point = standby.capture{
  selection = sel, to = settings.store, endpoint = settings.endpoint, region = settings.region,
  signing_key = settings.keys .. "/signing.key", recovery_key = settings.keys .. "/recovery.pub",
}
print(string.format("%s: point %s, %d objects in %d namespaces", settings.cluster, point.id, point.objects, #namespaces))
