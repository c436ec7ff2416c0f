/// The requests of an EKS recovery plan that give the recovery cluster its access and workload
/// identities, after the cluster, its node groups and Fargate profiles (EKS creates the access
/// entries of node and pod execution roles itself as those are created; the restore then finds
/// them and skips their requests):
///
/// 1. `CreateAccessEntry` per access entry (`principalArn`, `kubernetesGroups`, `username`, `type`,
///    `tags`; EKS sets the user name and groups of `EC2_LINUX`, `EC2_WINDOWS` and `FARGATE_LINUX`
///    entries itself and refuses them), then `AssociateAccessPolicy` per policy associated with it,
///    with its access scope. An entry whose principal is still the source's (an IAM user or SSO role
///    not mapped, see ``ClusterAccessTranslation``) is left out with a note, with its policies.
/// 2. `CreatePodIdentityAssociation` per association an add-on does not own.
/// 3. `CreateAddon` per add-on with its captured `addonVersion`, `configurationValues`,
///    `serviceAccountRoleArn`, `namespaceConfig`, its own pod identity associations
///    (`podIdentityAssociations`: service account and role) and `resolveConflicts` `OVERWRITE`,
///    so the captured configuration replaces the self-managed copy a new cluster starts with.
enum EKSAccessPlan {
    static let entryMembers = ["principalArn", "kubernetesGroups", "tags", "username", "type"]
    static let associationMembers = ["namespace", "serviceAccount", "roleArn", "tags", "disableSessionTags", "targetRoleArn", "policy"]
    static let addonMembers = ["addonName", "addonVersion", "serviceAccountRoleArn", "tags", "configurationValues"]
    /// Entry types whose user name and groups EKS sets.
    static let systemEntryTypes: Set<String> = ["EC2_LINUX", "EC2_WINDOWS", "FARGATE_LINUX", "EC2", "HYBRID_LINUX", "HYPERPOD_LINUX"]

    /// Appends the access requests for the source cluster `sourceName` (recovery name `name`) to
    /// `requests`, each after `after`; the notes say what was left out and why.
    static func append(cluster name: String, source sourceName: String, in translation: Translation, aws: AWSSite,
                       after: [Int], to requests: inout [EKSRequest], sources: inout [Int: TranslatedResource]) -> [PlanNote] {
        var notes: [PlanNote] = []
        func add(_ operation: String, _ body: JSONObject, creates: String, after: [Int], from source: TranslatedResource) -> Int {
            var b = JSONObject([("clusterName", JSONValue.string(name))])
            for (k, v) in body.pairs { b[k] = v }
            let step = requests.count + 1
            requests.append(EKSRequest(step: step, service: "eks", operation: operation, account: aws.account, region: aws.region,
                                       body: .object(b), creates: creates, after: after))
            sources[step] = source
            return step
        }
        let arnBase = "arn:\(aws.partition):eks:\(aws.region):\(aws.account)"

        // 1. Access entries and their policies.
        var policies = EKSPlanBuilder.children(of: sourceName, type: EKSAccessTypes.accessPolicies, in: translation)
        for entry in EKSPlanBuilder.children(of: sourceName, type: EKSAccessTypes.accessEntry, in: translation) {
            let d = entry.document
            let sourcePrincipal = entry.source.document["principalArn"]?.stringValue ?? ""
            let mine = policies.filter { $0.source.document["principalArn"]?.stringValue == sourcePrincipal }
            policies.removeAll { $0.source.document["principalArn"]?.stringValue == sourcePrincipal }
            if let kept = entry.untranslated.first(where: { $0.path == "principalArn" }) {
                let count = mine.reduce(0) { $0 + ($1.document["associatedAccessPolicies"]?.arrayValue?.count ?? 0) }
                notes.append(PlanNote(subject: entry.source.id, message: "access entry of \(kept.value) left out of the plan"
                    + (count > 0 ? " with its \(count) access polic\(count == 1 ? "y" : "ies")" : "") + ": it is \(kept.reason)"))
                continue
            }
            var body = EKSPlanBuilder.pick(d, entryMembers)
            if systemEntryTypes.contains(d["type"]?.stringValue ?? "") {
                body["username"] = nil
                body["kubernetesGroups"] = nil
            }
            if body["kubernetesGroups"]?.arrayValue?.isEmpty == true { body["kubernetesGroups"] = nil }
            if body["tags"]?.objectValue?.isEmpty == true { body["tags"] = nil }
            let principal = d["principalArn"]?.stringValue ?? ""
            let entryStep = add("CreateAccessEntry", body, creates: entry.recoveryID ?? "\(arnBase):access-entry/\(name) for \(principal)",
                                after: after, from: entry)
            for list in mine {
                for p in list.document["associatedAccessPolicies"]?.arrayValue ?? [] {
                    guard let policy = p["policyArn"]?.stringValue else { continue }
                    var scope = EKSPlanBuilder.pick(p["accessScope"] ?? .null, ["type", "namespaces"])
                    if scope["namespaces"]?.arrayValue?.isEmpty == true { scope["namespaces"] = nil }
                    let b = JSONObject([("principalArn", .string(principal)), ("policyArn", .string(policy)),
                                        ("accessScope", .object(scope))])
                    _ = add("AssociateAccessPolicy", b, creates: "\(policy) for \(principal)", after: [entryStep], from: list)
                }
            }
        }
        for orphan in policies {
            notes.append(PlanNote(subject: orphan.source.id, message: "access policies of \(orphan.source.name ?? "") left out of the plan: "
                + "the recovery point holds no access entry for that principal (capture `aws eks describe-access-entry` too)"))
        }

        // 2. Pod identity associations not owned by an add-on.
        let associations = EKSPlanBuilder.children(of: sourceName, type: EKSAccessTypes.podIdentityAssociation, in: translation)
        for a in associations where a.source.document["ownerArn"]?.stringValue == nil {
            let d = a.document
            let sa = "\(d["namespace"]?.stringValue ?? "")/\(d["serviceAccount"]?.stringValue ?? "")"
            _ = add("CreatePodIdentityAssociation", EKSPlanBuilder.pick(d, associationMembers),
                    creates: a.recoveryID ?? "\(arnBase):podidentityassociation/\(name) for \(sa)", after: after, from: a)
        }

        // 3. Add-ons, with the associations they own.
        for addon in EKSPlanBuilder.children(of: sourceName, type: EKSAccessTypes.addon, in: translation) {
            let d = addon.document
            var body = EKSPlanBuilder.pick(d, addonMembers)
            if let ns = d["namespaceConfig"]?["namespace"]?.stringValue { body["namespaceConfig"] = ["namespace": .string(ns)] }
            if body["tags"]?.objectValue?.isEmpty == true { body["tags"] = nil }
            let sourceARN = addon.source.document["addonArn"]?.stringValue
            let owned = associations.filter { sourceARN != nil && $0.source.document["ownerArn"]?.stringValue == sourceARN }
            if !owned.isEmpty {
                body["podIdentityAssociations"] = .array(owned.map { a in
                    .object(JSONObject([("serviceAccount", a.document["serviceAccount"] ?? ""), ("roleArn", a.document["roleArn"] ?? "")]))
                })
            }
            let named = (addon.source.document["podIdentityAssociations"]?.arrayValue ?? []).compactMap(\.stringValue)
            let missing = named.filter { arn in !owned.contains { $0.source.id == arn } }
            if !missing.isEmpty {
                notes.append(PlanNote(subject: addon.source.id, message: "add-on \(d["addonName"]?.stringValue ?? "") names pod identity "
                    + "associations the recovery point does not hold (\(missing.joined(separator: ", "))): it is created without them"))
            }
            body["resolveConflicts"] = "OVERWRITE"
            let addonName = d["addonName"]?.stringValue ?? addon.source.name ?? ""
            _ = add("CreateAddon", body, creates: addon.recoveryID ?? "\(arnBase):addon/\(name)/\(addonName)", after: after, from: addon)
        }
        return notes
    }
}
