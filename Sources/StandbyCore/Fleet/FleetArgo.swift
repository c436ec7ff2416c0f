/// A fleet as Argo Workflows `CronWorkflow`s: one per distinct schedule, fanning out over the
/// clusters that share it, at most `concurrency` at once (the workflow's `parallelism`).
///
/// Argo runs in one management cluster, so the jobs reach the clusters through kubeconfig
/// Secrets; a cluster with in-cluster access is the management cluster itself. Written:
/// - `argo-workflows.yaml`, for the management cluster: the Namespace, the workflow's
///   ServiceAccount with the one write Argo's executor needs (a namespaced Role allowing
///   `create` and `patch` on `workflowtaskresults`, how a step reports its result), the
///   runbook ConfigMaps and the CronWorkflows;
/// - `<cluster>.yaml`, for each cluster: the ServiceAccount with the read-only ClusterRole
///   (whose token the kubeconfig Secret should hold).
enum FleetArgo {
    static let serviceAccount = "standby-argo"

    static func render(_ fleet: FleetSpec) -> FleetRendering {
        var files: [(name: String, documents: [JSONValue])] = []
        var notes: [String] = []
        var management: [JSONValue] = [FleetObjects.namespace(fleet)] + executorAccess(fleet)
        for cluster in fleet.clusters {
            files.append((cluster.name + ".yaml", [
                FleetObjects.namespace(fleet), FleetObjects.serviceAccount(cluster, fleet),
                FleetObjects.clusterRole(cluster), FleetObjects.clusterRoleBinding(cluster, fleet),
            ]))
            management.append(FleetObjects.runbookMap(cluster, fleet))
            notes += FleetRendering.notes(cluster)
            if cluster.access == .inCluster {
                notes.append("\(cluster.name): in-cluster access under Argo reads the management cluster Argo runs in; give it a kubeconfig Secret to reach another cluster")
            }
        }
        // One CronWorkflow per schedule, in the order schedules first appear.
        var schedules: [(schedule: CronSchedule, jobs: [(FleetCluster, FleetJob.Kind)])] = []
        func add(_ schedule: CronSchedule, _ job: (FleetCluster, FleetJob.Kind)) {
            if let i = schedules.firstIndex(where: { $0.schedule == schedule }) { schedules[i].jobs.append(job) } else { schedules.append((schedule, [job])) }
        }
        for cluster in fleet.clusters {
            add(cluster.schedule, (cluster, .capture))
            if let drill = cluster.drill { add(drill.schedule, (cluster, .drill)) }
        }
        for (n, entry) in schedules.enumerated() {
            management.append(cronWorkflow("standby-fleet-\(n + 1)", entry.schedule, entry.jobs, fleet))
        }
        files.insert(("argo-workflows.yaml", management), at: 0)
        return FleetRendering(files: files, notes: notes)
    }

    static func executorAccess(_ fleet: FleetSpec) -> [JSONValue] {
        let meta = obj(("name", .string(serviceAccount)), ("namespace", .string(fleet.namespace)),
                       ("labels", obj(("app.kubernetes.io/name", "standby"))))
        return [
            obj(("apiVersion", "v1"), ("kind", "ServiceAccount"), ("metadata", meta)),
            obj(("apiVersion", "rbac.authorization.k8s.io/v1"), ("kind", "Role"), ("metadata", meta),
                ("rules", .array([obj(("apiGroups", .array(["argoproj.io"])), ("resources", .array(["workflowtaskresults"])),
                                      ("verbs", .array(["create", "patch"])))]))),
            obj(("apiVersion", "rbac.authorization.k8s.io/v1"), ("kind", "RoleBinding"), ("metadata", meta),
                ("roleRef", obj(("apiGroup", "rbac.authorization.k8s.io"), ("kind", "Role"), ("name", .string(serviceAccount)))),
                ("subjects", .array([obj(("kind", "ServiceAccount"), ("name", .string(serviceAccount)), ("namespace", .string(fleet.namespace)))]))),
        ]
    }

    static func cronWorkflow(_ name: String, _ schedule: CronSchedule, _ jobs: [(FleetCluster, FleetJob.Kind)], _ fleet: FleetSpec) -> JSONValue {
        let templates: [JSONValue] = jobs.map { cluster, kind in
            let pod = FleetObjects.podSpec(cluster, fleet, kind: kind)
            return obj(("name", .string(templateName(cluster, kind))),
                       ("metadata", obj(("labels", FleetObjects.labels(cluster)))),
                       // IntOrString fields: Argo's published schema types them as strings.
                       ("activeDeadlineSeconds", .string(String(cluster.deadlineSeconds))),
                       ("retryStrategy", obj(("limit", .string(String(cluster.backoffLimit))), ("retryPolicy", "OnFailure"))),
                       ("securityContext", pod["securityContext"]),
                       ("container", FleetObjects.container(cluster, fleet, kind: kind)),
                       ("volumes", pod["volumes"]))
        }
        let steps: JSONValue = .array([.array(jobs.map { cluster, kind in
            obj(("name", .string(templateName(cluster, kind))), ("template", .string(templateName(cluster, kind))),
                ("continueOn", obj(("failed", true))))
        })])
        let deadline = jobs.map { $0.0.deadlineSeconds * ($0.0.backoffLimit + 1) }.max() ?? 7200
        return obj(("apiVersion", "argoproj.io/v1alpha1"), ("kind", "CronWorkflow"),
                   ("metadata", obj(("name", .string(name)), ("namespace", .string(fleet.namespace)),
                                    ("labels", obj(("app.kubernetes.io/name", "standby"))))),
                   ("spec", obj(
                       ("schedules", .array([.string(schedule.text)])),
                       ("timezone", "Etc/UTC"),
                       ("concurrencyPolicy", "Forbid"),
                       ("startingDeadlineSeconds", .int(Int64(min(3600, max(60, schedule.period / 4))))),
                       ("successfulJobsHistoryLimit", 3),
                       ("failedJobsHistoryLimit", 3),
                       ("workflowSpec", obj(
                           ("entrypoint", "fleet"),
                           ("serviceAccountName", .string(serviceAccount)),
                           ("parallelism", .int(Int64(fleet.concurrency))),
                           // Clusters run at most `concurrency` at a time, so the whole fleet may need several rounds.
                           ("activeDeadlineSeconds", .int(Int64(deadline * ((jobs.count + fleet.concurrency - 1) / fleet.concurrency)))),
                           ("podGC", obj(("strategy", "OnPodSuccess"))),
                           ("templates", .array([obj(("name", "fleet"), ("steps", steps))] + templates)))))))
    }

    static func templateName(_ cluster: FleetCluster, _ kind: FleetJob.Kind) -> String {
        "\(kind.rawValue)-\(cluster.name)"
    }
}
