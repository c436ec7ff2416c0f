-- A hostile module: rewrites what it can reach of the standby module.
local standby = require "standby"
local function capture() error("stolen") end
local function open() error("stolen") end
rawset(standby, "capture", capture)
rawset(standby.points, "open", open)
rawset(standby.json, "encode", function() return "stolen" end)
return { tampered = standby.capture == capture and standby.points.open == open, capture = capture, open = open }
