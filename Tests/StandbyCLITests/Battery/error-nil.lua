-- error() with no value.
error()
