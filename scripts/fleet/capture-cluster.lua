--- The capture a fleet's scheduled job runs (standby fleet render puts it in the cluster's
--- runbook ConfigMap; standby fleet run runs it). It gets its settings as key=value arguments:
---
---     cluster=NAME cloud=aks|eks|kubernetes [id=ID] kubeconfig=PATH store=URL keys=DIR
---     [endpoint=URL] [region=REGION]
---
--- and captures every namespace of the cluster with its cluster-scoped objects. The store's
--- Object Lock (the fleet's immutability) is applied by standby fleet run, not here.
---
--- With `cloud=eks` and `id=arn:aws:eks:REGION:ACCOUNT:cluster/NAME`, the cluster's cloud control
--- plane is captured too: `standby.aws.discover{ region = REGION, cluster = NAME }` (the cluster,
--- its node groups, Fargate profiles, add-ons, access entries, network, roles and keys), with the
--- pod's AWS credentials and endpoints (AWS_* variables, the default chain). With `cloud=aks` and
--- `id=/subscriptions/SUB/resourceGroups/RG/providers/Microsoft.ContainerService/managedClusters/NAME`,
--- `standby.azure.discover{ subscription = SUB, resource_group = RG }`. The Kubernetes objects are
--- filed under NAME, so the merged inventory links them to the cloud cluster, and the selection
--- starts from that cluster. `endpoint=` and `region=` are the store's, never the cloud's.
local standby = require "standby"

local settings = standby.settings(arg, { "cluster", "store", "keys" })

--- The cloud inventory of the cluster `settings.id` names, and the name its objects are filed
--- under; nil, settings.cluster for a cluster without a cloud control plane to read.
---@return table? inventory
---@return string name
local function control_plane()
  local cloud, id = settings.cloud or "kubernetes", settings.id
  if cloud == "kubernetes" then return nil, settings.cluster end
  if not id then
    error(string.format("cloud=%s needs id=... (standby fleet run passes the fleet's cluster id): without it the "
      .. "cloud control plane would not be captured", cloud), 0)
  end
  if cloud == "eks" then
    local region, name = id:match("^arn:[%w-]+:eks:([%w-]+):%d+:cluster/([%w_-]+)$")
    if not region then error("id '" .. id .. "' is not an EKS cluster ARN (arn:aws:eks:REGION:ACCOUNT:cluster/NAME)", 0) end
    return standby.aws.discover{ region = region, cluster = name }, name
  elseif cloud == "aks" then
    local subscription, group, name =
      id:match("^/subscriptions/([^/]+)/resource[Gg]roups/([^/]+)/providers/Microsoft%.ContainerService/managedClusters/([^/]+)$")
    if not subscription then
      error("id '" .. id .. "' is not an AKS managed cluster's ARM id "
        .. "(/subscriptions/SUB/resourceGroups/RG/providers/Microsoft.ContainerService/managedClusters/NAME)", 0)
    end
    return standby.azure.discover{ subscription = subscription, resource_group = group }, name
  end
  error("cloud '" .. cloud .. "' is not one of aks, eks, kubernetes", 0)
end

local cloud_inv, name = control_plane()
local inv = standby.kube.discover{ kubeconfig = settings.kubeconfig, cluster = name }
local namespaces = {}
for _, ns in ipairs(inv:find{ kind = "Namespace" }) do namespaces[#namespaces + 1] = ns.doc.metadata.name end

local root = name
if cloud_inv then
  inv = standby.inventory.merge(cloud_inv, inv)
  local cluster = inv:get(settings.id) or inv:get(name)
  if not cluster then
    error(string.format("%s: the %s discovery found no cluster %s (%s): nothing captured", settings.cluster, settings.cloud,
      name, settings.id), 0)
  end
  root = cluster.id
  print(string.format("%s: control plane %s (%s), %d cloud resources", settings.cluster, name, cluster.type, cloud_inv.count))
end

local sel = standby.select{ inventory = inv, roots = { root }, namespaces = namespaces }
local point = standby.capture{
  selection = sel, to = settings.store, endpoint = settings.endpoint, region = settings.region,
  signing_key = settings.keys .. "/signing.key", recovery_key = settings.keys .. "/recovery.pub",
}
print(string.format("%s: point %s, %d objects in %d namespaces", settings.cluster, point.id, point.objects, #namespaces))
