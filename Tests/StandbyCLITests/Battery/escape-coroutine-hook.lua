-- A coroutine does not escape the count hook.
local co = coroutine.wrap(function() while true do end end)
co()
