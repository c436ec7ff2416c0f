--- Teaching the walker a customer's custom resource, then checking what it pulls in.
---
---     standby run scripts/custom-refs.lua
---
--- Without the extractor, selecting the LedgerReconciliation brings only its CRD; with it, the
--- walk follows the resource to its Secret and StatefulSet, and from there to PVCs, PVs and disks.
local standby = require "standby"

local here = arg[0]:match("^(.*)/[^/]*$") or "."
local inv = standby.inventory.load(here .. "/estate")
local cr = "k8s://aks-prod-weu/payments.contoso.com/LedgerReconciliation/payments/nightly"

local before = standby.select{ inventory = inv, roots = { cr } }
require "refs.ledger"
local after = standby.select{ inventory = inv, roots = { cr } }

print(string.format("selecting %s alone: %d resources without the extractor, %d with it", cr, before.count, after.count))
for res in after:each() do
  if not before:contains(res.id) then print("  " .. after:why(res.id)) end
end
