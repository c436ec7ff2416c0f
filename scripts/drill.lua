--- The scripted failover drill on the embedded sample estate.
---
---     standby run scripts/drill.lua [estate-folder]
---
--- Stage 1: load the estate (one AKS and one EKS cluster with the Kubernetes objects running in
--- each) and print what it holds. Selection, translation and the sandbox come next.
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
