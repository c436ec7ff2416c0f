import ArgumentParser
import Foundation
import StandbyCore
import StandbyLua

extension Standby.FleetCommand {
    /// `standby fleet run`: one scheduled run for one cluster, as a rendered CronJob or Argo step
    /// runs it. Capture (the runbook), retention, metrics; with `--drill`, a plan from the new
    /// point checked and its report stored beside the point.
    struct FleetRun: ParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "run",
            abstract: "One scheduled run for one cluster: capture with the runbook, apply retention, export metrics.",
            discussion: """
                The runbook gets its settings as key=value arguments (cluster, cloud, id, kubeconfig, store, keys, \
                endpoint, region) and calls standby.capture{...}; every capture is written under the --lock policy \
                when the store can enforce it (S3 Object Lock), and says so when it cannot. Then retention runs on \
                --store (locked points are kept until their date), and the metrics are written to --metrics-file \
                (a node-exporter textfile) and pushed to --pushgateway. Exit status: 0 when a whole point was \
                captured and retention ran; 1 otherwise (the metrics say the run failed).
                """)

        @OptionGroup var lua: LuaOptions
        @Option(help: "The cluster's name in the fleet.") var cluster: String
        @Option(help: "aks, eks or kubernetes.") var cloud: String = "kubernetes"
        @Option(name: .customLong("cluster-id"), help: "The control plane's id (AKS managed cluster id, EKS ARN).") var clusterID: String?
        @Option(help: ArgumentHelp("The capture runbook.", valueName: "runbook.lua"), completion: .file(extensions: ["lua"])) var runbook: String
        @Option(help: ArgumentHelp("The kubeconfig the runbook reads the cluster with.", valueName: "path"), completion: .file()) var kubeconfig: String?
        @Option(help: ArgumentHelp("The store: s3://bucket/prefix, file:///path or a folder.", valueName: "store")) var store: String
        @Option(help: ArgumentHelp("An S3-compatible endpoint.", valueName: "url")) var endpoint: String?
        @Option(help: "The S3 region.") var region: String?
        @Option(help: ArgumentHelp("The folder with signing.key, signing.pub and recovery.pub.", valueName: "dir"), completion: .directory) var keys: String
        @Option(help: "Keep the newest N points.") var keepLast: Int
        @Option(help: "Also keep the newest point of each of the last D days.") var keepDaily: Int = 0
        @Option(help: "Also keep the newest point of each of the last W weeks.") var keepWeekly: Int = 0
        @Option(help: "Object Lock mode for new points: governance or compliance.") var lock: String?
        @Option(help: "Object Lock days for new points.") var lockDays: Int?
        @Option(help: ArgumentHelp("Write the metrics here (a node-exporter textfile).", valueName: "file.prom")) var metricsFile: String?
        @Option(help: ArgumentHelp("Push the metrics to this Pushgateway.", valueName: "url")) var pushgateway: String?
        @Option(help: ArgumentHelp("Also drill: this runbook plans from the new point in test mode; the plan is checked and the report stored beside the point.", valueName: "drill.lua"))
        var drill: String?

        func validate() throws {
            if keepLast < 1 { throw ValidationError("--keep-last must be at least 1: the newest point is always kept") }
            if keepDaily < 0 || keepWeekly < 0 { throw ValidationError("--keep-daily and --keep-weekly cannot be negative") }
            if (lock == nil) != (lockDays == nil) { throw ValidationError("give --lock MODE and --lock-days N together") }
            if let lock, ObjectLockPolicy.Mode(name: lock) == nil { throw ValidationError("--lock must be governance or compliance, not '\(lock)'") }
            if let lockDays, lockDays < 1 { throw ValidationError("--lock-days must be at least 1") }
        }

        func run() throws {
            let started = Date()
            var metrics = RunMetrics(cluster: cluster, cloud: cloud, kind: drill == nil ? "capture" : "drill")
            var failure: String?
            do {
                try capture(into: &metrics)
                metrics.success = true
            } catch let e as RunFailure {
                failure = e.message
            } catch {
                failure = "\(error)"
            }
            metrics.finished = Date()
            metrics.durationSeconds = metrics.finished.timeIntervalSince(started)
            if metrics.success { metrics.lastSuccess = metrics.finished }
            var exportProblems: [String] = []
            if let metricsFile {
                if let previous = try? String(contentsOfFile: metricsFile, encoding: .utf8) { metrics.carry(from: previous) }
                else if !metrics.success { metrics.consecutiveFailures = 1 }
                do { try MetricsExport.writeTextfile(metrics.exposition(), to: metricsFile) } catch { exportProblems.append("\(error)") }
            } else if !metrics.success {
                metrics.consecutiveFailures = 1
            }
            if let pushgateway {
                do { try MetricsExport.push(metrics.exposition(), to: pushgateway, cluster: cluster, kind: metrics.kind) } catch { exportProblems.append("\(error)") }
            }
            for problem in exportProblems { FileHandle.standardError.write(Data("standby: metrics not exported: \(problem)\n".utf8)) }
            if let failure {
                FileHandle.standardError.write(Data("standby: \(cluster): the scheduled run FAILED: \(failure)\n".utf8))
                throw ExitCode(1)
            }
            if !exportProblems.isEmpty { throw ExitCode(1) }
        }

        struct RunFailure: Error { var message: String }

        /// Runs the runbook, checks what it captured, applies retention, and drills.
        private func capture(into metrics: inout RunMetrics) throws {
            let policy = lock.flatMap(ObjectLockPolicy.Mode.init(name:)).map { ObjectLockPolicy(mode: $0, days: lockDays ?? 1) }
            let runtime = try LuaRuntime(limits: lua.limits, stdlibPath: try lua.stdlibPath(), luaPaths: lua.luaPaths)
            runtime.defaultLock = policy
            var settings = ["cluster=\(cluster)", "cloud=\(cloud)", "store=\(store)", "keys=\(keys)"]
            if let clusterID { settings.append("id=\(clusterID)") }
            if let kubeconfig { settings.append("kubeconfig=\(kubeconfig)") }
            if let endpoint { settings.append("endpoint=\(endpoint)") }
            if let region { settings.append("region=\(region)") }
            do {
                _ = try runtime.run(file: runbook, arguments: settings)
            } catch let e as LuaScriptError {
                throw RunFailure(message: "\(e)")
            }
            guard let id = runtime.capturedPoints.last else {
                throw RunFailure(message: "\(runbook) captured nothing: it must call standby.capture{ selection = sel, to = <store>, ... }")
            }
            let pointStore = try PointStores.open(store, endpoint: endpoint, region: region, existing: true)
            let catalog = PointCatalog(store: pointStore)
            guard let summary = try catalog.list().first(where: { $0.id == id }) else {
                throw RunFailure(message: "\(runbook) captured \(id), but not into --store \(store): retention and metrics apply to --store")
            }
            metrics.objects = summary.objects
            metrics.bytes = summary.size
            metrics.volumes = try catalog.persistentVolumes(in: id)
            if let note = runtime.lockNotes[id] { print("  \(note)") }
            metrics.locked = policy == nil ? nil : runtime.lockNotes[id] == nil
            print("captured \(id): \(summary.objects) objects, \(summary.size) bytes\(metrics.locked == true ? ", locked (\(policy!.mode.rawValue.lowercased()), \(policy!.days) days)" : "")")
            let report = try catalog.pruneReport(RetentionPolicy(keepLast: keepLast, keepDailyDays: keepDaily, keepWeeklyWeeks: keepWeekly), now: Date())
            metrics.pointsPruned = report.pruned.count
            metrics.pointsLockedKept = report.locked.count
            metrics.pointsKept = report.kept
            for pruned in report.pruned { print("pruned \(pruned)") }
            for kept in report.locked { print("kept \(kept.id): retention would prune it, but it is locked until \(kept.retention.untilText)") }
            if let drill {
                let outcome = try FleetDrillRun(runbook: drill, point: id, store: pointStore, lua: lua,
                                                settings: settings + ["point=\(id)"], lock: policy).run()
                metrics.drillSuccess = outcome
                if !outcome { throw RunFailure(message: "the drill's plan from \(id) failed its checks (report beside the point: \(id)/drill/report.md)") }
            }
            if summary.isPartial {
                throw RunFailure(message: "\(id) is PARTIAL: its capture could not read \(summary.gaps.map { "\($0)" }.joined(separator: "; ")); it is kept, but a restore uses it only when asked for")
            }
        }

    }
}
