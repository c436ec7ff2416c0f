-- The string metatable is hidden: its __index (the real string table) is out of reach.
print(getmetatable(""))
getmetatable("").__index.rep = nil
