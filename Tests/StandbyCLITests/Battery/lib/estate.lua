-- The battery's small estate: two Deployments of cluster c1, selected, and a translation target.
local standby = require "standby"
local inv = standby.inventory.load("data/objects.yaml", { cluster = "c1" })
local sel = standby.select{ inventory = inv, namespaces = { "payments", "checkout" } }
local to = { azure = { subscription = "0b9d4c3e-7a61-4f2b-8c5d-1e2f3a4b5c6d", location = "northeurope" } }
return { inventory = inv, selection = sel, to = to }
