-- An error inside a metamethod names the metamethod's line.
local t = setmetatable({}, { __index = function(_, key)
  error("no field " .. key)
end })
print(t.missing)
