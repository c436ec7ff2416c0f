-- A table raised as an error, without __tostring.
error({ code = 42 })
