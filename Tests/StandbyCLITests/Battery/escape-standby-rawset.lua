-- A required module (a customer's rule module) cannot rewrite the shared standby module.
local standby = require "standby"
local evil = require "lib.evil"
print(evil.tampered, rawget(standby, "capture"), standby.capture == evil.capture, standby.points.open == evil.open)
print(standby.json.encode({ ok = true }))
