/// AKS managed cluster: outbound type by mode, node resource group, AGIC gateway id, Windows admin
/// password secret URL, unsupported add-ons and workload autoscalers, and the limits of the inline
/// agent pools (``AgentPoolTranslation/applyLimits(at:to:)``).
///
/// Runs before ``ReferenceTranslation``: every path set or removed here is final. References this
/// step does not touch (subnets, key vaults, workspaces, DNS zones…) are left to the generic pass.
public struct AKSClusterTranslation: TranslationStep {
    public let name = "built-in: AKS cluster"

    public init() {}

    public func applies(to resource: Resource) -> Bool { resource.type == ARMResourceTypes.managedClusters }

    public func apply(to document: inout TranslatedDocument, in context: TranslationContext) throws {
        Self.outboundType(&document, mode: context.mode)
        Self.nodeResourceGroup(&document, ids: context.ids)
        Self.promotedGateway(&document, ids: context.ids)
        ManagedNetwork.pointPools(&document, in: context)
        Self.retiredSKU(&document)
        AdminPasswordSecret.translate(&document, in: context)
        Self.unsupportedFeatures(&document)
        if case .array(let pools)? = document[AKSDocument.agentPoolProfiles] {
            for i in pools.indices {
                AgentPoolTranslation.applyLimits(at: AKSDocument.agentPoolProfiles + [.index(i)], to: &document)
            }
        }
    }

    // MARK: - Outbound type

    static let outboundTypePath: [JSONPathComponent] = [.key("properties"), .key("networkProfile"), .key("outboundType")]

    /// A failover test forces egress through the sandbox firewall: `userDefinedRouting`, unless the
    /// cluster already routes that way or has no outbound path at all (`none`). An absent value is
    /// AKS's default, `loadBalancer`, so it is rewritten too. A real failover keeps the source's.
    static func outboundType(_ document: inout TranslatedDocument, mode: TranslationMode) {
        guard mode == .test else { return }
        let current = document[outboundTypePath]?.stringValue?.lowercased()
        guard current != "userdefinedrouting", current != "none" else { return }
        document.set(outboundTypePath, .string("userDefinedRouting"), by: "built-in: outbound type")
    }

    // MARK: - SKU

    /// SKU values older captures hold and current api-versions reject: AKS renamed the SKU name
    /// `Basic` to `Base` and the tier `Paid` to `Standard` (a 2022 `az aks create` response, in
    /// Tests/Fixtures/real, carries `Basic`; the current models take `Base`/`Automatic` and
    /// `Free`/`Standard`/`Premium`).
    static let retiredSKUValues: [(key: String, old: String, new: String)] = [("name", "basic", "Base"), ("tier", "paid", "Standard")]

    static func retiredSKU(_ document: inout TranslatedDocument) {
        for (key, old, new) in retiredSKUValues {
            let path: [JSONPathComponent] = [.key("sku"), .key(key)]
            guard document[path]?.stringValue?.lowercased() == old else { continue }
            document.set(path, .string(new), by: "built-in: AKS SKU \(key) renamed by the API")
        }
    }

    // MARK: - Node resource group

    /// The `MC_{rg}_{cluster}_{location}` group is rebuilt from the recovery group and location.
    static func nodeResourceGroup(_ document: inout TranslatedDocument, ids: RecoveryIDMap) {
        let path: [JSONPathComponent] = [.key("properties"), .key("nodeResourceGroup")]
        guard let name = document[path]?.stringValue, !name.isEmpty else { return }
        document.set(path, .string(ids.mapResourceGroup(name)), by: "built-in: node resource group")
    }

    // MARK: - AGIC

    /// AGIC config keys that describe an AKS-created gateway; a BYO gateway is named by id alone.
    static let agicCreationKeys = ["applicationGatewayName", "subnetId", "subnetCIDR"]

    /// When AKS created the AGIC gateway and it is promoted to BYO, the add-on names the BYO gateway
    /// by id and loses the settings AKS used to create one.
    static func promotedGateway(_ document: inout TranslatedDocument, ids: RecoveryIDMap) {
        let r = document.resource
        guard let (key, addon) = AKSDocument.addon(AKSDocument.agic, in: r.document), AKSDocument.isEnabled(addon),
              let gateway = AKSDocument.agicGatewayID(addon) else { return }
        let cluster = Resource.lookupKey(r.id)
        guard let promotion = ids.promoted.first(where: {
            Resource.lookupKey($0.sourceID) == Resource.lookupKey(gateway) && Resource.lookupKey($0.cluster) == cluster
        }) else { return }
        let config: [JSONPathComponent] = [.key("properties"), .key("addonProfiles"), .key(key), .key("config")]
        let label = "built-in: AGIC Application Gateway"
        let idKey = AKSDocument.member("applicationGatewayId", in: addon["config"])?.key ?? "applicationGatewayId"
        document.set(config + [.key(idKey)], .string(promotion.recoveryID), by: label)
        for name in agicCreationKeys {
            guard let actual = AKSDocument.member(name, in: addon["config"])?.key else { continue }
            document.set(config + [.key(actual)], nil, by: label + " (the BYO gateway is named by id)")
        }
    }

    // MARK: - Unsupported features

    /// Add-ons Standby recovers (keys compared case-insensitively).
    static let supportedAddons: Set<String> = [
        "azurekeyvaultsecretsprovider", "azurepolicy", "ingressapplicationgateway", "omsagent",
    ]
    /// Workload autoscalers Standby recovers.
    static let supportedAutoscalers: Set<String> = ["keda"]

    /// An issue for every enabled add-on or workload autoscaler that is not supported. The cluster
    /// is translated all the same.
    static func unsupportedFeatures(_ document: inout TranslatedDocument) {
        let properties = document.resource.document["properties"]
        for (name, value) in properties?["addonProfiles"]?.objectValue?.pairs ?? []
        where AKSDocument.isEnabled(value) && !supportedAddons.contains(name.lowercased()) {
            document.issue("addonProfiles.\(name)", "the \(name) add-on is not supported: the cluster is still recovered, "
                + "but the add-on may not work after recovery and may need to be reconfigured manually")
        }
        for (name, value) in properties?["workloadAutoScalerProfile"]?.objectValue?.pairs ?? []
        where AKSDocument.isEnabled(value) && !supportedAutoscalers.contains(name.lowercased()) {
            document.issue("workloadAutoScalerProfile.\(name)", "the \(name) workload autoscaler is not supported: the cluster "
                + "is still recovered, but the autoscaler may not work after recovery and may need to be reconfigured manually")
        }
    }
}

/// Reading a managed cluster's document: add-ons by case-insensitive key, the control-plane
/// identity, the AGIC gateway.
enum AKSDocument {
    static let agic = "ingressApplicationGateway"
    static let agentPoolProfiles: [JSONPathComponent] = [.key("properties"), .key("agentPoolProfiles")]

    /// The member of `object` whose key is `name` in any case (exact spelling first).
    static func member(_ name: String, in object: JSONValue?) -> (key: String, value: JSONValue)? {
        guard case .object(let o)? = object else { return nil }
        if let v = o[name] { return (name, v) }
        let lower = name.lowercased()
        return o.pairs.first { $0.key.lowercased() == lower }.map { ($0.key, $0.value) }
    }

    /// The add-on profile `name` (any case), with the key it is stored under.
    static func addon(_ name: String, in cluster: JSONValue) -> (key: String, value: JSONValue)? {
        member(name, in: cluster["properties"]?["addonProfiles"])
    }

    /// `enabled: true` (or the string `"true"`, as some exports write it).
    static func isEnabled(_ profile: JSONValue) -> Bool {
        switch profile["enabled"] {
        case .bool(let b)?: return b
        case .string(let s)?: return s.lowercased() == "true"
        default: return false
        }
    }

    /// The AGIC gateway: `applicationGatewayId`, else the one AKS reports having created.
    static func agicGatewayID(_ addon: JSONValue) -> String? {
        for key in ["applicationGatewayId", "effectiveApplicationGatewayId"] {
            if let id = member(key, in: addon["config"])?.value.stringValue, ARMResourceID(id) != nil { return id }
        }
        return nil
    }

    /// The user-assigned control-plane identity (the first key of
    /// `identity.userAssignedIdentities`); `nil` for a system-assigned identity.
    static func controlPlaneIdentity(_ cluster: JSONValue) -> String? {
        guard let type = cluster["identity"]?["type"]?.stringValue, type.lowercased().contains("userassigned") else { return nil }
        return cluster["identity"]?["userAssignedIdentities"]?.objectValue?.keys.first
    }

    /// The cluster's node resource group (`MC_…`).
    static func nodeResourceGroup(_ cluster: JSONValue) -> String? {
        guard let name = cluster["properties"]?["nodeResourceGroup"]?.stringValue, !name.isEmpty else { return nil }
        return name
    }
}

/// The Windows node pools' administrator password, which Azure never reads back: the cluster tag
/// `arpio-config:admin-password-secret` (or `standby:admin-password-secret`) names the Key Vault
/// secret holding it, and the URL is moved to the recovery vault. The secret's value is never read.
enum AdminPasswordSecret {
    /// Tag keys that name the secret (compared case-insensitively, as Azure compares tag names).
    static let tags = ["arpio-config:admin-password-secret", "standby:admin-password-secret"]
    static let label = "built-in: Windows admin password secret"

    static func translate(_ document: inout TranslatedDocument, in context: TranslationContext) {
        for tag in tags {
            guard let (key, value) = AKSDocument.member(tag, in: document.resource.document["tags"]),
                  let text = value.stringValue else { continue }
            translate(&document, key: key, url: text, in: context)
        }
    }

    private static func translate(_ document: inout TranslatedDocument, key: String, url: String,
                                  in context: TranslationContext) {
        let path: [JSONPathComponent] = [.key("tags"), .key(key)]
        let feature = "tags.\(key)"
        guard let secret = KeyVaultSecretURL(url) else {
            document.keep(path.dotted, value: url,
                          reason: "not a Key Vault secret URL (https://{vault}.vault.azure.net/secrets/{name})")
            document.issue(feature, "the Windows admin password tag does not hold a Key Vault secret URL; "
                + "the recovery cluster's Windows pools need the password supplied by hand")
            return
        }
        let vault: String
        switch context.ids.vaultName(secret.vault) {
        case .mapped(let name, _)?:
            vault = name
        case .unmapped(let reason)?:
            document.keep(path.dotted, value: url, reason: reason)
            document.issue(feature, "the recovery Key Vault for the Windows admin password cannot be derived: \(reason)")
            return
        case nil:
            if isInventoried(secret.vault, context.inventory) {
                // A vault of another subscription: the URL is carried over as it is.
                document.keep(path.dotted, value: url, reason: "Key Vault \(secret.vault) is not the source environment's; kept")
                return
            }
            vault = derivedVaultName(secret.vault, ids: context.ids)
            document.issue(feature, "Key Vault \(secret.vault), which holds the Windows admin password secret \(secret.name), "
                + "is not in the recovery point: its recovery name \(vault) is derived, and the secret must exist there "
                + "before the cluster is created")
        }
        let by = secret.version == nil ? label : label + " (version dropped: the recovery vault's secret has its own versions)"
        document.set(path, .string(secret.url(vault: vault)), by: by)
    }

    /// The recovery name of a vault the inventory does not hold, by the map's unique-name rule.
    static func derivedVaultName(_ name: String, ids: RecoveryIDMap) -> String {
        guard let rule = RecoveryIDMap.globallyUnique["microsoft.keyvault/vaults"] else { return name }
        return RecoveryIDMap.uniqueName(name, suffix: ids.to.uniqueNameSuffix, rule)
    }

    private static func isInventoried(_ vault: String, _ inventory: Inventory) -> Bool {
        let lower = vault.lowercased()
        return inventory.resources.contains {
            $0.type?.lowercased() == "microsoft.keyvault/vaults" && $0.name?.lowercased() == lower
        }
    }
}

/// `https://{vault}.vault.azure.net/secrets/{name}[/{version}]` (any Azure cloud's vault suffix).
struct KeyVaultSecretURL: Equatable {
    var vault: String
    /// `.vault.azure.net`, `.vault.azure.cn`…
    var hostSuffix: String
    var name: String
    var version: String?

    init?(_ text: String) {
        let scheme = "https://"
        guard text.lowercased().hasPrefix(scheme) else { return nil }
        var body = text.dropFirst(scheme.count)
        if body.hasSuffix("/") { body = body.dropLast() }
        let parts = body.split(separator: "/", omittingEmptySubsequences: false).map(String.init)
        guard parts.count == 3 || parts.count == 4, !parts.contains(where: \.isEmpty),
              parts[1].lowercased() == "secrets" else { return nil }
        let host = parts[0]
        guard let dot = host.firstIndex(of: "."), dot > host.startIndex,
              host[dot...].lowercased().hasPrefix(".vault.") else { return nil }
        vault = String(host[..<dot])
        hostSuffix = String(host[dot...])
        name = parts[2]
        version = parts.count == 4 ? parts[3] : nil
    }

    /// The URL of the secret's latest version in `vault`.
    func url(vault: String) -> String { "https://\(vault)\(hostSuffix)/secrets/\(name)" }
}
