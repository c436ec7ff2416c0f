-- Catching the memory error does not let a script carry on: it is raised again at once.
local n = 0
while true do
  pcall(function() local s = ("x"):rep(100 << 20) end)
  n = n + 1
end
