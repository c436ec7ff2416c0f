import Foundation
import StandbyCore

/// `plan:verify{ target = { kube = {...} } }`: checks every recovery cluster the target names
/// against the plan (``KubernetesVerify``) and returns what failed, with each cluster's start,
/// ready and end times: the recovery time of the last `plan:apply`, measured to the moment
/// verification found everything in place.
extension LuaRuntime {
    static func verifyPlan(_ box: PlanBox, _ call: LuaCall) throws -> Int {
        try call.checkTable(1)
        let opts = try OptionsTable(call, 1, function: "verify", allowed: ["target"])
        guard case .object(let target)? = opts.object["target"], target["kube"] != nil else {
            throw LuaArgumentError(argument: 1, function: "verify", problem:
                "field 'target' is required: a table naming the recovery clusters, e.g. { kube = { context = \"dr\" } }")
        }
        for key in target.keys where key != "kube" {
            throw LuaArgumentError(argument: 1, function: "verify", problem: "target: unknown field '\(key)'; verify reads Kubernetes clusters: target.kube")
        }
        let plan = box.plan
        var targets: [String: KubeSettings] = [:]
        for set in plan.kubernetes where !set.manifests.isEmpty {
            switch try kubeTarget(target["kube"], cluster: set.cluster, only: plan.kubernetes.count == 1) {
            case .kubeconfig(let settings)?: targets[set.cluster] = settings
            case .eks?: throw LuaError("verify: target.kube for \(set.cluster) is { eks = true }; give its kubeconfig context instead")
            case nil: break
            }
        }
        var report = VerifyReport(records: [], clusters: [])
        var skipped: [String] = []
        for set in plan.kubernetes where !set.manifests.isEmpty {
            guard let settings = targets[set.cluster] else { skipped.append(set.cluster); continue }
            do {
                let connection = try KubeConnection.load(settings)
                report.append(contentsOf: KubernetesVerify(connection: connection, frontends: plan.sandbox?.frontends ?? []).verify(set))
            } catch {
                throw LuaError("verify: cannot reach \(set.cluster): \(error)")
            }
        }
        var clusters: [JSONValue] = []
        for timing in report.clusters {
            let apply = box.lastApply.first { $0.cluster == timing.cluster }
            let failed = report.records.filter { !$0.ok }.count
            var o = JSONObject([("cluster", .string(timing.cluster))])
            if let apply { o["started"] = JSONValue.string(Self.timestamp(apply.started)) }
            o["verified"] = JSONValue.string(Self.timestamp(timing.ended))
            if let apply {
                // Ready: when the apply saw everything ready, confirmed by this verification.
                if failed == 0, let ready = apply.ready {
                    o["ready"] = JSONValue.string(Self.timestamp(ready))
                    o["rto_seconds"] = JSONValue.double(ready.timeIntervalSince(apply.started))
                }
                o["ended"] = JSONValue.string(Self.timestamp(apply.ended))
                o["apply"] = self.timing(apply)
            } else {
                o["note"] = JSONValue.string("no plan:apply ran in this script: start and ready times unknown, no recovery time measured")
            }
            clusters.append(.object(o))
        }
        func record(_ r: VerifyRecord) -> JSONValue {
            .object(JSONObject([("kind", .string(r.kind)), ("id", .string(r.id)), ("ok", .bool(r.ok)), ("message", .string(r.message))]))
        }
        let failed = report.failed
        var summary = "\(report.records.count - failed.count) of \(report.records.count) objects as planned"
        if !skipped.isEmpty { summary += "; not verified (no target.kube given): \(skipped.joined(separator: ", "))" }
        return try call.push(.object(JSONObject([
            ("summary", .string(summary)), ("ok", .bool(failed.isEmpty && skipped.isEmpty)),
            ("records", .array(report.records.map(record))), ("failed", .array(failed.map(record))),
            ("clusters", .array(clusters)), ("not_verified", .array(skipped.map { .string($0) })),
        ])))
    }
}
