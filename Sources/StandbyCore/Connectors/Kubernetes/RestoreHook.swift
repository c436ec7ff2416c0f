/// A function a runbook runs when a restored object it matches is ready (re-seed a cache, flip a
/// feature-flag ConfigMap), with the Kubernetes connector's verbs (``KubeVerbs``) on the recovery
/// cluster.
///
/// A hook runs on the thread that called ``KubernetesRestore/apply(_:progress:)`` (a Lua hook on
/// its runtime's thread), once per matching object this restore created or updated (not one it
/// skipped as existing), after the object is ready (for a kind without readiness, once applied).
/// Requests already in flight go on meanwhile. What it returns is a ``HookRecord``, never a crash.
public struct RestoreHook {
    /// How the hook reads in records (`after[1]`).
    public var name: String
    /// Matches objects of this kind only (`Deployment`); nil: any.
    public var kind: String?
    /// … in this namespace only; nil: any.
    public var namespace: String?
    /// … carrying all these labels.
    public var labels: [String: String]
    /// Called with the object as the server has it; returns nil when it ran through, else the error.
    public var run: (HookEvent) -> String?

    public init(name: String, kind: String? = nil, namespace: String? = nil, labels: [String: String] = [:],
                run: @escaping (HookEvent) -> String?) {
        self.name = name; self.kind = kind; self.namespace = namespace; self.labels = labels; self.run = run
    }

    /// Whether the hook is for `document`.
    public func matches(_ document: JSONValue) -> Bool {
        if let kind, document["kind"]?.stringValue != kind { return false }
        if let namespace, document["metadata"]?["namespace"]?.stringValue != namespace { return false }
        let present = document["metadata"]?["labels"]
        return labels.allSatisfy { present?[$0.key]?.stringValue == $0.value }
    }
}

/// What a hook is called with.
public struct HookEvent {
    /// The recovery cluster.
    public var cluster: String
    /// The object as the server answered its last read (readiness) or its apply.
    public var object: JSONValue
    /// Reading and applying objects on the recovery cluster.
    public var kube: KubeVerbs
}
