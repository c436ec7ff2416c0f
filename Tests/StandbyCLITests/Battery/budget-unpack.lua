-- table.unpack pushing half a million values.
while true do local n = select("#", table.unpack({}, 1, 500000)) end
