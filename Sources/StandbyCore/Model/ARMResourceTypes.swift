/// Canonical casing of the Azure resource types Standby knows.
///
/// ARM type names are case-insensitive and services echo them back in assorted cases
/// (`Microsoft.ContainerService/ManagedClusters` in the AKS examples); Standby reports the casing
/// used by the REST API specifications. Unknown types are returned unchanged.
public enum ARMResourceTypes {
    /// The canonical spelling of `type`, or `type` itself when it is not a known type.
    public static func canonical(_ type: String) -> String {
        byLowercase[type.lowercased()] ?? type
    }

    /// Whether Standby knows this type (case-insensitive).
    public static func isKnown(_ type: String) -> Bool { byLowercase[type.lowercased()] != nil }

    public static let managedClusters = "Microsoft.ContainerService/managedClusters"
    public static let agentPools = "Microsoft.ContainerService/managedClusters/agentPools"

    /// Every known type, in canonical case.
    public static let known: [String] = [
        managedClusters,
        agentPools,
        "Microsoft.ContainerService/managedClusters/maintenanceConfigurations",
        "Microsoft.ContainerService/snapshots",
        "Microsoft.ContainerService/fleets",
        "Microsoft.KubernetesConfiguration/extensions",
        "Microsoft.KubernetesConfiguration/fluxConfigurations",
        "Microsoft.Network/virtualNetworks",
        "Microsoft.Network/virtualNetworks/subnets",
        "Microsoft.Network/virtualNetworks/virtualNetworkPeerings",
        "Microsoft.Network/networkSecurityGroups",
        "Microsoft.Network/networkSecurityGroups/securityRules",
        "Microsoft.Network/applicationSecurityGroups",
        "Microsoft.Network/publicIPAddresses",
        "Microsoft.Network/publicIPPrefixes",
        "Microsoft.Network/natGateways",
        "Microsoft.Network/loadBalancers",
        "Microsoft.Network/applicationGateways",
        "Microsoft.Network/routeTables",
        "Microsoft.Network/routeTables/routes",
        "Microsoft.Network/azureFirewalls",
        "Microsoft.Network/firewallPolicies",
        "Microsoft.Network/firewallPolicies/ruleCollectionGroups",
        "Microsoft.Network/ipGroups",
        "Microsoft.Network/privateDnsZones",
        "Microsoft.Network/privateDnsZones/virtualNetworkLinks",
        "Microsoft.Network/dnszones",
        "Microsoft.Network/privateEndpoints",
        "Microsoft.Network/privateLinkServices",
        "Microsoft.Network/networkInterfaces",
        "Microsoft.Network/bastionHosts",
        "Microsoft.Network/virtualNetworkGateways",
        "Microsoft.Compute/diskEncryptionSets",
        "Microsoft.Compute/disks",
        "Microsoft.Compute/snapshots",
        "Microsoft.Compute/proximityPlacementGroups",
        "Microsoft.Compute/hostGroups",
        "Microsoft.Compute/capacityReservationGroups",
        "Microsoft.Compute/virtualMachineScaleSets",
        "Microsoft.Compute/galleries",
        "Microsoft.ManagedIdentity/userAssignedIdentities",
        "Microsoft.ManagedIdentity/userAssignedIdentities/federatedIdentityCredentials",
        "Microsoft.KeyVault/vaults",
        "Microsoft.KeyVault/vaults/secrets",
        "Microsoft.KeyVault/vaults/keys",
        "Microsoft.OperationalInsights/workspaces",
        "Microsoft.Insights/dataCollectionRules",
        "Microsoft.Insights/dataCollectionRuleAssociations",
        "Microsoft.Monitor/accounts",
        "Microsoft.Dashboard/grafana",
        "Microsoft.ContainerRegistry/registries",
        "Microsoft.Storage/storageAccounts",
        "Microsoft.Storage/storageAccounts/blobServices/containers",
        "Microsoft.Storage/storageAccounts/fileServices/shares",
        "Microsoft.DataProtection/backupVaults",
        "Microsoft.DataProtection/backupVaults/backupInstances",
        "Microsoft.DataProtection/backupVaults/backupPolicies",
        "Microsoft.Authorization/roleAssignments",
        "Microsoft.Authorization/roleDefinitions",
        "Microsoft.Authorization/policyAssignments",
        "Microsoft.Resources/subscriptions",
        "Microsoft.Resources/resourceGroups",
        "Microsoft.Resources/deployments",
        "Microsoft.DBforPostgreSQL/flexibleServers",
        "Microsoft.DBforMySQL/flexibleServers",
        "Microsoft.Sql/servers",
        "Microsoft.Sql/servers/databases",
        "Microsoft.Cache/redis",
        "Microsoft.ServiceBus/namespaces",
        "Microsoft.EventHub/namespaces",
        "Microsoft.AppConfiguration/configurationStores",
    ]

    private static let byLowercase: [String: String] = {
        var table: [String: String] = [:]
        for type in known { table[type.lowercased()] = type }
        return table
    }()
}
