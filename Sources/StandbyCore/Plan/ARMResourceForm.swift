/// How a translated ARM document becomes a resource of a deployment template: the api-version of
/// its type, its `name` in template form, the top-level members a PUT takes, and the read-only
/// (server-set) properties that are left out.
///
/// Read-only properties come from three places: ``ServerSetFields`` (provisioning state, FQDNs,
/// principal ids, `effective*`…), the key names that are read-only wherever they appear
/// (`provisioningState`, `etag`, `resourceGuid`, `systemData`), and ``readOnly`` below: per type,
/// what the service reports but never takes, including the back-references a resource keeps of
/// what points at it (an NSG's `subnets`, a public IP's `ipConfiguration`). A back-reference left in
/// a body would also make the template's dependency graph run backwards (NSG → VNet → NSG).
enum ARMResourceForm {
    // MARK: - API versions

    /// The api-version the template uses for each type (lower-cased). Types not here, and whose
    /// provider has no entry in ``providerAPIVersions``, are left out of the template with a note.
    static let apiVersions: [String: String] = [
        "microsoft.containerservice/managedclusters": "2025-10-01",
        "microsoft.containerservice/managedclusters/agentpools": "2025-10-01",
        "microsoft.containerservice/managedclusters/maintenanceconfigurations": "2025-10-01",
        "microsoft.containerservice/snapshots": "2025-10-01",
        "microsoft.network/privatednszones": "2024-06-01",
        "microsoft.network/privatednszones/virtualnetworklinks": "2024-06-01",
        "microsoft.network/dnszones": "2018-05-01",
        "microsoft.compute/disks": "2024-03-02",
        "microsoft.compute/snapshots": "2024-03-02",
        "microsoft.compute/diskencryptionsets": "2024-03-02",
        "microsoft.compute/diskaccesses": "2024-03-02",
        "microsoft.compute/proximityplacementgroups": "2024-07-01",
        "microsoft.compute/hostgroups": "2024-07-01",
        "microsoft.compute/hostgroups/hosts": "2024-07-01",
        "microsoft.compute/capacityreservationgroups": "2024-07-01",
        "microsoft.compute/capacityreservationgroups/capacityreservations": "2024-07-01",
        "microsoft.compute/availabilitysets": "2024-07-01",
        "microsoft.managedidentity/userassignedidentities": "2023-01-31",
        "microsoft.managedidentity/userassignedidentities/federatedidentitycredentials": "2023-01-31",
        "microsoft.keyvault/vaults": "2023-07-01",
        "microsoft.keyvault/vaults/keys": "2023-07-01",
        "microsoft.keyvault/vaults/secrets": "2023-07-01",
        "microsoft.operationalinsights/workspaces": "2023-09-01",
        "microsoft.containerregistry/registries": "2023-07-01",
        "microsoft.storage/storageaccounts": "2023-05-01",
        "microsoft.storage/storageaccounts/fileservices": "2023-05-01",
        "microsoft.storage/storageaccounts/fileservices/shares": "2023-05-01",
        "microsoft.storage/storageaccounts/blobservices": "2023-05-01",
        "microsoft.storage/storageaccounts/blobservices/containers": "2023-05-01",
        "microsoft.authorization/roleassignments": "2022-04-01",
        "microsoft.kubernetesconfiguration/extensions": "2023-05-01",
        "microsoft.insights/datacollectionrules": "2022-06-01",
        "microsoft.insights/datacollectionruleassociations": "2022-06-01",
        "microsoft.monitor/accounts": "2023-04-03",
        "microsoft.dashboard/grafana": "2023-09-01",
    ]

    /// Every other type of these providers (lower-cased namespace) takes this api-version.
    static let providerAPIVersions: [String: String] = [
        "microsoft.network": "2024-05-01",
    ]

    /// Resource groups and nested deployments.
    static let resourcesAPIVersion = "2024-03-01"
    /// `reference()` of a user-assigned identity (its `principalId`, `clientId`).
    static let identityAPIVersion = "2023-01-31"
    /// `reference()` of a Key Vault key (its `keyUriWithVersion`).
    static let keyVaultAPIVersion = "2023-07-01"

    /// The api-version the template deploys `type` with: the version of the generated REST table
    /// (``AzureRESTModels``) for the types it covers — the one whose property set the template's
    /// bodies are pruned to, so every property kept is known to it — else ``apiVersion(_:)``.
    static func templateAPIVersion(_ type: String) -> String? {
        AzureRESTModels.apiVersion(forType: type) ?? apiVersion(type)
    }

    /// The api-version for `type` (any case), or nil when Standby knows none.
    static func apiVersion(_ type: String) -> String? {
        let lower = type.lowercased()
        if let v = apiVersions[lower] { return v }
        guard let ns = lower.split(separator: "/").first else { return nil }
        return providerAPIVersions[String(ns)]
    }

    // MARK: - Names

    /// The canonical type of a recovery id (`Microsoft.ContainerService/managedClusters/agentPools`).
    static func type(of id: ARMResourceID) -> String { ARMResourceTypes.canonical(id.resourceType) }

    /// The template `name` of a resource: `parent/child` for child types.
    static func name(of id: ARMResourceID) -> String { id.nameSegments.joined(separator: "/") }

    /// For an extension resource (`{resource}/providers/Microsoft.Authorization/roleAssignments/x`),
    /// the `scope` in the relative form a resource-group template takes (`Microsoft.KeyVault/vaults/kv`);
    /// nil when `id` is not an extension resource or its scope is not in the same resource group.
    static func relativeScope(of id: ARMResourceID) -> String? {
        guard id.isExtension, let scope = id.scope, let ns = scope.providerNamespace,
              scope.resourceGroup?.lowercased() == id.resourceGroup?.lowercased() else { return nil }
        var parts = [ns, scope.typeSegments.first ?? ""]
        parts.append(scope.nameSegments.first ?? "")
        for (t, n) in zip(scope.typeSegments.dropFirst(), scope.nameSegments.dropFirst()) { parts += [t, n] }
        return parts.joined(separator: "/")
    }

    // MARK: - Bodies

    /// Top-level members a PUT takes, in the order the template writes them.
    static let topLevel = ["location", "kind", "tags", "sku", "zones", "identity", "extendedLocation", "plan", "properties"]

    /// Keys that are read-only wherever they appear in a document.
    static let readOnlyKeys: Set<String> = ["provisioningState", "etag", "eTag", "resourceGuid", "systemData"]

    private static func patterns(_ list: [String]) -> [[String]] { list.map { $0.split(separator: ".").map(String.init) } }

    private static let subnetReadOnly = [
        "ipConfigurations", "ipConfigurationProfiles", "privateEndpoints", "resourceNavigationLinks",
        "serviceAssociationLinks", "purpose", "delegations.*.properties.actions", "serviceEndpoints.*.provisioningState",
    ]

    /// Read-only properties per type (lower-cased), dotted, `*` for one key or index.
    static let readOnly: [String: [[String]]] = [
        "microsoft.network/networksecuritygroups": patterns([
            "properties.subnets", "properties.networkInterfaces", "properties.defaultSecurityRules", "properties.flowLogs"]),
        "microsoft.network/routetables": patterns(["properties.subnets"]),
        "microsoft.network/natgateways": patterns(["properties.subnets"]),
        "microsoft.network/publicipaddresses": patterns([
            "properties.ipConfiguration", "properties.natGateway", "properties.dnsSettings.fqdn"]),
        "microsoft.network/publicipprefixes": patterns([
            "properties.ipPrefix", "properties.publicIPAddresses", "properties.loadBalancerFrontendIpConfiguration"]),
        "microsoft.network/virtualnetworks": patterns(subnetReadOnly.map { "properties.subnets.*.properties." + $0 } + [
            "properties.virtualNetworkPeerings.*.properties.peeringState",
            "properties.virtualNetworkPeerings.*.properties.peeringSyncLevel"]),
        "microsoft.network/virtualnetworks/subnets": patterns(subnetReadOnly.map { "properties." + $0 }),
        "microsoft.network/applicationgateways": patterns([
            "properties.operationalState", "properties.privateEndpointConnections",
            "properties.backendAddressPools.*.properties.backendIPConfigurations",
            "properties.sslCertificates.*.properties.publicCertData"]),
        "microsoft.network/applicationgatewaywebapplicationfirewallpolicies": patterns([
            "properties.applicationGateways", "properties.httpListeners", "properties.pathBasedRules", "properties.resourceState"]),
        "microsoft.network/firewallpolicies": patterns(["properties.firewalls", "properties.childPolicies", "properties.ruleCollectionGroups"]),
        "microsoft.network/loadbalancers": patterns([
            "properties.frontendIPConfigurations.*.properties.inboundNatRules",
            "properties.frontendIPConfigurations.*.properties.inboundNatPools",
            "properties.frontendIPConfigurations.*.properties.outboundRules",
            "properties.frontendIPConfigurations.*.properties.loadBalancingRules",
            "properties.backendAddressPools.*.properties.backendIPConfigurations",
            "properties.backendAddressPools.*.properties.loadBalancingRules",
            "properties.backendAddressPools.*.properties.outboundRule",
            "properties.backendAddressPools.*.properties.outboundRules",
            "properties.backendAddressPools.*.properties.inboundNatRules",
            "properties.inboundNatRules.*.properties.backendIPConfiguration"]),
        "microsoft.network/azurefirewalls": patterns(["properties.ipConfigurations.*.properties.privateIPAddress"]),
        "microsoft.network/dnszones": patterns([
            "properties.nameServers", "properties.numberOfRecordSets", "properties.maxNumberOfRecordSets",
            "properties.maxNumberOfRecordsPerRecordSet"]),
        "microsoft.network/privatednszones": patterns([
            "properties.numberOfRecordSets", "properties.maxNumberOfRecordSets", "properties.maxNumberOfVirtualNetworkLinks",
            "properties.numberOfVirtualNetworkLinks", "properties.maxNumberOfVirtualNetworkLinksWithRegistration",
            "properties.numberOfVirtualNetworkLinksWithRegistration", "properties.internalId"]),
        "microsoft.network/privatednszones/virtualnetworklinks": patterns(["properties.virtualNetworkLinkState"]),
        "microsoft.compute/disks": patterns([
            "properties.timeCreated", "properties.diskState", "properties.diskSizeBytes", "properties.uniqueId",
            "properties.shareInfo", "properties.propertyUpdatesInProgress", "properties.lastOwnershipUpdateTime"]),
        "microsoft.compute/snapshots": patterns([
            "properties.timeCreated", "properties.diskState", "properties.diskSizeBytes", "properties.uniqueId"]),
        "microsoft.compute/diskencryptionsets": patterns([
            "properties.previousKeys", "properties.autoKeyRotationError", "properties.lastKeyRotationTimestamp"]),
        "microsoft.compute/proximityplacementgroups": patterns([
            "properties.virtualMachines", "properties.virtualMachineScaleSets", "properties.availabilitySets"]),
        "microsoft.compute/hostgroups": patterns(["properties.hosts", "properties.instanceView"]),
        "microsoft.compute/hostgroups/hosts": patterns([
            "properties.hostId", "properties.virtualMachines", "properties.provisioningTime", "properties.instanceView",
            "properties.timeCreated"]),
        "microsoft.compute/capacityreservationgroups": patterns([
            "properties.capacityReservations", "properties.virtualMachinesAssociated", "properties.instanceView"]),
        "microsoft.compute/capacityreservationgroups/capacityreservations": patterns([
            "properties.reservationId", "properties.platformFaultDomainCount", "properties.virtualMachinesAssociated",
            "properties.provisioningTime", "properties.instanceView", "properties.timeCreated"]),
        "microsoft.containerservice/snapshots": patterns([
            "properties.nodeImageVersion", "properties.kubernetesVersion", "properties.osType", "properties.osSku",
            "properties.vmSize", "properties.enableFIPS"]),
        "microsoft.containerservice/managedclusters": patterns([
            "properties.ingressProfile.webAppRouting.identity", "properties.privateLinkResources.*.privateLinkServiceID",
            "properties.podIdentityProfile.userAssignedIdentities.*.provisioningInfo"]),
        "microsoft.containerservice/managedclusters/agentpools": patterns(["properties.nodeImageVersion"]),
        "microsoft.keyvault/vaults": patterns(["properties.vaultUri", "properties.hsmPoolResourceId", "properties.privateEndpointConnections"]),
        "microsoft.keyvault/vaults/keys": patterns([
            "properties.keyUri", "properties.keyUriWithVersion", "properties.attributes.created", "properties.attributes.updated",
            "properties.attributes.recoveryLevel"]),
        "microsoft.keyvault/vaults/secrets": patterns([
            "properties.secretUri", "properties.secretUriWithVersion", "properties.attributes.created",
            "properties.attributes.updated"]),
        "microsoft.managedidentity/userassignedidentities": patterns(["properties.principalId", "properties.clientId", "properties.tenantId"]),
        "microsoft.operationalinsights/workspaces": patterns([
            "properties.customerId", "properties.createdDate", "properties.modifiedDate", "properties.privateLinkScopedResources"]),
        "microsoft.containerregistry/registries": patterns([
            "properties.loginServer", "properties.creationDate", "properties.status", "properties.dataEndpointHostNames",
            "properties.privateEndpointConnections"]),
        "microsoft.storage/storageaccounts": patterns([
            "properties.primaryEndpoints", "properties.secondaryEndpoints", "properties.primaryLocation",
            "properties.secondaryLocation", "properties.statusOfPrimary", "properties.statusOfSecondary",
            "properties.creationTime", "properties.lastGeoFailoverTime", "properties.keyCreationTime",
            "properties.privateEndpointConnections", "properties.geoReplicationStats", "properties.blobRestoreStatus",
            "properties.networkAcls.virtualNetworkRules.*.state"]),
        "microsoft.storage/storageaccounts/fileservices/shares": patterns([
            "properties.lastModifiedTime", "properties.leaseStatus", "properties.leaseState", "properties.leaseDuration",
            "properties.shareUsageBytes", "properties.deleted", "properties.deletedTime", "properties.remainingRetentionDays",
            "properties.version", "properties.snapshotTime"]),
        "microsoft.storage/storageaccounts/blobservices/containers": patterns([
            "properties.lastModifiedTime", "properties.leaseStatus", "properties.leaseState", "properties.leaseDuration",
            "properties.deleted", "properties.deletedTime", "properties.remainingRetentionDays", "properties.version",
            "properties.hasImmutabilityPolicy", "properties.hasLegalHold", "properties.immutabilityPolicy", "properties.legalHold"]),
        "microsoft.authorization/roleassignments": patterns([
            "properties.scope", "properties.createdOn", "properties.updatedOn", "properties.createdBy", "properties.updatedBy",
            // `az role assignment list` adds these names beside the ids.
            "properties.principalName", "properties.roleDefinitionName"]),
        "microsoft.kubernetesconfiguration/extensions": patterns([
            "properties.currentVersion", "properties.statuses", "properties.errorInfo", "properties.isSystemExtension",
            "properties.customLocationSettings", "properties.packageUri", "properties.aksAssignedIdentity",
            "properties.installedVersion"]),
    ]

    /// Whether `path` of a document of `type` holds a read-only property. `resource` is the captured
    /// resource, for ``ServerSetFields``; nil for resources Standby generated.
    static func isReadOnly(_ path: [JSONPathComponent], type: String, resource: Resource?) -> Bool {
        guard case .key(let last)? = path.last else { return false }
        if readOnlyKeys.contains(last) || last.hasPrefix("effective") { return true }
        let lower = type.lowercased()
        if let r = resource, ServerSetFields.contains(path, of: r) { return true }
        if AzureRESTModels.isReadOnly(path, type: type) { return true }
        return readOnly[lower]?.contains { matches($0, path) } ?? false
    }

    /// The `type` of an inline child resource (`properties.subnets[0].type`:
    /// `Microsoft.Network/virtualNetworks/subnets`) is read-only; a `type` that is not a resource
    /// type (an agent pool's `VirtualMachineScaleSets`) is the resource's own setting.
    static func isInlineChildType(_ path: [JSONPathComponent], _ value: JSONValue) -> Bool {
        guard path.last == .key("type"), path.count > 2, path.contains(where: { if case .index = $0 { return true }; return false }),
              let s = value.stringValue else { return false }
        return s.contains("/")
    }

    /// Whether `path` is exactly `pattern` (`*` matching any one key or index).
    static func matches(_ pattern: [String], _ path: [JSONPathComponent]) -> Bool {
        guard path.count == pattern.count else { return false }
        for (p, c) in zip(pattern, path) {
            if p == "*" { continue }
            guard case .key(let k) = c, k == p else { return false }
        }
        return true
    }

    /// `value` without the members for which `remove` (path, value) is true (objects and arrays
    /// walked; an array element removed is dropped, the others keep their order).
    static func pruned(_ value: JSONValue, _ path: inout [JSONPathComponent],
                       _ remove: ([JSONPathComponent], JSONValue) -> Bool) -> JSONValue {
        switch value {
        case .object(let o):
            var out: [(String, JSONValue)] = []
            out.reserveCapacity(o.count)
            for (k, v) in o.pairs {
                path.append(.key(k))
                if !remove(path, v) { out.append((k, pruned(v, &path, remove))) }
                path.removeLast()
            }
            return .object(JSONObject(out))
        case .array(let a):
            var out: [JSONValue] = []
            out.reserveCapacity(a.count)
            for (i, v) in a.enumerated() {
                path.append(.index(i))
                if !remove(path, v) { out.append(pruned(v, &path, remove)) }
                path.removeLast()
            }
            return .array(out)
        default:
            return value
        }
    }

    /// The resource in template form: `type`, `apiVersion`, `name`, then the members a PUT takes
    /// (``topLevel``), read-only properties and `null`s removed, user-assigned identity values emptied.
    static func body(document: JSONValue, id: ARMResourceID, type: String, apiVersion: String,
                     resource: Resource?) -> JSONValue {
        templateBody(document: document, id: id, type: type, apiVersion: apiVersion, resource: resource).body
    }

    /// ``body(document:id:type:apiVersion:resource:)``, and the properties left out because the
    /// type's REST model (``AzureRESTModels``) does not know them (dotted paths): a misspelt key,
    /// or one newer than the api-version the template deploys.
    static func templateBody(document: JSONValue, id: ARMResourceID, type: String, apiVersion: String,
                             resource: Resource?) -> (body: JSONValue, unknown: [String]) {
        var members: [(String, JSONValue)] = [("type", .string(type)), ("apiVersion", .string(apiVersion)),
                                              ("name", .string(name(of: id)))]
        if let scope = relativeScope(of: id) { members.append(("scope", .string(scope))) }
        var unknown: [String] = []
        for key in topLevel {
            guard let value = document[key], !value.isNull else { continue }
            var path: [JSONPathComponent] = [.key(key)]
            var cleaned = pruned(value, &path) { p, v in
                v.isNull || isReadOnly(p, type: type, resource: resource) || isInlineChildType(p, v)
            }
            if let known = AzureRESTModels.pruning(cleaned, member: key, type: type) {
                unknown += known.unknown
                guard let kept = known.value else { continue }
                cleaned = kept
            }
            if key == "identity" { cleaned = identity(cleaned) }
            members.append((key, cleaned))
        }
        return (.object(JSONObject(members)), unknown)
    }

    /// `identity` as a PUT takes it: `userAssignedIdentities` values are `{}` (their `principalId`
    /// and `clientId` are the service's).
    static func identity(_ value: JSONValue) -> JSONValue {
        guard case .object(var o) = value else { return value }
        o["principalId"] = nil
        o["tenantId"] = nil
        if case .object(let ids)? = o["userAssignedIdentities"] {
            o["userAssignedIdentities"] = .object(JSONObject(ids.pairs.map { ($0.key, JSONValue.object(JSONObject())) }))
        }
        return .object(o)
    }

    /// Strings that start with `[` are template expressions to ARM; a literal one is written `[[`.
    /// Applied to translated documents (which hold no expressions) before Standby adds its own.
    static func escapingExpressions(_ value: JSONValue) -> JSONValue {
        switch value {
        case .string(let s) where s.hasPrefix("["): return .string("[" + s)
        case .array(let a): return .array(a.map(escapingExpressions))
        case .object(let o): return .object(JSONObject(o.pairs.map { ($0.key, escapingExpressions($0.value)) }))
        default: return value
        }
    }
}
