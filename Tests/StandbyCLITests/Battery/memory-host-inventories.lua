-- Inventories held by the host count against the ceiling (1.27 GB under --memory 64 before).
local standby = require "standby"
local kept = {}
for i = 1, 1000 do kept[i] = standby.inventory.load("data/medium.json", { cluster = "c" .. i }) end
