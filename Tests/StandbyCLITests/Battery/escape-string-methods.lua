-- Replacing a library function changes nothing: library tables are read-only views.
local ok, err = pcall(function() string.rep = function() return "pwned" end end)
print(ok, err)
rawset(string, "rep", function() return "pwned" end)
print(("x"):rep(3))
