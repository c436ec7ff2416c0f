-- An inventory bigger than the ceiling is refused before it is read.
local standby = require "standby"
local inv = standby.inventory.load("data/big.json", { cluster = "c1" })
print(inv.count)
