-- A backtracking pattern: ".-.-.-b" on 3,000 a's takes billions of steps.
print(("a"):rep(3000):find(".-.-.-b"))
