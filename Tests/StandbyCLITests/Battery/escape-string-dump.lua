-- No string.dump: no bytecode to tamper with.
print(string.dump)
string.dump(print)
