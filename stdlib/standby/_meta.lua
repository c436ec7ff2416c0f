---@meta
-- Annotations for the `standby` module (LuaLS). Stubs only: the functions are implemented in
-- Swift (StandbyLua) and in stdlib/standby/init.lua.

---@class standby
local standby = {}

---JSON null: decoding `null` gives this value, and encoding it gives `null`.
---`tostring(standby.null)` is "standby.null".
---@type userdata
standby.null = nil

---Marks `t` (or a new table) as a JSON array, so that it encodes as `[]` even when empty.
---Raises if `t` already has another metatable.
---@generic T: table
---@param t? T
---@return T
function standby.array(t) end

---Marks `t` (or a new table) as a JSON object, so that it encodes as `{}` even when empty.
---Raises if `t` already has another metatable.
---@generic T: table
---@param t? T
---@return T
function standby.object(t) end

---Checks a value's type; on failure raises "name: expected table, got number" blaming the
---caller of the function that called `validate`.
---@param name string The argument's name, for the message.
---@param value any
---@param expected type|type[] A type name as `type()` returns it, or a list of them.
---@param optional? boolean Whether nil is accepted.
function standby.validate(name, value, expected, optional) end

---@class standby.json
standby.json = {}

---@class standby.json.EncodeOpts
---@inlinedoc
---Indent the output (default false).
---@field pretty? boolean

---Encodes a value as JSON text. Tables tagged by `standby.array`/`standby.object` (and decoded
---ones) keep their shape; untagged tables with keys 1..n are arrays, others objects (an empty one
---is `{}`). Object keys are sorted. Integers and floats stay apart (`1` vs `1.0`).
---Raises with the path on values JSON cannot hold: functions, NaN, infinities, cycles, keys that are
---neither strings nor integers, nil holes in arrays, nesting deeper than 200.
---@param value any
---@param opts? standby.json.EncodeOpts
---@return string
function standby.json.encode(value, opts) end

---Decodes JSON text. `null` becomes `standby.null`; arrays and objects are tagged so that they
---encode back to the same shape; integers that fit in 64 bits are Lua integers.
---@param text string
---@param source? string A name for error messages (default "<json>").
---@return any
function standby.json.decode(text, source) end

---The JSON null, also reachable as `standby.null`.
standby.json.null = standby.null

-- ===========================================================================================
-- standby.inventory
-- ===========================================================================================

---Resource inventories: what an estate holds, loaded from the exports operators already have.
---@class standby.inventory
standby.inventory = {}

---@class standby.inventory.LoadOpts
---@inlinedoc
---The cluster Kubernetes objects belong to, when no `estate.yaml` says so. Required for
---Kubernetes files loaded on their own: every Kubernetes object belongs to exactly one cluster.
---@field cluster? string
---AWS region for ARNs that aws-cli output does not carry (VPCs, launch templates).
---@field region? string
---AWS account for ARNs that aws-cli output does not carry.
---@field account? string
---AWS partition for built ARNs (default "aws").
---@field partition? string

---Loads files or folders into an inventory. Recognised: ARM resources (`az resource show`,
---`az aks show`, `az resource list` arrays and `{"value": [...]}` pages, REST API examples),
---aws-cli output (`describe-cluster`, `describe-nodegroup`, `describe-fargate-profile`,
---`describe-subnets`, …), Kubernetes JSON or YAML (single objects, `List`s, multi-document
---YAML), and `estate.yaml` manifests that say which cluster each Kubernetes folder belongs to.
---A folder holding an `estate.yaml` is loaded as that estate. Relative paths start at the
---current directory. Malformed input fails with `file:line:column`.
---
---    local inv = standby.inventory.load("scripts/estate")
---    local inv2 = standby.inventory.load({ "exports/aks.json", "exports/k8s/" }, { cluster = "aks-prod" })
---@param path string|string[]
---@param opts? standby.inventory.LoadOpts
---@return standby.Inventory
function standby.inventory.load(path, opts) end

---@class standby.ResourceQuery
---@inlinedoc
---Cloud type, case-insensitive: `"Microsoft.ContainerService/managedClusters"`, `"AWS::EKS::Nodegroup"`.
---@field type? string
---Kubernetes kind, case-insensitive: `"Deployment"`.
---@field kind? string
---Kubernetes namespace (exact).
---@field namespace? string
---Kubernetes label: `"app=api"`, or `"app"` for "has the label".
---@field label? string
---ARM/AWS tag, same forms as `label`.
---@field tag? string
---The cluster a Kubernetes object belongs to.
---@field cluster? string
---Resource name (exact).
---@field name? string

---What an estate holds. Read-only.
---@class standby.Inventory
---Number of resources.
---@field count integer
---Remarks made while loading (duplicate ids merged, …).
---@field notes string[]
local Inventory = {}

---The resource known by `id`: its canonical id (an ARM ID in any case, an ARN, or
---`k8s://<cluster>/<group or core>/<Kind>/[<namespace>/]<name>`), or an alias such as `subnet-0abc…`
---or an EKS cluster name. Nil when there is none.
---@param id string
---@return standby.Resource?
function Inventory:get(id) end

---Resources matching every field of `query`, in load order. Unknown fields are an error.
---
---    for _, d in ipairs(inv:find{ kind = "Deployment", namespace = "payments" }) do print(d.name) end
---@param query? standby.ResourceQuery
---@return standby.Resource[]
function Inventory:find(query) end

---@class standby.InventorySummary
---@field total integer
---@field types table<string, integer> cloud resources by type
---@field kinds table<string, integer> Kubernetes objects by kind
---@field clusters table<string, {objects: integer, kinds: table<string, integer>}>
---@field notes integer

---Counts by cloud type, by Kubernetes kind, and per cluster.
---@return standby.InventorySummary
function Inventory:summary() end

---The estate's Kubernetes clusters.
---@return {name: string, cloud: "azure"|"aws"|"unknown", id: string?}[]
function Inventory:clusters() end

---One resource: a cloud resource or a Kubernetes object. Read-only; absent facts are nil.
---@class standby.Resource
---Canonical id (normalised ARM ID, ARN, or `k8s://` id).
---@field id string
---Cloud type (`Microsoft.Network/virtualNetworks`, `AWS::EC2::Subnet`); nil for Kubernetes objects.
---@field type string?
---Kubernetes kind; nil for cloud resources.
---@field kind string?
---Kubernetes API group (`""` for core).
---@field group string?
---Kubernetes `apiVersion`.
---@field api_version string?
---@field name string?
---@field namespace string?
---The cluster a Kubernetes object belongs to; nil for cloud resources.
---@field cluster string?
---Azure location or AWS region.
---@field region string?
---@field labels table<string, string>
---@field tags table<string, string>
---Other names: AWS native IDs, ARNs, names.
---@field aliases string[]
---Where it was read from: `file` or `file:line`.
---@field source string
---`Deployment payments/api`, `Microsoft.Network/virtualNetworks vnet-prod`.
---@field display string
---The document as a Lua table, built on first read and the same table afterwards. Changing it
---does not change the inventory.
---@field doc table
local Resource = {}

return standby
