--- Captures the sample estate into a signed, encrypted recovery point.
---
---     standby keys new out/keys                       # once: signing and recovery key pairs
---     standby capture scripts/capture.lua [store] [keys-folder]
---
--- The store is a folder (default out/points), file:///path, or s3://bucket/prefix (AWS
--- credentials from the environment). Secret data is encrypted to keys/recovery.pub; the manifest
--- is signed with keys/signing.key. The point holds the objects as captured: translation happens
--- at restore time (scripts/restore.lua), for whatever recovery environment is chosen then.
local standby = require "standby"

local here = arg[0]:match("^(.*)/[^/]*$") or "."
local store = arg[1] or "out/points"
local keys = arg[2] or "out/keys"

local inv = standby.inventory.load(here .. "/estate")
local sel = require("lib.sample").select(inv)   -- what drill.lua selects

local point = standby.capture{
  selection = sel,
  to = store,
  signing_key = keys .. "/signing.key",
  recovery_key = keys .. "/recovery.pub",
  -- A value the customer treats as secret although it is not in a Secret.
  sensitive = { { kind = "ConfigMap", path = "data.KEYVAULT_URL" } },
}
print(string.format("recovery point %s: %d objects, %d bytes, clusters %s", point.id, point.objects, point.size,
  table.concat(point.clusters, ", ")))
