/// AKS steps of ``ARMTemplateBuilder``: agent pools, the kubelet identity, write-only secrets as
/// parameters, pod identities, federated credentials, and Key Vault key URLs.
extension ARMBuild {
    static let clusterType = ARMResourceTypes.managedClusters.lowercased()
    static let clusterAPIVersion = ARMResourceForm.templateAPIVersion(ARMResourceTypes.managedClusters) ?? "2025-10-01"

    mutating func prepareClusters() {
        for n in nodes.indices where nodes[n].lowerType == Self.clusterType {
            prepareCluster(n)
        }
        // Standalone pools of clusters outside the template (another subscription's cluster…).
        for pool in standalonePools {
            guard let id = pool.recoveryID.flatMap(ARMResourceID.init), let parent = id.parent, index(of: parent) == nil else { continue }
            addStandalonePool(pool, id: id, after: [])
        }
        federatedCredentials()
    }

    private mutating func prepareCluster(_ n: Int) {
        let cluster = nodes[n].id
        let properties: [JSONPathComponent] = [.key("properties")]

        // The kubelet identity AKS created in the node resource group: AKS creates the recovery one.
        let kubelet = properties + [.key("identityProfile"), .key("kubeletidentity")]
        if let id = nodes[n].body[path: kubelet + [.key("resourceId")]]?.stringValue,
           isNodeGroup(ARMResourceID(id)?.resourceGroup) {
            nodes[n].body.set(kubelet, nil)
            if nodes[n].body[path: properties + [.key("identityProfile")]]?.objectValue?.isEmpty == true {
                nodes[n].body.set(properties + [.key("identityProfile")], nil)
            }
        }

        // Pod identities: the recovery identities have client and object ids of their own.
        let pods = properties + [.key("podIdentityProfile"), .key("userAssignedIdentities")]
        for (i, p) in (nodes[n].body[path: pods]?.arrayValue ?? []).enumerated() {
            guard let id = p["identity"]?["resourceId"]?.stringValue, ARMResourceID(id) != nil else { continue }
            let base = pods + [.index(i), .key("identity")]
            let ref = "reference('\(id)', '\(ARMResourceForm.identityAPIVersion)')"
            nodes[n].body.set(base + [.key("clientId")], .string("[\(ref).clientId]"))
            nodes[n].body.set(base + [.key("objectId")], .string("[\(ref).principalId]"))
        }

        windowsAdminPassword(n)
        writeOnlySecret(n, path: properties + [.key("servicePrincipalProfile"), .key("secret")],
                        when: { body in
                            guard let c = body[path: properties + [.key("servicePrincipalProfile"), .key("clientId")]]?.stringValue
                            else { return false }
                            return !c.isEmpty && c.lowercased() != "msi"
                        }, inner: "servicePrincipalSecret", what: "the service principal's client secret")
        writeOnlySecret(n, path: properties + [.key("aadProfile"), .key("serverAppSecret")],
                        when: { body in
                            !(body[path: properties + [.key("aadProfile"), .key("serverAppID")]]?.stringValue ?? "").isEmpty
                        }, inner: "aadServerAppSecret", what: "the legacy AAD integration's server application secret")

        // Inline pools are created with the cluster; standalone pools only when not inline.
        let inline = (nodes[n].body[path: ARMCycleBreaker.poolsPath]?.arrayValue ?? []).compactMap { $0["name"]?.stringValue }
        for name in inline {
            if let id = cluster.child(type: "agentPools", name: name) { nodes[n].alsoCreates.append(id.description) }
        }
        var previous: [String] = []
        for pool in standalonePools {
            guard let id = pool.recoveryID.flatMap(ARMResourceID.init), id.parent == cluster,
                  !inline.contains(where: { $0.lowercased() == id.name.lowercased() }) else { continue }
            addStandalonePool(pool, id: id, after: previous)
            previous = [id.description]
        }

        // A failover test forces egress through the sandbox: AKS checks the route at creation.
        let network = properties + [.key("networkProfile")]
        let outbound = nodes[n].body[path: network + [.key("outboundType")]]?.stringValue
        if AKSOutbound.dropsOutboundIPs(outbound) {
            // Egress follows the route table (or nothing): AKS rejects outbound IPs, prefixes and a
            // NAT gateway profile with these outbound types (a failover test rewrote loadBalancer).
            let lb = network + [.key("loadBalancerProfile")]
            for key in AKSOutbound.loadBalancerKeys {
                nodes[n].body.set(lb + [.key(key)], nil)
            }
            nodes[n].body.set(network + [.key("natGatewayProfile")], nil)
        }
        if translation.settings.mode == .test, sandbox == nil, outbound?.lowercased() == "userdefinedrouting" {
            notes.append(PlanNote(subject: cluster.description, message: "outboundType is userDefinedRouting in this failover "
                + "test, and AKS requires a route table with a default route on the node subnets at creation: attach the "
                + "sandbox firewall, or the cluster cannot be created"))
        }
    }

    private mutating func addStandalonePool(_ pool: TranslatedResource, id: ARMResourceID, after: [String]) {
        guard let version = ARMResourceForm.templateAPIVersion(ARMResourceTypes.agentPools) else { return }
        let (body, unknown) = ARMResourceForm.templateBody(document: ARMResourceForm.escapingExpressions(pool.document), id: id,
                                                           type: ARMResourceTypes.agentPools, apiVersion: version,
                                                           resource: pool.source)
        reportUnknown(unknown, id: id, type: ARMResourceTypes.agentPools, version: version)
        add(ARMTemplateNode(id: id, type: ARMResourceTypes.agentPools, body: body, after: after))
        translated[id.key] = pool
    }

    // MARK: - Write-only values

    /// An outer parameter name: `stem` + the resource's name in camel case (`windowsAdminPasswordAksProdWeu`).
    static func parameterName(_ stem: String, _ id: ARMResourceID) -> String {
        let words = id.name.split(whereSeparator: { !$0.isLetter && !$0.isNumber })
        return stem + words.map { $0.prefix(1).uppercased() + $0.dropFirst() }.joined()
    }

    /// The Windows node pools' admin password: a `securestring` parameter, read from the Key Vault
    /// secret the cluster's `arpio-config:admin-password-secret` (or `standby:…`) tag names (the
    /// translator moved it to the recovery vault).
    private mutating func windowsAdminPassword(_ n: Int) {
        let body = nodes[n].body
        let pools = body[path: ARMCycleBreaker.poolsPath]?.arrayValue ?? []
        let windowsPools = pools.contains { $0["osType"]?.stringValue?.lowercased() == "windows" }
            || standalonePools.contains {
                $0.recoveryID.flatMap(ARMResourceID.init)?.parent == nodes[n].id
                    && $0.document["properties"]?["osType"]?.stringValue?.lowercased() == "windows"
            }
        let profile: [JSONPathComponent] = [.key("properties"), .key("windowsProfile")]
        var found: String?
        for tag in AdminPasswordSecret.tags {
            if let url = AKSDocument.member(tag, in: body["tags"])?.value.stringValue { found = url; break }
        }
        guard windowsPools || found != nil else { return }
        let cluster = nodes[n].id
        let outer = Self.parameterName("windowsAdminPassword", cluster)
        if body[path: profile + [.key("adminUsername")]] == nil {
            nodes[n].body.set(profile + [.key("adminUsername")], "azureuser")
            notes.append(PlanNote(subject: cluster.description, message: "windowsProfile.adminUsername was not captured; "
                + "the template uses azureuser: change it if the Windows pools need another"))
        }
        nodes[n].body.set(profile + [.key("adminPassword")], "[parameters('adminPassword')]")
        nodes[n].parameters.append((inner: "adminPassword", outer: outer))
        var value: JSONValue?
        if let url = found, let secret = KeyVaultSecretURL(url), let vault = recoveryVault(named: secret.vault) {
            value = .object(JSONObject([("reference", .object(JSONObject([
                ("keyVault", .object(JSONObject([("id", .string(vault.description))]))), ("secretName", .string(secret.name)),
            ])))]))
            if let v = index(of: vault) {
                nodes[v].body.set([.key("properties"), .key("enabledForTemplateDeployment")], true)
            }
            notes.append(PlanNote(subject: outer, message: "the Windows admin password of \(cluster.name) is read from secret "
                + "\(secret.name) of Key Vault \(vault.name) when the deployment starts, before anything is created: restore "
                + "the secret into that vault (enabledForTemplateDeployment on, as the template sets it) before running it"))
        } else if let url = found {
            notes.append(PlanNote(subject: outer, message: "the Windows admin password tag names \(url), which is not a secret "
                + "of a Key Vault in the recovery point: supply the password (--parameters \(outer)=...)"))
        } else {
            notes.append(PlanNote(subject: outer, message: "\(cluster.name) has Windows node pools, whose admin password Azure "
                + "never reads back, and no arpio-config:admin-password-secret tag: supply it (--parameters \(outer)=...)"))
        }
        parameters.append((outer, "Windows admin password of AKS cluster \(cluster.name)", value))
    }

    /// The recovery id of the Key Vault named `name` (a translated vault), or nil.
    func recoveryVault(named name: String) -> ARMResourceID? {
        let lower = name.lowercased()
        for r in translation.resources where r.source.type?.lowercased() == "microsoft.keyvault/vaults" {
            if let id = r.recoveryID.flatMap(ARMResourceID.init), id.name.lowercased() == lower { return id }
        }
        return nil
    }

    /// A write-only value the cluster needs at creation and nobody can read back: a parameter the
    /// operator supplies, with a note.
    private mutating func writeOnlySecret(_ n: Int, path: [JSONPathComponent], when: (JSONValue) -> Bool,
                                          inner: String, what: String) {
        guard when(nodes[n].body) else { return }
        let cluster = nodes[n].id
        let outer = Self.parameterName(inner, cluster)
        nodes[n].body.set(path, .string("[parameters('\(inner)')]"))
        nodes[n].parameters.append((inner: inner, outer: outer))
        parameters.append((outer, "\(what) of AKS cluster \(cluster.name)", nil))
        notes.append(PlanNote(subject: outer, message: "\(what) of \(cluster.name) is write-only and not in the recovery "
            + "point: supply it when deploying (--parameters \(outer)=...)"))
    }

    // MARK: - Federated identity credentials

    /// A federated credential trusting a source cluster's OIDC issuer trusts the recovery
    /// cluster's, which AKS assigns at creation; credentials of one identity are written one after
    /// another (Azure rejects concurrent writes under one identity).
    private mutating func federatedCredentials() {
        var issuers: [(issuer: String, cluster: ARMResourceID)] = []
        for r in translation.resources where r.source.type == ARMResourceTypes.managedClusters {
            guard let url = r.source.document["properties"]?["oidcIssuerProfile"]?["issuerURL"]?.stringValue,
                  let id = r.recoveryID.flatMap(ARMResourceID.init), index(of: id) != nil else { continue }
            issuers.append((Self.normalizedIssuer(url), id))
        }
        var last: [String: String] = [:]
        for n in nodes.indices where nodes[n].lowerType.hasSuffix("/federatedidentitycredentials") {
            if let parent = nodes[n].id.parent {
                if let previous = last[parent.key] { nodes[n].after.append(previous) }
                last[parent.key] = nodes[n].id.description
            }
            guard let source = translated[nodes[n].id.key]?.source.document["properties"]?["issuer"]?.stringValue,
                  let match = issuers.first(where: { $0.issuer == Self.normalizedIssuer(source) }) else { continue }
            nodes[n].body.set([.key("properties"), .key("issuer")], .string(
                "[reference('\(match.cluster.description)', '\(Self.clusterAPIVersion)').oidcIssuerProfile.issuerURL]"))
        }
    }

    static func normalizedIssuer(_ url: String) -> String {
        var s = url.lowercased()
        while s.hasSuffix("/") { s.removeLast() }
        return s
    }

    // MARK: - Key Vault key URLs

    /// A versioned key URL (`https://{vault}.vault.azure.net/keys/{name}/{version}`) of a key the
    /// template creates names a version only the source vault has: it becomes the created key's
    /// `keyUriWithVersion`.
    mutating func keyURLExpressions() {
        var keys: [String: ARMResourceID] = [:]
        for node in nodes where node.lowerType == "microsoft.keyvault/vaults/keys" {
            guard node.id.nameSegments.count == 2 else { continue }
            keys["\(node.id.nameSegments[0])/\(node.id.nameSegments[1])".lowercased()] = node.id
        }
        guard !keys.isEmpty else { return }
        for n in nodes.indices where translated[nodes[n].id.key] != nil {
            nodes[n].body = Self.replacingKeyURLs(nodes[n].body, keys, top: true)
        }
    }

    private static func replacingKeyURLs(_ value: JSONValue, _ keys: [String: ARMResourceID], top: Bool) -> JSONValue {
        switch value {
        case .string(let s):
            guard let (vault, name) = versionedKey(s), let id = keys["\(vault)/\(name)".lowercased()] else { return value }
            return .string("[reference('\(id.description)', '\(ARMResourceForm.keyVaultAPIVersion)').keyUriWithVersion]")
        case .array(let a):
            return .array(a.map { replacingKeyURLs($0, keys, top: false) })
        case .object(let o):
            return .object(JSONObject(o.pairs.map { pair in
                (pair.key, top && pair.key == "tags" ? pair.value : replacingKeyURLs(pair.value, keys, top: false))
            }))
        default:
            return value
        }
    }

    /// `(vault, key)` of `https://{vault}.vault.azure.{suffix}/keys/{name}/{version}`.
    static func versionedKey(_ s: String) -> (String, String)? {
        guard s.lowercased().hasPrefix("https://") else { return nil }
        let parts = s.dropFirst("https://".count).split(separator: "/", omittingEmptySubsequences: false).map(String.init)
        guard parts.count == 4, parts[1].lowercased() == "keys", !parts[2].isEmpty, !parts[3].isEmpty,
              let dot = parts[0].firstIndex(of: "."), parts[0][dot...].lowercased().hasPrefix(".vault.") else { return nil }
        return (String(parts[0][..<dot]), parts[2])
    }
}
