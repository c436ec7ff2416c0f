/// Conversions of an object written for an API version the recovery cluster no longer serves to
/// one it serves, where the conversion is known and loses nothing.
///
/// | From | To | What changes |
/// |---|---|---|
/// | Ingress `extensions/v1beta1`, `networking.k8s.io/v1beta1` | `networking.k8s.io/v1` | `spec.backend` → `spec.defaultBackend`; `serviceName`/`servicePort` → `service.name`/`service.port.number` or `.name`; a path without `pathType` gets `ImplementationSpecific` (what v1beta1 defaulted to) |
/// | HorizontalPodAutoscaler `autoscaling/v2beta2` | `autoscaling/v2` | nothing (same schema) |
/// | PodDisruptionBudget `policy/v1beta1` | `policy/v1` | nothing, when the selector is not empty (an empty one selects no pod in v1beta1 and every pod of the namespace in v1: that needs a person) |
/// | CronJob `batch/v1beta1` | `batch/v1` | nothing (same schema) |
/// | Deployment, DaemonSet, ReplicaSet `extensions/v1beta1`, `apps/v1beta1`, `apps/v1beta2`; StatefulSet `apps/v1beta1`, `apps/v1beta2` | `apps/v1` | nothing, when `spec.selector` is set (v1 requires it) and neither `spec.rollbackTo` nor `spec.templateGeneration` is (v1 has neither) |
/// | NetworkPolicy `extensions/v1beta1` | `networking.k8s.io/v1` | nothing |
/// | IngressClass `networking.k8s.io/v1beta1` | `networking.k8s.io/v1` | nothing |
/// | Role, ClusterRole, RoleBinding, ClusterRoleBinding `rbac.authorization.k8s.io/v1beta1` | `…/v1` | nothing |
/// | PriorityClass `scheduling.k8s.io/v1beta1` | `scheduling.k8s.io/v1` | nothing |
/// | StorageClass, CSIDriver, CSINode `storage.k8s.io/v1beta1` | `storage.k8s.io/v1` | nothing |
/// | Lease `coordination.k8s.io/v1beta1` | `coordination.k8s.io/v1` | nothing |
///
/// Anything else the target does not serve needs a person.
enum KubeVersionConversion {
    /// What to do with an object whose `apiVersion` the target does not serve.
    enum Result: Equatable, Sendable {
        /// Send this document instead (its `apiVersion` is served).
        case converted(JSONValue)
        /// No lossless conversion: why.
        case needsPerson(String)
    }

    /// (group, kind, from versions, to apiVersion, check)
    private struct Rule: Sendable {
        var group: String
        var kinds: Set<String>
        var from: Set<String>
        var to: String
        var convert: @Sendable (JSONValue) -> Result
    }

    private static func same(_ to: String) -> @Sendable (JSONValue) -> Result {
        { document in
            var out = document
            out.set([.key("apiVersion")], .string(to))
            return .converted(out)
        }
    }

    private static let rules: [Rule] = [
        Rule(group: "extensions", kinds: ["Ingress"], from: ["v1beta1"], to: "networking.k8s.io/v1", convert: ingress),
        Rule(group: "networking.k8s.io", kinds: ["Ingress"], from: ["v1beta1"], to: "networking.k8s.io/v1", convert: ingress),
        Rule(group: "autoscaling", kinds: ["HorizontalPodAutoscaler"], from: ["v2beta2"], to: "autoscaling/v2", convert: same("autoscaling/v2")),
        Rule(group: "policy", kinds: ["PodDisruptionBudget"], from: ["v1beta1"], to: "policy/v1", convert: disruptionBudget),
        Rule(group: "batch", kinds: ["CronJob"], from: ["v1beta1"], to: "batch/v1", convert: same("batch/v1")),
        Rule(group: "extensions", kinds: ["Deployment", "DaemonSet", "ReplicaSet"], from: ["v1beta1"], to: "apps/v1", convert: workload),
        Rule(group: "apps", kinds: ["Deployment", "DaemonSet", "ReplicaSet", "StatefulSet"], from: ["v1beta1", "v1beta2"],
             to: "apps/v1", convert: workload),
        Rule(group: "extensions", kinds: ["NetworkPolicy"], from: ["v1beta1"], to: "networking.k8s.io/v1",
             convert: same("networking.k8s.io/v1")),
        Rule(group: "networking.k8s.io", kinds: ["IngressClass"], from: ["v1beta1"], to: "networking.k8s.io/v1",
             convert: same("networking.k8s.io/v1")),
        Rule(group: "rbac.authorization.k8s.io", kinds: ["Role", "ClusterRole", "RoleBinding", "ClusterRoleBinding"],
             from: ["v1beta1", "v1alpha1"], to: "rbac.authorization.k8s.io/v1", convert: same("rbac.authorization.k8s.io/v1")),
        Rule(group: "scheduling.k8s.io", kinds: ["PriorityClass"], from: ["v1beta1", "v1alpha1"], to: "scheduling.k8s.io/v1",
             convert: same("scheduling.k8s.io/v1")),
        Rule(group: "storage.k8s.io", kinds: ["StorageClass", "CSIDriver", "CSINode"], from: ["v1beta1"], to: "storage.k8s.io/v1",
             convert: same("storage.k8s.io/v1")),
        Rule(group: "coordination.k8s.io", kinds: ["Lease"], from: ["v1beta1"], to: "coordination.k8s.io/v1",
             convert: same("coordination.k8s.io/v1")),
    ]

    /// The version `apiVersion` `kind` converts to, whatever the document holds; nil when none is known.
    static func target(apiVersion: String, kind: String) -> String? {
        let (group, version) = KubeRef.split(apiVersion: apiVersion)
        return rules.first { $0.group == group && $0.kinds.contains(kind) && $0.from.contains(version) }?.to
    }

    /// The conversion of `document` to a version `serves` accepts.
    static func convert(_ document: JSONValue, serves: (String, String) -> Bool) -> Result {
        let apiVersion = document["apiVersion"]?.stringValue ?? ""
        let kind = document["kind"]?.stringValue ?? ""
        let (group, version) = KubeRef.split(apiVersion: apiVersion)
        guard let rule = rules.first(where: { $0.group == group && $0.kinds.contains(kind) && $0.from.contains(version) }) else {
            return .needsPerson("no lossless conversion of \(apiVersion) \(kind) to a version it serves is known")
        }
        guard serves(rule.to, kind) else {
            return .needsPerson("\(apiVersion) \(kind) converts to \(rule.to), which it does not serve either")
        }
        return rule.convert(document)
    }

    // MARK: Conversions with a shape change

    /// Ingress v1beta1 → networking.k8s.io/v1.
    static func ingress(_ document: JSONValue) -> Result {
        var out = document
        out.set([.key("apiVersion")], .string("networking.k8s.io/v1"))
        guard case .object(var spec)? = document["spec"] else { return .converted(out) }
        if let backend = spec["backend"] {
            guard let converted = ingressBackend(backend) else {
                return .needsPerson("spec.backend has neither serviceName and servicePort nor resource")
            }
            spec["backend"] = nil
            spec["defaultBackend"] = converted
        }
        if case .array(var rules)? = spec["rules"] {
            for r in rules.indices {
                guard case .array(var paths)? = rules[r]["http"]?["paths"] else { continue }
                for p in paths.indices {
                    guard case .object(var path) = paths[p] else { continue }
                    if let backend = path["backend"] {
                        guard let converted = ingressBackend(backend) else {
                            return .needsPerson("spec.rules[\(r)].http.paths[\(p)].backend has neither serviceName and servicePort nor resource")
                        }
                        path["backend"] = converted
                    }
                    if path["pathType"] == nil { path["pathType"] = .string("ImplementationSpecific") }
                    paths[p] = .object(path)
                }
                rules[r].set([.key("http"), .key("paths")], .array(paths))
            }
            spec["rules"] = .array(rules)
        }
        out.set([.key("spec")], .object(spec))
        return .converted(out)
    }

    /// `{serviceName, servicePort}` → `{service: {name, port: {number | name}}}`; a `resource`
    /// backend is the same in both versions.
    static func ingressBackend(_ backend: JSONValue) -> JSONValue? {
        if backend["resource"] != nil, backend["serviceName"] == nil { return backend }
        guard let name = backend["serviceName"]?.stringValue, let port = backend["servicePort"] else { return nil }
        let portValue: JSONValue
        switch port {
        case .string(let text):
            if let number = Int64(text) { portValue = ["number": .int(number)] } else { portValue = ["name": .string(text)] }
        case .int, .double: portValue = ["number": port]
        default: return nil
        }
        return ["service": ["name": .string(name), "port": portValue]]
    }

    /// PodDisruptionBudget policy/v1beta1 → v1, unless its selector is empty.
    static func disruptionBudget(_ document: JSONValue) -> Result {
        let selector = document["spec"]?["selector"]
        let labels = selector?["matchLabels"]?.objectValue?.count ?? 0
        let expressions = selector?["matchExpressions"]?.arrayValue?.count ?? 0
        guard labels + expressions > 0 else {
            return .needsPerson("its selector is empty, which selects no pod in policy/v1beta1 and every pod of the namespace in policy/v1")
        }
        return same("policy/v1")(document)
    }

    /// Workloads of extensions/v1beta1, apps/v1beta1, apps/v1beta2 → apps/v1.
    static func workload(_ document: JSONValue) -> Result {
        let spec = document["spec"]
        guard let selector = spec?["selector"], selector != .null else {
            return .needsPerson("spec.selector is not set (apps/v1 requires it; the old default came from the pod template's labels)")
        }
        for field in ["rollbackTo", "templateGeneration"] where spec?[field] != nil {
            return .needsPerson("spec.\(field) is set, and apps/v1 has no such field")
        }
        return same("apps/v1")(document)
    }
}
