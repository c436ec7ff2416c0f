/// The api-version the connector sends for each request: the template builder's table
/// (``ARMResourceForm/apiVersion(_:)``) for resources, so that what Standby reads and what it
/// deploys use the same versions, and fixed versions for the `Microsoft.Resources` calls.
public enum ARMAPIVersions {
    /// Resource groups, and the resources of a resource group.
    public static let resources = "2021-04-01"
    /// Subscription deployments and their operations.
    public static let deployments = "2022-09-01"

    /// The api-version for a resource type (any case), or nil when Standby knows none.
    public static func forType(_ type: String) -> String? {
        switch type.lowercased() {
        case "microsoft.resources/resourcegroups", "microsoft.resources/subscriptions": resources
        case "microsoft.resources/deployments": deployments
        default: ARMResourceForm.apiVersion(type)
        }
    }

    /// The api-version for the resource `id` names.
    public static func forID(_ id: ARMResourceID) -> String? { forType(id.resourceType) }
}
