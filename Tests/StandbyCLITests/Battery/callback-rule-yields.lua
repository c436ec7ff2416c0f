-- A rule yielding across the host: the C boundary refuses it with an error, nothing unwinds Swift.
local standby = require "standby"
local estate = require "lib.estate"
local co = coroutine.create(function()
  return standby.translate{ selection = estate.selection, to = estate.to, rules = {
    standby.rule{ name = "yield", match = { ["k8s:kind"] = "Deployment" }, apply = function() coroutine.yield(1) end },
  } }
end)
local ok, result = coroutine.resume(co)
local message = type(result) == "userdata" and result.failures[1].message or tostring(result)
error(tostring(ok) .. ": " .. message:match("attempt to yield[^\n]*"), 0)
