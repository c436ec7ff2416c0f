-- An error in a to-be-closed variable's __close.
do
  local guard <close> = setmetatable({}, { __close = function() error("closing failed") end })
end
