-- Globals must be declared: a typo is an error at its line.
local total = 1
totl = total + 1
