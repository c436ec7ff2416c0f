/// A fleet as Kubernetes CronJobs: per cluster, in that cluster (`<cluster>.yaml`), the
/// Namespace, ServiceAccount, read-only ClusterRole and binding, runbook ConfigMap, and a
/// CronJob (`concurrencyPolicy: Forbid`, a starting deadline, the job's deadline and backoff
/// limit) that runs ``FleetJob``'s command; a second CronJob for the drill when one is set.
enum FleetCronJobs {
    static func render(_ fleet: FleetSpec) -> FleetRendering {
        var files: [(name: String, documents: [JSONValue])] = []
        var notes: [String] = []
        for cluster in fleet.clusters {
            var docs: [JSONValue] = [
                FleetObjects.namespace(fleet), FleetObjects.serviceAccount(cluster, fleet), FleetObjects.clusterRole(cluster),
                FleetObjects.clusterRoleBinding(cluster, fleet), FleetObjects.runbookMap(cluster, fleet),
                cronJob(cluster, fleet, kind: .capture, schedule: cluster.schedule),
            ]
            if let drill = cluster.drill { docs.append(cronJob(cluster, fleet, kind: .drill, schedule: drill.schedule)) }
            files.append((cluster.name + ".yaml", docs))
            notes += FleetRendering.notes(cluster)
        }
        return FleetRendering(files: files, notes: notes)
    }

    static func cronJob(_ cluster: FleetCluster, _ fleet: FleetSpec, kind: FleetJob.Kind, schedule: CronSchedule) -> JSONValue {
        let name = FleetObjects.name(cluster) + (kind == .drill ? "-drill" : "")
        return obj(("apiVersion", "batch/v1"), ("kind", "CronJob"),
                   ("metadata", FleetObjects.metadata(name, namespace: fleet.namespace, cluster)),
                   ("spec", obj(
                       ("schedule", .string(schedule.text)),
                       ("timeZone", "Etc/UTC"),
                       ("concurrencyPolicy", "Forbid"),
                       // A run missed by more than a quarter of the period (at most an hour) is skipped, not run late.
                       ("startingDeadlineSeconds", .int(Int64(min(3600, max(60, schedule.period / 4))))),
                       ("successfulJobsHistoryLimit", 3),
                       ("failedJobsHistoryLimit", 3),
                       ("jobTemplate", obj(
                           ("metadata", obj(("labels", FleetObjects.labels(cluster)))),
                           ("spec", obj(
                               ("backoffLimit", .int(Int64(cluster.backoffLimit))),
                               ("activeDeadlineSeconds", .int(Int64(cluster.deadlineSeconds))),
                               ("ttlSecondsAfterFinished", 86_400),
                               ("template", obj(
                                   ("metadata", obj(("labels", FleetObjects.labels(cluster)))),
                                   ("spec", FleetObjects.podSpec(cluster, fleet, kind: kind)))))))))))
    }
}
