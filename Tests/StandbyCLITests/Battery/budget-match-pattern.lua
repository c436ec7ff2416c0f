-- The same inside match, anchored.
print(("a"):rep(30000):match("^a-a-a-a-b"))
