-- Catching the budget error around a host call does not let the script carry on.
local standby = require "standby"
local estate = require "lib.estate"
for i = 1, 1e9 do
  pcall(standby.translate, { selection = estate.selection, to = estate.to, rules = {
    standby.rule{ name = "spin", match = { ["k8s:kind"] = "Deployment" }, apply = function() while true do end end },
  } })
end
