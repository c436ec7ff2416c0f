--- Plans a failover test from the newest recovery point (not from the live estate).
---
---     standby plan --out out/restore scripts/restore.lua [store] [keys-folder] [--allow-older] [--partial]
---         [--apply CLUSTER=CONTEXT ...] [--kubeconfig=PATH] [--verify]
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
---
--- `--apply CLUSTER=CONTEXT` (repeatable) applies that recovery cluster's Kubernetes objects to the
--- kubeconfig context CONTEXT (of `--kubeconfig=PATH`, or the default kubeconfig); the plan's Azure
--- and AWS parts are not applied here (the apply's records say so). `--verify`, after the apply,
--- runs `plan:verify` against the same clusters and prints the recovery time (RTO) the apply
--- measured; when verification fails the runbook stops (exit status non-zero) naming each object
--- that is not as planned, and no plan is written. The written plan's report.md carries the RTO.
local standby = require "standby"

local positional, allow_older, partial = {}, false, false
local apply_to, kubeconfig, verify = {}, nil, false
local n = 1
while n <= #arg do
  local a = arg[n]
  if a == "--allow-older" then
    allow_older = true
  elseif a == "--partial" then
    partial = true
  elseif a == "--verify" then
    verify = true
  elseif a == "--apply" then
    local cluster, context = (arg[n + 1] or ""):match("^([^=]+)=(.+)$")
    if not cluster then
      error("restore.lua: --apply takes CLUSTER=CONTEXT (the recovery cluster's name in the plan and its kubeconfig "
        .. "context), got "
        .. (arg[n + 1] and ("'" .. arg[n + 1] .. "'") or "nothing"), 0)
    end
    apply_to[cluster] = { context = context }
    n = n + 1
  elseif a:match("^%-%-kubeconfig=") then
    kubeconfig = a:sub(#"--kubeconfig=" + 1)
  elseif a:sub(1, 2) == "--" then
    error("restore.lua: unknown option " .. a
      .. " (known: --allow-older, --partial, --apply CLUSTER=CONTEXT, --kubeconfig=PATH, --verify)", 0)
  else
    positional[#positional + 1] = a
  end
  n = n + 1
end
if verify and next(apply_to) == nil then
  error("restore.lua: --verify checks what --apply restored: give --apply CLUSTER=CONTEXT too", 0)
end
for _, target in pairs(apply_to) do target.kubeconfig = kubeconfig end
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

if next(apply_to) == nil then return end

local result = plan:apply{ target = { kube = apply_to } }
print("apply: " .. result.summary)
for _, r in ipairs(result.failed) do print(string.format("  FAILED %s %s: %s", r.kind, r.id, r.message)) end
for _, r in ipairs(result.blocked) do print(string.format("  BLOCKED %s %s: %s", r.kind, r.id, r.message)) end
for _, r in ipairs(result.skipped) do print(string.format("  skipped %s %s: %s", r.kind, r.id, r.message)) end
for _, h in ipairs(result.hooks) do
  if not h.ok then print(string.format("  hook %s on %s failed: %s", h.hook, h.object, h.message)) end
end
print("RTO: " .. plan.summary.rto)
if not verify then return end

local checked = plan:verify{ target = { kube = apply_to } }
print("verify: " .. checked.summary)
if not checked.ok then
  local lines = {}
  for _, r in ipairs(checked.failed) do lines[#lines + 1] = string.format("  %s %s: %s", r.kind, r.id, r.message) end
  for _, c in ipairs(checked.not_verified) do
    lines[#lines + 1] = "  cluster " .. c .. ": not verified (no --apply " .. c .. "=CONTEXT)"
  end
  error(string.format("restore.lua: verification failed (%s):\n%s", checked.summary, table.concat(lines, "\n")), 0)
end
