import Foundation

/// Applies a ``KubernetesRestoreSet`` to a live cluster by server-side apply, ordered by what each
/// object depends on, several requests in flight, waiting for readiness where it matters.
///
/// 1. **Before the first write**, the recovery cluster's discovery is read (`/api`, `/apis`, and
///    the resource lists of the group versions the set uses). An object whose `apiVersion` the
///    cluster does not serve is converted when the conversion is known and lossless
///    (``KubeVersionConversion``: Ingress `extensions/v1beta1` → `networking.k8s.io/v1` …) and
///    otherwise `failed` as needing a person; nothing is sent for it. An object still holding
///    sealed values, or without apiVersion, kind or name, fails here too. A namespaced object
///    without `metadata.namespace` goes to the context's namespace, else `default`.
/// 2. **Order** is the ``RestoreGraph``: an object is applied once what it needs was applied (its
///    Namespace, ConfigMaps, Secrets, ServiceAccount, claims …) or is ready (a custom resource's
///    CRD Established, a webhook configuration's Service with ready endpoints); webhook
///    configurations and APIServices come after everything else. Independent objects are applied
///    concurrently, ``width`` requests in flight at most.
/// 3. **Apply** is `PATCH <object path>?fieldManager=<ours>&force=true` with `Content-Type:
///    application/apply-patch+yaml` and the manifest as JSON (which is YAML). Under
///    ``ExistingPolicy/update`` that is the only request (201 `created`, 200 `updated`); under
///    ``ExistingPolicy/skip`` the object is read first and left alone when it exists (`skipped`,
///    "exists").
/// 4. **Readiness** (``KubeReadiness``) is polled every ``pollInterval`` seconds for CRDs,
///    Deployments, StatefulSets, DaemonSets and PersistentVolumeClaims, and for a Service that a
///    webhook configuration or APIService awaits, for at most ``timeouts`` seconds per kind. An
///    object not ready in time is `failed` ("created; not ready within …"). Objects that need it
///    only to exist do not wait for it (a claim of a `WaitForFirstConsumer` class binds only once
///    its workload's pod is scheduled).
/// 5. **Hooks** (``RestoreHook``) run when a matching object this restore created or updated is
///    ready.
///
/// A failure (an API error: 409 Conflict, 422 Invalid, 403 Forbidden … with the `Status` reason
/// and message; a readiness timeout) fails that object, and **blocks** only what depends on it:
/// each blocked record names what blocked it. Nothing throws. Records are in the set's order; the
/// report's ``ApplyTiming`` has the cluster's start, applied, ready and end times.
public struct KubernetesRestore {
    public var connection: KubeConnection
    public var policy: ExistingPolicy
    /// The field manager our applies own fields as.
    public var fieldManager: String
    /// Seconds to wait for each kind to become ready.
    public var timeouts: ReadinessTimeouts
    /// Seconds between two readiness reads of one object.
    public var pollInterval: Double
    /// Requests in flight at most.
    public var width: Int
    /// Run when matching objects are ready.
    public var hooks: [RestoreHook]
    /// Why the EBS volume of a PersistentVolume (`cluster/name`) was not created, when its
    /// CreateVolume step failed: the PersistentVolume still holding its placeholder is not sent,
    /// and its record says this (``PendingVolumeFill``).
    public var pendingVolumes: [String: String] = [:]

    public init(connection: KubeConnection, policy: ExistingPolicy = .skip, fieldManager: String = "standby",
                crdTimeout: Double? = nil, timeouts: ReadinessTimeouts = ReadinessTimeouts(), pollInterval: Double = 1,
                width: Int = 16, hooks: [RestoreHook] = []) {
        self.connection = connection; self.policy = policy; self.fieldManager = fieldManager
        var timeouts = timeouts
        if let crdTimeout { timeouts.seconds["CustomResourceDefinition"] = crdTimeout }
        self.timeouts = timeouts; self.pollInterval = pollInterval; self.width = max(1, width); self.hooks = hooks
    }

    static let crdGroup = "apiextensions.k8s.io"

    /// Applies every manifest of `set`; one record per manifest, in the set's order.
    public func apply(_ set: KubernetesRestoreSet, progress: any ProgressReporter) -> ApplyReport {
        var run = RestoreRun(restore: self, set: set, progress: progress)
        return run.run()
    }

    /// The path of the first value still sealed in `document` (a recovery point's
    /// `{"$standby.encrypted": …}` placeholder, left by opening the point without its key), or nil.
    /// Such an object is never applied: the cluster would get the placeholder as its value.
    static func sealedPath(in document: JSONValue, at path: String = "") -> String? {
        switch document {
        case .object(let o):
            if o[PointFormat.encryptedKey] != nil { return path.isEmpty ? "the object" : path }
            for (key, value) in o.pairs {
                if let found = sealedPath(in: value, at: path.isEmpty ? key : path + "." + key) { return found }
            }
        case .array(let items):
            for (n, item) in items.enumerated() {
                if let found = sealedPath(in: item, at: "\(path)[\(n)]") { return found }
            }
        case .string(let text):
            // An encrypted label or annotation read without the key is the placeholder's JSON text.
            if text.hasPrefix("{\"\(PointFormat.encryptedKey)\"") { return path }
        default: break
        }
        return nil
    }

    /// The group and kind of the custom resources a CRD serves.
    static func servedGroupKind(ofCRD crd: JSONValue) -> KubeScope.GroupKind? {
        guard let group = crd["spec"]?["group"]?.stringValue, let kind = crd["spec"]?["names"]?["kind"]?.stringValue else { return nil }
        return KubeScope.GroupKind(group: group, kind: kind)
    }

    static func seconds(_ value: Double) -> String {
        value == value.rounded() ? "\(Int(value)) s" : "\(value) s"
    }
}
