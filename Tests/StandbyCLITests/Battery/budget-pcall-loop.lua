-- Catching the budget error does not buy more instructions: it is raised again at once.
local caught = 0
while true do
  local ok = pcall(function() while true do end end)
  if not ok then caught = caught + 1 end
end
