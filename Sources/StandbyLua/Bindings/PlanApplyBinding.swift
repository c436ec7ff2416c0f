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
        let opts = try OptionsTable(call, 1, function: "apply", allowed: ["target", "existing"])
        guard case .object(let target)? = opts.object["target"] else {
            throw LuaArgumentError(argument: 1, function: "apply", problem:
                "field 'target' is required: a table naming where to restore, e.g. { aws = { profile = \"dr\" }, kube = { context = \"dr\" } }")
        }
        let known = ["aws", "kube", "azure"]
        for key in target.keys where !known.contains(key) {
            let hint = OptionsTable.closest(key, in: known).map { " (did you mean '\($0)'?)" } ?? ""
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
        if let settings = awsTarget {
            do {
                let session = try AWSSession.connect(settings)
                awsSession = session
                report.append(contentsOf: EKSRestore(session: session, policy: policy).apply(plan.eks, progress: progress))
            } catch {
                for eks in plan.eks {
                    report.append(ApplyRecord(target: "aws", kind: "AWS::EKS::Cluster", id: eks.cluster, outcome: .failed,
                                              message: "not attempted: cannot reach AWS: \(error)"))
                }
            }
        }

        // Kubernetes: each recovery cluster's objects.
        for set in plan.kubernetes where !set.manifests.isEmpty {
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
            report.append(contentsOf: KubernetesRestore(connection: connection, policy: policy).apply(set, progress: progress))
        }
        for record in report.failed { progress.event(record.description) }
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
    private static func kubeTarget(_ value: JSONValue?, cluster: String, only: Bool) throws -> KubeTarget? {
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

    /// `{ summary, ok, records, created, updated, skipped, failed }`; each record `{ target, kind, id, outcome, message }`.
    static func json(_ report: ApplyReport) -> JSONValue {
        func record(_ r: ApplyRecord) -> JSONValue {
            .object(JSONObject([("target", .string(r.target)), ("kind", .string(r.kind)), ("id", .string(r.id)),
                                ("outcome", .string(r.outcome.rawValue)), ("message", .string(r.message))]))
        }
        var pairs: [(String, JSONValue)] = [("summary", .string(report.summary)), ("ok", .bool(report.failed.isEmpty)),
                                            ("records", .array(report.records.map(record)))]
        for outcome in ApplyOutcome.allCases {
            pairs.append((outcome.rawValue, .array(report.records(outcome).map(record))))
        }
        return .object(JSONObject(pairs))
    }
}
