-- One string bigger than the ceiling: refused before it is built.
local s = ("x"):rep(100 << 20)
