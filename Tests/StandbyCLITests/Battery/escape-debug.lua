-- No debug library: no getupvalue/sethook to reach the host's tables or remove the hook.
local debug = require "debug"
