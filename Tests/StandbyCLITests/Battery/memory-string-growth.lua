-- Strings kept alive until the ceiling.
local chunk = ("0123456789abcdef"):rep(1 << 16)
local kept = {}
for i = 1, 1000 do kept[i] = chunk .. i end
