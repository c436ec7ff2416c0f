--- The drill a fleet's scheduled drill job runs after its capture: opens the new point
--- (signature and digests verified), plans a failover test from it and writes the plan to the
--- folder standby fleet run gives (plan=DIR), which then checks it and stores the report beside
--- the point. Arguments as capture-cluster.lua's, plus point=ID and plan=DIR.
local standby = require "standby"

-- The recovery site a failover of these clusters would go to: edit for yours (a test-mode plan
-- builds nothing; it shows the drill would restore there).
local RECOVERY_SITE = {
  azure = { subscription = "00000000-0000-0000-0000-000000000000", location = "northeurope" },
  aws = { account = "000000000000", region = "us-west-2" },
}

local settings = standby.settings(arg, { "store", "keys", "point", "plan" })

local points = standby.points.open(settings.store, {
  verify_key = settings.keys .. "/signing.pub", endpoint = settings.endpoint, region = settings.region })
local point = points:open(settings.point)
-- Secrets stay sealed: a test-mode plan needs no recovery private key.
local sel = point:selection{}
local t = standby.translate{ selection = sel, mode = "test", to = RECOVERY_SITE }
local plan = standby.plan{ translation = t }
plan:write(settings.plan)
print(string.format("drill of %s: plan written to %s", settings.point, settings.plan))
