/// Properties the cloud or the API server sets and a deployment never does: provisioning state,
/// FQDNs, current versions, identity principal ids, `effective*` values, status. The translator
/// leaves them alone (and says so when they still name the source); artifact builders strip them.
public enum ServerSetFields {
    /// Dotted patterns; `*` matches one key or array index; a pattern covers the subtree below it.
    static let arm: [[String]] = [
        "etag", "eTag", "systemData", "managedBy",
        "identity.principalId", "identity.tenantId", "identity.userAssignedIdentities.*.principalId",
        "identity.userAssignedIdentities.*.clientId",
        "properties.provisioningState", "properties.powerState", "properties.fqdn", "properties.azurePortalFQDN",
        "properties.privateFQDN", "properties.currentKubernetesVersion", "properties.maxAgentPools",
        "properties.resourceUID", "properties.resourceGuid", "properties.oidcIssuerProfile.issuerURL",
        "properties.identityProfile.*.clientId", "properties.identityProfile.*.objectId",
        "properties.addonProfiles.*.identity",
        "properties.agentPoolProfiles.*.provisioningState", "properties.agentPoolProfiles.*.powerState",
        "properties.agentPoolProfiles.*.nodeImageVersion", "properties.agentPoolProfiles.*.currentOrchestratorVersion",
        "properties.agentPoolProfiles.*.eTag",
        "properties.nodeImageVersion", "properties.currentOrchestratorVersion",
    ].map { $0.split(separator: ".").map(String.init) }

    static let aws: [[String]] = [
        "endpoint", "status", "createdAt", "modifiedAt", "platformVersion", "health", "certificateAuthority",
        "identity.oidc.issuer", "resources", "resourcesVpcConfig.clusterSecurityGroupId", "resourcesVpcConfig.vpcId",
        "OwnerId", "CreationTime", "CreateDate", "CreationDate", "State", "AvailableIpAddressCount", "LifeCycleState",
        "SizeInBytes", "NumberOfMountTargets", "AWSAccountId", "registryId", "repositoryUri", "CreatedBy",
    ].map { $0.split(separator: ".").map(String.init) }

    static let kube: [[String]] = [
        "status", "metadata.uid", "metadata.resourceVersion", "metadata.generation", "metadata.creationTimestamp",
        "metadata.managedFields", "metadata.selfLink",
    ].map { $0.split(separator: ".").map(String.init) }

    /// Read-only back-references that only some types have: a subnet's `ipConfigurations` (the NICs
    /// in it), a public IP's `ipConfiguration` and `ipAddress` (firewalls and NICs own a writable
    /// `ipConfigurations`).
    static let armByType: [String: [[String]]] = [
        "microsoft.network/virtualnetworks/subnets": [["properties", "ipConfigurations"]],
        "microsoft.network/virtualnetworks": [["properties", "subnets", "*", "properties", "ipConfigurations"]],
        "microsoft.network/publicipaddresses": [["properties", "ipConfiguration"], ["properties", "ipAddress"]],
    ]

    /// Whether `path` in `resource`'s document is (inside) a server-set property.
    public static func contains(_ path: [JSONPathComponent], of resource: Resource) -> Bool {
        for c in path { if case .key(let k) = c, k.hasPrefix("effective") { return true } }
        let patterns: [[String]]
        switch resource.identity {
        case .arm: patterns = arm
        case .kube: patterns = kube
        default: patterns = aws
        }
        // AWS describe output is wrapped (`cluster`, `nodegroup`…); look through one wrapper.
        var body = path[...]
        if case .aws = resource.identity, case .key(let k)? = body.first, ["cluster", "nodegroup", "fargateProfile"].contains(k) {
            body = body.dropFirst()
        }
        if patterns.contains(where: { matches($0, body) }) { return true }
        if let type = resource.type?.lowercased(), let extra = armByType[type] {
            return extra.contains { matches($0, body) }
        }
        return false
    }

    private static func matches(_ pattern: [String], _ path: ArraySlice<JSONPathComponent>) -> Bool {
        guard path.count >= pattern.count else { return false }
        for (p, c) in zip(pattern, path) {
            if p == "*" { continue }
            guard case .key(let k) = c, k == p else { return false }
        }
        return true
    }
}
