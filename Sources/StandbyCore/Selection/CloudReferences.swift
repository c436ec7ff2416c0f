/// Built-in extractors for cloud resources: the ARM and AWS tables plus the relations that need
/// code (children by parent id, name matching, the Kubernetes cluster a control plane runs).
enum CloudReferences {
    static func register(into registry: inout ReferenceExtractorRegistry) {
        var armByType: [String: [ReferenceRule]] = [:]
        for rule in ReferenceTables.arm { armByType[rule.appliesTo, default: []].append(rule) }
        for (type, rules) in armByType.sorted(by: { $0.key < $1.key }) {
            registry.register(cloudType: type, name: "arm table: \(type)") { r, _ in tableReferences(r, rules, base: []) }
        }
        var awsByType: [String: [ReferenceRule]] = [:]
        for rule in ReferenceTables.aws { awsByType[rule.appliesTo, default: []].append(rule) }
        for (type, rules) in awsByType.sorted(by: { $0.key < $1.key }) {
            registry.register(cloudType: type, name: "aws table: \(type)") { r, _ in
                tableReferences(r, rules, base: AWSDocument.base(r), body: AWSDocument.body(r))
            }
        }

        var childrenByParent: [String: [(child: String, relation: String)]] = [:]
        for c in ReferenceTables.armChildren { childrenByParent[c.parent, default: []].append((c.child.lowercased(), c.relation)) }
        for (parent, kinds) in childrenByParent.sorted(by: { $0.key < $1.key }) {
            registry.register(cloudType: parent, name: "arm children: \(parent)") { r, ctx in
                var out: [Reference] = []
                for i in ctx.armChildren[r.id.lowercased()] ?? [] {
                    let child = ctx.resources[i]
                    guard let t = child.type?.lowercased(), let rel = kinds.first(where: { $0.child == t })?.relation else { continue }
                    out.append(Reference(relation: rel, path: "(child resource)", target: .id(child.id), expectedType: child.type))
                }
                return out
            }
        }
        registry.register(cloudType: ReferenceTables.managedCluster, name: "aks managed cluster", managedCluster)
        registry.register(cloudType: "Microsoft.Compute/diskEncryptionSets", name: "disk encryption set key") { r, ctx in
            guard let url = r.document[path: [.key("properties"), .key("activeKey"), .key("keyUrl")]]?.stringValue, !url.isEmpty
            else { return [] }
            return [Reference(relation: "key", path: "properties.activeKey.keyUrl", target: keyVaultObject(url: url, ctx),
                              expectedType: "Microsoft.KeyVault/vaults/keys")]
        }
        registry.register(cloudType: ReferenceTables.agentPool, name: "aks agent pool") { r, _ in
            parentReference(r, relation: "managed cluster", type: ReferenceTables.managedCluster)
        }
        registry.register(cloudType: ReferenceTables.subnet, name: "subnet parent") { r, _ in
            parentReference(r, relation: "virtual network", type: ReferenceTables.vnet)
        }
        for t in [ReferenceTables.vaultSecret, "Microsoft.KeyVault/vaults/keys"] {
            registry.register(cloudType: t, name: "key vault child") { r, _ in
                parentReference(r, relation: "key vault", type: ReferenceTables.vault)
            }
        }
        registry.register(cloudType: "AWS::EKS::Cluster", name: "eks cluster", eksCluster)
        registry.register(cloudType: "AWS::EKS::Nodegroup", name: "eks node group") { r, ctx in
            var refs = eksParent(r, ctx)
            let body = AWSDocument.body(r), base = AWSDocument.base(r)
            if let id = body[path: [.key("launchTemplate"), .key("id")]]?.stringValue, !id.isEmpty {
                refs.append(Reference(relation: "launch template", path: (base + [.key("launchTemplate"), .key("id")]).dotted,
                                      target: .id(id), expectedType: "AWS::EC2::LaunchTemplate"))
            } else if let name = body[path: [.key("launchTemplate"), .key("name")]]?.stringValue, !name.isEmpty {
                let path = (base + [.key("launchTemplate"), .key("name")]).dotted
                if let lt = ctx.cloudResources(type: "AWS::EC2::LaunchTemplate", name: name).first {
                    refs.append(Reference(relation: "launch template", path: path, target: .id(lt.id)))
                } else {
                    refs.append(Reference(relation: "launch template", path: path, target: .id(name),
                                          expectedType: "AWS::EC2::LaunchTemplate"))
                }
            }
            return refs
        }
        registry.register(cloudType: "AWS::EKS::FargateProfile", name: "eks fargate profile", eksParent)
        registry.register(cloudType: AzureAccessTypes.roleAssignment, name: "role assignment principal") { r, ctx in
            // A managed identity of the recovery point: it is recreated, with a new principal id.
            let path: [JSONPathComponent] = [.key("properties"), .key("principalId")]
            guard let principal = r.document[path: path]?.stringValue, let identity = ctx.identity(principalID: principal) else { return [] }
            return [Reference(relation: "principal", path: path.dotted, target: .id(identity.id), expectedType: identity.type)]
        }
        for type in EKSAccessTypes.all.sorted() {
            registry.register(cloudType: type, name: "eks cluster access", eksParent)
        }
    }

    /// Applies table rows to a cloud document.
    static func tableReferences(_ r: Resource, _ rules: [ReferenceRule], base: [JSONPathComponent],
                                body: JSONValue? = nil) -> [Reference] {
        let doc = body ?? r.document
        var out: [Reference] = []
        for rule in rules {
            for (value, path) in rule.path.strings(in: doc, base: base) {
                if rule.armIDsOnly && !ARMPath.looksLikeID(value) { continue }
                out.append(Reference(relation: rule.relation, path: path, target: .id(value), expectedType: rule.targetType))
            }
        }
        return out
    }

    static func parentReference(_ r: Resource, relation: String, type: String) -> [Reference] {
        guard let p = ARMPath.parent(of: r.id) else { return [] }
        return [Reference(relation: relation, path: "(parent id)", target: .id(p), expectedType: type)]
    }

    // MARK: AKS

    static let adminPasswordTag = "arpio-config:admin-password-secret"

    static func managedCluster(_ r: Resource, _ ctx: ExtractionContext) -> [Reference] {
        var out: [Reference] = []
        // The KMS key, by URL.
        let kms: [JSONPathComponent] = [.key("properties"), .key("securityProfile"), .key("azureKeyVaultKms"), .key("keyId")]
        if let url = r.document[path: kms]?.stringValue, !url.isEmpty {
            out.append(Reference(relation: "KMS key", path: kms.dotted, target: keyVaultObject(url: url, ctx),
                                 expectedType: "Microsoft.KeyVault/vaults/keys"))
        }
        // Istio plug-in CA: the certificate objects, as secrets of the CA vault.
        let plugin: [JSONPathComponent] = [.key("properties"), .key("serviceMeshProfile"), .key("istio"),
                                           .key("certificateAuthority"), .key("plugin")]
        if let p = r.document[path: plugin], let vaultID = p["keyVaultId"]?.stringValue, !vaultID.isEmpty {
            for key in ["certObjectName", "keyObjectName", "rootCertObjectName", "certChainObjectName"] {
                guard let name = p[key]?.stringValue, !name.isEmpty else { continue }
                out.append(Reference(relation: "Istio CA secret", path: (plugin + [.key(key)]).dotted,
                                     target: .id("\(vaultID)/secrets/\(name)"), expectedType: ReferenceTables.vaultSecret))
            }
        }
        // AGIC: the BYO gateway, or when AGIC created it, the AKS-managed one.
        let agic: [JSONPathComponent] = [.key("properties"), .key("addonProfiles"), .key("ingressApplicationGateway"), .key("config")]
        for key in ["applicationGatewayId", "effectiveApplicationGatewayId"] {
            if let id = r.document[path: agic + [.key(key)]]?.stringValue, !id.isEmpty {
                out.append(Reference(relation: "AGIC application gateway", path: (agic + [.key(key)]).dotted, target: .id(id),
                                     expectedType: "Microsoft.Network/applicationGateways"))
                break
            }
        }
        // Windows admin password secret, named by tag.
        if let url = r.tags[adminPasswordTag] ?? r.document[path: [.key("tags"), .key(adminPasswordTag)]]?.stringValue, !url.isEmpty {
            out.append(Reference(relation: "admin password secret", path: "tags.\(adminPasswordTag)",
                                 target: keyVaultObject(url: url, ctx), expectedType: ReferenceTables.vaultSecret))
        }
        out += clusterAccess(r, ctx)
        out += clusterDefaults(r, ctx)
        return out
    }

    /// Role assignments whose scope is the cluster or its resource group, and the cluster's extensions.
    static func clusterAccess(_ r: Resource, _ ctx: ExtractionContext) -> [Reference] {
        guard let id = r.armID else { return [] }
        var out: [Reference] = []
        var scopes: [(id: String, why: String)] = [(id.description, "scope is the cluster")]
        if let group = id.scope, group.isResourceGroup { scopes.append((group.description, "scope is the cluster's resource group")) }
        for scope in scopes {
            for i in ctx.accessByScope[scope.id.lowercased()] ?? [] {
                let a = ctx.resources[i]
                let isAssignment = a.type?.lowercased() == AzureAccessTypes.roleAssignment.lowercased()
                guard isAssignment || scope.id == id.description else { continue }
                out.append(Reference(relation: isAssignment ? "role assignment" : "cluster extension",
                                     path: "(\(scope.why))", target: .id(a.id), expectedType: a.type))
            }
        }
        return out
    }

    /// Resolves a Key Vault object URL, `https://<vault>.vault.azure.net/{secrets|keys}/<name>[/<version>]`,
    /// to the `vaults/secrets` or `vaults/keys` resource, else the vault, else leaves it unresolved.
    static func keyVaultObject(url: String, _ ctx: ExtractionContext) -> ReferenceTarget {
        let rest = AWSDocument.stripScheme(url)
        let parts = rest.split(separator: "/").map(String.init)
        guard let host = parts.first, let vaultName = host.split(separator: ".").first.map(String.init) else {
            return .unresolved(url)
        }
        if parts.count >= 3, ["secrets", "keys"].contains(parts[1].lowercased()) {
            if let child = vaultChild(vault: vaultName, collection: parts[1].lowercased(), name: parts[2], ctx) { return .id(child.id) }
        }
        if let v = ctx.cloudResources(type: ReferenceTables.vault, name: vaultName).first { return .id(v.id) }
        return .unresolved(url)
    }

    /// The `vaults/secrets` or `vaults/keys` child named `name` of the vault named `vault`.
    static func vaultChild(vault: String, collection: String, name: String, _ ctx: ExtractionContext) -> Resource? {
        let type = "\(ReferenceTables.vault)/\(collection)"
        for s in ctx.cloudResources(type: type, name: name) {
            if let p = ARMPath.parent(of: s.id), ARMPath.name(of: p)?.lowercased() == vault.lowercased() { return s }
        }
        // Some inventories name child resources "vault/name".
        return ctx.cloudResources(type: type, name: "\(vault)/\(name)").first
    }

    /// Cluster-scoped objects and all of kube-system of the Kubernetes cluster `r` controls.
    /// Azure Policy / Gatekeeper objects are referenced too: the walker excludes them and reports
    /// them as excluded (see ``SelectionRequest/excludePolicyObjects``).
    static func clusterDefaults(_ r: Resource, _ ctx: ExtractionContext) -> [Reference] {
        guard let cluster = ctx.kubeCluster(controlledBy: r) else { return [] }
        var out: [Reference] = []
        for (ns, relation) in [(nil as String?, "cluster-scoped object"), ("kube-system", "kube-system")] {
            for o in ctx.kubeObjects(cluster: cluster.name, namespace: ns) {
                out.append(Reference(relation: relation, path: "(Kubernetes cluster \(cluster.name))", target: .id(o.id)))
            }
        }
        return out
    }

    // MARK: EKS

    static func eksCluster(_ r: Resource, _ ctx: ExtractionContext) -> [Reference] {
        var out: [Reference] = []
        let body = AWSDocument.body(r), base = AWSDocument.base(r)
        if let name = body["name"]?.stringValue ?? r.name {
            for i in ctx.eksChildren[name.lowercased()] ?? [] {
                let child = ctx.resources[i]
                // The same cluster name can exist in several accounts/regions: match the ARN prefix.
                guard sameAccountAndRegion(child, r) else { continue }
                out.append(Reference(relation: eksChildRelation(child.type), path: "(clusterName)", target: .id(child.id),
                                     expectedType: child.type))
            }
        }
        if let issuer = body[path: [.key("identity"), .key("oidc"), .key("issuer")]]?.stringValue, !issuer.isEmpty {
            let key = AWSDocument.stripScheme(issuer).lowercased()
            let path = (base + [.key("identity"), .key("oidc"), .key("issuer")]).dotted
            if let i = ctx.oidcProviders[key]?.first {
                out.append(Reference(relation: "OIDC provider", path: path, target: .id(ctx.resources[i].id)))
            } else {
                out.append(Reference(relation: "OIDC provider", path: path, target: .unresolved(issuer),
                                     expectedType: "AWS::IAM::OIDCProvider"))
            }
        }
        out += clusterDefaults(r, ctx)
        return out
    }

    /// How an EKS cluster names a child of `type`.
    static func eksChildRelation(_ type: String?) -> String {
        switch type {
        case "AWS::EKS::Nodegroup": return "node group"
        case "AWS::EKS::FargateProfile": return "Fargate profile"
        case EKSAccessTypes.accessEntry: return "access entry"
        case EKSAccessTypes.accessPolicies: return "access policies"
        case EKSAccessTypes.podIdentityAssociation: return "pod identity association"
        case EKSAccessTypes.addon: return "add-on"
        default: return "child"
        }
    }

    static func eksParent(_ r: Resource, _ ctx: ExtractionContext) -> [Reference] {
        guard let name = AWSDocument.body(r)["clusterName"]?.stringValue, !name.isEmpty else { return [] }
        let path = (AWSDocument.base(r) + [.key("clusterName")]).dotted
        let candidates = ctx.cloudResources(type: "AWS::EKS::Cluster", name: name)
        if let c = candidates.first(where: { sameAccountAndRegion($0, r) }) ?? candidates.first {
            return [Reference(relation: "cluster", path: path, target: .id(c.id))]
        }
        return [Reference(relation: "cluster", path: path, target: .id(name), expectedType: "AWS::EKS::Cluster")]
    }

    /// Whether two ARN-identified resources share partition, account and region.
    static func sameAccountAndRegion(_ a: Resource, _ b: Resource) -> Bool {
        func scope(_ id: String) -> String? {
            guard id.hasPrefix("arn:") else { return nil }
            let p = id.split(separator: ":", maxSplits: 5, omittingEmptySubsequences: false)
            return p.count > 4 ? "\(p[1]):\(p[3]):\(p[4])" : nil
        }
        guard let sa = scope(a.id), let sb = scope(b.id) else { return true }
        return sa == sb
    }
}
