import Foundation

/// What happened to one thing a restore tried to create.
public enum ApplyOutcome: String, Sendable, Hashable, CaseIterable {
    /// It did not exist and was created.
    case created
    /// It existed and, under the `update` policy, was updated to the plan's form.
    case updated
    /// It existed and was left alone (the `skip` policy, or a resource an API cannot update).
    case skipped
    /// The request failed, or the object did not become ready in time; ``ApplyRecord/message``
    /// says why.
    case failed
    /// Not attempted: something it depends on failed or was blocked; ``ApplyRecord/blockedBy``
    /// names what.
    case blocked
}

/// What a restore does with an object or resource that already exists in the recovery
/// environment, as Velero's `--existing-resource-policy` (`none` there is `skip` here).
public enum ExistingPolicy: String, Sendable, Hashable, CaseIterable {
    case skip, update
}

/// One line of an ``ApplyReport``.
public struct ApplyRecord: Sendable, Hashable, CustomStringConvertible {
    /// Which connector: `aws`, `kubernetes`, `azure`.
    public var target: String
    /// What it is: `CreateCluster`, `apps/v1 Deployment`, `Microsoft.Resources/deployments`.
    public var kind: String
    /// The recovery id or name (`arn:aws:eks:…`, `shop/web`).
    public var id: String
    public var outcome: ApplyOutcome
    /// Why it was skipped or failed, or what was learned (a new cluster's OIDC issuer).
    public var message: String
    /// For a ``ApplyOutcome/blocked`` object: what it depends on that failed or was blocked
    /// (`v1 ConfigMap shop/settings`).
    public var blockedBy: [String] = []
    /// The `apiVersion` the plan had, when the object was converted to one the target serves.
    public var convertedFrom: String?
    /// When the server answered its apply (or said it exists).
    public var applied: Date?
    /// When it was seen ready (CRD Established, workload available, claim Bound, Service with
    /// ready endpoints); nil when readiness was not awaited or not reached.
    public var ready: Date?

    public init(target: String, kind: String, id: String, outcome: ApplyOutcome, message: String = "") {
        self.target = target; self.kind = kind; self.id = id; self.outcome = outcome; self.message = message
    }

    public var description: String {
        "\(outcome.rawValue) \(target) \(kind) \(id)" + (message.isEmpty ? "" : ": \(message)")
    }
}

/// Everything one restore did, in the order it did it.
public struct ApplyReport: Sendable {
    public var records: [ApplyRecord]
    /// Per recovery cluster: when its restore started, was applied, was ready and ended.
    public var clusters: [ApplyTiming] = []
    /// The restore hooks that ran (``RestoreHook``), in the order they ran.
    public var hooks: [HookRecord] = []

    public init(records: [ApplyRecord] = []) { self.records = records }

    public mutating func append(_ record: ApplyRecord) { records.append(record) }
    public mutating func append(contentsOf other: ApplyReport) {
        records.append(contentsOf: other.records)
        clusters.append(contentsOf: other.clusters)
        hooks.append(contentsOf: other.hooks)
    }

    public func records(_ outcome: ApplyOutcome) -> [ApplyRecord] { records.filter { $0.outcome == outcome } }
    public var created: [ApplyRecord] { records(.created) }
    public var updated: [ApplyRecord] { records(.updated) }
    public var skipped: [ApplyRecord] { records(.skipped) }
    public var failed: [ApplyRecord] { records(.failed) }
    public var blocked: [ApplyRecord] { records(.blocked) }
    /// Hooks that raised an error.
    public var failedHooks: [HookRecord] { hooks.filter { !$0.ok } }

    /// Nothing failed, nothing was blocked, every hook ran through.
    public var ok: Bool { failed.isEmpty && blocked.isEmpty && failedHooks.isEmpty }

    /// `3 created, 1 updated, 2 skipped, 0 failed`, then `, 2 blocked` and `, 1 hook failed` when
    /// there are any.
    public var summary: String {
        var parts = [ApplyOutcome.created, .updated, .skipped, .failed].map { "\(records($0).count) \($0.rawValue)" }
        if !blocked.isEmpty { parts.append("\(blocked.count) blocked") }
        if !failedHooks.isEmpty { parts.append("\(failedHooks.count) hook\(failedHooks.count == 1 ? "" : "s") failed") }
        return parts.joined(separator: ", ")
    }
}
