--- Plans a failover test from the newest recovery point (not from the live estate).
---
---     standby plan --out out/restore scripts/restore.lua [store] [keys-folder] [--allow-older] [--partial]
---
--- Opens the store, verifies the newest point (signature and every digest), decrypts its secrets
--- with keys/recovery.key, re-applies its selection, translates it with Contoso's rules, and
--- builds the plan with the network sandbox.
---
--- The newest point is used or nothing is: when it fails verification, is incomplete, or is
--- partial (its capture could not read everything), the runbook stops and says which point and
--- which check. `--allow-older` restores the newest older point that verifies and is whole instead,
--- naming each newer point passed over and why; `--partial` accepts a partial point, naming what
--- it lacks.
local standby = require "standby"

local positional, allow_older, partial = {}, false, false
for _, a in ipairs(arg) do
  if a == "--allow-older" then
    allow_older = true
  elseif a == "--partial" then
    partial = true
  elseif a:sub(1, 2) == "--" then
    error("restore.lua: unknown option " .. a .. " (known: --allow-older, --partial)", 0)
  else
    positional[#positional + 1] = a
  end
end
local store = positional[1] or "out/points"
local keys = positional[2] or "out/keys"

local points = standby.points.open(store, { verify_key = keys .. "/signing.pub" })
local point, passed_over = points:newest{ allow_older = allow_older, partial = partial }
assert(point, "no verified recovery point in " .. store)
for _, p in ipairs(passed_over) do
  print(string.format("NOT restoring from the newer point %s (%s): %s", p.id, p.check, p.reason))
end
print(string.format("restoring from %s (%d objects, captured %s)%s", point.id, point.summary.objects, point.summary.created,
  #passed_over > 0 and ", an OLDER point (--allow-older)" or ""))
for _, gap in ipairs(point.summary.gaps) do
  print(string.format("PARTIAL point: its capture could not read %s: %s (%s)", gap.source, gap.what, gap.reason))
end

local sel = point:selection{ recovery_key = keys .. "/recovery.key" }
local t = standby.translate{
  selection = sel,
  mode = "test",
  to = require "rules.environment",
  rules = { require "rules.contoso" },
}
-- Traffic Manager profiles, Front Doors and registry replications are global and stay where they
-- are: read them now (here, from the sample estate's exports next to this script; in a real
-- failover from Azure), not from the point.
local here = arg[0]:match("^(.*)/[^/]*$") or "."
local plan = standby.plan{ translation = t, traffic = standby.inventory.load(here .. "/estate") }
standby.sandbox.firewall{
  plan = plan,
  allow = standby.allowlists.aks("northeurope") + standby.allowlists.addons(plan) + { "api.stripe.com", "mirror-dr.contoso.com" },
}
print(string.format("plan: %d Azure resources, %d Kubernetes manifests", plan.summary.azure_resources,
  plan.summary.kubernetes_manifests))
