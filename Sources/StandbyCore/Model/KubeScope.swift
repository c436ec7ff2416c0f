/// Whether Kubernetes kinds are namespaced or cluster-scoped.
///
/// Decided in this order:
/// 1. the `spec.scope` of a CustomResourceDefinition in the same inventory (``learn(fromCRD:)``);
/// 2. the table of built-in and well-known cluster-scoped kinds (``clusterScopedKinds``), keyed by
///    API group and kind; every other kind of a built-in API group is namespaced, and so are the
///    well-known add-on kinds of ``namespacedKinds`` (KEDA, Secrets Store CSI, cert-manager …);
/// 3. otherwise an object is namespaced exactly when its `metadata.namespace` is set.
///
/// A namespaced object without `metadata.namespace` is in `default`, as `kubectl apply` would put it.
public struct KubeScope: Sendable {
    /// The API group and kind of a type of object.
    public struct GroupKind: Sendable, Hashable {
        public var group: String
        public var kind: String
        public init(group: String, kind: String) { self.group = group == "core" ? "" : group; self.kind = kind }
    }

    /// Built-in and well-known cluster-scoped kinds.
    public static let clusterScopedKinds: Set<GroupKind> = {
        let table: [(String, [String])] = [
            ("", ["Namespace", "Node", "PersistentVolume", "ComponentStatus"]),
            ("storage.k8s.io", ["StorageClass", "CSIDriver", "CSINode", "VolumeAttachment", "VolumeAttributesClass"]),
            ("rbac.authorization.k8s.io", ["ClusterRole", "ClusterRoleBinding"]),
            ("apiextensions.k8s.io", ["CustomResourceDefinition"]),
            ("scheduling.k8s.io", ["PriorityClass"]),
            ("networking.k8s.io", ["IngressClass", "IPAddress", "ServiceCIDR"]),
            ("node.k8s.io", ["RuntimeClass"]),
            ("admissionregistration.k8s.io", [
                "MutatingWebhookConfiguration", "ValidatingWebhookConfiguration",
                "ValidatingAdmissionPolicy", "ValidatingAdmissionPolicyBinding",
                "MutatingAdmissionPolicy", "MutatingAdmissionPolicyBinding",
            ]),
            ("apiregistration.k8s.io", ["APIService"]),
            ("certificates.k8s.io", ["CertificateSigningRequest", "ClusterTrustBundle"]),
            ("policy", ["PodSecurityPolicy"]),
            ("extensions", ["PodSecurityPolicy"]),
            ("flowcontrol.apiserver.k8s.io", ["FlowSchema", "PriorityLevelConfiguration"]),
            ("resource.k8s.io", ["DeviceClass", "ResourceSlice"]),
            ("authentication.k8s.io", ["TokenReview", "SelfSubjectReview"]),
            ("authorization.k8s.io", ["SubjectAccessReview", "SelfSubjectAccessReview", "SelfSubjectRulesReview"]),
            ("snapshot.storage.k8s.io", ["VolumeSnapshotClass", "VolumeSnapshotContent"]),
            ("cert-manager.io", ["ClusterIssuer"]),
            ("karpenter.sh", ["NodePool", "NodeClaim"]),
            ("karpenter.k8s.aws", ["EC2NodeClass"]),
            ("karpenter.azure.com", ["AKSNodeClass"]),
            ("kyverno.io", ["ClusterPolicy"]),
            ("templates.gatekeeper.sh", ["ConstraintTemplate"]),
            ("external-secrets.io", ["ClusterSecretStore", "ClusterExternalSecret"]),
            ("gateway.networking.k8s.io", ["GatewayClass"]),
            ("metrics.k8s.io", ["NodeMetrics"]),
        ]
        var set: Set<GroupKind> = []
        for (group, kinds) in table { for kind in kinds { set.insert(GroupKind(group: group, kind: kind)) } }
        return set
    }()

    /// Well-known namespaced kinds of common add-ons, for inventories without their CRDs.
    public static let namespacedKinds: Set<GroupKind> = {
        let table: [(String, [String])] = [
            ("keda.sh", ["ScaledObject", "ScaledJob", "TriggerAuthentication"]),
            ("secrets-store.csi.x-k8s.io", ["SecretProviderClass", "SecretProviderClassPodStatus"]),
            ("cert-manager.io", ["Certificate", "CertificateRequest", "Issuer"]),
            ("acme.cert-manager.io", ["Order", "Challenge"]),
            ("monitoring.coreos.com", ["ServiceMonitor", "PodMonitor", "PrometheusRule", "Prometheus", "Alertmanager"]),
            ("external-secrets.io", ["ExternalSecret", "SecretStore"]),
            ("networking.istio.io", ["VirtualService", "DestinationRule", "Gateway", "ServiceEntry", "Sidecar"]),
            ("security.istio.io", ["AuthorizationPolicy", "PeerAuthentication", "RequestAuthentication"]),
            ("gateway.networking.k8s.io", ["Gateway", "HTTPRoute", "GRPCRoute", "TCPRoute", "TLSRoute", "ReferenceGrant"]),
            ("snapshot.storage.k8s.io", ["VolumeSnapshot"]),
            ("velero.io", ["Backup", "Restore", "Schedule", "BackupStorageLocation", "VolumeSnapshotLocation"]),
            ("argoproj.io", ["Application", "AppProject", "Rollout", "Workflow"]),
            ("elbv2.k8s.aws", ["TargetGroupBinding"]),
            ("vpcresources.k8s.aws", ["SecurityGroupPolicy"]),
            ("aadpodidentity.k8s.io", ["AzureIdentity", "AzureIdentityBinding", "AzurePodIdentityException"]),
            ("policy.linkerd.io", ["Server", "ServerAuthorization", "AuthorizationPolicy"]),
        ]
        var set: Set<GroupKind> = []
        for (group, kinds) in table { for kind in kinds { set.insert(GroupKind(group: group, kind: kind)) } }
        return set
    }()

    /// Scopes learnt from CustomResourceDefinitions: `true` when cluster-scoped.
    public private(set) var customKinds: [GroupKind: Bool] = [:]

    public init() {}

    /// Records the scope a CustomResourceDefinition declares (`spec.group`, `spec.names.kind`,
    /// `spec.scope`). Returns false if the document is not a usable CRD.
    @discardableResult
    public mutating func learn(fromCRD document: JSONValue) -> Bool {
        guard let spec = document["spec"],
              let group = spec["group"]?.stringValue,
              let kind = spec["names"]?["kind"]?.stringValue,
              let scope = spec["scope"]?.stringValue else { return false }
        customKinds[GroupKind(group: group, kind: kind)] = scope.lowercased() == "cluster"
        return true
    }

    /// Whether objects of this group and kind are cluster-scoped; `nil` when unknown.
    public func isClusterScoped(group: String, kind: String) -> Bool? {
        let gk = GroupKind(group: group, kind: kind)
        if let custom = customKinds[gk] { return custom }
        if Self.clusterScopedKinds.contains(gk) { return true }
        if Self.namespacedBuiltInGroups.contains(gk.group) || Self.namespacedKinds.contains(gk) { return false }
        return nil
    }

    /// The namespace an object belongs in: `nil` for cluster-scoped objects, `metadata.namespace`
    /// or `default` for namespaced ones, and for unknown kinds whatever `metadata.namespace` says.
    public func namespace(group: String, kind: String, metadataNamespace: String?) -> String? {
        let ns = metadataNamespace.flatMap { $0.isEmpty ? nil : $0 }
        switch isClusterScoped(group: group, kind: kind) {
        case true?: return nil
        case false?: return ns ?? "default"
        case nil: return ns
        }
    }

    /// Built-in API groups whose kinds not listed as cluster-scoped are all namespaced.
    static let namespacedBuiltInGroups: Set<String> = [
        "", "apps", "batch", "autoscaling", "policy", "networking.k8s.io", "rbac.authorization.k8s.io",
        "storage.k8s.io", "coordination.k8s.io", "discovery.k8s.io", "events.k8s.io", "extensions",
    ]
}
