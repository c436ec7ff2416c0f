--- Plans a failover test from the newest verified recovery point (not from the live estate).
---
---     standby plan --out out/restore scripts/restore.lua [store] [keys-folder]
---
--- Opens the store, verifies the newest point (signature and every digest; a point that fails is
--- never used), decrypts its secrets with keys/recovery.key, re-applies its selection, translates
--- it with Contoso's rules, and builds the plan with the network sandbox.
local standby = require "standby"

local store = arg[1] or "out/points"
local keys = arg[2] or "out/keys"

local points = standby.points.open(store, { verify_key = keys .. "/signing.pub" })
local point = assert(points:newest(), "no verified recovery point in " .. store)
print(string.format("restoring from %s (%d objects, captured %s)", point.id, point.summary.objects, point.summary.created))

local sel = point:selection{ recovery_key = keys .. "/recovery.key" }
local t = standby.translate{
  selection = sel,
  mode = "test",
  to = require "rules.environment",
  rules = { require "rules.contoso" },
}
local plan = standby.plan{ translation = t }
standby.sandbox.firewall{
  plan = plan,
  allow = standby.allowlists.aks("northeurope") + standby.allowlists.addons(plan) + { "api.stripe.com", "mirror-dr.contoso.com" },
}
print(string.format("plan: %d Azure resources, %d Kubernetes manifests", plan.summary.azure_resources,
  plan.summary.kubernetes_manifests))
