/// The identity of one Kubernetes object in one cluster.
///
/// The canonical ``id`` is `k8s://{cluster}/{group or "core"}/{Kind}/{namespace}/{name}`, without
/// the namespace segment for cluster-scoped objects:
/// `k8s://aks-prod/apps/Deployment/payments/api`, `k8s://aks-prod/rbac.authorization.k8s.io/ClusterRole/admin`.
/// The version is not part of the identity (the API server serves one object at every version of
/// its group), so equality and hashing compare ``id`` only.
public struct KubeRef: Sendable, Hashable, CustomStringConvertible, Comparable {
    /// The cluster the object lives in.
    public var cluster: String
    /// The API group; `""` for the core group.
    public var group: String
    /// The API version within the group (`v1`); `nil` when unknown (parsed from an ``id``).
    public var version: String?
    /// `Deployment`, `ConfigMap`, …
    public var kind: String
    /// `nil` for cluster-scoped objects.
    public var namespace: String?
    public var name: String

    public init(cluster: String, group: String, version: String?, kind: String, namespace: String?, name: String) {
        self.cluster = cluster
        self.group = group == "core" ? "" : group
        self.version = version
        self.kind = kind
        self.namespace = namespace
        self.name = name
    }

    /// Builds a reference from an `apiVersion` (`apps/v1`, `v1`).
    public init(cluster: String, apiVersion: String, kind: String, namespace: String?, name: String) {
        let (group, version) = Self.split(apiVersion: apiVersion)
        self.init(cluster: cluster, group: group, version: version, kind: kind, namespace: namespace, name: name)
    }

    /// Parses a canonical `k8s://` id; `nil` if `id` is not one. The version is unknown (`nil`).
    public init?(id: String) {
        guard id.hasPrefix("k8s://") else { return nil }
        let parts = id.dropFirst(6).split(separator: "/", omittingEmptySubsequences: false).map(String.init)
        guard parts.count == 4 || parts.count == 5, !parts.contains("") else { return nil }
        self.init(cluster: parts[0], group: parts[1], version: nil, kind: parts[2],
                  namespace: parts.count == 5 ? parts[3] : nil, name: parts[parts.count - 1])
    }

    /// Splits `apps/v1` into (`apps`, `v1`) and `v1` into (`""`, `v1`).
    public static func split(apiVersion: String) -> (group: String, version: String) {
        guard let slash = apiVersion.lastIndex(of: "/") else { return ("", apiVersion) }
        return (String(apiVersion[..<slash]), String(apiVersion[apiVersion.index(after: slash)...]))
    }

    /// `apps/v1`, or `v1` for the core group; `nil` when the version is unknown.
    public var apiVersion: String? {
        guard let version else { return nil }
        return group.isEmpty ? version : "\(group)/\(version)"
    }

    /// The canonical id (see the type's documentation).
    public var id: String {
        let g = group.isEmpty ? "core" : group
        if let namespace { return "k8s://\(cluster)/\(g)/\(kind)/\(namespace)/\(name)" }
        return "k8s://\(cluster)/\(g)/\(kind)/\(name)"
    }

    /// `Deployment payments/api`, or `ClusterRole admin` when cluster-scoped.
    public var display: String {
        if let namespace { return "\(kind) \(namespace)/\(name)" }
        return "\(kind) \(name)"
    }

    public var description: String { id }

    public static func == (a: KubeRef, b: KubeRef) -> Bool { a.id == b.id }
    public func hash(into hasher: inout Hasher) { hasher.combine(id) }
    public static func < (a: KubeRef, b: KubeRef) -> Bool { a.id < b.id }
}
