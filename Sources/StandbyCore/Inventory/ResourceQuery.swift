/// A filter over an ``Inventory``: every field that is set must match (they are ANDed).
///
/// - `type`: cloud type, case-insensitive (`microsoft.network/virtualnetworks` matches).
/// - `kind`: Kubernetes kind, case-insensitive (`deployment` matches `Deployment`).
/// - `namespace`, `cluster`, `name`: exact.
/// - `label`: `"key=value"` or just `"key"` (the label is present), on Kubernetes labels.
/// - `tag`: the same, on ARM/AWS tags.
public struct ResourceQuery: Sendable, Hashable {
    public var type: String?
    public var kind: String?
    public var namespace: String?
    public var label: String?
    public var tag: String?
    public var cluster: String?
    public var name: String?

    public init(type: String? = nil, kind: String? = nil, namespace: String? = nil, label: String? = nil,
                tag: String? = nil, cluster: String? = nil, name: String? = nil) {
        self.type = type
        self.kind = kind
        self.namespace = namespace
        self.label = label
        self.tag = tag
        self.cluster = cluster
        self.name = name
    }

    /// True when no field is set (the query matches everything).
    public var isEmpty: Bool {
        type == nil && kind == nil && namespace == nil && label == nil && tag == nil && cluster == nil && name == nil
    }

    /// Whether `resource` satisfies every set field.
    public func matches(_ resource: Resource) -> Bool {
        if let type, resource.type?.lowercased() != type.lowercased() { return false }
        if let kind, resource.kind?.lowercased() != kind.lowercased() { return false }
        if let namespace, resource.namespace != namespace { return false }
        if let cluster, resource.cluster != cluster { return false }
        if let name, resource.name != name { return false }
        if let label, !Self.matches(label, in: resource.labels) { return false }
        if let tag, !Self.matches(tag, in: resource.tags) { return false }
        return true
    }

    /// Splits `key=value` into its parts; a bare `key` has no value.
    public static func splitSelector(_ selector: String) -> (key: String, value: String?) {
        guard let eq = selector.firstIndex(of: "=") else { return (selector, nil) }
        return (String(selector[..<eq]), String(selector[selector.index(after: eq)...]))
    }

    private static func matches(_ selector: String, in map: [String: String]) -> Bool {
        let (key, value) = splitSelector(selector)
        guard let actual = map[key] else { return false }
        return value == nil || actual == value
    }
}
