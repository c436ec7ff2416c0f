-- gmatch retrying a failing lazy pattern at every position.
for word in ("a"):rep(50000):gmatch("a-b") do print(word) end
