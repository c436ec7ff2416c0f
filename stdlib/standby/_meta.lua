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
---YAML), Velero backups (`backup.tar.gz` or an extracted backup folder: one copy of each object, filed
---under `opts.cluster` or the backup's name), and `estate.yaml` manifests that say which cluster each
---Kubernetes folder belongs to.
---A folder holding an `estate.yaml` is loaded as that estate. Relative paths start at the
---current directory. Malformed input fails with `file:line:column`.
---
---    local inv = standby.inventory.load("scripts/estate")
---    local inv2 = standby.inventory.load({ "exports/aks.json", "exports/k8s/" }, { cluster = "aks-prod" })
---@param path string|string[]
---@param opts? standby.inventory.LoadOpts
---@return standby.Inventory
function standby.inventory.load(path, opts) end

---Merges inventories into one: what live discovery of a cloud account and of the Kubernetes
---cluster inside it return separately. Clusters of the same name become one, linked to their
---control plane; resources with the same id merge (later top-level keys win, with a note).
---
---    local inv = standby.inventory.merge(
---      standby.aws.discover{ region = "us-east-1", cluster = "eks-prod-use1" },
---      standby.kube.discover{ context = "prod", cluster = "eks-prod-use1" })
---@param first standby.Inventory
---@param ... standby.Inventory
---@return standby.Inventory
function standby.inventory.merge(first, ...) end

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
---What a partial discovery (`partial = true`) could not read; empty when the inventory is whole.
---A recovery point captured from an inventory with gaps is partial.
---@field gaps standby.Gap[]
local Inventory = {}

---Something a source could not read, so an inventory (and a point captured from it) lacks it.
---@class standby.Gap
---The source: `kubernetes cluster eks-prod-use1`, `aws account 123456789012 us-east-1`, `azure subscription 8f3c…`.
---@field source string
---What is missing: `apps/v1` (an API group version: every resource it serves), `apps/v1 deployments`,
---`ECR repositories`, an ARM id.
---@field what string
---Why: the request and the answer (`GET https://…/apis/apps/v1: 503 ServiceUnavailable: …`).
---@field reason string

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
---@field reason string? set for an external reference: why an existing target was not pulled in (a binding's ServiceAccount subject in a namespace the selection does not select)

---References that point at nothing in the inventory, and external references the walker did not follow (with a `reason`). Reported, never dropped.
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


-- ===========================================================================================
-- standby.translate: translation into the recovery environment, with rules
-- ===========================================================================================

---Which objects a rule sees: every condition of one table must hold (AND); a list of tables
---matches if any table does (OR). Keys: `type` (a cloud resource type, case-insensitive:
---`"Microsoft.ContainerService/managedClusters"`, `"AWS::EKS::Cluster"`), and the tag-rule keys of
---`standby.select`: `k8s:kind`, `k8s:namespace`, `k8s:label` (`"key=value"` or `"key"`), `k8s:name`
---(exact or glob), and cloud tags (`env = "prod"`, `"*"` for "has the tag").
---@alias standby.RuleMatch table<string, string|string[]>|table<string, string|string[]>[]

---@class standby.RuleOpts
---@inlinedoc
---A short label; every change the rule makes is reported as `by = "rule: <name>"`.
---@field name string
---Which objects the rule sees. A table, never a function: it is evaluated in Swift, so objects no
---rule matches never cross into Lua (and cost nothing).
---@field match standby.RuleMatch
---Called once per matching object, after the built-in translations (so `obj` already names the
---recovery subscription, account, region…). Edit `obj` in place, or return a new table; return
---nothing to keep `obj` as it is. Rules matching one object share one crossing: the next rule is
---handed the table the last one left (after a failed rule, a fresh one). An error leaves the object as it was before this rule and is
---reported as a rule failure naming the rule, the object and the line.
---@field apply fun(obj: table, ctx: standby.RuleContext): table?

---A translation rule: a per-customer edit the built-ins do not make.
---
---    return {
---      standby.rule{
---        name = "contoso registry",
---        match = { ["k8s:kind"] = "Deployment", ["k8s:namespace"] = "payments" },
---        apply = function(obj, ctx)
---          for _, c in ipairs(obj.spec.template.spec.containers) do
---            c.image = c.image:gsub("^registry%.contoso%.com/", "registry-dr.contoso.com/")
---          end
---        end,
---      },
---    }
---
---Misspelt fields are errors ("unknown field 'aply' (did you mean 'apply'?)").
---@param opts standby.RuleOpts
---@return standby.Rule
function standby.rule(opts) end

---A rule made by `standby.rule`. Read-only.
---@class standby.Rule
---@field name string
---The match alternatives, as text (`"k8s:kind=Deployment and k8s:namespace=payments"`).
---@field match string[]
---Where the rule was defined (`rules/contoso.lua:3`).
---@field origin string

---An explicit id mapping, for ids the translator cannot derive (AWS subnets, security groups,
---EFS file systems, certificates…) or should not (a vault that already exists in the recovery
---subscription). Put it in a rules list; it wins over every derived mapping.
---
---    standby.map_id("subnet-0b1c2d3e4f5a60718", "subnet-0a0000000000000a1")
---@param from string The source id: ARM ID (any case), ARN, AWS ID, or alias.
---@param to string The recovery id.
---@return standby.IdMapping
function standby.map_id(from, to) end

---@class standby.IdMapping
---@field from string
---@field to string

---@class standby.AzureSite
---@inlinedoc
---@field subscription string
---@field location string
---The recovery tenant (tenant ids in documents are rewritten to it).
---@field tenant? string
---Resource-group renames, source name → recovery name.
---@field resource_groups? table<string, string>
---Appended to resource-group names not in `resource_groups` (default: none).
---@field resource_group_suffix? string
---Appended to globally unique names (Key Vaults `-dr`, storage accounts and registries `dr`);
---default `"dr"`.
---@field unique_suffix? string

---@class standby.AWSSite
---@inlinedoc
---A string: quote it (a number loses leading zeros).
---@field account string
---@field region string
---Default `"aws"`.
---@field partition? string

---Where a recovery point is restored. Give `azure`, `aws`, or both.
---@class standby.RecoveryEnvironment
---@field azure? standby.AzureSite
---@field aws? standby.AWSSite

---Where the resources were captured, added to what is inferred from the selection.
---@class standby.SourceEnvironment
---@field subscriptions? string|string[]
---@field locations? string|string[]
---@field tenants? string|string[]
---@field accounts? string|string[]
---@field regions? string|string[]

---A list of rules, id mappings, and lists of them (a rules module returns one).
---@alias standby.Rules (standby.Rule|standby.IdMapping|standby.Rules)[]

---@class standby.TranslateOpts
---@inlinedoc
---What to translate.
---@field selection standby.Selection
---The recovery environment.
---@field to standby.RecoveryEnvironment
---More of the source environment than the selection shows (a tenant, a second account…).
---@field from? standby.SourceEnvironment
---`"test"` (default: AKS egress goes through the sandbox firewall) or `"failover"`.
---@field mode? "test"|"failover"
---Explicit id mappings, source → recovery; they win over `standby.map_id` entries in `rules`.
---@field ids? table<string, string>
---Rules and id mappings, in order: `{ require "rules.contoso", standby.rule{...} }`. Rules run
---after the built-ins, in this order; a later rule sees (and may override) an earlier one's edits.
---@field rules? standby.Rules
---What a rule failure (a rule raised; its object is left as it was) does to the run:
---`"fail"` (default) finishes the runbook, then `standby run`, `plan` and `capture` exit 6 naming
---the failures; `"report"` accepts them (the report lists them, the exit status is unchanged);
---`"error"` raises here, naming the first.
---@field on_rule_failure? "fail"|"report"|"error"

---Translates a selection into the recovery environment: derives every recovery id, runs the
---built-in translations (ids, ARNs, images, Key Vault names, regions, AKS and EKS specifics), then
---the rules, and accounts for every value still naming the source. Exceeding the instruction
---budget or the memory ceiling inside a rule stops the whole translation (it is not a rule failure).
---
---    local t = standby.translate{
---      selection = sel,
---      to = { azure = { subscription = "0b9d…", location = "northeurope" },
---             aws = { account = "999988887777", region = "us-west-2" } },
---      rules = { require "rules.contoso" },
---    }
---    print(t:text())
---@param opts standby.TranslateOpts
---@return standby.Translation
function standby.translate(opts) end

---What `ctx` gives a rule's `apply(obj, ctx)`.
---@class standby.RuleContext
---`"test"` or `"failover"`.
---@field mode "test"|"failover"
---The recovery environment, as given to `standby.translate`.
---@field to standby.RecoveryEnvironment
---The source environment (inferred plus `from`), as lists.
---@field from {subscriptions: string[], locations: string[], tenants: string[], accounts: string[], regions: string[]}
---The object being translated (source facts, and its recovery id when it has one).
---@field resource {id: string, type: string?, kind: string?, group: string?, api_version: string?, name: string?, namespace: string?, cluster: string?, region: string?, display: string, recovery_id: string?}
local RuleContext = {}

---The recovery counterpart of an id (ARM ID, ARN, AWS ID, alias). Returns the recovery id and how
---it was derived; the id itself and "not the source environment's; kept as is" for ids of other
---subscriptions and accounts; or nil and the reason when it cannot be derived (map it with
---`standby.map_id`).
---@param id string
---@return string? recovery_id
---@return string how_or_reason
function RuleContext:map_id(id) end

---Like `map_id`, for an ARN (raises if `arn` is not one).
---@param arn string
---@return string? recovery_arn
---@return string how_or_reason
function RuleContext:map_arn(arn) end

---A container image moved to the recovery registry when the source owns its registry (ECR of a
---source account, an ACR in the recovery point); otherwise unchanged.
---@param image string
---@return string
function RuleContext:map_image(image) end

---The recovery id of a resource: the object being translated (no argument), an id, a document
---(an ARM document's `id`, or a Kubernetes object in the same cluster), or a `standby.Resource`.
---@param obj_or_id? string|table|standby.Resource
---@return string? recovery_id
---@return string how_or_reason
function RuleContext:recovery_id(obj_or_id) end

---@class standby.TranslationChange
---@field path string `spec.template.spec.containers[0].image`
---@field before any absent when the change added the value
---@field after any absent when the change removed it
---@field by string `built-in: ACR image`, `rule: contoso registry`

---@class standby.UntranslatedValue
---@field path string
---@field value string
---@field reason string
---What becomes of it: `needs_person` (a rule, a `standby.map_id` or a person must translate it),
---`server_set` (never deployed), `encrypted` (Secret data), `carried_as_is` (kept on purpose).
---@field disposition "needs_person"|"server_set"|"encrypted"|"carried_as_is"

---@class standby.TranslationSummary
---@field resources integer
---@field changed integer resources with at least one change
---@field changes integer values changed
---@field untranslated integer values still naming the source
---@field unmapped integer resources without a recovery id
---@field added integer
---@field issues integer
---@field failures integer
---@field text string the same as one readable line

---@class standby.TranslationIssue
---@field resource string source id
---@field display string
---@field feature string
---@field message string

---@class standby.RuleFailure
---@field rule string
---@field resource string source id
---@field display string
---@field message string names the rule, the object and the script line

---@class standby.TranslationReport
---@field summary standby.TranslationSummary
---@field mode "test"|"failover"
---@field to standby.RecoveryEnvironment
---@field objects {source: string, recovery: string|userdata, mapping: string, display: string, changes: standby.TranslationChange[], untranslated: standby.UntranslatedValue[]}[]
---@field added {id: string, type: string, reason: string, depends_on: string[], document: table}[]
---@field issues standby.TranslationIssue[]
---@field failures standby.RuleFailure[]

---The result of `standby.translate`. Read-only.
---@class standby.Translation
---Number of resources translated.
---@field count integer
---@field summary standby.TranslationSummary
---@field issues standby.TranslationIssue[]
---@field failures standby.RuleFailure[]
---Resources the recovery environment needs that the source did not have (role assignments).
---@field added {id: string, type: string, reason: string, depends_on: string[], document: table}[]
---@field mode "test"|"failover"
---@field to standby.RecoveryEnvironment
local Translation = {}

---The translated document of a resource (by source id, alias or recovery id), built on first read
---and the same table afterwards; changing it does not change the translation. Nil when the
---resource was not translated.
---@param id string
---@return table?
function Translation:get(id) end

---The translated resource (by source id, alias or recovery id), or nil.
---@param id string
---@return standby.TranslatedResource?
function Translation:resource(id) end

---The recovery id of `id` (see `RuleContext:map_id` for the two results).
---@param id string
---@return string? recovery_id
---@return string how_or_reason
function Translation:recovery_id(id) end

---The source id of a recovery id, or nil.
---@param recovery_id string
---@return string?
function Translation:source_id(recovery_id) end

---Iterates over the translated resources, in selection order, whose source matches `filter`.
---
---    for r in t:each{ kind = "Deployment" } do print(r.id, r.doc.spec.replicas) end
---@param filter? standby.ResourceQuery
---@return fun(): standby.TranslatedResource?
function Translation:each(filter) end

---The whole report as tables.
---@return standby.TranslationReport
function Translation:report() end

---The report as JSON text.
---@param opts? {pretty?: boolean}
---@return string
function Translation:json(opts) end

---The report as readable text: a summary line, each changed resource with
---`path: before → after (by)` lines, then "Kept as is", "Without a recovery id", "Added",
---"Issues" and "Rule failures".
---@return string
function Translation:text() end

---One translated resource. Read-only.
---@class standby.TranslatedResource
---Recovery id; nil when it cannot be derived (`mapping` says why).
---@field id string?
---@field source_id string
---The source resource.
---@field source standby.Resource
---How the recovery id was derived (`derived`, `override`, `recovery cluster`, `unmapped: …`).
---@field mapping string
---@field display string
---@field type string?
---@field kind string?
---@field namespace string?
---The recovery cluster, for Kubernetes objects.
---@field cluster string?
---The translated document, built on first read.
---@field doc table
---@field changes standby.TranslationChange[]
---@field untranslated standby.UntranslatedValue[]

---@class standby.PlanOpts
---@inlinedoc
---The translation to build the plan from.
---@field translation standby.Translation

---Builds the recovery artifacts of a translation: the subscription-scope ARM deployment for
---Azure (promoted BYO resources and role assignments included, `dependsOn` from the dependency
---graph, read-only properties stripped), the ordered EKS API requests, and the Kubernetes
---manifests of each recovery cluster in restore order (server-set fields removed).
---
---    local plan = standby.plan{ translation = t }
---    standby.sandbox.firewall{ plan = plan, allow = allow.aks("northeurope") }   -- failover tests
---    plan:write("out/drill")
---@param opts standby.PlanOpts
---@return standby.Plan
function standby.plan(opts) end

---A recovery plan. `standby plan <runbook>` writes the last one a runbook built.
---@class standby.Plan
---The translation it was built from.
---@field translation standby.Translation
---Counts: `azure_resources`, `eks_requests`, `kubernetes_manifests`, `kubernetes_skipped`,
---`sandbox_frontends`, `needs_a_person`, `must_exist` (resources the plan names but neither creates
---nor finds in the recovery point), `rpo_seconds` (the age of the oldest volume snapshot the plan
---restores from, or nil; see `Plan:volumes`), and the translation's.
---@field summary table<string, integer|string>
---What a person must do or decide.
---@field notes {subject: string, message: string}[]
---Enabled AKS add-ons per recovery cluster name (what `allowlists.addons` reads).
---@field addons table<string, string[]>
local Plan = {}

---Writes every artifact into `dir` atomically (a new folder replaces the old one in one rename;
---on error the old one is left as it was), with `report.json` and `report.md`. With
---`files = "all"`, each cluster's manifests go to `all.yaml` only, without a file per object
---(much faster for large estates; `kubectl apply -f all.yaml` takes it as it is).
---@param dir string
---@param opts? {files?: "each"|"all"} default `"each"`: `all.yaml` and a file per object
---@return string[] files the relative paths written
function Plan:write(dir, opts) end

---The relative paths `write` would create.
---@return string[]
function Plan:files() end

---The report as tables (what `report.json` holds).
---@return table
function Plan:report() end

---The report as Markdown (what `report.md` holds).
---@return string
function Plan:text() end

---@class standby.ApplyTarget
---@inlinedoc
---Where the ARM deployment goes: the recovery subscription and location come from the
---translation's `to.azure`; `endpoint` (default `https://management.azure.com`) and the
---deployment `name` (default `standby-recovery`) may be set. Tokens: `AZURE_ACCESS_TOKEN`, a
---service principal (`AZURE_TENANT_ID`, `AZURE_CLIENT_ID`, `AZURE_CLIENT_SECRET`), or `az`.
---@field azure? {subscription?: string, location?: string, name?: string, endpoint?: string}|boolean
---Where the EKS requests go, as `standby.aws.discover` takes it (`region` defaults to the plan's).
---@field aws? standby.AWSOpts|boolean
---Where each recovery cluster's objects go: `{ context = "dr" }` when the plan restores one
---cluster, else `{ ["eks-prod-usw2"] = { context = "dr-eks" }, ... }`. `{ eks = true }` reaches
---an EKS cluster the plan creates with `target.aws`'s credentials, without a kubeconfig (its
---endpoint and CA from `DescribeCluster`, tokens as `aws eks get-token` makes them), so one
---apply creates the cluster and restores into it.
---@field kube? {kubeconfig?: string, context?: string, eks?: true}|table<string, {kubeconfig?: string, context?: string, eks?: true}>

---@class standby.ApplyOpts
---@inlinedoc
---Which recovery environment to write. Parts of the plan it does not name are reported as skipped.
---@field target standby.ApplyTarget
---What to do with things that already exist: `"skip"` (default; report them) or `"update"`
---(Kubernetes objects are server-side applied over; ARM deploys incrementally; EKS node groups
---get the plan's scaling, labels and taints in place; EKS clusters, Fargate profiles and OIDC
---providers cannot be changed to a plan in place and are skipped either way).
---@field existing? "skip"|"update"

---@class standby.ApplyRecord
---@field target "azure"|"aws"|"kubernetes"
---@field kind string `CreateCluster`, `apps/v1 Deployment`, an ARM type…
---@field id string the recovery id or name
---@field outcome "created"|"updated"|"skipped"|"failed"
---@field message string why it was skipped or failed

---@class standby.ApplyResult
---`"3 created, 0 updated, 1 skipped, 0 failed"`.
---@field summary string
---True when nothing failed.
---@field ok boolean
---@field records standby.ApplyRecord[]
---@field created standby.ApplyRecord[]
---@field updated standby.ApplyRecord[]
---@field skipped standby.ApplyRecord[]
---@field failed standby.ApplyRecord[]

---Runs the restore against the recovery environment: the ARM deployment first, then the EKS
---requests (cluster, OIDC provider, node groups, Fargate profiles), then each recovery
---cluster's Kubernetes objects by server-side apply in restore order (CRDs are waited for until
---Established). Idempotent: what already exists is reported, never duplicated. Shows progress on
---a terminal; quiet otherwise. Failures are records, not errors: check `result.ok`.
---
---    local result = plan:apply{ target = { aws = { profile = "dr" }, kube = { context = "dr" } } }
---    print(result.summary)
---    for _, r in ipairs(result.failed) do print(r.kind, r.id, r.message) end
---@param opts standby.ApplyOpts
---@return standby.ApplyResult
function Plan:apply(opts) end

-- Live discovery: standby.aws, standby.kube, standby.azure ----------------------------------------

---@class standby.AWSOpts
---@inlinedoc
---Region; default `AWS_REGION`, `AWS_DEFAULT_REGION`, then the profile's `region`.
---@field region? string
---A profile of the shared config and credentials files; default `AWS_PROFILE`, then `default`.
---Credentials: `AWS_ACCESS_KEY_ID`/`AWS_SECRET_ACCESS_KEY`/`AWS_SESSION_TOKEN`, else the profile
---(with `role_arn` and `source_profile`).
---@field profile? string
---One endpoint for every service (`http://127.0.0.1:5000` for moto); default `AWS_ENDPOINT_URL`,
---the profile's `endpoint_url`, else AWS's own.
---@field endpoint? string
---A role to assume through STS first (the recovery account's).
---@field role_arn? string
---@field external_id? string

---@class standby.aws
standby.aws = {}

---Reads EKS clusters live: each cluster with its node groups and Fargate profiles, the VPCs,
---subnets and security groups they use, launch templates, IAM roles and OIDC providers, ECR
---repositories, EFS file systems and the KMS keys they use. The inventory is the one the same
---data would give as aws-cli output files to `standby.inventory.load`.
---
---Raises when EKS, EC2 or IAM fail, and when ECR, EFS or KMS cannot be read (naming each part and
---the error), unless `partial = true`: then those parts are the inventory's `gaps`, and a point
---captured from it is partial.
---
---    local inv = standby.aws.discover{ region = "us-east-1", profile = "prod", cluster = "eks-prod-use1" }
---@param opts? standby.AWSDiscoverOpts
---@return standby.Inventory
function standby.aws.discover(opts) end

---@class standby.AWSDiscoverOpts: standby.AWSOpts
---@inlinedoc
---EKS clusters to read (names); default every cluster of the region.
---@field cluster? string|string[]
---Read what can be read when ECR, EFS or KMS cannot be: each part that fails becomes an entry of
---the inventory's `gaps` instead of an error. Default false.
---@field partial? boolean

---@class standby.kube
standby.kube = {}

---@class standby.KubeDiscoverOpts
---@inlinedoc
---A kubeconfig file; default `KUBECONFIG` (a list, merged as kubectl merges it), then `~/.kube/config`.
---@field kubeconfig? string
---A context of it; default its `current-context`.
---@field context? string
---The cluster name objects are filed under (the estate's name for it, e.g. `eks-prod-use1`, so
---`standby.inventory.merge` links them to the cloud resource); default the kubeconfig cluster's name.
---@field cluster? string
---Namespaces to read; default all. Cluster-scoped objects are always read.
---@field namespaces? string[]
---Objects per List request (`limit`; default 500).
---@field page_size? integer
---Read what can be read when an API group's discovery document or a list cannot be: each becomes
---an entry of the inventory's `gaps` (and `notes`) instead of an error. Default false. A point
---captured from such an inventory is partial: `points:newest()` skips it unless asked.
---@field partial? boolean

---Reads every object a Kubernetes cluster serves, custom resources included: API groups and
---resources come from the server's discovery documents (no list of kinds is built in), and
---each resource is listed in pages. Credentials as kubectl has them: tokens, client
---certificates, `exec` plugins (`kubelogin`, `aws eks get-token`).
---
---Nothing is left out silently: when an API group's discovery document cannot be read (an
---aggregated API whose backend is down answers 503, after retries) it raises naming the group
---version, the URL and the status; a list that fails raises too. With `partial = true` it reads
---the rest and records each as an entry of `inv.gaps`.
---
---    local inv = standby.kube.discover{ context = "prod-eks", cluster = "eks-prod-use1", namespaces = { "payments" } }
---    local some = standby.kube.discover{ context = "prod-eks", partial = true }
---    for _, gap in ipairs(some.gaps) do print(gap.what, gap.reason) end
---@param opts? standby.KubeDiscoverOpts
---@return standby.Inventory
function standby.kube.discover(opts) end

---@class standby.azure
standby.azure = {}

---@class standby.AzureDiscoverOpts
---@inlinedoc
---The subscription id to read.
---@field subscription string
---Resource groups to read; default every group of the subscription.
---@field resource_group? string|string[]
---@field resource_groups? string[]
---ARM's endpoint; default `https://management.azure.com`.
---@field endpoint? string
---Keep a resource whose properties cannot be read (no api-version known for its type) as listed,
---recorded in the inventory's `gaps`, instead of raising. Default false.
---@field partial? boolean

---Reads Azure resources live through ARM: each resource of the groups by id with its type's
---api-version, AKS clusters with their agent pools. Tokens: `AZURE_ACCESS_TOKEN`, a service
---principal (`AZURE_TENANT_ID`, `AZURE_CLIENT_ID`, `AZURE_CLIENT_SECRET`), or `az account
---get-access-token`.
---
---Raises, naming each resource, when a resource's properties cannot be read, unless
---`partial = true`: then it is kept as listed and recorded in `inv.gaps`.
---
---    local inv = standby.azure.discover{ subscription = "8f3c…", resource_group = "rg-payments-prod" }
---@param opts standby.AzureDiscoverOpts
---@return standby.Inventory
function standby.azure.discover(opts) end

-- Network sandbox: standby.sandbox and standby.allowlists ---------------------------------------

---@class standby.sandbox
standby.sandbox = {}

---@class standby.SandboxFirewallOpts
---@inlinedoc
---The plan of a failover test (translated with `mode = "test"`); the firewall is attached to it.
---@field plan standby.Plan
---The egress allowlist: domains the clusters may reach over HTTP 80 and HTTPS 443. `*.example.com`
---matches every subdomain; `.example.com` means the same. `{}` denies all egress.
---@field allow string[]|standby.Allowlist

---Builds the network sandbox of a failover test and attaches it to `opts.plan` (its resources join
---the ARM template, its Service annotations the manifests; building again replaces it). For each
---recovery VNet holding AKS cluster subnets: an Azure Firewall with its policy in its own
---`AzureFirewallSubnet` (a free /26), a route table sending `0.0.0.0/0` to it attached to every
---cluster subnet (nodes and pods of every pool, the VNet-integrated API server), one public IP
---per public Service `type: LoadBalancer` with DNAT rules to the Service, made internal with a
---pinned address, the AGIC parallel pattern (the gateway keeps its public frontend; its subnet
---reaches the cluster through the firewall), and application rules for `opts.allow`.
---
---    local allow = require "standby.allowlists"
---    local fw = standby.sandbox.firewall{ plan = plan, allow = allow.aks("northeurope") + allow.addons(plan) }
---    for _, f in ipairs(fw.frontends) do print(f.public_ip, "→", f.service, f.address) end
---
---Raises, naming each entry and why, when an allowlist entry is not a domain (`foo.*.com`, `*`,
---`exa mple.com`, a URL, an IP address, labels over 63 characters, names over 253); raises for a
---`failover` translation, and when a VNet has no free /26.
---@param opts standby.SandboxFirewallOpts
---@return standby.Firewall
function standby.sandbox.firewall(opts) end

---A Service reached through the sandbox firewall.
---@class standby.SandboxFrontend
---The recovery cluster.
---@field cluster string
---`namespace/name` of the Service.
---@field service string
---The name of the firewall public IP resource to send its traffic to.
---@field public_ip string
---@field ports integer[]
---`TCP`, `UDP` or `TCP,UDP`.
---@field protocol string
---The Service's pinned internal frontend address, the DNAT target.
---@field address string

---The sandbox attached to a plan (`standby.sandbox.firewall`). Read-only.
---@class standby.Firewall
---@field frontends standby.SandboxFrontend[]
---The allowlist as the firewall holds it: validated, normalised (`.x` → `*.x`, lower case), deduplicated.
---@field allow string[]
---What a person must do: which firewall IP reaches which Service, replaced route tables, AGIC.
---@field notes {subject: string, message: string}[]
---The ARM resources added to the plan's template, with recovery ids.
---@field resources {id: string, type: string, reason: string, depends_on: string[], document: table}[]
---Subnet recovery id → the route table attached to it.
---@field route_tables table<string, string>
---Service source id (`k8s://…`) → the annotations set on its manifest.
---@field service_annotations table<string, table<string, string>>
---@field plan standby.Plan

---A list of domains that combines with `+` (order of first appearance, duplicates dropped as the
---firewall compares them). `tostring` gives "standby.Allowlist(N domains)".
---@class standby.Allowlist: string[]
---@operator add(string[]|standby.Allowlist): standby.Allowlist

---Egress allowlists for the sandbox firewall (`require "standby.allowlists"`, or `standby.allowlists`).
---@class standby.allowlists
standby.allowlists = {}

---The minimum an AKS cluster (with AGIC) needs behind the sandbox firewall: the 11 domains of the
---reference's "Required Outbound Allowlist", the API server entry built for the recovery region
---(`*.hcp.<region>.azmk8s.io`). Raises on what is not a region's programmatic name ("West Europe").
---@param region string|standby.Plan an Azure region name (`westeurope`), or a plan (its recovery location)
---@return standby.Allowlist
function standby.allowlists.aks(region) end

---The extra domains of the add-ons enabled on the plan's AKS clusters (Microsoft's "Outbound
---network and FQDN rules for AKS clusters"): Container Insights (`omsagent`, with the recovery
---region's Azure Monitor endpoints), Azure Policy, the Key Vault CSI driver, AGIC; and those of
---Windows and GPU node pools.
---@param plan standby.Plan
---@return standby.Allowlist
function standby.allowlists.addons(plan) end

---An allowlist from a list of domains, so that `+` works on it.
---@param entries string[]
---@return standby.Allowlist
function standby.allowlists.list(entries) end

---Whether `value` is an allowlist made by this module.
---@param value any
---@return boolean
function standby.allowlists.is(value) end

---@class standby.CaptureOpts
---@inlinedoc
---What to capture.
---@field selection standby.Selection
---Where: a folder, `file:///path`, or `s3://bucket/prefix` (AWS credentials from the host's environment).
---@field to string
---The signing PRIVATE key file (`standby keys new`): signs the manifest.
---@field signing_key string
---The recovery PUBLIC key file: the point's data key is wrapped for it; only the recovery side can decrypt.
---@field recovery_key string
---Values to encrypt like Secret data: `{ { kind = "ConfigMap", path = "data.DB_PASSWORD" } }`.
---@field sensitive? {kind?: string, path: string}[]
---An S3-compatible endpoint (`http://127.0.0.1:5000` for moto).
---@field endpoint? string
---@field region? string
---The point's id (default: UTC time and 8 random hex digits).
---@field id? string
---An AWS KMS key (id, ARN or alias) that also wraps the data key, so KMS can open the point as well
---as the recovery private key (same `endpoint`/`region`, AWS credentials from the environment).
---@field kms_key? string
---Write every object under S3 Object Lock (`mode` "governance" or "compliance", `days` from now)
---when the bucket has Object Lock; otherwise the point is written unlocked and the summary's
---`lock.note` (and standard error) says why. Default: the fleet's policy under `standby fleet run`.
---@field lock? {mode: "governance"|"compliance", days: integer}

---Captures a selection into a recovery point: every object as captured (untranslated), Secret
---data and sensitive values encrypted (AES-256-GCM, data key wrapped with RSA-OAEP-256), the
---selection and its why graph, the issues, then the manifest (every object's SHA-256) signed with
---Ed25519 — published last, so a point without it is never restorable.
---
---A selection whose inventory has `gaps` (a partial discovery) makes a *partial* point: its signed
---manifest lists the gaps, the summary says `partial = true`, and `points:newest()` never picks it
---unless asked (`newest{ partial = true }`).
---
---    local point = standby.capture{ selection = sel, to = "out/points",
---      signing_key = "out/keys/signing.key", recovery_key = "out/keys/recovery.pub" }
---@param opts standby.CaptureOpts
---@return standby.PointSummary
function standby.capture(opts) end

---@class standby.PointSummary
---@field id string
---@field clusters string[]
---@field created string ISO 8601, UTC
---@field size integer bytes stored
---@field objects integer
---@field complete boolean the signed manifest is there
---@field verified? boolean signature and every digest checked (when a verify key was given)
---@field immutable boolean never pruned or deleted
---@field partial boolean captured from a partial inventory: a restore uses it only when asked for
---@field gaps standby.Gap[] what a partial point lacks (empty for a whole point)

standby.points = {}

---Opens a store of recovery points.
---
---    local points = standby.points.open("out/points", { verify_key = "out/keys/signing.pub" })
---    local point = points:newest()                          -- newest point that verifies
---    local sel = point:selection{ recovery_key = "out/keys/recovery.key" }
---@param url string a folder, `file:///path` or `s3://bucket/prefix`
---@param opts? {verify_key?: string, endpoint?: string, region?: string}
---@return standby.Points
function standby.points.open(url, opts) end

---@class standby.Points
---@field url string
local Points = {}

---Every point, newest first, with `verified` when a verify key was given.
---@return standby.PointSummary[]
function Points:list() end

---@class standby.NewestOpts
---@inlinedoc
---When the newest point is incomplete, fails verification, or is partial, use the newest older
---point that verifies and is whole instead of raising (the second result names each point passed
---over and why). Default false: restoring an older point is never silent.
---@field allow_older? boolean
---Accept a partial point (captured from a partial discovery; `point.summary.gaps` says what it
---lacks). Default false.
---@field partial? boolean

---A newer point `newest{ allow_older = true }` did not use.
---@class standby.PassedOverPoint
---@field id string
---Which check refused it: `"incomplete"`, `"fails verification"` or `"partial"`.
---@field check string
---What was found: the failed check's message (`object k8s://…: digest mismatch`), the missing signature, or the gaps.
---@field reason string
---For a partial point: what it lacks.
---@field gaps? standby.Gap[]

---The point a restore uses: the newest one, once it is complete, verifies (signature and every
---digest) and is whole. When the newest point is not, raises naming the point and the check that
---failed (and the older point `allow_older` would use), unless `opts` allows an older or a partial
---point. Returns nil when the store holds no point that qualifies, and the newer points passed over.
---
---    local point, passed_over = points:newest()                         -- raises if the newest is refused
---    local older, skipped = points:newest{ allow_older = true }
---    for _, p in ipairs(skipped) do print("not using", p.id, p.check, p.reason) end
---@param opts? standby.NewestOpts
---@return standby.Point?
---@return standby.PassedOverPoint[] passed_over newer points not used (empty unless `allow_older`)
function Points:newest(opts) end

---Opens a point after checking its signature and every digest; an error names the first thing
---that does not match. Opens a partial point too (it is named): check `point.summary.partial`.
---@param id string
---@return standby.Point
function Points:open(id) end

---Marks a point immutable: never pruned or deleted.
---@param id string
function Points:mark_immutable(id) end

---Deletes the points a retention policy does not keep (never immutable ones).
---`keep_weekly` also keeps the newest point of each of the last W ISO weeks (UTC). A point the store
---locks (S3 Object Lock, until a later date) is never deleted.
---@param policy {keep_last: integer, keep_daily?: integer, keep_weekly?: integer}
---@return string[] pruned ids
function Points:prune(policy) end

---A verified recovery point.
---@class standby.Point
---@field id string
---@field summary standby.PointSummary
local Point = {}

---The point's selection, re-applied to its objects: what `standby.translate` takes. With the
---recovery PRIVATE key file, Secret values are decrypted; with `kms = true`, the data key is
---unwrapped by AWS KMS instead (a point captured with `kms_key`; the store's endpoint and region,
---credentials from the environment); without either, they stay sealed placeholders.
---@param opts? {recovery_key?: string, kms?: boolean}
---@return standby.Selection
function Point:selection(opts) end

-- Volume data (issue 14) -------------------------------------------------------------------

---@class standby.PlanVolume
---@field persistent_volume string `cluster/name` of the PersistentVolume
---@field kind "azure-disk"|"ebs"|"efs"|"azure-files"
---@field volume string the cloud volume: the disk's ARM id, the `vol-` id, the `fs-` id, `account/share`
---@field action "from_snapshot_copy"|"needs_person"|"replication_step"
---@field snapshot? string the copy the volume is created from
---@field point? string the recovery point that made the copy
---@field taken? string when the snapshot was taken (ISO 8601)
---@field age_seconds? integer the snapshot's age when the plan was made (this volume's RPO)
---@field recovery_volume? string the ARM id of the disk the template creates (EBS: AWS assigns the `vol-` id)
---@field recovery_zone? string
---@field message? string what a person must know or do

---Every PersistentVolume with cloud data and how the plan brings it back: from its snapshot copy in
---the recovery region, a step for a person (EFS, Azure Files), or nothing at all when no complete
---copy exists (never an empty volume). The plan's `summary.rpo_seconds` is the oldest `age_seconds`.
---@return standby.PlanVolume[]
function Plan:volumes() end

-- Restore engine: graph-ordered apply, readiness, versions, hooks, verification --------------------

---@class standby.RestoreHook
---@inlinedoc
---Run for objects of this kind only (`"Deployment"`); default any.
---@field kind? string
---... in this namespace only.
---@field namespace? string
---... carrying these labels: `"app=web,tier=front"` or `{ app = "web" }`.
---@field label? string|table<string, string>
---How the hook reads in `result.hooks` (default `after[N]`).
---@field name? string
---Called once the matched object (created or updated by this apply, not one skipped as existing)
---is ready, with the object as the cluster has it and the cluster's verbs. An error it raises is a
---record in `result.hooks` (with the script line), never a crash of the apply.
---@field run fun(object: table, kube: standby.Kube)

---@class standby.ApplyOpts
---Seconds to wait for each kind to become ready (0: do not wait); defaults
---`CustomResourceDefinition = 60`, `Deployment = 600`, `StatefulSet = 900`, `DaemonSet = 600`,
---`PersistentVolumeClaim = 600`, `Service = 300` (a Service is awaited only when a webhook
---configuration or APIService calls it).
---@field timeouts? table<string, number>
---Requests in flight at most per cluster (default 16, 1 to 256).
---@field in_flight? integer
---Functions to run when matching restored objects are ready.
---@field after? standby.RestoreHook[]

---@class standby.ApplyRecord
---`blocked`: not attempted because something it needs failed or was blocked (see `blocked_by`).
---@field outcome "created"|"updated"|"skipped"|"failed"|"blocked"
---What blocked it (`v1 ConfigMap shop/settings`).
---@field blocked_by? string[]
---The `apiVersion` of the plan when the object was converted to one the cluster serves.
---@field converted_from? string
---When its apply was answered (RFC 3339).
---@field applied? string
---When it was seen ready (RFC 3339).
---@field ready? string

---@class standby.ApplyTiming
---@field cluster string
---@field started string before the first request
---@field applied? string the last apply answered
---@field ready? string the last awaited object ready; absent when one never was
---@field ended string
---@field seconds_to_ready? number the measured recovery time of the apply
---@field seconds number
---@field objects_per_second? number
---@field objects integer
---@field sent integer
---@field failed integer
---@field blocked integer
---@field awaited integer

---@class standby.HookRun
---@field hook string
---@field object string `apps/v1 Deployment shop/web`
---@field ok boolean
---@field message string the error, with the script position
---@field seconds number

---@class standby.ApplyResult
---@field blocked standby.ApplyRecord[]
---Per recovery cluster: start, applied, ready and end times, throughput.
---@field clusters standby.ApplyTiming[]
---@field hooks standby.HookRun[]

---The recovery cluster's Kubernetes verbs, as a restore hook gets them.
---@class standby.Kube
---@field cluster string
local Kube = {}

---Reads one object; nil when it does not exist.
---
---    local web = kube:get{ apiVersion = "apps/v1", kind = "Deployment", namespace = "shop", name = "web" }
---@param opts {apiVersion: string, kind: string, namespace?: string, name: string}
---@return table?
function Kube:get(opts) end

---Server-side applies an object as field manager `standby-hook` (not the restore's `standby`, so a partial
---object removes none of the fields the restore set); returns it as applied.
---
---    kube:apply{ apiVersion = "v1", kind = "ConfigMap", metadata = { name = "flags", namespace = "shop" },
---                data = { restored = "true" } }
---@param object table
---@return table
function Kube:apply(object) end

---@class standby.VerifyRecord
---@field kind string
---@field id string
---@field ok boolean
---@field message string what differs or is not ready

---@class standby.VerifyResult
---`"41 of 42 objects as planned"`.
---@field summary string
---@field ok boolean
---@field records standby.VerifyRecord[]
---@field failed standby.VerifyRecord[]
---Per cluster: `started`, `ready`, `ended` of the last `plan:apply`, `rto_seconds` (when everything
---was ready and verifies), `verified`, and the apply's timing.
---@field clusters table[]
---Recovery clusters no target was given for.
---@field not_verified string[]

---Checks the recovery clusters against the plan: every planned object exists with the planned
---spec, workloads ready, claims Bound, each LoadBalancer Service mapped by the sandbox's DNAT (on
---paper); with the recovery time of the last `plan:apply` of this script.
---
---    local result = plan:apply{ target = { kube = { context = "dr" } } }
---    local check = plan:verify{ target = { kube = { context = "dr" } } }
---    print(check.summary, check.clusters[1].rto_seconds)
---@param opts {target: {kube: {kubeconfig?: string, context?: string}|table<string, {kubeconfig?: string, context?: string}>}}
---@return standby.VerifyResult
function Plan:verify(opts) end

-- Traffic follows the failover, and the report's first screen (issue 15, items 5 and 6).

---@class standby.Plan
---Recovery endpoints and registry copies (nil when the plan was not made from a selection):
---`endpoints` (Traffic Manager endpoints and Front Door origins added beside the primary's, with
---`service`, `front`, `primary`, `id`, `target`, `serves`, `status` — `Disabled` in a failover
---test — and `priority`), `registries` (`source`, `sku`, `recovery`, `images`, `replication`),
---`imports` (`az acr import` lines) and `files` (`azure/traffic.json`, `azure/prepare.json`,
---`azure/acr-import.sh`). `summary` also counts the checklist by phase (`before`, `during`,
---`after`), `traffic_endpoints` and `registry_imports`, and has the `rpo` and `rto` lines of the
---report's first screen. `write` adds `report.html`.
---@field traffic {endpoints: table[], registries: table[], imports: string[], files: string[]}?

---@class standby.PlanOpts
---Where the plan finds the Traffic Manager profiles, Front Doors and registry replications to add
---recovery endpoints and replications to: they are global and stay where they are, so give the
---live estate (not a recovery point). Without it the plan says they were not looked at.
---@field traffic? standby.Inventory
-- standby.translate: namespace mapping

---@class standby.TranslateOpts
---Kubernetes namespaces renamed in the recovery clusters, source → recovery:
---`{ checkout = "checkout-dr" }`. Every object of a mapped namespace moves (recovery id, file path,
---`metadata.namespace`), its Namespace object is renamed, and references to moved objects follow:
---RBAC subjects, PersistentVolume `claimRef`s, webhook and APIService services, Service DNS names
---(`<svc>.<ns>`, `<svc>.<ns>.svc`, `.svc.cluster.local`) in env values, ConfigMap data and other
---strings, `system:serviceaccount:<ns>:<name>`, the AKS pod-identity profile. A rule that changes
---`metadata.namespace` (or a Namespace's `metadata.name`) is honoured the same way. An error: two
---source namespaces mapped to one, a target the capture already has, a source the inventory does
---not have (with "did you mean"), a target that is not a DNS-1123 label.
---@field namespaces? table<string, string>

-- standby.select: nothing silent about namespaces

---@class standby.SelectOpts
---Refuse namespaces that no cluster of the inventory has (default false: each is a warning in
---`sel.warnings` and under "Needs a person" in the plan's report, with a "did you mean").
---@field strict? boolean

---@class standby.Selection
---What the selection names but did not find: `"namespace 'chekout' is in no cluster of the
---inventory, so it selected nothing (did you mean 'checkout'?)"`.
---@field warnings string[]

-- Volume data in the recovery point (issue 14: capture and point:volumes()) ----------------

---@class standby.CaptureVolumesOpts
---@inlinedoc
---PersistentVolumes to include, by name or `cluster/name` (`*` matches any run of characters); default all selected.
---@field include? string|string[]
---PersistentVolumes to leave out, by name or `cluster/name`.
---@field exclude? string|string[]
---The region (EBS) or Azure location (disks) the snapshots are copied to. Required when an EBS volume or
---Azure disk is selected: without it the call is an error naming them.
---@field recovery_region? string
---The account restores run in: the copy is shared with it (`createVolumePermission`) when it differs.
---@field recovery_account? string
---A KMS key of the recovery region that encrypted volumes' copies are encrypted with (required for them).
---@field kms_key? string
---The AWS connector for the source volumes (default: the host's credentials, the region of each volume's zone).
---@field aws? {region?: string, profile?: string, endpoint?: string, role_arn?: string, external_id?: string}
---The resource group Azure disks' copies are made in (`CopyStart`); required when an Azure disk is selected.
---@field recovery_resource_group? string
---The subscription of `recovery_resource_group` (default: each disk's own).
---@field recovery_subscription? string
---Where the incremental snapshot in the disk's region goes (default: the disk's resource group).
---@field snapshot_resource_group? string
---The ARM connector for the disks (default `https://management.azure.com`; the token as for `standby.azure.discover`).
---@field azure? {endpoint?: string, subscription?: string}

---What a capture hook is given: the point's id and the phase (`"before"` or `"after"`).
---@class standby.CaptureHookContext
---@field point string
---@field phase "before"|"after"

---@class standby.CaptureHooks
---@inlinedoc
---The cluster the hooks' `kube` reaches (default: `KUBECONFIG` and its current context).
---@field kube? {kubeconfig?: string, context?: string}
---Runs before the snapshots, e.g. to scale a StatefulSet to 0. An error here stops the capture: no
---snapshot is taken and no point written (`after` still runs).
---@field before? fun(ctx: standby.CaptureHookContext, kube: standby.Kube)
---Runs after the snapshots, always once `before` has (also when a snapshot failed), e.g. to scale back.
---When it fails the point is still written, and the capture then raises naming it.
---@field after? fun(ctx: standby.CaptureHookContext, kube: standby.Kube)

---@class standby.CaptureOpts
---Snapshot the selected PersistentVolumes' data (EBS: snapshot, copy to `recovery_region`, share;
---Azure disks: incremental snapshot, `CopyStart` copy into `recovery_resource_group`), tagged with the
---point id, and record it in the signed manifest. Without hooks the data is crash-consistent. A
---selected volume whose data the point does not carry (a failed snapshot or copy, EFS and Azure
---Files, which the plan replicates as a step for a person) is a gap: the point is partial.
---@field volumes? true|standby.CaptureVolumesOpts
---Functions run around the volume snapshots with the Kubernetes verbs (`kube:get`, `kube:apply`);
---volumes snapshotted after `before` ran are recorded `"application-consistent"`.
---
---    hooks = { kube = { context = "aks-prod" },
---              before = function(ctx, kube) kube:apply{ apiVersion = "apps/v1", kind = "StatefulSet",
---                metadata = { name = "web", namespace = "shop" }, spec = { replicas = 0 } } end,
---              after = function(ctx, kube) kube:apply{ apiVersion = "apps/v1", kind = "StatefulSet",
---                metadata = { name = "web", namespace = "shop" }, spec = { replicas = 2 } } end }
---@field hooks? standby.CaptureHooks

---One volume whose data a point carries.
---@class standby.PointVolume
---@field volume string the protected volume (`vol-...`, or the Azure disk's ARM id)
---@field snapshot string the snapshot in the source region
---@field copy string its copy in the recovery region
---@field copy_region string
---@field size_gib integer
---@field taken string when the snapshot was taken (ISO 8601, as the cloud reports it)
---@field consistency string `"crash-consistent"`, or `"application-consistent"` when `hooks.before` ran first
---@field shared_with string[] accounts the copy is shared with

---The volumes whose data the point carries, as its signed manifest records them (empty for a
---point captured without `volumes`).
---@return standby.PointVolume[]
function Point:volumes() end

-- Runbook arguments ------------------------------------------------------------------------------

---The `key=value` arguments a runbook was given (what `standby fleet run` passes), as a table.
---An argument that is not `key=value`, or a missing `required` key, is an error at the caller's line.
---
---    local settings = standby.settings(arg, { "cluster", "store", "keys" })
---    print(settings.cluster)
---@param args string[] the script's `arg`
---@param required? string[] keys that must be given
---@return table<string, string>
function standby.settings(args, required) end

return standby
