/// The Kubernetes objects every cluster of a fleet gets, whichever scheduler runs its jobs: a
/// ServiceAccount, a read-only ClusterRole bound to it, and the runbook ConfigMap; and the pod
/// that runs ``FleetJob``'s command.
///
/// **Read-only.** The ClusterRole grants `get`, `list` and `watch` on every resource of every
/// API group, and `get` on the discovery URLs, nothing else: a capture reads the cluster, it
/// never changes it. Secrets are read too (a capture seals their values into the point).
///
/// **No secret value is written.** Keys, store credentials, cloud credentials and kubeconfigs
/// are referenced by Secret name only (`secretName`, `secretRef`, `secretKeyRef`); the platform
/// team creates those Secrets.
enum FleetObjects {
    static func name(_ cluster: FleetCluster) -> String { "standby-\(cluster.name)" }
    static func runbookConfigMap(_ cluster: FleetCluster) -> String { "standby-\(cluster.name)-runbook" }

    static func labels(_ cluster: FleetCluster) -> JSONValue {
        obj(("app.kubernetes.io/name", "standby"), ("app.kubernetes.io/component", "capture"),
            ("standby.dev/cluster", .string(cluster.name)))
    }

    static func metadata(_ name: String, namespace: String?, _ cluster: FleetCluster, annotations: [String: String] = [:]) -> JSONValue {
        obj(("name", .string(name)), ("namespace", namespace.map(JSONValue.string)), ("labels", labels(cluster)),
            ("annotations", annotations.isEmpty ? nil : .object(JSONObject(annotations.sorted { $0.key < $1.key }.map { ($0.key, .string($0.value)) }))))
    }

    static func namespace(_ fleet: FleetSpec) -> JSONValue {
        obj(("apiVersion", "v1"), ("kind", "Namespace"),
            ("metadata", obj(("name", .string(fleet.namespace)), ("labels", obj(("app.kubernetes.io/name", "standby"))))))
    }

    static func serviceAccount(_ cluster: FleetCluster, _ fleet: FleetSpec) -> JSONValue {
        obj(("apiVersion", "v1"), ("kind", "ServiceAccount"),
            ("metadata", metadata(name(cluster), namespace: fleet.namespace, cluster, annotations: cluster.serviceAccountAnnotations)))
    }

    /// The verbs the ClusterRole grants: reading only.
    static let readVerbs: [JSONValue] = ["get", "list", "watch"]

    static func clusterRole(_ cluster: FleetCluster) -> JSONValue {
        obj(("apiVersion", "rbac.authorization.k8s.io/v1"), ("kind", "ClusterRole"),
            ("metadata", metadata(name(cluster) + "-read", namespace: nil, cluster)),
            ("rules", .array([
                obj(("apiGroups", .array(["*"])), ("resources", .array(["*"])), ("verbs", .array(readVerbs))),
                obj(("nonResourceURLs", .array(["/api", "/api/*", "/apis", "/apis/*", "/version"])), ("verbs", .array(["get"]))),
            ])))
    }

    static func clusterRoleBinding(_ cluster: FleetCluster, _ fleet: FleetSpec) -> JSONValue {
        obj(("apiVersion", "rbac.authorization.k8s.io/v1"), ("kind", "ClusterRoleBinding"),
            ("metadata", metadata(name(cluster) + "-read", namespace: nil, cluster)),
            ("roleRef", obj(("apiGroup", "rbac.authorization.k8s.io"), ("kind", "ClusterRole"), ("name", .string(name(cluster) + "-read")))),
            ("subjects", .array([obj(("kind", "ServiceAccount"), ("name", .string(name(cluster))), ("namespace", .string(fleet.namespace)))])))
    }

    static func runbookMap(_ cluster: FleetCluster, _ fleet: FleetSpec) -> JSONValue {
        var data: [(String, JSONValue)] = [(FleetPaths.runbookFile, .string(cluster.runbookText))]
        if let drill = cluster.drill { data.append((FleetPaths.drillFile, .string(drill.runbookText))) }
        data.append((FleetPaths.inClusterKubeconfigFile, .string(FleetPaths.inClusterKubeconfig)))
        return obj(("apiVersion", "v1"), ("kind", "ConfigMap"),
                   ("metadata", metadata(runbookConfigMap(cluster), namespace: fleet.namespace, cluster)),
                   ("data", .object(JSONObject(data))))
    }

    /// The container that runs the job's command.
    static func container(_ cluster: FleetCluster, _ fleet: FleetSpec, kind: FleetJob.Kind) -> JSONValue {
        let sizing = FleetSizing(objects: cluster.objects)
        var env: [JSONValue] = [obj(("name", "HOME"), ("value", "/tmp"))]
        if let secret = cluster.storeCredentials {
            for key in ["AWS_ACCESS_KEY_ID", "AWS_SECRET_ACCESS_KEY"] {
                env.append(obj(("name", .string(key)), ("valueFrom", obj(("secretKeyRef", obj(("name", .string(secret)), ("key", .string(key))))))))
            }
            env.append(obj(("name", "AWS_SESSION_TOKEN"), ("valueFrom", obj(("secretKeyRef", obj(("name", .string(secret)), ("key", "AWS_SESSION_TOKEN"), ("optional", true)))))))
        }
        var mounts: [JSONValue] = [
            obj(("name", "runbook"), ("mountPath", .string(FleetPaths.runbookFolder)), ("readOnly", true)),
            obj(("name", "keys"), ("mountPath", .string(FleetPaths.keysFolder)), ("readOnly", true)),
            obj(("name", "metrics"), ("mountPath", .string(FleetPaths.metricsFolder))),
            obj(("name", "tmp"), ("mountPath", "/tmp")),
        ]
        if case .kubeconfig = cluster.access {
            mounts.append(obj(("name", "kubeconfig"), ("mountPath", .string(FleetPaths.kubeconfigFolder)), ("readOnly", true)))
        }
        return obj(
            ("name", .string(kind == .drill ? "drill" : "capture")),
            ("image", .string(fleet.image)),
            ("imagePullPolicy", "IfNotPresent"),
            ("command", .array(["/usr/local/bin/standby"])),
            ("args", .array(FleetJob.arguments(cluster, kind: kind).map(JSONValue.string))),
            ("env", .array(env)),
            ("envFrom", cluster.cloudCredentials.map { .array([obj(("secretRef", obj(("name", .string($0)))))]) }),
            ("resources", obj(
                ("requests", obj(("cpu", .string("\(sizing.cpuRequestMillis)m")), ("memory", .string("\(sizing.memoryRequestMiB)Mi")))),
                ("limits", obj(("memory", .string("\(sizing.memoryLimitMiB)Mi")))))),
            ("securityContext", obj(("allowPrivilegeEscalation", false), ("readOnlyRootFilesystem", true),
                                    ("capabilities", obj(("drop", .array(["ALL"])))))),
            ("volumeMounts", .array(mounts)))
    }

    static func volumes(_ cluster: FleetCluster) -> [JSONValue] {
        var volumes: [JSONValue] = [
            obj(("name", "runbook"), ("configMap", obj(("name", .string(runbookConfigMap(cluster)))))),
            obj(("name", "keys"), ("secret", obj(("secretName", .string(cluster.keys)), ("defaultMode", 0o400)))),
            obj(("name", "tmp"), ("emptyDir", obj())),
        ]
        if let dir = cluster.textfileDirectory {
            volumes.append(obj(("name", "metrics"), ("hostPath", obj(("path", .string(dir)), ("type", "DirectoryOrCreate")))))
        } else {
            volumes.append(obj(("name", "metrics"), ("emptyDir", obj())))
        }
        if case .kubeconfig(let secret, _) = cluster.access {
            volumes.append(obj(("name", "kubeconfig"), ("secret", obj(("secretName", .string(secret)), ("defaultMode", 0o400)))))
        }
        return volumes
    }

    static func podSpec(_ cluster: FleetCluster, _ fleet: FleetSpec, kind: FleetJob.Kind) -> JSONValue {
        obj(("serviceAccountName", .string(name(cluster))),
            ("automountServiceAccountToken", .bool(cluster.access == .inCluster)),
            ("restartPolicy", "Never"),
            ("securityContext", obj(("runAsNonRoot", true), ("runAsUser", 65532), ("runAsGroup", 65532), ("fsGroup", 65532),
                                    ("seccompProfile", obj(("type", "RuntimeDefault"))))),
            ("containers", .array([container(cluster, fleet, kind: kind)])),
            ("volumes", .array(volumes(cluster))))
    }
}

/// A JSON object from pairs, leaving out the nil ones.
func obj(_ pairs: (String, JSONValue?)...) -> JSONValue {
    .object(JSONObject(pairs.compactMap { k, v in v.map { (k, $0) } }))
}
