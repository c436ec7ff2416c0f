/// What a reference found in a resource's document points at, before the walker resolves it
/// against the inventory.
public enum ReferenceTarget: Sendable, Hashable {
    /// A cloud identifier: an ARM resource ID, an ARN, or any alias the inventory resolves
    /// (`subnet-…`, `sg-…`, `fs-…`, a name). Resolved with `Inventory.get`.
    case id(String)
    /// A Kubernetes object, by kind, namespace and name.
    case kube(KubeTarget)
    /// Something the extractor knows it could not resolve (a Key Vault secret URL whose vault is
    /// not in the inventory, a `${placeholder}`…). Always reported as dangling, with this text.
    case unresolved(String)

    /// The target as it reads in a dangling-reference report.
    public var text: String {
        switch self {
        case .id(let s), .unresolved(let s): return s
        case .kube(let k): return k.display
        }
    }
}

/// A Kubernetes object named by a reference.
///
/// The cluster defaults to the cluster of the referring resource; `group` nil matches any API group
/// (`Deployment` in `apps` or the legacy `extensions`); `namespace` nil means a cluster-scoped object.
public struct KubeTarget: Sendable, Hashable {
    public var cluster: String?
    public var group: String?
    public var kind: String
    public var namespace: String?
    public var name: String

    public init(kind: String, namespace: String?, name: String, group: String? = nil, cluster: String? = nil) {
        self.kind = kind; self.namespace = namespace; self.name = name; self.group = group; self.cluster = cluster
    }

    /// `ConfigMap payments/api-config`, or `ClusterRole view` when cluster-scoped.
    public var display: String {
        if let ns = namespace { return "\(kind) \(ns)/\(name)" }
        return "\(kind) \(name)"
    }
}

/// One reference found by an extractor: where it was found, what it means, and where it points.
public struct Reference: Sendable, Hashable {
    /// Human name of the relation, shown in `why` chains: `envFrom`, `agent pool`, `node subnet`.
    public var relation: String
    /// Where in the referring resource's document the reference was read (dotted JSON path), or a
    /// short description when it is implied (`metadata.name` for name conventions, `(parent id)`).
    public var path: String
    public var target: ReferenceTarget
    /// The cloud type or Kubernetes kind the target is expected to be (informative).
    public var expectedType: String?
    /// An optional reference is followed when it resolves and silently skipped when it does not.
    /// Used only for references Standby infers rather than reads: the implicit `default`
    /// ServiceAccount, StatefulSet claim names, the object's Namespace.
    public var isOptional: Bool
    /// A target the walker follows only when its namespace is selected as a whole (or the target
    /// itself is selected); otherwise it is reported as an external reference
    /// (``DanglingReference/reason``) and not pulled in. Used for (Cluster)RoleBinding
    /// ServiceAccount subjects: a ServiceAccount restored without its namespace has nowhere to go.
    public var needsSelectedNamespace: Bool

    public init(relation: String, path: String, target: ReferenceTarget, expectedType: String? = nil,
                isOptional: Bool = false, needsSelectedNamespace: Bool = false) {
        self.relation = relation; self.path = path; self.target = target
        self.expectedType = expectedType; self.isOptional = isOptional
        self.needsSelectedNamespace = needsSelectedNamespace
    }
}

/// A reference that points at nothing in the inventory, or (with a ``reason``) at something the
/// walker deliberately left out of the selection: an external reference.
public struct DanglingReference: Sendable, Hashable, CustomStringConvertible {
    /// Canonical id of the resource whose document holds the reference.
    public var from: String
    /// Dotted JSON path in that document.
    public var path: String
    public var relation: String
    /// The unresolved target as written (ID, ARN, alias, or `Kind namespace/name`).
    public var target: String
    public var expectedType: String?
    /// Why an existing target was not pulled in (an external reference); nil when the target is not
    /// in the inventory at all.
    public var reason: String?

    public init(from: String, path: String, relation: String, target: String, expectedType: String? = nil,
                reason: String? = nil) {
        self.from = from; self.path = path; self.relation = relation; self.target = target
        self.expectedType = expectedType; self.reason = reason
    }

    public var description: String { "\(from) \(path) (\(relation)) → \(target): \(reason ?? "not in the inventory")" }
}

/// One step of a `why` chain: `from` pulled in `to` through `relation`, read at `path`.
public struct WhyStep: Sendable, Hashable {
    public var from: String
    public var relation: String
    public var to: String
    public var path: String

    public init(from: String, relation: String, to: String, path: String) {
        self.from = from; self.relation = relation; self.to = to; self.path = path
    }
}
