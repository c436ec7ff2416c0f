/// Decides which captured Kubernetes objects are not applied to the recovery cluster, and why.
///
/// Left out, in this order of precedence:
///
/// | Objects | Reason |
/// |---|---|
/// | documents that are not objects | nothing to apply |
/// | Events (core and `events.k8s.io`) | history, not state |
/// | Endpoints of a Service that has a selector; EndpointSlices labelled `endpointslice.kubernetes.io/managed-by` one of the two endpoint controllers | the controllers derive them from the Services (manual Endpoints of selector-less Services, and slices nobody manages, are restored) |
/// | Nodes, Leases, CSINodes, VolumeAttachments, ComponentStatuses, CertificateSigningRequests | runtime state the new cluster makes for itself |
/// | Namespaces `default`, `kube-system`, `kube-public`, `kube-node-lease` | exist in every cluster |
/// | ConfigMaps `kube-root-ca.crt` (every namespace), `extension-apiserver-authentication` and `kube-apiserver-legacy-service-account-token-tracking` (kube-system) | created by the API server and its controllers |
/// | Secrets of `type: kubernetes.io/service-account-token` | the new API server issues its own tokens |
/// | the `default` ServiceAccount of a namespace, unless it carries labels, annotations, `imagePullSecrets` or `automountServiceAccountToken` | the API server creates it in every namespace; a customised one is restored (applying it updates the one the API server made) |
/// | mirror pods (annotation `kubernetes.io/config.mirror`) | the kubelet makes them for its static pods |
/// | objects labelled `addonmanager.kubernetes.io/mode: Reconcile` | the cluster's add-on manager owns and recreates them (AKS CoreDNS, monitoring agents…); `EnsureExists` objects are restored |
/// | objects with an owner (`metadata.ownerReferences`) that is in the capture | the owner's controller recreates them: ReplicaSets of a Deployment, Pods of a ReplicaSet, Job, DaemonSet or StatefulSet, Jobs of a CronJob, ControllerRevisions… Whether or not the owner itself is restored, the object follows it. |
///
/// An object whose owners are all absent from the capture is restored on its own, without its
/// `ownerReferences` (see ``KubernetesManifestCleaner``).
public enum KubernetesRestoreFilter {
    /// One object under consideration.
    public struct Object: Sendable {
        /// The source id (`k8s://…`).
        public var source: String
        /// The object in the recovery cluster (its recovery id).
        public var ref: KubeRef
        /// The translated document.
        public var document: JSONValue
        /// `metadata.uid` as captured (the translated document may have lost it).
        public var uid: String?

        public init(source: String, ref: KubeRef, document: JSONValue, uid: String? = nil) {
            self.source = source; self.ref = ref; self.document = document; self.uid = uid
        }
    }

    static let everyClusterNamespaces: Set<String> = ["default", "kube-system", "kube-public", "kube-node-lease"]
    static let apiServerConfigMaps: Set<String> = ["extension-apiserver-authentication", "kube-apiserver-legacy-service-account-token-tracking"]
    static let endpointControllers: Set<String> = ["endpointslice-controller.k8s.io", "endpointslicemirroring-controller.k8s.io"]
    static let runtimeKinds: [KubeScope.GroupKind: String] = [
        .init(group: "", kind: "Node"): "nodes register themselves with the recovery cluster",
        .init(group: "coordination.k8s.io", kind: "Lease"): "leader-election and heartbeat state",
        .init(group: "storage.k8s.io", kind: "CSINode"): "created by the kubelet",
        .init(group: "storage.k8s.io", kind: "VolumeAttachment"): "created by the attach/detach controller",
        .init(group: "", kind: "ComponentStatus"): "reported by the control plane",
        .init(group: "certificates.k8s.io", kind: "CertificateSigningRequest"): "requests of the source cluster's clients",
    ]

    /// Why each object left out is not restored, by index in `objects` (the objects of one cluster).
    public static func skipped(_ objects: [Object]) -> [Int: String] {
        // Services by namespace and name, for their Endpoints.
        var services: [String: Object] = [:]
        for o in objects where o.ref.group == "" && o.ref.kind == "Service" {
            services[nameKey(kind: "Service", namespace: o.ref.namespace, name: o.ref.name)] = o
        }
        var own: [Int: String] = [:]
        for (i, o) in objects.enumerated() {
            if let r = ownReason(o, services: services) { own[i] = r }
        }
        // Owners: by uid, else by kind, namespace and name.
        var byUID: [String: Int] = [:]
        var byName: [String: Int] = [:]
        for (i, o) in objects.enumerated() {
            if let uid = o.uid, !uid.isEmpty { byUID[uid] = i }
            byName[nameKey(kind: o.ref.kind, namespace: o.ref.namespace, name: o.ref.name)] = i
        }
        func owner(of i: Int) -> Int? {
            for ref in ownerReferences(objects[i]) {
                guard let kind = ref["kind"]?.stringValue, let name = ref["name"]?.stringValue else { continue }
                var j: Int?
                if let uid = ref["uid"]?.stringValue { j = byUID[uid] }
                if j == nil {
                    j = byName[nameKey(kind: kind, namespace: objects[i].ref.namespace, name: name)]
                        ?? byName[nameKey(kind: kind, namespace: nil, name: name)]
                }
                if let j, j != i { return j }
            }
            return nil
        }
        var reasons: [Int: String] = [:]
        var done: Set<Int> = []
        var visiting: Set<Int> = []
        func resolve(_ i: Int) -> String? {
            if done.contains(i) { return reasons[i] }
            if visiting.contains(i) { return "its owners own each other" }
            visiting.insert(i)
            defer { visiting.remove(i); done.insert(i) }
            if let r = own[i] { reasons[i] = r; return r }
            guard let j = owner(of: i) else { return nil }
            let ownerSkipped = resolve(j) != nil
            let r = "owned by \(objects[j].ref.display), which is "
                + (ownerSkipped ? "not restored separately either" : "restored: its controller recreates it")
            reasons[i] = r
            return r
        }
        for i in objects.indices { _ = resolve(i) }
        return reasons
    }

    private static func ownerReferences(_ o: Object) -> [JSONValue] {
        o.document["metadata"]?["ownerReferences"]?.arrayValue ?? []
    }

    private static func nameKey(kind: String, namespace: String?, name: String) -> String {
        "\(kind)/\(namespace ?? "")/\(name)"
    }

    /// The reason `o` is left out that does not depend on its owners.
    /// `services`: the core Services of the objects, by ``nameKey(kind:namespace:name:)``.
    static func ownReason(_ o: Object, services: [String: Object]) -> String? {
        guard case .object = o.document else { return "the captured document is not an object" }
        let ref = o.ref
        let doc = o.document
        switch (ref.group, ref.kind) {
        case ("", "Event"), ("events.k8s.io", "Event"):
            return "events are history, not state"
        case ("", "Endpoints"):
            let service = services[nameKey(kind: "Service", namespace: ref.namespace, name: ref.name)]
            if let service, service.document["spec"]?["selector"]?.objectValue?.isEmpty ?? true {
                return nil  // manual endpoints of a selector-less Service
            }
            return "managed by the endpoints controller from the Service's selector"
        case ("discovery.k8s.io", "EndpointSlice"):
            let managedBy = doc["metadata"]?["labels"]?["endpointslice.kubernetes.io/managed-by"]?.stringValue
            if let managedBy, endpointControllers.contains(managedBy) {
                return "managed by \(managedBy) from the Services and Endpoints"
            }
            return nil
        case ("", "Namespace") where everyClusterNamespaces.contains(ref.name):
            return "exists in every cluster"
        case ("", "ConfigMap") where ref.name == "kube-root-ca.crt":
            return "created in every namespace by the root CA publisher"
        case ("", "ConfigMap") where ref.namespace == "kube-system" && apiServerConfigMaps.contains(ref.name):
            return "created by the API server"
        case ("", "Secret") where doc["type"]?.stringValue == "kubernetes.io/service-account-token":
            return "service-account token: the recovery cluster's API server issues new tokens"
        case ("", "ServiceAccount") where ref.name == "default":
            let meta = doc["metadata"]
            let customised = !(meta?["labels"]?.objectValue?.isEmpty ?? true)
                || !(meta?["annotations"]?.objectValue?.isEmpty ?? true)
                || !(doc["imagePullSecrets"]?.arrayValue?.isEmpty ?? true)
                || doc["automountServiceAccountToken"] != nil
            return customised ? nil : "created by the API server in every namespace"
        case ("", "Pod") where doc["metadata"]?["annotations"]?["kubernetes.io/config.mirror"] != nil:
            return "mirror pod of a static pod: the kubelet creates it"
        default:
            break
        }
        if let r = runtimeKinds[KubeScope.GroupKind(group: ref.group, kind: ref.kind)] { return r }
        if doc["metadata"]?["labels"]?["addonmanager.kubernetes.io/mode"]?.stringValue == "Reconcile" {
            return "reconciled by the cluster's add-on manager (addonmanager.kubernetes.io/mode: Reconcile), which recreates it"
        }
        return nil
    }
}
