-- `..` of big strings, thrown away: each is one VM instruction.
local s = ("0123456789abcdef"):rep(1 << 15)
for i = 1, 100000 do
  local t = s .. s .. s .. s
end
