/// A generated, in-memory estate for timing the selection walk (10k vs 100k objects): one AKS
/// cluster whose namespaces hold applications made of the objects the walker follows, plus ARM
/// resources the cluster and its volumes reference. Deterministic: the same sizes give the same
/// inventory.
///
/// Each application is ten Kubernetes objects in its namespace (20 applications a namespace):
/// Deployment → ConfigMap (envFrom), Secret (env), ServiceAccount, PersistentVolumeClaim →
/// PersistentVolume (cluster-scoped) → managed disk; a Service selecting the Deployment; an HPA
/// and a PodDisruptionBudget covering it; a RoleBinding → ClusterRole `app-reader` naming the
/// ServiceAccount. The ARM side holds the managed cluster, two agent pools, a VNet with two
/// subnets, a kubelet identity, and as many disks as fit in `armResources` (the rest are public IPs).
public enum SyntheticEstate {
    /// The Kubernetes cluster name.
    public static let clusterName = "synthetic-aks"
    static let subscription = "00000000-0000-0000-0000-000000000000"
    static let group = "/subscriptions/\(subscription)/resourceGroups/rg-synthetic"
    /// The managed cluster's ARM id: select it to walk the whole cluster's defaults.
    public static let managedClusterID = "\(group)/providers/Microsoft.ContainerService/managedClusters/\(clusterName)"

    /// Namespaces holding applications: `app-0000`, `app-0001`, …
    public static func namespace(_ n: Int) -> String { "app-" + pad(n, 4) }

    /// An inventory of about `kubeObjects` Kubernetes objects and `armResources` ARM resources.
    public static func make(kubeObjects: Int, armResources: Int) -> Inventory {
        let source = SourceRef(path: "<synthetic>")
        var resources: [Resource] = []
        resources.reserveCapacity(kubeObjects + armResources + 16)

        func arm(_ type: String, _ name: String, parent: String? = nil, properties: JSONValue = .object(JSONObject())) -> String {
            let last = type.split(separator: "/").last.map(String.init) ?? type
            let id = parent.map { "\($0)/\(last)/\(name)" } ?? "\(group)/providers/\(type)/\(name)"
            let doc: JSONValue = .object(JSONObject([("id", .string(id)), ("name", .string(name)), ("type", .string(type)),
                                                     ("properties", properties)]))
            resources.append(Resource(id: ARMResourceID(id)?.description ?? id, identity: ARMResourceID(id).map { .arm($0) } ?? .other,
                                      type: type, name: name, region: "westeurope", document: doc, source: source))
            return id
        }
        func kube(_ apiVersion: String, _ kind: String, _ ns: String?, _ name: String, labels: [String: String] = [:],
                  _ body: [(String, JSONValue)]) {
            var meta: [(String, JSONValue)] = [("name", .string(name))]
            if let ns { meta.append(("namespace", .string(ns))) }
            if !labels.isEmpty {
                meta.append(("labels", .object(JSONObject(labels.sorted { $0.key < $1.key }.map { ($0.key, .string($0.value)) }))))
            }
            let doc: JSONValue = .object(JSONObject([("apiVersion", .string(apiVersion)), ("kind", .string(kind)),
                                                     ("metadata", .object(JSONObject(meta)))] + body))
            let ref = KubeRef(cluster: clusterName, apiVersion: apiVersion, kind: kind, namespace: ns, name: name)
            resources.append(Resource(id: ref.id, identity: .kube(ref), kind: kind, group: ref.group, apiVersion: apiVersion,
                                      name: name, namespace: ns, cluster: clusterName, labels: labels, document: doc, source: source))
        }

        // ARM control plane.
        let vnet = arm("Microsoft.Network/virtualNetworks", "vnet-synthetic")
        let nodes = arm("Microsoft.Network/virtualNetworks/subnets", "nodes", parent: vnet)
        let pods = arm("Microsoft.Network/virtualNetworks/subnets", "pods", parent: vnet)
        let kubelet = arm("Microsoft.ManagedIdentity/userAssignedIdentities", "id-kubelet",
                          properties: ["clientId": "11111111-1111-1111-1111-111111111111"])
        _ = arm("Microsoft.ContainerService/managedClusters", clusterName, properties: [
            "identityProfile": ["kubeletidentity": ["resourceId": .string(kubelet)]],
        ])
        for pool in ["system", "user"] {
            _ = arm("Microsoft.ContainerService/managedClusters/agentPools", pool, parent: managedClusterID,
                    properties: ["vnetSubnetID": .string(nodes), "podSubnetID": .string(pods)])
        }
        let diskCount = max(0, armResources - resources.count)
        let apps = max(1, kubeObjects / 10)
        var disks: [String] = []
        for i in 0..<min(diskCount, apps) { disks.append(arm("Microsoft.Compute/disks", "disk-" + pad(i, 6))) }
        for i in 0..<max(0, diskCount - disks.count) { _ = arm("Microsoft.Network/publicIPAddresses", "pip-" + pad(i, 6)) }

        // Kubernetes: defaults, then applications.
        kube("v1", "Namespace", nil, "kube-system", [])
        kube("rbac.authorization.k8s.io/v1", "ClusterRole", nil, "app-reader", [("rules", [])])
        kube("storage.k8s.io/v1", "StorageClass", nil, "managed-csi", [("provisioner", "disk.csi.azure.com")])
        kube("v1", "ConfigMap", "kube-system", "coredns-custom", [("data", ["Corefile": ""])])
        for a in 0..<apps {
            let ns = namespace(a / 20), app = "app-" + pad(a, 6)
            if a % 20 == 0 { kube("v1", "Namespace", nil, ns, []) }
            let labels = ["app": app, "tier": ["web", "api", "batch"][a % 3]]
            kube("apps/v1", "Deployment", ns, app, labels: labels, [("spec", [
                "replicas": 2,
                "selector": ["matchLabels": ["app": .string(app)]],
                "template": [
                    "metadata": ["labels": ["app": .string(app)]],
                    "spec": [
                        "serviceAccountName": .string(app),
                        "containers": [[
                            "name": "main", "image": .string("registry.example.com/\(app):1"),
                            "envFrom": [["configMapRef": ["name": .string(app)]]],
                            "env": [["name": "PW", "valueFrom": ["secretKeyRef": ["name": .string(app), "key": "pw"]]]],
                        ]],
                        "volumes": [["name": "data", "persistentVolumeClaim": ["claimName": .string(app)]]],
                    ],
                ],
            ])])
            kube("v1", "Service", ns, app, labels: labels, [("spec", ["selector": ["app": .string(app)], "ports": [["port": 80]]])])
            kube("v1", "ConfigMap", ns, app, [("data", ["MODE": "prod"])])
            kube("v1", "Secret", ns, app, [("type", "Opaque"), ("data", ["pw": "cHc="])])
            kube("v1", "ServiceAccount", ns, app, [])
            let pv = "pv-" + app
            kube("v1", "PersistentVolumeClaim", ns, app, [("spec", ["volumeName": .string(pv), "storageClassName": "managed-csi"])])
            let handle = a < disks.count ? disks[a] : "\(group)/providers/Microsoft.Compute/disks/missing-\(a)"
            kube("v1", "PersistentVolume", nil, pv, [("spec", [
                "storageClassName": "managed-csi",
                "csi": ["driver": "disk.csi.azure.com", "volumeHandle": .string(handle)],
            ])])
            kube("autoscaling/v2", "HorizontalPodAutoscaler", ns, app, [("spec", [
                "scaleTargetRef": ["apiVersion": "apps/v1", "kind": "Deployment", "name": .string(app)],
                "minReplicas": 2, "maxReplicas": 5,
            ])])
            kube("policy/v1", "PodDisruptionBudget", ns, app, [("spec", [
                "minAvailable": 1, "selector": ["matchLabels": ["app": .string(app)]],
            ])])
            kube("rbac.authorization.k8s.io/v1", "RoleBinding", ns, app, [
                ("roleRef", ["apiGroup": "rbac.authorization.k8s.io", "kind": "ClusterRole", "name": "app-reader"]),
                ("subjects", [["kind": "ServiceAccount", "name": .string(app), "namespace": .string(ns)]]),
            ])
        }
        return Inventory(resources: resources,
                         clusters: [Cluster(name: clusterName, cloud: .azure, controlPlaneID: managedClusterID)])
    }

    static func pad(_ n: Int, _ width: Int) -> String {
        let s = String(n)
        return s.count >= width ? s : String(repeating: "0", count: width - s.count) + s
    }
}
