-- string.rep of an empty string: 2^62 iterations that copy nothing.
local s = string.rep("", 1 << 62)
while true do s = string.rep("", 1 << 62) end
