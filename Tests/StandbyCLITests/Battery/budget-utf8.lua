-- utf8.len scanning a big string.
local big = ("héllo wörld "):rep(1 << 12)
while true do local n = utf8.len(big) end
