--- Benchmark runbook (not a test): the plan on a big generated estate, stage by stage.
---
---     standby run scripts/bench/plan.lua /tmp/big100k.json [narrow|broad] [OUT] [each|all]
---
--- Loads a `kubectl get -o json` List (`standby-bench generate 100000 FILE`), selects every namespace,
--- walks the references, then translates into account 222222222222 / us-west-2 with 10 Lua rules:
---   narrow (default): each rule matches one namespace (ns0…ns9: 5% of the objects), the usual
---                     shape of customer rules: objects no rule matches never cross into Lua;
---   broad:            every rule matches every Deployment: each object crosses 10 times.
--- Then builds the recovery plan and writes it (manifests in restore order, one file per object and
--- one multi-document YAML, reports) to the folder given as the third argument (default
--- /tmp/standby-bench-plan). The fourth argument `all` writes all.yaml and the reports only
--- (`plan:write(out, { files = "all" })`); the default `each` also writes a file per object.
--- Prints CPU seconds per stage (os.clock); wall time and peak memory come from /usr/bin/time.
local standby = require "standby"

local file = assert(arg[1], "usage: standby run scripts/bench/plan.lua FILE [narrow|broad]")
local shape = arg[2] or "narrow"
local out = arg[3] or "/tmp/standby-bench-plan"
local files = arg[4] or "each"

local clock = os.clock
local t0 = clock()
local inv = standby.inventory.load(file, { cluster = "bench" })
local t1 = clock()

local namespaces = {}
for i = 0, 199 do namespaces[#namespaces + 1] = "ns" .. i end
local sel = standby.select{ inventory = inv, namespaces = namespaces }
local t2 = clock()

--- Ten rules, each doing what customer rules do: set a label, rewrite an env var, pin an image.
local rules = {}
for i = 0, 9 do
  local match = shape == "broad" and { ["k8s:kind"] = "Deployment" } or { ["k8s:namespace"] = "ns" .. i }
  rules[#rules + 1] = standby.rule{
    name = "bench rule " .. i,
    match = match,
    apply = function(obj, ctx)
      obj.metadata.labels = obj.metadata.labels or {}
      obj.metadata.labels["dr.contoso.com/rule-" .. i] = ctx.mode
      for _, c in ipairs(obj.spec.template.spec.containers) do
        c.image = ctx:map_image(c.image)
        for _, e in ipairs(c.env or {}) do
          if e.name == "REGION" then e.value = "us-west-2" end
        end
      end
    end,
  }
end

local t = standby.translate{
  selection = sel,
  from = { accounts = { "111111111111" }, regions = { "us-east-1" } },
  to = { aws = { account = "222222222222", region = "us-west-2" } },
  rules = rules,
}
local t3 = clock()

local plan = standby.plan{ translation = t }
local written = plan:write(out, { files = files })
local t4 = clock()

local s, ts = sel:summary(), t.summary
print(string.format("load       %6.2f s cpu  %d resources", t1 - t0, inv.count))
print(string.format("select     %6.2f s cpu  %d selected, %d dangling", t2 - t1, s.selected, s.dangling))
print(string.format("translate  %6.2f s cpu  %d changed (%d values), %d rule failures, rules %s", t3 - t2,
  ts.changed, ts.changes, ts.failures, shape))
print(string.format("plan+write %6.2f s cpu  %d files in %s", t4 - t3, #written, out))
print(string.format("total      %6.2f s cpu", t4 - t0))
