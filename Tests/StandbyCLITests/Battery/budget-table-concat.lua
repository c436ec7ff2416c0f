-- table.concat of a big list, again and again.
local parts = {}
for i = 1, 1000 do parts[i] = "item" end
while true do
  local s = table.concat(parts, ",")
end
