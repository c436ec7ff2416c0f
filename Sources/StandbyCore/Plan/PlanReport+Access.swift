/// The access sections of `report.md`: who can reach each recovered cluster (EKS access entries
/// and their access policies, Azure role assignments scoped to an AKS cluster or its resource
/// group), and which workloads get which cloud identity (EKS Pod Identity associations, add-on
/// roles, IRSA and Azure workload identity annotations of service accounts). Each row says what the
/// plan does with it: the step or template that recreates it, or why it is left out.
extension PlanReport {
    var accessSection: [String] {
        let t = plan.translation
        var reach: [String] = []
        var steps: [String: Int] = [:]
        for p in plan.eks {
            for r in p.requests where r.operation == "CreateAccessEntry" || r.operation == "CreatePodIdentityAssociation" {
                let key = r.operation == "CreateAccessEntry" ? (r.body["principalArn"]?.stringValue ?? "")
                    : "\(r.body["namespace"]?.stringValue ?? "")/\(r.body["serviceAccount"]?.stringValue ?? "")"
                steps["\(p.cluster)|\(key)"] = r.step
            }
        }
        let policies = t.resources.filter { $0.source.type == EKSAccessTypes.accessPolicies }
        for e in t.resources where e.source.type == EKSAccessTypes.accessEntry {
            let d = e.document
            let cluster = t.ids.clusterName(e.source.document["clusterName"]?.stringValue ?? "")
            let principal = d["principalArn"]?.stringValue ?? ""
            let sourcePrincipal = e.source.document["principalArn"]?.stringValue
            var access: [String] = []
            let groups = (d["kubernetesGroups"]?.arrayValue ?? []).compactMap(\.stringValue)
            if !groups.isEmpty { access.append("groups " + groups.joined(separator: ", ")) }
            for list in policies where list.source.document["principalArn"]?.stringValue == sourcePrincipal
                && list.source.document["clusterName"] == e.source.document["clusterName"] {
                for p in list.document["associatedAccessPolicies"]?.arrayValue ?? [] {
                    let name = (p["policyArn"]?.stringValue ?? "").split(separator: "/").last.map(String.init) ?? "?"
                    access.append("\(name) (\(EKSRestore.scopeText(p["accessScope"] ?? .null)))")
                }
            }
            let kept = e.untranslated.first { $0.path == "principalArn" }
            let status = kept.map { "left out: \($0.reason)" }
                ?? steps["\(cluster)|\(principal)"].map { "EKS plan step \($0)" } ?? "not in a plan"
            reach.append("| EKS `\(Self.cell(cluster))` | `\(Self.cell(principal))` | access entry \(d["type"]?.stringValue ?? "STANDARD") | "
                + "\(Self.cell(access.isEmpty ? "—" : access.joined(separator: "; "))) | \(Self.cell(status)) |")
        }
        let inTemplate = Set((plan.azure?.creates ?? []).map { $0.lowercased() })
        for a in t.resources where a.source.type?.lowercased() == AzureAccessTypes.roleAssignment.lowercased() {
            let p = a.document["properties"]
            let scope = AzureAccessTypes.scope(of: a.source).flatMap { t.ids.map($0)?.recoveryID ?? $0 } ?? "?"
            let scopeName = ARMResourceID(scope).map { $0.isResourceGroup ? "group \($0.resourceGroup ?? "")" : $0.name } ?? scope
            let status = a.recoveryID.map { inTemplate.contains($0.lowercased()) ? "ARM template" : "left out (see Needs a person)" }
                ?? "no recovery id"
            reach.append("| Azure `\(Self.cell(scopeName))` | `\(p?["principalId"]?.stringValue ?? "?")` (\(p?["principalType"]?.stringValue ?? "?")) | "
                + "role assignment | \(Self.cell(AzureAccessTypes.roleName(p?["roleDefinitionId"]?.stringValue ?? ""))) | \(status) |")
        }

        var identities: [String] = []
        for a in t.resources where a.source.type == EKSAccessTypes.podIdentityAssociation {
            let d = a.document
            let cluster = t.ids.clusterName(a.source.document["clusterName"]?.stringValue ?? "")
            let sa = "\(d["namespace"]?.stringValue ?? "")/\(d["serviceAccount"]?.stringValue ?? "")"
            let how = a.source.document["ownerArn"] != nil ? "EKS Pod Identity, created with its add-on"
                : steps["\(cluster)|\(sa)"].map { "EKS Pod Identity, EKS plan step \($0)" } ?? "EKS Pod Identity"
            identities.append("| EKS `\(Self.cell(cluster))` | `\(sa)` | `\(Self.cell(d["roleArn"]?.stringValue ?? ""))` | \(how) |")
        }
        for a in t.resources where a.source.type == EKSAccessTypes.addon {
            guard let role = a.document["serviceAccountRoleArn"]?.stringValue else { continue }
            let cluster = t.ids.clusterName(a.source.document["clusterName"]?.stringValue ?? "")
            identities.append("| EKS `\(Self.cell(cluster))` | add-on `\(a.document["addonName"]?.stringValue ?? "")` | `\(Self.cell(role))` | "
                + "add-on service account role (IRSA) |")
        }
        for r in t.resources where r.source.kind == "ServiceAccount" {
            let annotations = r.document["metadata"]?["annotations"]
            let sa = "\(r.source.namespace ?? "")/\(r.source.name ?? "")"
            let cluster = t.ids.clusterName(r.source.cluster ?? "")
            if let role = annotations?["eks.amazonaws.com/role-arn"]?.stringValue {
                identities.append("| EKS `\(Self.cell(cluster))` | `\(sa)` | `\(Self.cell(role))` | IRSA annotation |")
            }
            if let client = annotations?["azure.workload.identity/client-id"]?.stringValue {
                identities.append("| AKS `\(Self.cell(cluster))` | `\(sa)` | client id `\(Self.cell(client))` | Azure workload identity annotation |")
            }
        }
        guard !reach.isEmpty || !identities.isEmpty else { return [] }
        var md: [String] = []
        if !reach.isEmpty {
            md += ["## Who can reach the recovered cluster", "",
                   "| Cluster | Principal | Through | Access | In the plan |", "|---|---|---|---|---|"]
            md += reach
            md.append("")
        }
        if !identities.isEmpty {
            md += ["## Which workloads get which cloud identity", "",
                   "| Cluster | Workload | Identity (recovery) | How |", "|---|---|---|---|"]
            md += identities
            md.append("")
        }
        return md
    }
}
