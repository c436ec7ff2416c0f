-- A loaded chunk gets a fresh sandbox environment, not the host's globals.
local f = load("secret = 1")
f()
