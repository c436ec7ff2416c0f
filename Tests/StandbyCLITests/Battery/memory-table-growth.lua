-- A table the host would build (a JSON array of two million numbers): refused before parsing.
local standby = require "standby"
local text = "[" .. ("0,"):rep(64):rep(1 << 15) .. "0]"
local values = standby.json.decode(text)
