-- An error in __gc cannot happen: __gc is refused at setmetatable.
local ok, err = pcall(setmetatable, {}, { __gc = function() error("in gc") end })
print(ok, err)
