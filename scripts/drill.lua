--- The scripted failover drill on the embedded sample estate.
---
---     standby run scripts/drill.lua [estate-folder]
---
--- 1. Load the estate (one AKS and one EKS cluster with the Kubernetes objects running in each)
---    and print what it holds.
--- 2. Select both clusters with three namespaces and a tag rule, close the selection over every
---    reference, and explain a few inclusions.
--- 3. Translate the selection into the recovery environment (another subscription, account and
---    region) for a failover test, with Contoso's rules (scripts/rules/contoso.lua), and print
---    what changed, what needs a person, and the issues.
--- 4. Build the recovery plan (ARM deployment, EKS requests, Kubernetes manifests in restore
---    order), put the network sandbox around it (an Azure Firewall: egress only to the allowlist,
---    DNAT to every load-balanced Service), and write it to out/drill/ (or the folder given as the
---    second argument) with report.json and report.md.
local standby = require "standby"

-- The estate sits next to this script unless a folder is given.
local here = arg[0]:match("^(.*)/[^/]*$") or "."
local estate = arg[1] or (here .. "/estate")
local out = arg[2] or "out/drill"

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

-- 2. Selection: both clusters (each brings its cluster-scoped objects and kube-system), the
--    payments, checkout and orders namespaces, and the echo app from scratch by tag rule
--    (scripts/lib/sample.lua, which capture.lua shares).
local selection, aks, eks = require("lib.sample").select(inv)

local s = selection:summary()
print()
print(string.format("selection of %s and %s: %d selected, %d pulled in, %d dangling, %d excluded",
  aks.name, eks.name, s.selected, s.pulled_in, s.dangling, s.excluded))
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

-- 3. Translation into the recovery environment, for a failover test.
local t = standby.translate{
  selection = selection,
  mode = "test",
  to = require "rules.environment",
  rules = { require "rules.contoso" },
}

local ts = t.summary
print()
print(string.format("translation (test mode) into northeurope / us-west-2: %d resources, %d changed (%d values), "
  .. "%d values kept, %d added, %d issues, %d rule failures",
  ts.resources, ts.changed, ts.changes, ts.untranslated, ts.added, ts.issues, ts.failures))

-- A few translations, as the report shows them.
print("some translations:")
local shown = {
  { aks.id, "properties.networkProfile.outboundType" },
  { aks.id, "properties.agentPoolProfiles[0].vnetSubnetID" },
  { aks.id, "properties.addonProfiles.ingressApplicationGateway.config.applicationGatewayId" },
  { "k8s://eks-prod-use1/core/ServiceAccount/orders/orders-api", "metadata.annotations.eks.amazonaws.com/role-arn" },
  { "k8s://eks-prod-use1/apps/Deployment/orders/orders-api", "spec.template.spec.containers[0].image" },
  { "k8s://eks-prod-use1/core/ConfigMap/orders/orders-api-config", "data.UPLOAD_BUCKET" },
}
for _, want in ipairs(shown) do
  local r = t:resource(want[1])
  for _, change in ipairs(r and r.changes or {}) do
    if change.path == want[2] then
      print(string.format("  %s %s\n      %s\n   -> %s  (%s)", r.display, want[2],
        change.before == nil and "(absent)" or tostring(change.before), tostring(change.after), change.by))
    end
  end
end

-- What still names the source and is not server-set or encrypted: a person decides.
print("kept, for a person to decide:")
for r in t:each() do
  for _, u in ipairs(r.untranslated) do
    if u.disposition == "needs_person" then
      print(string.format("  %s %s: %s", r.display, u.path, u.reason))
    end
  end
end
print("issues:")
for _, i in ipairs(t.issues) do print(string.format("  %s: %s", i.feature, i.message)) end
for _, f in ipairs(t.failures) do print("  rule failure: " .. f.message) end

-- 4. The recovery plan, with the network sandbox for the failover test, written atomically.
local allow = standby.allowlists
-- Traffic Manager and Front Door are global: the plan adds recovery endpoints to the estate's own.
local plan = standby.plan{ translation = t, traffic = inv }
local fw = standby.sandbox.firewall{
  plan = plan,
  allow = allow.aks("northeurope") + allow.addons(plan) + { "api.stripe.com", "mirror-dr.contoso.com" },
}
local files = plan:write(out)
local ps = plan.summary
print()
print(string.format("plan: %d Azure resources, %d EKS requests, %d Kubernetes manifests (%d not restored separately), "
  .. "%d items need a person", ps.azure_resources, ps.eks_requests, ps.kubernetes_manifests, ps.kubernetes_skipped,
  ps.needs_a_person))
print(string.format("sandbox: %d allowed destinations; which firewall IP reaches which service:", #fw.allow))
for _, f in ipairs(fw.frontends) do
  print(string.format("  %-28s -> %s %s port %s (frontend %s)", f.public_ip, f.cluster, f.service,
    table.concat(f.ports, ","), f.address))
end
-- Traffic follows the failover: recovery endpoints beside the primary's in Traffic Manager and
-- Front Door (disabled in a test), the registry's geo-replication and the images to import.
local traffic = plan.traffic
if traffic then
  print(string.format("traffic: %d recovery endpoints, %d images to import", #traffic.endpoints, #traffic.imports))
  for _, e in ipairs(traffic.endpoints) do
    print(string.format("  %-15s %s -> %s (%s)", e.service, e.primary:match("[^/]*$"), e.target:match("[^/]*$"), e.status))
  end
end
print(string.format("wrote %d files to %s (start with %s/report.md; %s/report.html draws the graph)", #files, out, out, out))
