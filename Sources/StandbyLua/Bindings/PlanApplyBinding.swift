import Foundation
import StandbyCore

/// `plan:apply{ target = { azure = {...}, aws = {...}, kube = {...} }, existing = "skip" }`: runs
/// the restore against the recovery environment, Azure first (the AKS clusters), then EKS, then
/// each recovery cluster's Kubernetes objects in restore order, and returns what was created,
/// updated, skipped and failed.
///
/// Only the parts `target` names run; a part of the plan without a target gets one `skipped`
/// record saying so, so nothing is left out silently. Every target is read before the first
/// request (a mistake in one is an error and nothing is applied); a target that cannot be reached
/// (no credentials, a kubeconfig context that does not exist yet) fails its part as records and
/// the others still run.
extension LuaRuntime {
    static func applyPlan(_ box: PlanBox, _ call: LuaCall) throws -> Int {
        try call.checkTable(1)
        let opts = try OptionsTable(call, 1, function: "apply", allowed: ["target", "existing", "timeouts", "in_flight"], opaque: ["after"])
        let timeouts = try readinessTimeouts(opts)
        let width = try inFlight(opts)
        let hookSpecs = try call.functionList(1, field: "after", functionKey: "run") ?? []
        let hooks = try hookSpecs.enumerated().map { n, spec in try restoreHook(spec.fields, spec.function, index: n + 1, runtime: call.runtime) }
        guard case .object(let target)? = opts.object["target"] else {
            throw LuaArgumentError(argument: 1, function: "apply", problem:
                "field 'target' is required: a table naming where to restore, e.g. { aws = { profile = \"dr\" }, kube = { context = \"dr\" } }")
        }
        let known = ["aws", "kube", "azure"]
        for key in target.keys where !known.contains(key) {
            let hint = Suggestion.hint(key, in: known)
            throw LuaArgumentError(argument: 1, function: "apply", problem: "target: unknown field '\(key)'\(hint); known fields: aws, kube, azure")
        }
        let policy: ExistingPolicy
        switch try opts.string("existing") ?? "skip" {
        case "skip": policy = .skip
        case "update": policy = .update
        case let other:
            throw LuaArgumentError(argument: 1, function: "apply", problem: "field 'existing' must be \"skip\" or \"update\", got \"\(other)\"")
        }
        let plan = box.plan

        // Every target is read before anything is applied, so a mistake in one stops the call
        // before any request; what can only fail by connecting becomes a failed record instead.
        var azureTarget: (settings: AzureSettings, location: String, name: String)?
        if let deployment = plan.azure, !deployment.creates.isEmpty,
           let azure = try section(target, "azure", fields: ["subscription", "endpoint", "location", "name"]) {
            guard let site = plan.translation.settings.to.azure else {
                throw LuaError("apply: the plan has Azure resources but its translation has no Azure recovery site")
            }
            azureTarget = (try azureSettings(azure, subscription: try azure.string("subscription") ?? site.subscription),
                           try azure.string("location") ?? site.location, try azure.string("name") ?? "standby-recovery")
        }
        var awsTarget: AWSSettings?
        if !plan.eks.isEmpty, let aws = try section(target, "aws", fields: awsFields) {
            awsTarget = try awsSettings(aws, region: plan.eks.first?.requests.first?.region)
        }
        var kubeTargets: [String: KubeTarget] = [:]
        for set in plan.kubernetes where !set.manifests.isEmpty {
            let spec = try kubeTarget(target["kube"], cluster: set.cluster, only: plan.kubernetes.count == 1)
            if case .eks? = spec {
                guard awsTarget != nil, plan.eks.contains(where: { $0.cluster == set.cluster }) else {
                    throw LuaError("apply: target.kube for \(set.cluster) is { eks = true }, which reaches an EKS cluster this plan "
                        + "creates with target.aws's credentials: " + (awsTarget == nil ? "give target.aws" : "the plan creates no EKS cluster \(set.cluster)"))
                }
            }
            kubeTargets[set.cluster] = spec
        }

        let progress = ProgressReporters.automatic()
        defer { progress.finish() }
        var report = ApplyReport()

        // Azure: the ARM deployment.
        if let deployment = plan.azure, !deployment.creates.isEmpty {
            if let azure = azureTarget {
                let restore = ARMDeploymentRestore(client: ARMClient(settings: azure.settings), location: azure.location, name: azure.name)
                report.append(contentsOf: restore.apply(deployment, progress: progress))
            } else {
                report.append(ApplyRecord(target: "azure", kind: "Microsoft.Resources/deployments", id: "\(deployment.creates.count) resources",
                                          outcome: .skipped, message: "no target.azure given"))
            }
        }

        // AWS: the EKS request plans.
        for eks in plan.eks where awsTarget == nil {
            report.append(ApplyRecord(target: "aws", kind: "AWS::EKS::Cluster", id: eks.cluster, outcome: .skipped, message: "no target.aws given"))
        }
        var awsSession: AWSSession?
        // The EBS volumes the CreateVolume steps made, written into the PersistentVolumes below.
        var volumes = EBSVolumeHandles()
        if let settings = awsTarget {
            do {
                let session = try AWSSession.connect(settings)
                awsSession = session
                let result = EKSRestore(session: session, policy: policy).run(plan.eks, progress: progress)
                report.append(contentsOf: result.report)
                volumes = result.volumes
            } catch {
                for eks in plan.eks {
                    report.append(ApplyRecord(target: "aws", kind: "AWS::EKS::Cluster", id: eks.cluster, outcome: .failed,
                                              message: "not attempted: cannot reach AWS: \(error)"))
                }
            }
        }

        // Kubernetes: each recovery cluster's objects, the EBS PersistentVolumes naming their new volumes.
        for set in PendingVolumeFill.apply(plan.kubernetes, volumes) where !set.manifests.isEmpty {
            guard let spec = kubeTargets[set.cluster] else {
                report.append(ApplyRecord(target: "kubernetes", kind: "cluster", id: set.cluster, outcome: .skipped,
                                          message: "no target.kube given for this cluster (\(set.manifests.count) objects not applied)"))
                continue
            }
            let connection: KubeConnection
            do {
                switch spec {
                case .kubeconfig(let settings): connection = try KubeConnection.load(settings)
                case .eks:
                    guard let awsSession else { throw LuaError("AWS could not be reached (see the aws records)") }
                    connection = try awsSession.kubeConnection(eksCluster: set.cluster)
                }
            } catch {
                // Typically the recovery cluster was only just created: once its context exists,
                // applying again skips what exists and restores the rest.
                report.append(ApplyRecord(target: "kubernetes", kind: "cluster", id: set.cluster, outcome: .failed,
                                          message: "not attempted (\(set.manifests.count) objects): \(error)"))
                continue
            }
            var restore = KubernetesRestore(connection: connection, policy: policy, timeouts: timeouts, width: width, hooks: hooks)
            restore.pendingVolumes = volumes.failed
            report.append(contentsOf: restore.apply(set, progress: progress))
        }
        for record in report.failed + report.blocked { progress.event(record.description) }
        for hook in report.failedHooks { progress.event(hook.description) }
        box.lastApply = report.clusters
        box.plan.timings.rto = ApplyTiming.rtoLine(report.clusters)
        return try call.push(json(report))
    }

    /// `target[key]` read as an options table with `fields`; nil when absent or `false`.
    private static func section(_ target: JSONObject, _ key: String, fields: [String]) throws -> OptionsTable? {
        switch target[key] {
        case nil, .null?, .bool(false)?: return nil
        case .bool(true)?: return try OptionsTable(object: JSONObject(), function: "apply: target.\(key)")
        case .object(let o)?: return try OptionsTable(object: o, function: "apply: target.\(key)", allowed: fields)
        case let other?: throw LuaError("apply: target.\(key) must be a table, got \(other.typeName)")
        }
    }

    /// How a recovery cluster is reached: a kubeconfig context, or (`{ eks = true }`) the EKS
    /// cluster the plan creates, with target.aws's credentials and no kubeconfig.
    enum KubeTarget {
        case kubeconfig(KubeSettings)
        case eks
    }

    /// The target of recovery cluster `cluster`: `target.kube[cluster]`, or `target.kube` itself
    /// when it names a context, a kubeconfig or `eks` and the plan has one cluster.
    static func kubeTarget(_ value: JSONValue?, cluster: String, only: Bool) throws -> KubeTarget? {
        guard case .object(let kube)? = value else {
            if let value, value != .null, value != .bool(false) { throw LuaError("apply: target.kube must be a table, got \(value.typeName)") }
            return nil
        }
        func spec(_ o: JSONObject, _ name: String) throws -> KubeTarget {
            let opts = try OptionsTable(object: o, function: name, allowed: kubeFields + ["eks"])
            guard let eks = opts.object["eks"] else { return .kubeconfig(try kubeSettings(opts)) }
            guard eks == .bool(true) else { throw LuaError("\(name): eks must be true (or left out), got \(eks)") }
            guard o.count == 1 else { throw LuaError("\(name): give either eks = true or a kubeconfig context, not both") }
            return .eks
        }
        if kube["context"] != nil || kube["kubeconfig"] != nil || kube["eks"] != nil {
            guard only else {
                throw LuaError("apply: the plan restores several clusters: give target.kube per cluster, e.g. { [\"\(cluster)\"] = { context = \"...\" } }")
            }
            return try spec(kube, "apply: target.kube")
        }
        switch kube[cluster] {
        case nil: return nil
        case .object(let o)?: return try spec(o, "apply: target.kube[\"\(cluster)\"]")
        case let other?: throw LuaError("apply: target.kube[\"\(cluster)\"] must be a table, got \(other.typeName)")
        }
    }

    /// `{ summary, ok, records, created, updated, skipped, failed, blocked, clusters, hooks }`; each
    /// record `{ target, kind, id, outcome, message, blocked_by?, converted_from?, applied?, ready? }`.
    static func json(_ report: ApplyReport) -> JSONValue {
        func record(_ r: ApplyRecord) -> JSONValue {
            var o = JSONObject([("target", .string(r.target)), ("kind", .string(r.kind)), ("id", .string(r.id)),
                                ("outcome", .string(r.outcome.rawValue)), ("message", .string(r.message))])
            if !r.blockedBy.isEmpty { o["blocked_by"] = .array(r.blockedBy.map { .string($0) }) }
            if let from = r.convertedFrom { o["converted_from"] = .string(from) }
            if let t = r.applied { o["applied"] = .string(timestamp(t)) }
            if let t = r.ready { o["ready"] = .string(timestamp(t)) }
            return .object(o)
        }
        var pairs: [(String, JSONValue)] = [("summary", .string(report.summary)), ("ok", .bool(report.ok)),
                                            ("records", .array(report.records.map(record)))]
        for outcome in ApplyOutcome.allCases {
            pairs.append((outcome.rawValue, .array(report.records(outcome).map(record))))
        }
        pairs.append(("clusters", .array(report.clusters.map(timing))))
        pairs.append(("hooks", .array(report.hooks.map { h in
            .object(JSONObject([("hook", .string(h.hook)), ("object", .string(h.object)), ("ok", .bool(h.ok)),
                                ("message", .string(h.message)), ("seconds", .double(h.ended.timeIntervalSince(h.started)))]))
        })))
        return .object(JSONObject(pairs))
    }

    /// `{ cluster, started, applied, ready, ended, seconds_to_ready, objects_per_second, objects, sent, failed, blocked, awaited }`.
    static func timing(_ t: ApplyTiming) -> JSONValue {
        var o = JSONObject([("cluster", .string(t.cluster)), ("started", .string(timestamp(t.started)))])
        if let applied = t.applied { o["applied"] = .string(timestamp(applied)) }
        if let ready = t.ready { o["ready"] = .string(timestamp(ready)) }
        o["ended"] = .string(timestamp(t.ended))
        if let s = t.secondsToReady { o["seconds_to_ready"] = .double(s) }
        o["seconds"] = .double(t.seconds)
        if let rate = t.objectsPerSecond { o["objects_per_second"] = .double(rate) }
        for (k, v) in [("objects", t.objects), ("sent", t.sent), ("failed", t.failed), ("blocked", t.blocked), ("awaited", t.awaited)] {
            o[k] = .int(Int64(v))
        }
        return .object(o)
    }

    /// RFC 3339 with milliseconds, UTC.
    static func timestamp(_ date: Date) -> String {
        let formatter = ISO8601DateFormatter()
        formatter.formatOptions = [.withInternetDateTime, .withFractionalSeconds]
        return formatter.string(from: date)
    }

    /// `timeouts = { Deployment = 120, ... }` over the defaults.
    static func readinessTimeouts(_ opts: OptionsTable) throws -> ReadinessTimeouts {
        guard let value = opts.object["timeouts"] else { return ReadinessTimeouts() }
        guard case .object(let o) = value else {
            throw LuaArgumentError(argument: 1, function: opts.function, problem: "field 'timeouts' must be a table of seconds by kind, e.g. { Deployment = 300 }")
        }
        var overrides: [String: Double] = [:]
        for (kind, seconds) in o.pairs {
            let number: Double?
            switch seconds { case .int(let i): number = Double(i); case .double(let d): number = d; default: number = nil }
            guard let number, number >= 0, number.isFinite else {
                throw LuaArgumentError(argument: 1, function: opts.function, problem: "timeouts.\(kind) must be a number of seconds (0: do not wait), got \(seconds.typeName)")
            }
            overrides[kind] = number
        }
        return ReadinessTimeouts(overriding: overrides)
    }

    /// `in_flight = N`: requests in flight at most per cluster (default 16, 1 to 256).
    static func inFlight(_ opts: OptionsTable) throws -> Int {
        guard let value = opts.object["in_flight"] else { return 16 }
        guard let n = value.intValue, (1...256).contains(n) else {
            throw LuaArgumentError(argument: 1, function: opts.function, problem: "field 'in_flight' must be an integer from 1 to 256")
        }
        return Int(n)
    }

    /// One `after` entry: `{ kind?, namespace?, label?, name?, run = function(object, kube) }`.
    static func restoreHook(_ fields: JSONObject, _ function: LuaRef, index: Int, runtime: LuaRuntime) throws -> RestoreHook {
        let where_ = "apply: after[\(index)]"
        let opts = try OptionsTable(object: fields, function: where_, allowed: ["kind", "namespace", "label", "name"])
        var labels: [String: String] = [:]
        switch fields["label"] {
        case nil: break
        case .string(let text)?:
            for term in text.split(separator: ",") {
                let parts = term.split(separator: "=", maxSplits: 1).map { $0.trimmingCharacters(in: .whitespaces) }
                guard parts.count == 2, !parts[0].isEmpty else {
                    throw LuaError("\(where_): label must be \"key=value\" terms separated by commas, got \"\(text)\"")
                }
                labels[parts[0]] = parts[1]
            }
        case .object(let o)?:
            for (k, v) in o.pairs {
                guard let s = v.stringValue else { throw LuaError("\(where_): label.\(k) must be a string") }
                labels[k] = s
            }
        case let other?: throw LuaError("\(where_): label must be a string or a table, got \(other.typeName)")
        }
        let name = try opts.string("name") ?? "after[\(index)]"
        return RestoreHook(name: name, kind: try opts.string("kind"), namespace: try opts.string("namespace"), labels: labels) { [weak runtime] event in
            guard let runtime else { return "the Lua runtime is gone" }
            do {
                _ = try runtime.call(function) { call in
                    try call.push(event.object)
                    try call.push(object: KubeVerbsObject(event.kube, cluster: event.cluster))
                    return 2
                }
                return nil
            } catch let error as LuaScriptError {
                return error.message
            } catch {
                return "\(error)"
            }
        }
    }
}
