-- _ENV tricks: the environment's metatable is protected, and a chunk's own _ENV reaches nothing new.
print(getmetatable(_ENV))
local _ENV = setmetatable({}, { __index = _G })
print(io, debug, package)
