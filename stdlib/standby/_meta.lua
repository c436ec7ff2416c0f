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

-- ===========================================================================================
-- standby.select: selection and the dependency walker
-- ===========================================================================================

---A tag rule: every condition must hold (AND); a list of rules matches if any rule does (OR).
---Keys are virtual tags: `k8s:kind`, `k8s:namespace`, `k8s:label` (`"key=value"` or `"key"` for
---"has the label"), `k8s:name` (exact or glob with `*` and `?`). A value may be a list, which adds
---one condition per item (two labels in one rule). Other keys match ARM/AWS tags.
---@alias standby.TagRule table<string, string|string[]>

---@class standby.SelectOpts
---@inlinedoc
---The inventory to select from.
---@field inventory standby.Inventory
---Resources selected explicitly: ids, aliases or cluster names. Selecting a cluster brings its
---cluster-scoped Kubernetes objects and all of kube-system (Azure Policy/Gatekeeper objects excluded).
---@field roots? string[]
---Whole namespaces, in every selected cluster; `"cluster/namespace"` names one cluster's.
---@field namespaces? string[]
---Tag rules selecting more Kubernetes objects (ORed).
---@field tags? standby.TagRule[]
---Rules whose matches are never included, even when something references them.
---@field exclude? standby.TagRule[]
---Keep Azure Policy/Gatekeeper objects (default false: they are excluded, as AKS recreates them).
---@field policy_objects? boolean

---Decides what a recovery point contains: selects roots, namespaces and tag-rule matches, then
---closes the set over every reference (cluster → pools, subnets, keys, workspaces, gateways,
---identities; Deployment → ConfigMaps, Secrets, ServiceAccount, PVCs → PVs → disks; …).
---
---    local sel = standby.select{ inventory = inv, roots = { aks.id }, namespaces = { "payments" },
---                                tags = { { ["k8s:kind"] = "Deployment", ["k8s:label"] = "tier=web" } } }
---    print(sel:why("k8s://aks-prod/core/ConfigMap/payments/api-config"))
---@param opts standby.SelectOpts
---@return standby.Selection
function standby.select(opts) end

---What a recovery point will contain, and why.
---@class standby.Selection
---Number of resources included (selected and pulled in).
---@field count integer
---The inventory it was selected from.
---@field inventory standby.Inventory
local Selection = {}

---Whether the resource (by id or alias) is included.
---@param id string
---@return boolean
function Selection:contains(id) end

---Iterates over the included resources (sorted by id) that match `filter`.
---
---    for res in sel:each{ kind = "Secret" } do print(res.id) end
---@param filter? standby.ResourceQuery
---@return fun(): standby.Resource?
function Selection:each(filter) end

---@class standby.WhyStep
---@field from string id of the referring resource
---@field relation string `envFrom`, `agent pool`, `KMS key vault` …
---@field to string id of the referenced resource
---@field path string where in `from`'s document the reference is

---Why a resource is included: the chain from a selected root, shortest first, as text
---("Deployment payments/api → envFrom → ConfigMap payments/api-config") and as steps.
---A selected resource reads "Deployment payments/api (namespace payments)" with no steps.
---Nil when the resource is not included.
---@param id string
---@return string? text
---@return standby.WhyStep[]? steps
function Selection:why(id) end

---@class standby.DanglingReference
---@field from string id of the referring resource
---@field path string where the reference is
---@field relation string
---@field target string what it names
---@field expected_type string?

---References that point at nothing in the inventory. Reported, never dropped.
---@return standby.DanglingReference[]
function Selection:dangling() end

---Resources excluded (by an exclude rule, or as Azure Policy/Gatekeeper objects) that something
---wanted, with who wanted them.
---@return {id: string, reason: string, wanted_by: {from: string?, relation: string, path: string}[]}[]
function Selection:excluded() end

---@class standby.SelectionSummary
---@field selected integer chosen by roots, namespaces or tag rules
---@field pulled_in integer brought in by references
---@field total integer
---@field dangling integer
---@field excluded integer
---@field by_type {type: string, selected: integer, pulled_in: integer}[]
---@field text string the same as readable text

---Counts of what is included.
---@return standby.SelectionSummary
function Selection:summary() end

---@class standby.refs
standby.refs = {}

---@class standby.RefTarget
---@inlinedoc
---Shown in `why` chains (default: the extractor's name).
---@field relation? string
---A cloud id, ARN or alias. Give this, or `kind` and `name`.
---@field id? string
---Kubernetes kind of the target.
---@field kind? string
---@field name? string
---Default: the referring object's namespace; `false` for a cluster-scoped target.
---@field namespace? string|false
---API group of the target (default: any).
---@field group? string
---Where in the object the reference is, for reports.
---@field path? string
---When true, a target that is not in the inventory is skipped instead of reported as dangling.
---@field optional? boolean

---@class standby.RefsRegisterOpts
---@inlinedoc
---Kubernetes kind the extractor applies to (or give `type`).
---@field kind? string
---Cloud resource type the extractor applies to (or give `kind`).
---@field type? string
---Restrict `kind` to one API group.
---@field group? string
---Name for errors (default "lua: <kind>").
---@field name? string
---Called once per matching object during a walk, with its document and
---`{ id, cluster, namespace, kind, name }`; returns the targets. Objects of other kinds never
---cross into Lua.
---@field extract fun(obj: table, ctx: {id: string, cluster: string?, namespace: string?, kind: string?, name: string?}): standby.RefTarget[]

---Teaches the walker the references of a kind it does not know (typically a custom resource).
---Built-in extractors for the kind still run. An error in `extract` fails the `standby.select`
---that ran it, naming the extractor, the object and the line.
---@param opts standby.RefsRegisterOpts
function standby.refs.register(opts) end

return standby
