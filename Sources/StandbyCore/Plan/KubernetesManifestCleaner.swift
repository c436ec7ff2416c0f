/// Removes from a Kubernetes object what the API server, its controllers or the kubelet set, so the
/// object can be applied to a new cluster. ``ServerSetFields`` lists the same family of fields for
/// the translator, which leaves them alone; this is where they go.
///
/// Every object:
/// - `status`;
/// - `metadata.uid`, `resourceVersion`, `generation`, `creationTimestamp`, `managedFields`,
///   `selfLink`, `deletionTimestamp`, `deletionGracePeriodSeconds`;
/// - `metadata.ownerReferences`: owners' uids are new in the recovery cluster, and a reference to
///   a uid that does not exist there makes the garbage collector delete the object. (Objects whose
///   owner is restored are not restored at all; see ``KubernetesRestoreFilter``.)
/// - the annotation `kubectl.kubernetes.io/last-applied-configuration`: it is the configuration
///   applied to the *source* cluster before translation (source ids, registries and names inside
///   one opaque string); `kubectl apply` writes a fresh one from the translated manifest;
/// - `creationTimestamp` in embedded object templates (pod, job and claim templates), where
///   `kubectl get` prints `null`.
///
/// By kind:
/// - Deployment: the annotation `deployment.kubernetes.io/revision` (the controller counts anew).
/// - Service: `spec.clusterIP` and `spec.clusterIPs` (allocated from the new cluster's range)
///   except `None`, which makes a Service headless and is kept. For `type: LoadBalancer`,
///   `spec.ports[].nodePort` and `spec.healthCheckNodePort`: they are allocated automatically
///   almost always, and a port taken in the new cluster would make the apply fail. For
///   `type: NodePort` the node ports are **kept**: nothing tells an allocated port from one the
///   owner chose, and clients outside the cluster may be configured with it.
/// - Pod: `spec.nodeName` (the source's nodes do not exist).
/// - ReplicaSet and Pod with owners (restored without them): the `pod-template-hash` label (in
///   `metadata.labels`, `spec.selector.matchLabels` and the template), which the Deployment
///   controller adds.
/// - Job without `spec.manualSelector: true`: `spec.selector` and the `controller-uid` /
///   `batch.kubernetes.io/controller-uid` labels, which name the source Job's uid; the API server
///   generates them again and rejects a Job that carries stale ones.
/// - PersistentVolume: `spec.claimRef.uid` and `resourceVersion` (the claim keeps its namespace
///   and name, so the restored claim binds to it) and the annotation
///   `pv.kubernetes.io/bound-by-controller`.
/// - PersistentVolumeClaim: `spec.volumeName` unless the volume it names is restored too (a
///   claim pre-bound to a missing volume stays Pending; without it, the storage class provisions
///   a new one); the annotations `pv.kubernetes.io/bind-completed`,
///   `pv.kubernetes.io/bound-by-controller` and `volume.kubernetes.io/selected-node` (a node of the
///   source cluster).
/// - ServiceAccount: entries of `secrets` that name service-account token Secrets, which are not
///   restored.
/// - Namespaced objects get `metadata.namespace` set, so that applying the file does not depend on
///   the current namespace of `kubectl`.
public enum KubernetesManifestCleaner {
    /// What the cleaner needs to know about the rest of the restore set.
    public struct Context: Sendable {
        /// The namespace the object goes to; `nil` for cluster-scoped objects.
        public var namespace: String?
        /// Names of the PersistentVolumes restored to the same cluster.
        public var restoredVolumes: Set<String>
        /// Names of service-account token Secrets of the object's namespace (not restored).
        public var tokenSecrets: Set<String>

        public init(namespace: String?, restoredVolumes: Set<String> = [], tokenSecrets: Set<String> = []) {
            self.namespace = namespace; self.restoredVolumes = restoredVolumes; self.tokenSecrets = tokenSecrets
        }
    }

    static let metadataFields = ["uid", "resourceVersion", "generation", "creationTimestamp", "managedFields", "selfLink",
                                 "deletionTimestamp", "deletionGracePeriodSeconds", "ownerReferences"]
    static let lastApplied = "kubectl.kubernetes.io/last-applied-configuration"
    static let jobUIDLabels = ["controller-uid", "batch.kubernetes.io/controller-uid"]

    /// `document` (an object of `group` and `kind`) without its server-set fields.
    public static func clean(_ document: JSONValue, group: String, kind: String, context: Context) -> JSONValue {
        guard case .object = document else { return document }
        var doc = document
        let group = group == "core" ? "" : group
        let wasOwned = !(doc["metadata"]?["ownerReferences"]?.arrayValue ?? []).isEmpty

        doc.set([.key("status")], nil)
        for f in metadataFields { doc.set([.key("metadata"), .key(f)], nil) }
        removeAnnotation(&doc, [], lastApplied)
        if let ns = context.namespace, doc["metadata"]?["namespace"]?.stringValue != ns {
            if doc["metadata"] == nil || doc["metadata"]?.objectValue != nil {
                doc.set([.key("metadata"), .key("namespace")], .string(ns))
            }
        }
        for template in templatePaths(kind: kind, in: doc) {
            doc.set(template + [.key("creationTimestamp")], nil)
        }

        switch (group, kind) {
        case ("apps", "Deployment"), ("extensions", "Deployment"):
            removeAnnotation(&doc, [], "deployment.kubernetes.io/revision")
        case ("apps", "StatefulSet"):
            if let claims = doc["spec"]?["volumeClaimTemplates"]?.arrayValue {
                for i in claims.indices { doc.set([.key("spec"), .key("volumeClaimTemplates"), .index(i), .key("status")], nil) }
            }
        case ("", "Service"):
            cleanService(&doc)
        case ("", "Pod"):
            doc.set([.key("spec"), .key("nodeName")], nil)
            if wasOwned { removeLabel(&doc, [.key("metadata"), .key("labels")], "pod-template-hash") }
        case ("apps", "ReplicaSet"), ("extensions", "ReplicaSet"):
            if wasOwned {
                for path in [[JSONPathComponent.key("metadata"), .key("labels")],
                             [.key("spec"), .key("selector"), .key("matchLabels")],
                             [.key("spec"), .key("template"), .key("metadata"), .key("labels")]] {
                    removeLabel(&doc, path, "pod-template-hash")
                }
            }
        case ("batch", "Job"):
            if doc["spec"]?["manualSelector"]?.boolValue != true {
                doc.set([.key("spec"), .key("selector")], nil)
                for label in jobUIDLabels {
                    removeLabel(&doc, [.key("metadata"), .key("labels")], label)
                    removeLabel(&doc, [.key("spec"), .key("template"), .key("metadata"), .key("labels")], label)
                }
            }
        case ("", "PersistentVolume"):
            doc.set([.key("spec"), .key("claimRef"), .key("uid")], nil)
            doc.set([.key("spec"), .key("claimRef"), .key("resourceVersion")], nil)
            removeAnnotation(&doc, [], "pv.kubernetes.io/bound-by-controller")
        case ("", "PersistentVolumeClaim"):
            if let volume = doc["spec"]?["volumeName"]?.stringValue, !context.restoredVolumes.contains(volume) {
                doc.set([.key("spec"), .key("volumeName")], nil)
            }
            for a in ["pv.kubernetes.io/bind-completed", "pv.kubernetes.io/bound-by-controller", "volume.kubernetes.io/selected-node"] {
                removeAnnotation(&doc, [], a)
            }
        case ("", "ServiceAccount"):
            if case .array(let secrets)? = doc["secrets"], !context.tokenSecrets.isEmpty {
                let kept = secrets.filter { s in
                    guard let name = s["name"]?.stringValue else { return true }
                    return !context.tokenSecrets.contains(name)
                }
                if kept.count != secrets.count { doc.set([.key("secrets")], kept.isEmpty ? nil : .array(kept)) }
            }
        default:
            break
        }
        return doc
    }

    private static func cleanService(_ doc: inout JSONValue) {
        let spec: [JSONPathComponent] = [.key("spec")]
        let headless = doc["spec"]?["clusterIP"]?.stringValue == "None"
        if !headless {
            doc.set(spec + [.key("clusterIP")], nil)
            doc.set(spec + [.key("clusterIPs")], nil)
        }
        if doc["spec"]?["type"]?.stringValue == "LoadBalancer" {
            doc.set(spec + [.key("healthCheckNodePort")], nil)
            if let ports = doc["spec"]?["ports"]?.arrayValue {
                for i in ports.indices { doc.set(spec + [.key("ports"), .index(i), .key("nodePort")], nil) }
            }
        }
    }

    /// The `metadata` of the object templates embedded in a `kind` document.
    private static func templatePaths(kind: String, in doc: JSONValue) -> [[JSONPathComponent]] {
        var out: [[JSONPathComponent]] = [
            [.key("spec"), .key("template"), .key("metadata")],
            [.key("spec"), .key("jobTemplate"), .key("metadata")],
            [.key("spec"), .key("jobTemplate"), .key("spec"), .key("template"), .key("metadata")],
        ]
        if let claims = doc["spec"]?["volumeClaimTemplates"]?.arrayValue {
            for i in claims.indices { out.append([.key("spec"), .key("volumeClaimTemplates"), .index(i), .key("metadata")]) }
        }
        return out.filter { doc[path: $0]?.objectValue != nil }
    }

    /// Removes one annotation of the object at `object`; drops `annotations` when it becomes empty.
    private static func removeAnnotation(_ doc: inout JSONValue, _ object: [JSONPathComponent], _ key: String) {
        removeLabel(&doc, object + [.key("metadata"), .key("annotations")], key)
    }

    /// Removes `key` from the string map at `path`; drops the map when it becomes empty.
    private static func removeLabel(_ doc: inout JSONValue, _ path: [JSONPathComponent], _ key: String) {
        guard case .object(var map)? = doc[path: path], map[key] != nil else { return }
        map[key] = nil
        doc.set(path, map.isEmpty ? nil : .object(map))
    }
}
