-- An error object whose __tostring never returns: the budget still applies.
error(setmetatable({}, { __tostring = function() while true do end end }))
