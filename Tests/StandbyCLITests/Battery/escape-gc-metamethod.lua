-- __gc metamethods are refused: finalizers run outside the hook.
setmetatable({}, { __gc = function() while true do end end })
