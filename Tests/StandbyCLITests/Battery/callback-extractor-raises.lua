-- A reference extractor raising an error while the walker runs.
local standby = require "standby"
standby.refs.register{ kind = "Deployment", group = "apps", extract = function(obj) error("extractor broke on " .. obj.metadata.name) end }
local estate = require "lib.estate"
print(estate.selection:summary().selected)
