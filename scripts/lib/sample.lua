--- What the sample runbooks protect: both clusters of the sample estate (each brings its
--- cluster-scoped objects and kube-system), the payments, checkout and orders namespaces, and the
--- echo app from scratch by tag rule. drill.lua plans from it live; capture.lua stores it, and
--- restore.lua's plan from the stored point equals the drill's because both select this.
local standby = require "standby"

local M = {}

--- The sample selection of `inv`, and the two cluster resources.
---@param inv standby.Inventory
---@return standby.Selection selection
---@return standby.Resource aks
---@return standby.Resource eks
function M.select(inv)
  local aks = inv:find{ type = "Microsoft.ContainerService/managedClusters" }[1]
  local eks = inv:find{ type = "AWS::EKS::Cluster" }[1]
  local selection = standby.select{
    inventory = inv,
    roots = { aks.id, eks.id },
    namespaces = { "payments", "checkout", "orders" },
    tags = { { ["k8s:namespace"] = "scratch", ["k8s:label"] = "app=echo" } },
  }
  return selection, aks, eks
end

return M
