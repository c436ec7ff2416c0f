/// The access steps of an EKS plan (``EKSAccessPlan``), each looked up first so that running a
/// plan again changes nothing:
///
/// - `CreateAccessEntry`: skipped when `DescribeAccessEntry` finds the principal's entry (EKS
///   creates the entries of node and pod execution roles itself);
/// - `AssociateAccessPolicy`: skipped when `ListAssociatedAccessPolicies` has the policy with the
///   same access scope; a policy associated with another scope is associated again, which sets the
///   plan's scope (`.updated`);
/// - `CreatePodIdentityAssociation`: skipped when `ListPodIdentityAssociations` has one for the
///   service account (its role named when it differs from the plan's);
/// - `CreateAddon`: skipped when `DescribeAddon` finds it; the answer's status is reported (an
///   add-on may stay `CREATING` or `DEGRADED` until nodes run its pods).
extension EKSRestore {
    func createAccessEntry(_ request: EKSRequest, _ run: inout Run) throws -> ApplyRecord {
        let cluster = try string(request, "clusterName"), principal = try string(request, "principalArn")
        try requireActiveCluster(cluster, run)
        if let existing = try describe(["clusters", cluster, "access-entries", principal], "DescribeAccessEntry") {
            run.answers[request.step] = existing
            return record(request, .skipped, existsMessage, id: existing["accessEntry"]?["accessEntryArn"]?.stringValue)
        }
        let answer = try session.rest(.eks, "CreateAccessEntry", "POST", ["clusters", cluster, "access-entries"],
                                      body: .object(withoutCluster(request.body)))
        run.answers[request.step] = answer
        let type = answer["accessEntry"]?["type"]?.stringValue ?? ""
        return record(request, .created, type.isEmpty ? "" : "type \(type)", id: answer["accessEntry"]?["accessEntryArn"]?.stringValue)
    }

    func associateAccessPolicy(_ request: EKSRequest, _ run: inout Run) throws -> ApplyRecord {
        let cluster = try string(request, "clusterName"), principal = try string(request, "principalArn")
        let policy = try string(request, "policyArn")
        let path = ["clusters", cluster, "access-entries", principal, "access-policies"]
        var current: [JSONValue] = []
        var next: String?
        repeat {
            let page = try session.rest(.eks, "ListAssociatedAccessPolicies", "GET", path, query: next.map { [("nextToken", $0)] } ?? [])
            current += page["associatedAccessPolicies"]?.arrayValue ?? []
            next = page["nextToken"]?.stringValue.flatMap { $0.isEmpty ? nil : $0 }
        } while next != nil
        let wanted = request.body["accessScope"] ?? .null
        let existing = current.first { $0["policyArn"]?.stringValue == policy }
        if let existing, Self.sameScope(existing["accessScope"] ?? .null, wanted) {
            return record(request, .skipped, "already associated with this scope")
        }
        _ = try session.rest(.eks, "AssociateAccessPolicy", "POST", path, body: .object(withoutKeys(request.body, ["clusterName", "principalArn"])))
        let scope = Self.scopeText(wanted)
        if existing != nil { return record(request, .updated, "associated again with scope \(scope)") }
        return record(request, .created, "scope \(scope)")
    }

    func createPodIdentityAssociation(_ request: EKSRequest, _ run: inout Run) throws -> ApplyRecord {
        let cluster = try string(request, "clusterName"), namespace = try string(request, "namespace")
        let account = try string(request, "serviceAccount")
        try requireActiveCluster(cluster, run)
        let path = ["clusters", cluster, "pod-identity-associations"]
        let found = try session.rest(.eks, "ListPodIdentityAssociations", "GET", path,
                                     query: [("namespace", namespace), ("serviceAccount", account)])
        if let summary = found["associations"]?.arrayValue?.first, let id = summary["associationId"]?.stringValue {
            let described = try session.rest(.eks, "DescribePodIdentityAssociation", "GET", path + [id])
            run.answers[request.step] = described
            let role = described["association"]?["roleArn"]?.stringValue ?? ""
            let wanted = request.body["roleArn"]?.stringValue ?? ""
            let message = role == wanted ? existsMessage : "already exists with role \(role), not the plan's \(wanted); left as it is"
            return record(request, .skipped, message, id: summary["associationArn"]?.stringValue)
        }
        let answer = try session.rest(.eks, "CreatePodIdentityAssociation", "POST", path, body: .object(withoutCluster(request.body)))
        run.answers[request.step] = answer
        return record(request, .created, "\(namespace)/\(account) → \(request.body["roleArn"]?.stringValue ?? "")",
                      id: answer["association"]?["associationArn"]?.stringValue)
    }

    func createAddon(_ request: EKSRequest, _ run: inout Run) throws -> ApplyRecord {
        let cluster = try string(request, "clusterName"), name = try string(request, "addonName")
        try requireActiveCluster(cluster, run)
        if let existing = try describe(["clusters", cluster, "addons", name], "DescribeAddon") {
            run.answers[request.step] = existing
            let version = existing["addon"]?["addonVersion"]?.stringValue ?? ""
            let wanted = request.body["addonVersion"]?.stringValue ?? version
            let message = version == wanted ? existsMessage : "already exists at version \(version), not the plan's \(wanted); left as it is"
            return record(request, .skipped, message, id: existing["addon"]?["addonArn"]?.stringValue)
        }
        let answer = try session.rest(.eks, "CreateAddon", "POST", ["clusters", cluster, "addons"], body: .object(withoutCluster(request.body)))
        run.answers[request.step] = answer
        let status = answer["addon"]?["status"]?.stringValue ?? ""
        return record(request, .created, "\(request.body["addonVersion"]?.stringValue ?? "default version")" + (status.isEmpty ? "" : ", \(status)"),
                      id: answer["addon"]?["addonArn"]?.stringValue)
    }

    // MARK: - Helpers

    func withoutCluster(_ body: JSONValue) -> JSONObject { withoutKeys(body, ["clusterName"]) }

    /// The body without the members that go in the request's path.
    func withoutKeys(_ body: JSONValue, _ keys: Set<String>) -> JSONObject {
        JSONObject((body.objectValue?.pairs ?? []).filter { !keys.contains($0.key) }.map { ($0.key, $0.value) })
    }

    /// Whether two access scopes are the same (namespaces compared as sets; absent = none).
    static func sameScope(_ a: JSONValue, _ b: JSONValue) -> Bool {
        func namespaces(_ v: JSONValue) -> Set<String> { Set((v["namespaces"]?.arrayValue ?? []).compactMap(\.stringValue)) }
        return a["type"]?.stringValue == b["type"]?.stringValue && namespaces(a) == namespaces(b)
    }

    /// `cluster`, or `namespace (orders, payments)`.
    static func scopeText(_ scope: JSONValue) -> String {
        let ns = (scope["namespaces"]?.arrayValue ?? []).compactMap(\.stringValue)
        return (scope["type"]?.stringValue ?? "?") + (ns.isEmpty ? "" : " (\(ns.joined(separator: ", ")))")
    }
}
