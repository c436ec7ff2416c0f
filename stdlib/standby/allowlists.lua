--- `standby.allowlists`: egress allowlists for the sandbox firewall of a failover test.
---
---     local allow = require "standby.allowlists"          -- also standby.allowlists
---     standby.sandbox.firewall{
---       plan = plan,
---       allow = allow.aks("northeurope") + allow.addons(plan) + { "api.stripe.com" },
---     }
---
--- Lists combine with `+`: the result keeps the order of first appearance and drops duplicates
--- (compared as the firewall does: case-folded, `.example.com` the same as `*.example.com`).
--- Entries are checked when the firewall is built: an invalid domain or a misplaced wildcard is
--- refused there, with the entry named. See _meta.lua for the annotations.
local sandbox = require "standby._sandbox"

local error, format, ipairs, type, setmetatable, getmetatable, tostring =
  error, string.format, ipairs, type, setmetatable, getmetatable, tostring
local lower, sub, find, gsub = string.lower, string.sub, string.find, string.gsub

local M = {}

local Allowlist = { __name = "standby.Allowlist", __metatable = "standby.Allowlist" }

--- The key two entries are compared by.
local function key(entry)
  local k = lower(entry)
  if #k > 1 and sub(k, -1) == "." then k = sub(k, 1, -2) end
  if sub(k, 1, 1) == "." then k = "*" .. k end
  return k
end

local function append(out, seen, list, what)
  for i, entry in ipairs(list) do
    if type(entry) ~= "string" then
      error(format("%s[%d] must be a string (a domain), got %s", what, i, type(entry)), 3)
    end
    local k = key(entry)
    if not seen[k] then
      seen[k] = true
      out[#out + 1] = entry
    end
  end
end

local function operand(value, side)
  if type(value) ~= "table" then
    error(format("cannot add %s to an allowlist: the %s operand must be a list of domains", type(value), side), 3)
  end
  return value
end

Allowlist.__add = function(a, b)
  local out, seen = {}, {}
  append(out, seen, operand(a, "left"), "left operand")
  append(out, seen, operand(b, "right"), "right operand")
  return setmetatable(out, Allowlist)
end

Allowlist.__tostring = function(list)
  return format("standby.Allowlist(%d domains)", #list)
end

--- An allowlist from a list of domains (deduplicated, order kept), so that `+` works on it.
function M.list(entries)
  if type(entries) ~= "table" then
    error(format("allowlists.list: expected a list of domains, got %s", type(entries)), 2)
  end
  local out, seen = {}, {}
  append(out, seen, entries, "allowlists.list: entries")
  return setmetatable(out, Allowlist)
end

--- Whether `value` is an allowlist made by this module.
function M.is(value)
  return type(value) == "table" and getmetatable(value) == "standby.Allowlist"
end

-- Azure region programmatic names: lower-case letters and digits (westeurope, westus2, eastus2euap).
local function is_plan(value)
  return type(value) == "userdata" and getmetatable(value) == "standby.Plan"
end

local function region_name(region, fn)
  if is_plan(region) then
    local location = sandbox.features(region).location
    if type(location) ~= "string" then
      error(format("allowlists.%s: the plan's recovery environment has no Azure location", fn), 3)
    end
    region = location
  end
  if type(region) ~= "string" then
    local got = type(region) == "userdata" and tostring(getmetatable(region)) or type(region)
    error(format("allowlists.%s: region expected (an Azure region name such as \"westus2\", or a standby.Plan), got %s",
      fn, got), 3)
  end
  if not find(region, "^[a-z][a-z0-9]*$") or #region > 40 then
    local hint = lower((gsub(region, "%s+", "")))
    error(format("allowlists.%s: %q is not an Azure region name: use the programmatic name%s", fn, region,
      find(hint, "^[a-z][a-z0-9]*$") and format(" (%q)", hint) or " (westeurope, westus2, …)"), 3)
  end
  return region
end

--- The minimum an AKS cluster (with AGIC) needs to start behind the sandbox firewall and join its
--- control plane: the "Required Outbound Allowlist" of the Arpio AKS network-sandbox reference,
--- with its `.x` entries written `*.x` and the API server domain built for `region` (the
--- RECOVERY region: `*.hcp.<region>.azmk8s.io`). Also see Microsoft's "Outbound network and FQDN
--- rules for AKS clusters" (learn.microsoft.com/azure/aks/outbound-rules-control-egress).
---@param region string|userdata an Azure region name, or a standby.Plan (its recovery location)
function M.aks(region)
  region = region_name(region, "aks")
  return M.list{
    "acs-mirror.azureedge.net",             -- AKS base image and binary mirror
    "packages.aks.azure.com",               -- AKS package repository
    "packages.microsoft.com",               -- Microsoft package repository
    "*.blob.storage.azure.net",             -- Azure Blob storage (Microsoft endpoints)
    "*.blob.core.windows.net",              -- Azure Blob storage
    "mcr.microsoft.com",                    -- Microsoft Container Registry
    "*.data.mcr.microsoft.com",             -- Microsoft Container Registry data endpoint
    "dc.services.visualstudio.com",         -- Application Insights telemetry
    "*.hcp." .. region .. ".azmk8s.io",     -- the managed API server, in the recovery region
    "login.microsoftonline.com",            -- Microsoft Entra ID (AGIC authenticates to ARM)
    "management.azure.com",                 -- Azure Resource Manager (AGIC manages the gateway)
  }
end

-- Per add-on extras, from Microsoft's "Outbound network and FQDN rules for AKS clusters"
-- (learn.microsoft.com/azure/aks/outbound-rules-control-egress, "AKS addons" and "Cluster
-- extensions" sections), keyed by add-on profile name in lower case. Functions take the recovery region.
local ADDONS = {
  -- Azure Monitor / Container Insights (also Managed Prometheus): the data and control endpoints
  -- of the Azure Monitor agent (global and regional handlers, regional ingestion).
  omsagent = function(region)
    return {
      "dc.services.visualstudio.com", "*.ods.opinsights.azure.com", "*.oms.opinsights.azure.com",
      "*.monitoring.azure.com", "global.handler.control.monitor.azure.com",
      region .. ".handler.control.monitor.azure.com", region .. ".ingest.monitor.azure.com",
    }
  end,
  -- Azure Policy: the policy data plane and the add-on's telemetry.
  azurepolicy = { "data.policy.core.windows.net", "store.policy.core.windows.net", "dc.services.visualstudio.com" },
  -- Azure Key Vault provider for the Secrets Store CSI driver: the vaults' data plane.
  azurekeyvaultsecretsprovider = { "vault.azure.net", "*.vault.azure.net" },
  -- AGIC: the ingress controller manages the gateway through ARM, authenticated by Entra ID.
  ingressapplicationgateway = { "management.azure.com", "login.microsoftonline.com" },
}

-- Node features that need egress of their own (same page, "Windows Server based node pools" and
-- "GPU enabled AKS clusters").
local WINDOWS = {
  "onegetcdn.azureedge.net", "go.microsoft.com", "*.mp.microsoft.com", "www.msftconnecttest.com",
  "ctldl.windowsupdate.com",
}
local GPU = { "nvidia.github.io", "us.download.nvidia.com", "download.docker.com" }

--- The extra domains the add-ons enabled on the plan's AKS clusters need (Container Insights,
--- Azure Policy, Key Vault CSI, AGIC), plus those of Windows and GPU node pools. Add-ons with no
--- egress of their own contribute nothing.
---@param plan userdata a standby.Plan
function M.addons(plan)
  if not is_plan(plan) then
    local got = type(plan) == "userdata" and tostring(getmetatable(plan)) or type(plan)
    error(format("allowlists.addons: standby.Plan expected (from standby.plan{...}), got %s", got), 2)
  end
  local features = sandbox.features(plan)
  local region = features.location
  local out = M.list{}
  for _, cluster in ipairs(features.clusters) do
    for _, name in ipairs(cluster.addons) do
      local extra = ADDONS[lower(name)]
      if type(extra) == "function" then
        if type(region) ~= "string" then
          error("allowlists.addons: the plan's recovery environment has no Azure location", 2)
        end
        extra = extra(region)
      end
      if extra then out = out + extra end
    end
    if cluster.windows then out = out + WINDOWS end
    if cluster.gpu then out = out + GPU end
  end
  return out
end

return require("standby._readonly")("standby.allowlists", M)
