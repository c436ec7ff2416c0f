-- No io: reading a file is not possible.
local f = io.open("/etc/passwd")
