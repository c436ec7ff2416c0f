/// Builds the subscription-scope ARM deployment for the Azure resources of a translation: one
/// template (`az deployment sub create --template-file template.json --parameters @parameters.json`)
/// and its parameters file.
///
/// **What the template holds.** A `Microsoft.Resources/resourceGroups` resource for every recovery
/// resource group it deploys into, except the AKS node resource groups (`MC_*`: AKS creates them,
/// and a template that created one would make the cluster's creation fail). Then one nested
/// deployment (`Microsoft.Resources/deployments`, `mode: Incremental`, inner expression scope) per
/// resource, named `{type}-{name}-{hash}`:
/// - every translated ARM resource with a recovery id outside a node resource group (resources
///   AKS creates there — identities, NSGs, load balancers — are left to AKS; the others, such as a
///   managed disk behind a PersistentVolume, get a note: they are restored after the cluster);
/// - the role assignments the translation added, and the sandbox's resources when one is attached.
///
/// Key Vault secrets are not deployed: the recovery point holds no secret values, and a secret PUT
/// without one would blank the secret. A note lists them per vault.
///
/// **Bodies.** The translated document in the form a PUT takes (``ARMResourceForm``): `type`,
/// `apiVersion`, `name` (`parent/child` for child types), `location`, `kind`, `tags`, `sku`, `zones`,
/// `identity` (user-assigned identity values `{}`), `properties`, without read-only properties and
/// `null`s. For the types ``AzureRESTModels`` covers, the api-version is the generated table's and
/// a property its model does not know is left out with a note.
/// Literal strings that start with `[` are escaped (`[[`). Expressions Standby adds:
/// - a versioned Key Vault key URL (KMS `keyId`, a disk encryption set's `keyUrl`) of a key the
///   template creates becomes `reference(key).keyUriWithVersion`: the recovery key has its own version;
/// - a federated identity credential whose issuer was the source cluster's OIDC issuer gets the
///   recovery cluster's (`reference(cluster).oidcIssuerProfile.issuerURL`);
/// - pod identities' `clientId`/`objectId` come from `reference(identity)`.
///
/// **AKS clusters** (``ARMTemplateBuilder`` extension in `ARMManagedClusters.swift`): every pool is
/// created inline in `agentPoolProfiles` (AKS needs the System pool at creation, and one request
/// creates them all); a translated standalone `agentPools` resource is emitted only when the
/// cluster has no inline pool of that name. An inline pool that would close a dependency cycle
/// (created from a snapshot of another pool of the same cluster) is moved out to an `agentPools`
/// resource after the cluster and its snapshot. The kubelet identity AKS created in the node
/// resource group is dropped (AKS creates the recovery one). The Windows admin password is a
/// `securestring` parameter whose value the parameters file takes from the translated Key Vault
/// secret of the cluster's `arpio-config:admin-password-secret` tag; a service principal or legacy
/// AAD server secret is a parameter with a note. An AKS-managed AGIC gateway promoted to BYO is
/// created with a bootstrap configuration (one listener, pool and rule); AGIC writes the rest from
/// the Ingress objects.
///
/// **Network.** Standalone subnet resources of a VNet the template creates are folded into its
/// inline `subnets` (a VNet PUT replaces its subnet list). The sandbox's route tables are set on
/// the subnets (`properties.routeTable.id`). VNet peerings are dropped in a failover test (the copy
/// must not reach the production networks) and kept with a note in a real failover.
///
/// **Order.** `dependsOn` follows ``ARMDependencyGraph``: a resource waits for every resource of
/// the template whose recovery id (or a child's) appears in its body, for its ARM parent, and for
/// what ``AddedResource/dependsOn`` names. Cycles are broken by ``ARMCycleBreaker``. `dependsOn`
/// names nested deployments and resource groups by name (unique in the template), and
/// ``ARMDeployment/creates`` lists the recovery ids in an order that respects it.
public enum ARMTemplateBuilder {
    /// `$schema` of the subscription-scope template.
    public static let schema = "https://schema.management.azure.com/schemas/2018-05-01/subscriptionDeploymentTemplate.json#"
    /// `$schema` of the parameters file.
    public static let parametersSchema = "https://schema.management.azure.com/schemas/2019-04-01/deploymentParameters.json#"
    /// `$schema` of each nested (resource-group) template.
    public static let nestedSchema = "https://schema.management.azure.com/schemas/2019-04-01/deploymentTemplate.json#"

    /// The deployment for `translation`'s Azure resources (and `sandbox`'s); nil when the
    /// translation has no Azure resources and there is no sandbox.
    public static func build(_ translation: Translation, sandbox: SandboxFirewall?) -> ARMDeployment? {
        var build = ARMBuild(translation, sandbox: sandbox)
        return build.run()
    }
}

/// One run of ``ARMTemplateBuilder``.
struct ARMBuild {
    let translation: Translation
    let sandbox: SandboxFirewall?
    /// The recovery subscription and location.
    let subscription: String?
    let location: String?
    /// AKS node resource groups of the recovery clusters (lower-cased).
    let nodeGroups: Set<String>

    var nodes: [ARMTemplateNode] = []
    var notes: [PlanNote] = []
    /// Parameters of the outer template, with the parameters-file value when there is one.
    var parameters: [(name: String, description: String, value: JSONValue?)] = []
    /// Translated resource of each node (by recovery id key).
    var translated: [String: TranslatedResource] = [:]
    /// Standalone agent pools, handled with their cluster.
    var standalonePools: [TranslatedResource] = []

    init(_ translation: Translation, sandbox: SandboxFirewall?) {
        self.translation = translation
        self.sandbox = sandbox
        subscription = translation.settings.to.azure?.subscription
        location = translation.settings.to.azure?.location
        var groups: Set<String> = []
        for r in translation.resources where r.source.type == ARMResourceTypes.managedClusters {
            if let g = r.document["properties"]?["nodeResourceGroup"]?.stringValue { groups.insert(g.lowercased()) }
        }
        nodeGroups = groups
    }

    /// Whether `group` is an AKS node resource group (one a recovery cluster names, or `MC_*`).
    func isNodeGroup(_ group: String?) -> Bool {
        guard let g = group?.lowercased() else { return false }
        return nodeGroups.contains(g) || g.hasPrefix("mc_")
    }

    func index(of id: ARMResourceID) -> Int? { nodes.firstIndex { $0.id == id } }

    mutating func run() -> ARMDeployment? {
        let arm = translation.resources.filter { $0.source.armID != nil }
        let disks = translation.volumes.restores.contains { $0.source.kind == .azureDisk && $0.action == .fromCopy }
        guard !arm.isEmpty || disks || !translation.added.isEmpty || !(sandbox?.resources.isEmpty ?? true) else { return nil }
        collectTranslated(arm)
        collectVolumeDisks()
        collect(translation.added, origin: "added by the translation")
        if let sandbox { collect(sandbox.resources, origin: "sandbox") }
        foldSubnets()
        applyRouteTables()
        prepareClusters()
        prepareNetwork()
        keyURLExpressions()
        roleAssignmentPrincipals()
        let graph = ARMCycleBreaker.run(&nodes, notes: &notes)
        return emit(graph)
    }

    // MARK: - Collecting

    /// AKS-created resources in a node resource group that need nobody: AKS recreates them.
    static let createdByAKS: Set<String> = [
        "microsoft.managedidentity/userassignedidentities", "microsoft.network/networksecuritygroups",
        "microsoft.network/routetables", "microsoft.network/loadbalancers", "microsoft.network/publicipaddresses",
        "microsoft.network/virtualnetworks", "microsoft.network/virtualnetworks/subnets", "microsoft.network/networkinterfaces",
        "microsoft.network/privateendpoints", "microsoft.network/privatednszones", "microsoft.network/applicationgateways",
        "microsoft.compute/virtualmachinescalesets", "microsoft.compute/availabilitysets",
    ]

    mutating func collectTranslated(_ resources: [TranslatedResource]) {
        var secrets: [(vault: String, name: String)] = []
        for r in resources {
            guard let rid = r.recoveryID, let id = ARMResourceID(rid) else {
                notes.append(PlanNote(subject: r.source.id, message: "not in the ARM template: it has no recovery id (\(r.mapping))"))
                continue
            }
            let type = ARMResourceForm.type(of: id)
            let lower = type.lowercased()
            if ["microsoft.resources/resourcegroups", "microsoft.resources/subscriptions", "microsoft.resources/deployments"]
                .contains(lower) { continue }
            if isVolumeDisk(r, type: lower) { continue }
            if isNodeGroup(id.resourceGroup) {
                skippedInNodeGroup(r, id: id, type: lower)
                continue
            }
            if lower == ARMResourceTypes.agentPools.lowercased() {
                standalonePools.append(r)
                continue
            }
            if lower == "microsoft.keyvault/vaults/secrets" {
                secrets.append((id.parent?.description ?? id.description, id.name))
                continue
            }
            guard let version = ARMResourceForm.templateAPIVersion(type) else {
                notes.append(PlanNote(subject: rid, message: "not in the ARM template: Standby knows no api-version for \(type); "
                    + "deploy it by hand"))
                continue
            }
            let (body, unknown) = ARMResourceForm.templateBody(document: ARMResourceForm.escapingExpressions(r.document), id: id,
                                                               type: type, apiVersion: version, resource: r.source)
            reportUnknown(unknown, id: id, type: type, version: version)
            add(ARMTemplateNode(id: id, type: type, body: body))
            translated[id.key] = r
        }
        var byVault: [String: [String]] = [:]
        var vaults: [String] = []
        for s in secrets {
            if byVault[s.vault] == nil { vaults.append(s.vault) }
            byVault[s.vault, default: []].append(s.name)
        }
        for v in vaults {
            let names = byVault[v] ?? []
            notes.append(PlanNote(subject: v, message: "Key Vault secrets \(names.joined(separator: ", ")) are not in the ARM "
                + "template (the recovery point holds no secret values): restore them into the recovery vault before the deployment"))
        }
    }

    /// A resource left out because it lives in an AKS node resource group; a note when someone
    /// must act.
    mutating func skippedInNodeGroup(_ r: TranslatedResource, id: ARMResourceID, type: String) {
        guard !Self.createdByAKS.contains(type) else { return }
        let group = id.resourceGroup ?? ""
        let message: String
        if type == "microsoft.compute/disks" {
            message = "managed disk in the AKS node resource group \(group), which AKS creates with the cluster: restore it "
                + "from a snapshot into \(group) once the cluster exists, before the PersistentVolume that uses it is applied"
        } else {
            message = "in the AKS node resource group \(group), which AKS creates with the cluster: the template cannot "
                + "create it; create it there once the cluster exists"
        }
        notes.append(PlanNote(subject: id.description, message: message))
    }

    /// Resources Standby generated (role assignments, the sandbox): full ARM documents with recovery ids.
    mutating func collect(_ resources: [AddedResource], origin: String) {
        for a in resources {
            guard let id = ARMResourceID(a.id) else {
                notes.append(PlanNote(subject: a.id, message: "not in the ARM template (\(origin)): not an ARM resource id"))
                continue
            }
            let type = ARMResourceTypes.canonical(a.type.isEmpty ? id.resourceType : a.type)
            if isNodeGroup(id.resourceGroup) {
                notes.append(PlanNote(subject: a.id, message: "not in the ARM template (\(origin)): it is in an AKS node "
                    + "resource group, which AKS creates with the cluster; create it once the cluster exists"))
                continue
            }
            guard let version = ARMResourceForm.templateAPIVersion(type) else {
                notes.append(PlanNote(subject: a.id, message: "not in the ARM template (\(origin)): Standby knows no "
                    + "api-version for \(type)"))
                continue
            }
            let (body, unknown) = ARMResourceForm.templateBody(document: a.document, id: id, type: type, apiVersion: version,
                                                               resource: nil)
            reportUnknown(unknown, id: id, type: type, version: version)
            add(ARMTemplateNode(id: id, type: type, body: body, after: a.dependsOn))
        }
    }

    /// A note naming the properties left out of a body because `type`'s REST model at `version`
    /// does not know them.
    mutating func reportUnknown(_ unknown: [String], id: ARMResourceID, type: String, version: String) {
        guard !unknown.isEmpty else { return }
        notes.append(PlanNote(subject: id.description, message: "left out of the template: \(unknown.joined(separator: ", ")) "
            + "(not a property of \(type) at api-version \(version), which the template deploys; from "
            + "\(AzureRESTModels.packages)): set it by hand after the deployment if the recovery resource needs it"))
    }

    /// Adds a node; a later resource with the same recovery id replaces the earlier one.
    mutating func add(_ node: ARMTemplateNode) {
        if let i = index(of: node.id) { nodes[i] = node } else { nodes.append(node) }
    }

    // MARK: - Emitting

    /// Resources ARM accepts in one template.
    static let maximumResources = 800

    /// The nested deployment's name: `{type}-{name}-{8 hex of the id}`, at most 64 characters of
    /// those ARM allows.
    static func deploymentName(_ id: ARMResourceID) -> String {
        let stem = ([id.typeSegments.last ?? "resource"] + id.nameSegments).joined(separator: "-")
        var clean = String(stem.map { $0.isLetter || $0.isNumber || "-_.()".contains($0) ? $0 : "-" })
        clean = String(clean.prefix(55))
        while clean.hasSuffix(".") { clean.removeLast() }
        return clean + "-" + String(Digest.sha256(id.key).prefix(8))
    }

    mutating func emit(_ graph: ARMDependencyGraph) -> ARMDeployment {
        let order = graph.order()
        let names = nodes.map { Self.deploymentName($0.id) }
        var groups: [(id: String, name: String)] = []
        var created: Set<String> = []
        var foreign: Set<String> = []
        for n in order {
            guard let sub = nodes[n].id.subscription, let rg = nodes[n].id.resourceGroup else { continue }
            if let target = subscription, sub.lowercased() != target.lowercased() {
                if foreign.insert("\(sub)/\(rg)".lowercased()).inserted {
                    notes.append(PlanNote(subject: "/subscriptions/\(sub)/resourceGroups/\(rg)", message: "resource group "
                        + "of another subscription: the template deploys into it but does not create it; create it first"))
                }
                continue
            }
            if isNodeGroup(rg) { continue }  // AKS creates it with the cluster (restored disks go there)
            if created.insert(rg.lowercased()).inserted { groups.append(("/subscriptions/\(sub)/resourceGroups/\(rg)", rg)) }
        }
        var resources: [JSONValue] = groups.map { g in
            .object(JSONObject([
                ("type", "Microsoft.Resources/resourceGroups"), ("apiVersion", .string(ARMResourceForm.resourcesAPIVersion)),
                ("name", .string(g.name)), ("location", .string(location ?? "")),
            ]))
        }
        var creates = groups.map(\.id)
        let position = Dictionary(uniqueKeysWithValues: order.enumerated().map { ($1, $0) })
        for n in order {
            let node = nodes[n]
            var depends: [JSONValue] = []
            if let rg = node.id.resourceGroup, created.contains(rg.lowercased()),
               let g = groups.first(where: { $0.name.lowercased() == rg.lowercased() }) {
                depends.append(.string(g.name))
            }
            for d in graph.dependencies(of: n).sorted(by: { (position[$0] ?? 0) < (position[$1] ?? 0) }) {
                depends.append(.string(nodes[d].id.resourceGroup == nil ? ARMResourceForm.name(of: nodes[d].id) : names[d]))
            }
            resources.append(wrap(node, name: names[n], dependsOn: depends))
            creates.append(node.id.description)
            creates += node.alsoCreates
        }
        if resources.count > Self.maximumResources {
            notes.append(PlanNote(subject: "template", message: "the template holds \(resources.count) resources and ARM "
                + "accepts \(Self.maximumResources) per deployment: split the recovery point, or deploy the template in parts"))
        }
        var templateParameters: [(String, JSONValue)] = []
        var fileParameters: [(String, JSONValue)] = []
        for p in parameters {
            templateParameters.append((p.name, .object(JSONObject([
                ("type", "securestring"), ("metadata", .object(JSONObject([("description", .string(p.description))]))),
            ]))))
            if let v = p.value { fileParameters.append((p.name, v)) }
        }
        let template: JSONValue = .object(JSONObject([
            ("$schema", .string(ARMTemplateBuilder.schema)), ("contentVersion", "1.0.0.0"),
            ("metadata", .object(JSONObject([("generator", "standby"), ("mode", .string(translation.settings.mode.rawValue))]))),
            ("parameters", .object(JSONObject(templateParameters))),
            ("resources", .array(resources)),
        ]))
        let parametersFile: JSONValue = .object(JSONObject([
            ("$schema", .string(ARMTemplateBuilder.parametersSchema)), ("contentVersion", "1.0.0.0"),
            ("parameters", .object(JSONObject(fileParameters))),
        ]))
        return ARMDeployment(template: template, parameters: parametersFile, creates: creates, notes: notes)
    }

    /// A node as the subscription-scope template holds it: a nested deployment into its resource
    /// group, or the resource itself when it has none (subscription-level).
    func wrap(_ node: ARMTemplateNode, name: String, dependsOn: [JSONValue]) -> JSONValue {
        guard let rg = node.id.resourceGroup else {
            var o = node.body.objectValue ?? JSONObject()
            if !dependsOn.isEmpty { o["dependsOn"] = .array(dependsOn) }
            return .object(o)
        }
        var inner: [(String, JSONValue)] = [("$schema", .string(ARMTemplateBuilder.nestedSchema)), ("contentVersion", "1.0.0.0")]
        var passed: [(String, JSONValue)] = []
        if !node.parameters.isEmpty {
            inner.append(("parameters", .object(JSONObject(node.parameters.map {
                ($0.inner, .object(JSONObject([("type", "securestring")])))
            }))))
            passed = node.parameters.map { ($0.inner, .object(JSONObject([("value", .string("[parameters('\($0.outer)')]"))]))) }
        }
        inner.append(("resources", .array([node.body])))
        var properties: [(String, JSONValue)] = [
            ("mode", "Incremental"), ("expressionEvaluationOptions", .object(JSONObject([("scope", "inner")]))),
        ]
        if !passed.isEmpty { properties.append(("parameters", .object(JSONObject(passed)))) }
        properties.append(("template", .object(JSONObject(inner))))
        var members: [(String, JSONValue)] = [
            ("type", "Microsoft.Resources/deployments"), ("apiVersion", .string(ARMResourceForm.resourcesAPIVersion)),
            ("name", .string(name)),
        ]
        if let sub = node.id.subscription, let target = subscription, sub.lowercased() != target.lowercased() {
            members.append(("subscriptionId", .string(sub)))
        }
        members.append(("resourceGroup", .string(rg)))
        if !dependsOn.isEmpty { members.append(("dependsOn", .array(dependsOn))) }
        members.append(("properties", .object(JSONObject(properties))))
        return .object(JSONObject(members))
    }
}
