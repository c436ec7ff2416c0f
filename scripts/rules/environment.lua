--- Contoso's recovery environment for the sample estate: North Europe in the DR subscription,
--- us-west-2 in the DR account. Used by drill.lua and restore.lua.
---@type standby.RecoveryEnvironment
return {
  azure = { subscription = "0b9d4c3e-7a61-4f2b-8c5d-1e2f3a4b5c6d", location = "northeurope",
            tenant = "5e1f2d3c-4b5a-4968-8776-a5b4c3d2e1f0",
            resource_groups = { ["rg-payments-prod"] = "rg-payments-dr" } },
  aws = { account = "999988887777", region = "us-west-2" },
}
