/// Who may reach each EKS cluster and with which AWS identities its workloads act: its access
/// entries (`ListAccessEntries`, `DescribeAccessEntry`; only under the `API` and
/// `API_AND_CONFIG_MAP` authentication modes, as EKS refuses them otherwise) with their access policies
/// (`ListAssociatedAccessPolicies`, stored as aws-cli prints it: cluster, principal and the list),
/// its pod identity associations (`ListPodIdentityAssociations`, `DescribePodIdentityAssociation`)
/// and managed add-ons (`ListAddons`, `DescribeAddon`). Every page is followed.
extension AWSDiscovery.Reader {
    mutating func readAccess(_ names: [String]) throws {
        for (n, name) in names.enumerated() {
            progress.update("reading eks access and add-ons", done: n, total: names.count)
            // Access entries exist only under the API authentication modes; EKS refuses the calls otherwise.
            let cluster = clusters.first { $0["name"]?.stringValue == name }
            let mode = cluster?["accessConfig"]?["authenticationMode"]?.stringValue ?? "CONFIG_MAP"
            let entries = mode == "CONFIG_MAP" ? [] : try restPages(.eks, "ListAccessEntries", ["clusters", name, "access-entries"], list: "accessEntries")
                .compactMap(\.stringValue)
            for principal in entries {
                let path = ["clusters", name, "access-entries", principal]
                let answer = try session.rest(.eks, "DescribeAccessEntry", "GET", path)
                try add(answer, .eks, "clusters/\(name)/access-entries/\(principal)")
                if let d = answer["accessEntry"] { children.append(d) }
                let policies = try restPages(.eks, "ListAssociatedAccessPolicies", path + ["access-policies"],
                                             list: "associatedAccessPolicies")
                guard !policies.isEmpty else { continue }
                let list: JSONValue = .object(JSONObject([("clusterName", .string(name)), ("principalArn", .string(principal)),
                                                          ("associatedAccessPolicies", .array(policies))]))
                try add(list, .eks, "clusters/\(name)/access-entries/\(principal)/access-policies")
            }
            let associations = try restPages(.eks, "ListPodIdentityAssociations", ["clusters", name, "pod-identity-associations"],
                                             list: "associations")
            for id in associations.compactMap({ $0["associationId"]?.stringValue }) {
                let answer = try session.rest(.eks, "DescribePodIdentityAssociation", "GET",
                                              ["clusters", name, "pod-identity-associations", id])
                try add(answer, .eks, "clusters/\(name)/pod-identity-associations/\(id)")
                if let d = answer["association"] { children.append(d) }
            }
            for addon in try restPages(.eks, "ListAddons", ["clusters", name, "addons"], list: "addons").compactMap(\.stringValue) {
                let answer = try session.rest(.eks, "DescribeAddon", "GET", ["clusters", name, "addons", addon])
                try add(answer, .eks, "clusters/\(name)/addons/\(addon)")
                if let d = answer["addon"] { children.append(d) }
            }
        }
        progress.update("reading eks access and add-ons", done: names.count, total: names.count)
    }

    /// IAM roles of this account the access entries, pod identity associations and add-ons name.
    var accessRoles: [String] {
        var out: [String] = []
        for d in children {
            for key in ["roleArn", "targetRoleArn", "serviceAccountRoleArn", "principalArn"] {
                guard let arn = d[key]?.stringValue, let parsed = ARN(arn), parsed.service == "iam",
                      parsed.account == session.account, EKSAccessTypes.principal(arn) == .role else { continue }
                out.append(arn)
            }
        }
        return out
    }
}
