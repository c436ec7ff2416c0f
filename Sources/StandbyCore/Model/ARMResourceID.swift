/// An Azure Resource Manager resource ID, parsed and normalised the way ARM itself treats IDs.
///
/// Accepted shapes:
/// - `/subscriptions/{sub}` — a subscription
/// - `/subscriptions/{sub}/resourceGroups/{rg}` — a resource group
/// - `/subscriptions/{sub}/resourceGroups/{rg}/providers/{ns}/{type}/{name}[/{childType}/{childName}…]`
/// - `/subscriptions/{sub}/providers/{ns}/{type}/{name}…` — subscription-level resources
/// - `/providers/{ns}/{type}/{name}…` — tenant-level resources (management groups …)
/// - `{any of the above}/providers/{ns}/{type}/{name}…` — extension resources such as
///   `…/providers/Microsoft.Authorization/roleAssignments/{id}`
///
/// The keywords `subscriptions`, `resourceGroups` and `providers` are written in their canonical
/// case whatever the input used (fixtures often have `resourcegroups`); every other segment is
/// kept as given. Equality and hashing ignore case, as ARM does: compare ``key``.
///
/// Parsing is lenient about odd shapes found in the wild (for example
/// `/subscriptions/x/providers/Microsoft.Network/resourceGroup/rg1/ipGroups/g1`, which parses as
/// type `Microsoft.Network/resourceGroup/ipGroups`), and returns `nil` only for text that is not
/// an ARM ID at all: no leading `/`, empty segments, a resource type with no name.
public struct ARMResourceID: Sendable, Hashable, CustomStringConvertible, Comparable {
    /// The path segments with keywords in canonical case.
    public let segments: [String]
    /// Lower-cased ``description``: the identity used for equality, hashing and lookups.
    public let key: String
    /// The subscription ID, if the ID is within a subscription.
    public let subscription: String?
    /// The resource group name, if the ID is within a resource group.
    public let resourceGroup: String?
    /// The provider namespace of the resource itself (the last `providers/` section).
    public let providerNamespace: String?
    /// The resource type segments after the namespace: `["managedClusters", "agentPools"]`.
    public let typeSegments: [String]
    /// The names matching ``typeSegments``: `["aks1", "nodepool1"]`.
    public let nameSegments: [String]
    /// Index in ``segments`` of the last `providers` keyword (nil for subscriptions and groups).
    private let providersIndex: Int?

    /// Parses an ARM resource ID; `nil` if `text` is not one.
    public init?(_ text: String) {
        guard text.hasPrefix("/") else { return nil }
        var raw = text.split(separator: "/", omittingEmptySubsequences: false).dropFirst().map(String.init)
        if raw.last == "" { raw.removeLast() }
        guard !raw.isEmpty, !raw.contains("") else { return nil }

        var segments: [String] = []
        segments.reserveCapacity(raw.count)
        var subscription: String?
        var resourceGroup: String?
        var namespace: String?
        var types: [String] = []
        var names: [String] = []
        var providersIndex: Int?
        var i = 0
        if Self.isKeyword(raw[0], "subscriptions") {
            guard raw.count >= 2 else { return nil }
            subscription = raw[1]
            segments += ["subscriptions", raw[1]]
            i = 2
            if i < raw.count, Self.isKeyword(raw[i], "resourceGroups") {
                guard i + 1 < raw.count else { return nil }
                resourceGroup = raw[i + 1]
                segments += ["resourceGroups", raw[i + 1]]
                i += 2
            }
        }
        while i < raw.count {
            guard Self.isKeyword(raw[i], "providers"), i + 1 < raw.count else { return nil }
            providersIndex = segments.count
            segments += ["providers", raw[i + 1]]
            namespace = raw[i + 1]
            types = []
            names = []
            i += 2
            while i < raw.count, !Self.isKeyword(raw[i], "providers") {
                guard i + 1 < raw.count else { return nil }
                types.append(raw[i])
                names.append(raw[i + 1])
                segments += [raw[i], raw[i + 1]]
                i += 2
            }
            // A namespace with no type ("/providers/Microsoft.Network") names a provider, not a resource.
            guard !types.isEmpty else { return nil }
        }
        guard subscription != nil || namespace != nil else { return nil }
        self.init(segments: segments, subscription: subscription, resourceGroup: resourceGroup,
                  providerNamespace: namespace, typeSegments: types, nameSegments: names,
                  providersIndex: providersIndex)
    }

    private init(segments: [String], subscription: String?, resourceGroup: String?, providerNamespace: String?,
                 typeSegments: [String], nameSegments: [String], providersIndex: Int?) {
        self.segments = segments
        self.subscription = subscription
        self.resourceGroup = resourceGroup
        self.providerNamespace = providerNamespace
        self.typeSegments = typeSegments
        self.nameSegments = nameSegments
        self.providersIndex = providersIndex
        self.key = Self.format(segments).lowercased()
    }

    private static func isKeyword(_ segment: String, _ keyword: String) -> Bool {
        segment.utf8.count == keyword.utf8.count && segment.lowercased() == keyword.lowercased()
    }

    static func format(_ segments: [String]) -> String {
        var s = ""
        for segment in segments { s += "/"; s += segment }
        return s
    }

    /// The ID with canonical keywords: `/subscriptions/…/resourceGroups/…/providers/…`.
    public var description: String { Self.format(segments) }

    /// True for `/subscriptions/{sub}`.
    public var isSubscription: Bool { providerNamespace == nil && resourceGroup == nil }
    /// True for `/subscriptions/{sub}/resourceGroups/{rg}`.
    public var isResourceGroup: Bool { providerNamespace == nil && resourceGroup != nil }
    /// True when this resource is attached to another resource (`{resource}/providers/…`).
    public var isExtension: Bool {
        guard let p = providersIndex else { return false }
        return segments[..<p].contains("providers")
    }

    /// The full resource type: `Microsoft.ContainerService/managedClusters/agentPools`;
    /// `Microsoft.Resources/subscriptions` and `Microsoft.Resources/resourceGroups` for those.
    public var resourceType: String {
        guard let ns = providerNamespace else {
            return isSubscription ? "Microsoft.Resources/subscriptions" : "Microsoft.Resources/resourceGroups"
        }
        return ([ns] + typeSegments).joined(separator: "/")
    }

    /// The resource's own name (the last segment).
    public var name: String { segments[segments.count - 1] }

    /// The ID this resource lives in: for a child type its parent resource (agent pool → cluster),
    /// for a top-level resource its scope (resource group, subscription, or the resource an
    /// extension resource is attached to), for a resource group its subscription; `nil` for a
    /// subscription or a tenant-level resource.
    public var parent: ARMResourceID? {
        if let p = providersIndex {
            if typeSegments.count > 1 {
                return ARMResourceID(Self.format(Array(segments.dropLast(2))))
            }
            return p == 0 ? nil : ARMResourceID(Self.format(Array(segments[..<p])))
        }
        if isResourceGroup { return ARMResourceID(Self.format(Array(segments.prefix(2)))) }
        return nil
    }

    /// The resource's scope: the part before its `providers/` section (the resource group,
    /// subscription, or extended resource), or `nil` at tenant level or for groups/subscriptions.
    public var scope: ARMResourceID? {
        guard let p = providersIndex, p > 0 else { return nil }
        return ARMResourceID(Self.format(Array(segments[..<p])))
    }

    /// A child of this ID.
    ///
    /// - `type` is either a child type segment (`"agentPools"`) or a full type
    ///   (`"Microsoft.ContainerService/managedClusters/agentPools"`, which must extend this resource's
    ///   type by one segment). From a subscription or resource group, pass a full type with one
    ///   type segment (`"Microsoft.Network/virtualNetworks"`). A full type from another provider
    ///   namespace makes an extension resource (`…/providers/Microsoft.Authorization/roleAssignments/x`).
    /// - Returns: `nil` if the type does not fit this ID or `name` is empty or contains `/`.
    public func child(type: String, name: String) -> ARMResourceID? {
        guard !name.isEmpty, !name.contains("/"), !type.isEmpty else { return nil }
        let parts = type.split(separator: "/").map(String.init)
        guard !parts.isEmpty, !parts.contains("") else { return nil }
        if parts.count == 1 {
            guard providerNamespace != nil else { return nil }
            return ARMResourceID(description + "/\(parts[0])/\(name)")
        }
        let ownType = resourceType.split(separator: "/").map { $0.lowercased() }
        if providerNamespace != nil, parts.count == ownType.count + 1,
           zip(parts, ownType).allSatisfy({ $0.0.lowercased() == $0.1 }) {
            return ARMResourceID(description + "/\(parts[parts.count - 1])/\(name)")
        }
        guard parts.count == 2 else { return nil }
        return ARMResourceID(description + "/providers/\(parts[0])/\(parts[1])/\(name)")
    }

    /// True when ``parent`` is `other` (compared case-insensitively).
    public func isChild(of other: ARMResourceID) -> Bool { parent == other }

    /// True when this ID lies anywhere beneath `other` (a resource in a group, a child of a child…).
    public func isDescendant(of other: ARMResourceID) -> Bool {
        key.count > other.key.count && key.hasPrefix(other.key + "/")
    }

    public static func == (a: ARMResourceID, b: ARMResourceID) -> Bool { a.key == b.key }
    public func hash(into hasher: inout Hasher) { hasher.combine(key) }
    public static func < (a: ARMResourceID, b: ARMResourceID) -> Bool { a.key < b.key }
}
