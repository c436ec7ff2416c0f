-- A table with __tostring raised as an error: its text is the message.
error(setmetatable({}, { __tostring = function() return "custom error object" end }))
