-- Full collections of a big heap, again and again.
local keep = {}
for i = 1, 20000 do keep[i] = { i } end
while true do collectgarbage() end
