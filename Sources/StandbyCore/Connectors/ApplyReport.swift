/// What happened to one thing a restore tried to create.
public enum ApplyOutcome: String, Sendable, Hashable, CaseIterable {
    /// It did not exist and was created.
    case created
    /// It existed and, under the `update` policy, was updated to the plan's form.
    case updated
    /// It existed and was left alone (the `skip` policy, or a resource an API cannot update).
    case skipped
    /// The request failed; ``ApplyRecord/message`` says why.
    case failed
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

    public init(records: [ApplyRecord] = []) { self.records = records }

    public mutating func append(_ record: ApplyRecord) { records.append(record) }
    public mutating func append(contentsOf other: ApplyReport) { records.append(contentsOf: other.records) }

    public func records(_ outcome: ApplyOutcome) -> [ApplyRecord] { records.filter { $0.outcome == outcome } }
    public var created: [ApplyRecord] { records(.created) }
    public var updated: [ApplyRecord] { records(.updated) }
    public var skipped: [ApplyRecord] { records(.skipped) }
    public var failed: [ApplyRecord] { records(.failed) }

    /// `3 created, 1 updated, 2 skipped, 0 failed`.
    public var summary: String {
        ApplyOutcome.allCases.map { "\(records($0).count) \($0.rawValue)" }.joined(separator: ", ")
    }
}
