-- A rule raising an error: the translation reports it (with the rule's line) and carries on.
local standby = require "standby"
local estate = require "lib.estate"
local t = standby.translate{ selection = estate.selection, to = estate.to, rules = {
  standby.rule{ name = "broken", match = { ["k8s:kind"] = "Deployment" }, apply = function(obj)
    error("cannot translate " .. obj.metadata.name)
  end },
} }
print(#t.failures, t.failures[1].message)
