-- gsub with a pattern that backtracks at every position.
local s = ("a"):rep(20000)
print((s:gsub("a-a-b", "")))
