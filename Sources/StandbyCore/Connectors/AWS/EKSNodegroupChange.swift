/// What `UpdateNodegroupConfig` must change to bring an existing node group to a plan's form:
/// the members EKS can change in place (`scalingConfig`, `labels`, `taints`, `updateConfig`),
/// each only when the plan sets it and the node group differs. Labels and taints are given as
/// EKS takes them: what to add or update, and what to remove.
struct EKSNodegroupChange {
    /// The `UpdateNodegroupConfig` body.
    private(set) var body: JSONObject = JSONObject()
    /// The members that differ, in body order.
    private(set) var fields: [String] = []

    var isEmpty: Bool { fields.isEmpty }

    /// - Parameters:
    ///   - plan: the `CreateNodegroup` body of the plan;
    ///   - current: the node group as `DescribeNodegroup` answers it (the inner object).
    init(plan: JSONValue, current: JSONValue) {
        for key in ["scalingConfig", "updateConfig"] {
            guard let wanted = plan[key], case .object(let members) = wanted else { continue }
            // Compared member by member: the answer may carry members the plan leaves to EKS.
            if members.pairs.contains(where: { current[key]?[$0.key] != $0.value }) {
                body[key] = wanted
                fields.append(key)
            }
        }
        if case .object(let wanted)? = plan["labels"] {
            let have = current["labels"]?.objectValue ?? JSONObject()
            let add = wanted.pairs.filter { have[$0.key] != $0.value }
            let remove = have.keys.filter { wanted[$0] == nil }
            if !add.isEmpty || !remove.isEmpty {
                var change = JSONObject()
                if !add.isEmpty { change["addOrUpdateLabels"] = .object(JSONObject(add.map { ($0.key, $0.value) })) }
                if !remove.isEmpty { change["removeLabels"] = .array(remove.map { .string($0) }) }
                body["labels"] = .object(change)
                fields.append("labels")
            }
        }
        if case .array(let wanted)? = plan["taints"] {
            let have = current["taints"]?.arrayValue ?? []
            func key(_ t: JSONValue) -> String { "\(t["key"]?.stringValue ?? "")|\(t["effect"]?.stringValue ?? "")" }
            let haveByKey = Dictionary(have.map { (key($0), $0) }, uniquingKeysWith: { a, _ in a })
            let wantedKeys = Set(wanted.map(key))
            let add = wanted.filter { haveByKey[key($0)] != $0 }
            let remove = have.filter { !wantedKeys.contains(key($0)) }
            if !add.isEmpty || !remove.isEmpty {
                var change = JSONObject()
                if !add.isEmpty { change["addOrUpdateTaints"] = .array(add) }
                if !remove.isEmpty { change["removeTaints"] = .array(remove) }
                body["taints"] = .object(change)
                fields.append("taints")
            }
        }
    }
}
