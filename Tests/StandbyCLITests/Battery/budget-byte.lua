-- string.byte pushing a value per byte.
local big = ("abcdefghijklmnop"):rep(1 << 12)
while true do local n = select("#", big:byte(1, -1)) end
