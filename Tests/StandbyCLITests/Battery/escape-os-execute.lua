-- The os table has time, date and clock only.
os.execute("echo escaped")
