/// The Azure resources that say who may reach an AKS cluster and what runs in it beside its
/// Kubernetes objects: role assignments scoped to the cluster or its resource group (who may use
/// `kubectl` with Azure RBAC, who administers the cluster), cluster extensions
/// (`Microsoft.KubernetesConfiguration/extensions`: Flux, Dapr, Backup…) and maintenance
/// configurations (`managedClusters/maintenanceConfigurations`, child resources of the cluster).
public enum AzureAccessTypes {
    public static let roleAssignment = "Microsoft.Authorization/roleAssignments"
    public static let extensionType = "Microsoft.KubernetesConfiguration/extensions"
    public static let maintenanceConfiguration = "Microsoft.ContainerService/managedClusters/maintenanceConfigurations"

    /// Lower-cased types attached to a scope rather than contained in a parent.
    static let scoped: Set<String> = [roleAssignment.lowercased(), extensionType.lowercased()]

    /// The id of the scope a role assignment or extension is attached to: its `properties.scope`
    /// when that is an ARM id, else the part of its id before its own `providers/` section.
    public static func scope(of r: Resource) -> String? {
        if let s = r.document["properties"]?["scope"]?.stringValue, let id = ARMResourceID(s) { return id.description }
        return r.armID?.scope?.description
    }

    /// The built-in roles the cluster's access is usually granted with, by role definition GUID
    /// (lower-cased), for reports; others are shown by their id.
    public static let builtInRoles: [String: String] = [
        "b1ff04bb-8a4e-4dc4-8eb5-8693973ce19b": "Azure Kubernetes Service RBAC Cluster Admin",
        "3498e952-d568-435e-9b2c-8d77e338d7f7": "Azure Kubernetes Service RBAC Admin",
        "a7ffa36f-339b-4b5c-8bdf-e2c188b2c0eb": "Azure Kubernetes Service RBAC Writer",
        "7f6c6a51-bcf8-42ba-9220-52d62157d7db": "Azure Kubernetes Service RBAC Reader",
        "0ab0b1a8-8aac-4efd-b8c2-3ee1fb270be8": "Azure Kubernetes Service Cluster Admin Role",
        "4abbcc35-e782-43d8-92c5-2d3f1bd2253f": "Azure Kubernetes Service Cluster User Role",
        "ed7f3fbd-7b88-4dd4-9017-9adb7ce333f8": "Azure Kubernetes Service Contributor Role",
        "b24988ac-6180-42a0-ab88-20f7382dd24c": "Contributor",
        "8e3af657-a8ff-443c-a75c-2fe8c4bcb635": "Owner",
        "acdd72a7-3385-48ef-bd42-f606fba81ae7": "Reader",
        "4d97b98b-1d4f-4787-a291-c67834d212e7": "Network Contributor",
        "7f951dda-4ed3-4680-a7ca-43fe172d538d": "AcrPull",
    ]

    /// A role definition id's display: the built-in role's name, else the GUID.
    public static func roleName(_ roleDefinitionID: String) -> String {
        let guid = roleDefinitionID.split(separator: "/").last.map { String($0).lowercased() } ?? roleDefinitionID
        return builtInRoles[guid] ?? guid
    }
}
