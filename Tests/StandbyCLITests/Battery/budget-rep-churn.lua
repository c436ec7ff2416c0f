-- string.rep building 64 MiB strings and throwing them away (10 GiB before the fix).
for i = 1, 160 do
  local s = string.rep("x", (64 << 20) - 1)
end
