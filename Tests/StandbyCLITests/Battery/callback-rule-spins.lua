-- A rule that never returns: the budget stops the whole run, not only the rule.
local standby = require "standby"
local estate = require "lib.estate"
standby.translate{ selection = estate.selection, to = estate.to, rules = {
  standby.rule{ name = "spin", match = { ["k8s:kind"] = "Deployment" }, apply = function() while true do end end },
} }
print("not reached")
