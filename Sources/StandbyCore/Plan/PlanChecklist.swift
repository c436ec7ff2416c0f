/// Everything of a plan that needs a person, grouped by when they act: before the deployment,
/// during it, after it. The first screen of `report.md` and `report.html`, and `checklist` in
/// `report.json`.
///
/// An item's phase is the one the code that made it gave (``PlanNote/phase``). Otherwise it is
/// read from what the message says about timing ("once the cluster exists", "after step 2" →
/// during; "before the deployment", "must exist" → before); a message that says nothing about
/// timing goes after the deployment, and the item says its phase was inferred.
public struct PlanChecklist: Sendable {
    public struct Item: Sendable, Hashable {
        public var phase: PlanPhase
        public var subject: String
        public var message: String
        /// Whether the phase was read from the message (not given by the code that made it).
        public var inferred: Bool
    }

    public let items: [Item]

    public init(_ report: PlanReport) {
        var items: [Item] = []
        let plan = report.plan
        for a in plan.translation.assumed {
            items.append(Item(phase: .before, subject: a.recoveryID, message: "must exist in the recovery environment: \(a.why)",
                              inferred: false))
        }
        for n in plan.notes {
            if let p = n.phase {
                items.append(Item(phase: p, subject: n.subject, message: n.message, inferred: false))
            } else {
                items.append(Item(phase: Self.infer(n.message), subject: n.subject, message: n.message, inferred: true))
            }
        }
        for p in report.needsPerson {
            let message = "\(p.value.path) = \(p.value.value): \(p.value.reason)"
            items.append(Item(phase: Self.infer(p.value.reason), subject: p.display, message: message, inferred: true))
        }
        self.items = items
    }

    public func items(_ phase: PlanPhase) -> [Item] { items.filter { $0.phase == phase } }

    /// Phrases that place a message during the deployment (checked first: "once the cluster
    /// exists, before the PersistentVolume" is during) and before it.
    static let duringPhrases = ["once the cluster exists", "after step", "is created with the cluster", "known only then",
                                "restore fills", "assigns a new", "when the recovery identity is created",
                                "before the kubernetes manifests", "once the recovered"]
    static let beforePhrases = ["before the deployment", "before deploying", "before running", "must exist", "before step",
                                "create it first", "before anything is created", "map ", "now, in production"]

    static func infer(_ message: String) -> PlanPhase {
        let m = message.lowercased()
        if duringPhrases.contains(where: m.contains) { return .during }
        if beforePhrases.contains(where: m.contains) { return .before }
        return .after
    }

    public var jsonValue: JSONValue {
        .array(items.map { i in
            .object(JSONObject([
                ("phase", .string(i.phase.rawValue)), ("subject", .string(i.subject)), ("message", .string(i.message)),
                ("phase_inferred", .bool(i.inferred)),
            ]))
        })
    }
}

/// Recovery point and recovery time figures the report's first screen shows, when known: the
/// point's RPO (how old its volume data is) and the RTO the last apply measured. Filled by
/// whoever knows them (the point's volume data, the apply records); empty, the report says so.
public struct PlanTimings: Sendable, Hashable {
    /// e.g. `volume data 14 min older than the point's Kubernetes objects (3 volumes)`.
    public var rpo: String?
    /// e.g. `aks-prod-weu ready 11 min 20 s after the first request`.
    public var rto: String?

    public init(rpo: String? = nil, rto: String? = nil) { self.rpo = rpo; self.rto = rto }
}
