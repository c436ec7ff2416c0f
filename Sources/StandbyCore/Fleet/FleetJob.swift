/// The command a rendered job runs: `standby fleet run …` for one cluster, with the paths the
/// rendered pod mounts (``FleetPaths``). The CronJob's container and the Argo template both
/// run exactly these arguments, and the tests run them too (with the paths moved to a temporary
/// folder).
public enum FleetJob {
    public enum Kind: String, Sendable { case capture, drill }

    /// The arguments after the executable (`/usr/local/bin/standby`).
    public static func arguments(_ cluster: FleetCluster, kind: Kind = .capture) -> [String] {
        let sizing = FleetSizing(objects: cluster.objects)
        let kubeconfig: String
        switch cluster.access {
        case .inCluster: kubeconfig = FleetPaths.runbookFolder + "/" + FleetPaths.inClusterKubeconfigFile
        case .kubeconfig(_, let key): kubeconfig = FleetPaths.kubeconfigFolder + "/" + key
        }
        var args = ["fleet", "run",
                    "--cluster", cluster.name, "--cloud", cluster.cloud.rawValue,
                    "--runbook", FleetPaths.runbookFolder + "/" + FleetPaths.runbookFile,
                    "--kubeconfig", kubeconfig,
                    "--store", cluster.store,
                    "--keys", FleetPaths.keysFolder,
                    "--keep-last", String(cluster.retention.keepLast),
                    "--keep-daily", String(cluster.retention.keepDailyDays),
                    "--keep-weekly", String(cluster.retention.keepWeeklyWeeks),
                    "--metrics-file", FleetPaths.metricsFolder + "/standby_\(cluster.name.replacingOccurrences(of: "-", with: "_"))\(kind == .drill ? "_drill" : "").prom",
                    "--memory", String(sizing.luaMemoryMiB),
                    "--budget", String(sizing.instructionBudget)]
        if let id = cluster.id { args += ["--cluster-id", id] }
        if let endpoint = cluster.storeEndpoint { args += ["--endpoint", endpoint] }
        if let region = cluster.storeRegion { args += ["--region", region] }
        if let lock = cluster.immutability {
            args += ["--lock", lock.mode.rawValue.lowercased(), "--lock-days", String(lock.days)]
        }
        if let gateway = cluster.pushgateway { args += ["--pushgateway", gateway] }
        if kind == .drill {
            args += ["--drill", FleetPaths.runbookFolder + "/" + FleetPaths.drillFile]
        }
        return args
    }
}
