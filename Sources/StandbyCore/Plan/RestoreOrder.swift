/// The order in which Kubernetes objects are applied to a recovery cluster: each object belongs to
/// one ``Tier``, tiers are applied lowest first, and a tier's objects are sorted by namespace, kind
/// and name (cluster-scoped objects first).
///
/// The order follows what each kind needs to exist before it is created, or to work once created:
///
/// | # | Tier | Kinds | Why here |
/// |---|---|---|---|
/// | 0 | ``Tier/customResourceDefinitions`` | CustomResourceDefinition | custom resources of any later tier need their type |
/// | 1 | ``Tier/namespaces`` | Namespace | every namespaced object needs its namespace |
/// | 2 | ``Tier/clusterConfiguration`` | StorageClass, PriorityClass, RuntimeClass, IngressClass, CSIDriver, VolumeAttributesClass, ResourceQuota, LimitRange, FlowSchema, PriorityLevelConfiguration | classes and quotas that volumes, pods and ingresses name when they are admitted |
/// | 3 | ``Tier/persistentVolumes`` | PersistentVolume | a claim pre-bound with `spec.volumeName` binds once its volume exists |
/// | 4 | ``Tier/persistentVolumeClaims`` | PersistentVolumeClaim | pods mount claims |
/// | 5 | ``Tier/serviceAccounts`` | ServiceAccount | pods are rejected while their service account is missing |
/// | 6 | ``Tier/secrets`` | Secret | mounted and `envFrom`-ed by pods |
/// | 7 | ``Tier/configMaps`` | ConfigMap | mounted and `envFrom`-ed by pods |
/// | 8 | ``Tier/roles`` | Role, ClusterRole | bindings name them; creating a binding to a missing role fails the escalation check |
/// | 9 | ``Tier/roleBindings`` | RoleBinding, ClusterRoleBinding | |
/// | 10 | ``Tier/policies`` | NetworkPolicy, PodDisruptionBudget, ValidatingAdmissionPolicy(Binding) | in force before the first pod starts, as they were in the source |
/// | 11 | ``Tier/workloads`` | Deployment, StatefulSet, DaemonSet, Job, CronJob, ReplicaSet, ReplicationController, Pod, PodTemplate | everything they reference is in place |
/// | 12 | ``Tier/services`` | Service | selects the workloads' pods |
/// | 13 | ``Tier/ingresses`` | Ingress | routes to Services (its IngressClass is in tier 2) |
/// | 14 | ``Tier/autoscalers`` | HorizontalPodAutoscaler | scales a workload that exists |
/// | 15 | ``Tier/otherBuiltIn`` | any other kind of a built-in API group | |
/// | 16 | ``Tier/customResources`` | any kind of a group served by a CRD (SecretProviderClass, ScaledObject, …) | their CRDs (tier 0) are established and the objects they name exist |
/// | 17 | ``Tier/admissionWebhooks`` | Mutating/ValidatingWebhookConfiguration, APIService | last: they call a Service whose pods must run first; a webhook with `failurePolicy: Fail` applied earlier would reject every object applied after it |
///
/// A kind is a custom resource when a CustomResourceDefinition being restored serves its group and
/// kind, or when its API group is not one of ``builtInGroups`` (`keda.sh`,
/// `secrets-store.csi.x-k8s.io`, `gateway.networking.k8s.io`, `snapshot.storage.k8s.io`…).
public enum RestoreOrder {
    /// A restore tier; the raw value is ``KubernetesManifest/tier``.
    public enum Tier: Int, Sendable, CaseIterable, Comparable {
        case customResourceDefinitions = 0
        case namespaces
        case clusterConfiguration
        case persistentVolumes
        case persistentVolumeClaims
        case serviceAccounts
        case secrets
        case configMaps
        case roles
        case roleBindings
        case policies
        case workloads
        case services
        case ingresses
        case autoscalers
        case otherBuiltIn
        case customResources
        case admissionWebhooks

        public static func < (a: Tier, b: Tier) -> Bool { a.rawValue < b.rawValue }
    }

    /// The API groups the Kubernetes API server serves itself (`""` is the core group). Kinds of
    /// any other group are custom resources.
    public static let builtInGroups: Set<String> = [
        "", "apps", "batch", "autoscaling", "policy", "extensions", "networking.k8s.io", "rbac.authorization.k8s.io",
        "storage.k8s.io", "apiextensions.k8s.io", "apiregistration.k8s.io", "admissionregistration.k8s.io",
        "scheduling.k8s.io", "node.k8s.io", "coordination.k8s.io", "discovery.k8s.io", "events.k8s.io",
        "certificates.k8s.io", "flowcontrol.apiserver.k8s.io", "resource.k8s.io", "authentication.k8s.io",
        "authorization.k8s.io", "internal.apiserver.k8s.io", "storagemigration.k8s.io",
    ]

    /// Built-in kinds by group and kind; other kinds of a built-in group are ``Tier/otherBuiltIn``.
    static let table: [KubeScope.GroupKind: Tier] = {
        let rows: [(Tier, String, [String])] = [
            (.customResourceDefinitions, "apiextensions.k8s.io", ["CustomResourceDefinition"]),
            (.namespaces, "", ["Namespace"]),
            (.clusterConfiguration, "storage.k8s.io", ["StorageClass", "CSIDriver", "VolumeAttributesClass"]),
            (.clusterConfiguration, "scheduling.k8s.io", ["PriorityClass"]),
            (.clusterConfiguration, "node.k8s.io", ["RuntimeClass"]),
            (.clusterConfiguration, "networking.k8s.io", ["IngressClass"]),
            (.clusterConfiguration, "", ["ResourceQuota", "LimitRange"]),
            (.clusterConfiguration, "flowcontrol.apiserver.k8s.io", ["FlowSchema", "PriorityLevelConfiguration"]),
            (.persistentVolumes, "", ["PersistentVolume"]),
            (.persistentVolumeClaims, "", ["PersistentVolumeClaim"]),
            (.serviceAccounts, "", ["ServiceAccount"]),
            (.secrets, "", ["Secret"]),
            (.configMaps, "", ["ConfigMap"]),
            (.roles, "rbac.authorization.k8s.io", ["Role", "ClusterRole"]),
            (.roleBindings, "rbac.authorization.k8s.io", ["RoleBinding", "ClusterRoleBinding"]),
            (.policies, "networking.k8s.io", ["NetworkPolicy"]),
            (.policies, "policy", ["PodDisruptionBudget"]),
            (.policies, "admissionregistration.k8s.io", ["ValidatingAdmissionPolicy", "ValidatingAdmissionPolicyBinding",
                                                          "MutatingAdmissionPolicy", "MutatingAdmissionPolicyBinding"]),
            (.workloads, "apps", ["Deployment", "StatefulSet", "DaemonSet", "ReplicaSet"]),
            (.workloads, "extensions", ["Deployment", "DaemonSet", "ReplicaSet"]),
            (.workloads, "batch", ["Job", "CronJob"]),
            (.workloads, "", ["Pod", "ReplicationController", "PodTemplate"]),
            (.services, "", ["Service"]),
            (.ingresses, "networking.k8s.io", ["Ingress"]),
            (.ingresses, "extensions", ["Ingress"]),
            (.autoscalers, "autoscaling", ["HorizontalPodAutoscaler"]),
            (.admissionWebhooks, "admissionregistration.k8s.io", ["MutatingWebhookConfiguration", "ValidatingWebhookConfiguration"]),
            (.admissionWebhooks, "apiregistration.k8s.io", ["APIService"]),
        ]
        var out: [KubeScope.GroupKind: Tier] = [:]
        for (tier, group, kinds) in rows { for kind in kinds { out[KubeScope.GroupKind(group: group, kind: kind)] = tier } }
        return out
    }()

    /// Whether objects of `group` and `kind` are custom resources: a CRD among `customKinds` serves
    /// them, or their group is not built in.
    public static func isCustomResource(group: String, kind: String, customKinds: Set<KubeScope.GroupKind> = []) -> Bool {
        let gk = KubeScope.GroupKind(group: group, kind: kind)
        return customKinds.contains(gk) || !builtInGroups.contains(gk.group)
    }

    /// The tier of objects of `group` (`""` or `core` for the core group) and `kind`.
    /// `customKinds` are the group/kinds the CRDs being restored serve.
    public static func tier(group: String, kind: String, customKinds: Set<KubeScope.GroupKind> = []) -> Tier {
        let gk = KubeScope.GroupKind(group: group, kind: kind)
        if customKinds.contains(gk) { return .customResources }
        if let t = table[gk] { return t }
        return builtInGroups.contains(gk.group) ? .otherBuiltIn : .customResources
    }
}
