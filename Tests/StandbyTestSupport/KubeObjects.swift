import StandbyCore

/// Kubernetes objects for the tests, as the API serves them.
public enum KubeObjects {
    /// A RoleBinding in `payments` whose ServiceAccount subject `reporter` lives in `reports`, and
    /// that ServiceAccount: a binding subject outside a selection of `payments`.
    public static let bindingWithSubjectInReports = """
        apiVersion: rbac.authorization.k8s.io/v1
        kind: RoleBinding
        metadata: {name: read-reports, namespace: payments}
        roleRef: {apiGroup: rbac.authorization.k8s.io, kind: ClusterRole, name: view}
        subjects: [{kind: ServiceAccount, name: reporter, namespace: reports}]
        ---
        apiVersion: v1
        kind: ServiceAccount
        metadata: {name: reporter, namespace: reports}
        """

    /// A Namespace.
    public static func namespace(_ name: String) -> JSONValue {
        ["apiVersion": "v1", "kind": "Namespace", "metadata": ["name": .string(name)]]
    }

    /// A ConfigMap with `data`.
    public static func configMap(_ name: String, in namespace: String, data: [String: String] = ["k": "v"]) -> JSONValue {
        ["apiVersion": "v1", "kind": "ConfigMap", "metadata": ["name": .string(name), "namespace": .string(namespace)],
         "data": .object(JSONObject(data.sorted { $0.key < $1.key }.map { ($0.key, .string($0.value)) }))]
    }

    /// The CustomResourceDefinition of `widgets.example.com` (namespaced, v1, any fields).
    public static func widgetCRD(annotations: [String: String] = [:]) -> JSONValue {
        var metadata = JSONObject([("name", "widgets.example.com")])
        if !annotations.isEmpty {
            metadata["annotations"] = .object(JSONObject(annotations.map { ($0.key, .string($0.value)) }))
        }
        return ["apiVersion": "apiextensions.k8s.io/v1", "kind": "CustomResourceDefinition", "metadata": .object(metadata),
                "spec": ["group": "example.com", "scope": "Namespaced",
                         "names": ["plural": "widgets", "singular": "widget", "kind": "Widget", "listKind": "WidgetList"],
                         "versions": [["name": "v1", "served": true, "storage": true,
                                       "schema": ["openAPIV3Schema": ["type": "object", "x-kubernetes-preserve-unknown-fields": true]]]]]]
    }

    /// A `Widget` custom resource with `spec.size: 3`.
    public static func widget(_ name: String, in namespace: String) -> JSONValue {
        ["apiVersion": "example.com/v1", "kind": "Widget", "metadata": ["name": .string(name), "namespace": .string(namespace)],
         "spec": ["size": 3]]
    }
}
