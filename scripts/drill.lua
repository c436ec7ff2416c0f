--- The scripted failover drill on the embedded sample estate.
---
---     standby run scripts/drill.lua [estate-folder]
---
--- 1. Load the estate (one AKS and one EKS cluster with the Kubernetes objects running in each)
---    and print what it holds.
--- 2. Select the AKS cluster with two namespaces and a tag rule, close the selection over every
---    reference, and explain a few inclusions.
--- Translation and the sandbox come next.
local standby = require "standby"

-- The estate sits next to this script unless a folder is given.
local here = arg[0]:match("^(.*)/[^/]*$") or "."
local estate = arg[1] or (here .. "/estate")

local inv = standby.inventory.load(estate)
local summary = inv:summary()

--- Prints `counts` (name -> n) sorted by name, right-aligned.
local function print_counts(title, counts)
  local names = {}
  for name in pairs(counts) do names[#names + 1] = name end
  table.sort(names)
  print(title)
  for _, name in ipairs(names) do
    print(string.format("  %5d  %s", counts[name], name))
  end
end

print(string.format("estate %s: %d resources", estate, summary.total))
for _, cluster in ipairs(inv:clusters()) do
  local c = summary.clusters[cluster.name] or { objects = 0 }
  print(string.format("  cluster %-16s %-6s %4d Kubernetes objects  %s", cluster.name, cluster.cloud, c.objects, cluster.id))
end
print_counts("cloud resources by type:", summary.types)
print_counts("Kubernetes objects by kind:", summary.kinds)
for _, note in ipairs(inv.notes) do print("note: " .. note) end

-- 2. Selection: the AKS cluster (which brings its cluster-scoped objects and kube-system), the
--    payments and checkout namespaces, and the echo app from scratch by tag rule.
local aks = inv:find{ type = "Microsoft.ContainerService/managedClusters" }[1]
local selection = standby.select{
  inventory = inv,
  roots = { aks.id },
  namespaces = { "payments", "checkout" },
  tags = { { ["k8s:namespace"] = "scratch", ["k8s:label"] = "app=echo" } },
}

local s = selection:summary()
print()
print(string.format("selection of %s: %d selected, %d pulled in, %d dangling, %d excluded",
  aks.name, s.selected, s.pulled_in, s.dangling, s.excluded))
for _, row in ipairs(s.by_type) do
  print(string.format("  %4d + %-4d %s", row.selected, row.pulled_in, row.type))
end

print()
print("why is this here?")
local function why(id)
  local chain = selection:why(id)
  print("  " .. (chain or (id .. ": not in the recovery point")))
end
-- A cloud resource pulled in by the cluster, then the first included resource of a few types.
local kubelet = inv:find{ type = "Microsoft.ManagedIdentity/userAssignedIdentities", name = "aks-prod-weu-agentpool" }[1]
why(kubelet.id)
for _, type in ipairs{ "Microsoft.Network/applicationGateways", "Microsoft.Compute/disks", "Microsoft.KeyVault/vaults" } do
  for _, res in ipairs(inv:find{ type = type }) do
    if selection:contains(res.id) then why(res.id) break end
  end
end
why("k8s://aks-prod-weu/apps/Deployment/scratch/echo")       -- picked by the tag rule
why("k8s://aks-prod-weu/core/ConfigMap/scratch/experiment-flags") -- pulled in by it
why("k8s://aks-prod-weu/core/Service/scratch/echo")             -- in no selected namespace

print()
print("dangling references (reported, never dropped):")
for _, d in ipairs(selection:dangling()) do
  print(string.format("  %s %s (%s) -> %s", d.from, d.path, d.relation, d.target))
end
for _, e in ipairs(selection:excluded()) do
  print(string.format("  excluded %s: %s", e.id, e.reason))
end
