-- upper/lower/reverse over a big string, again and again.
local big = ("abcdefghijklmnop"):rep(1 << 12)
while true do local s = big:upper():lower():reverse() end
