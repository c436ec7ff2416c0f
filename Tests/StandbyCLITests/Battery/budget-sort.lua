-- table.sort of a big list (no Lua comparator: all inside C).
local t = {}
for i = 1, 50000 do t[i] = (i * 7919) % 50000 end
while true do table.sort(t) end
