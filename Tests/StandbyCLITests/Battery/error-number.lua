-- A number raised as an error.
error(404)
