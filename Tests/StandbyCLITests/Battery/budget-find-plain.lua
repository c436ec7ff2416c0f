-- A plain find whose needle almost matches everywhere: quadratic inside C.
local hay = ("a"):rep(1 << 18)
local needle = ("a"):rep(4000) .. "b"
for i = 1, 8 do hay:find(needle, 1, true) end
