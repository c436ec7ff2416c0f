-- The ceiling reached inside a rule (a callback from the host) names the rule's line.
local standby = require "standby"
local estate = require "lib.estate"
standby.translate{ selection = estate.selection, to = estate.to, rules = {
  standby.rule{ name = "hog", match = { ["k8s:kind"] = "Deployment" }, apply = function()
    local chunk, kept = ("0123456789abcdef"):rep(1 << 16), {}
    for i = 1, 1000 do kept[i] = chunk .. i end
  end },
} }
