-- An error object whose __tostring itself raises.
error(setmetatable({}, { __tostring = function() error("tostring failed") end }))
