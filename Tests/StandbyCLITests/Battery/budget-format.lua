-- string.format copying a big argument, again and again.
local big = ("0123456789abcdef"):rep(1 << 12)
while true do local s = string.format("%s|%s", big, big) end
