-- Lua 5.1's loadstring does not exist; dofile and loadfile neither.
print(loadstring, dofile, loadfile)
loadstring("return 1")
