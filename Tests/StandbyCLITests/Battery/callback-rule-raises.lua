-- A rule raising an error: the translation records it with the rule's line; the script reports it.
local standby = require "standby"
local estate = require "lib.estate"
local ok, t = pcall(standby.translate, { selection = estate.selection, to = estate.to, rules = {
  standby.rule{ name = "broken", match = { ["k8s:kind"] = "Deployment" }, apply = function(obj)
    error("cannot translate " .. obj.metadata.name)
  end },
} })
local first = ok and t.failures[1].message or t
error("rule failed: " .. tostring(first):gsub("^.-(rule 'broken')", "%1"), 0)
