-- The host's JSON decoder fed a big text, again and again.
local standby = require "standby"
local text = standby.json.encode(standby.array((function() local t = {} for i = 1, 20000 do t[i] = i end return t end)()))
while true do local v = standby.json.decode(text) end
