-- Tables built by the host (decoded JSON) kept alive until the ceiling.
local standby = require "standby"
local text = "[" .. ("0,"):rep(64):rep(1 << 13) .. "0]"
local kept = {}
for i = 1, 100 do kept[i] = standby.json.decode(text) end
