/// Builds the ordered EKS API requests that recreate each EKS cluster of a translation, with the
/// translated bodies:
///
/// 1. `CreateCluster` (EKS REST body: `name`, `version`, `roleArn`, `resourcesVpcConfig`,
///    `kubernetesNetworkConfig`, `logging`, `encryptionConfig`, `tags`, `accessConfig`,
///    `upgradePolicy`, `zonalShiftConfig`… — only members `CreateCluster` takes; what EKS reports
///    (`endpoint`, `identity`, `status`, `clusterSecurityGroupId`, `vpcId`…) is left out);
/// 2. `CreateOpenIDConnectProvider` (IAM, Query parameters as an object) for the recovery
///    cluster's issuer, which only step 1 reveals (``EKSRequest/pending``), when the source cluster
///    has an OIDC issuer; its client ids and thumbprints are the source provider's, when it is in
///    the translation, else `sts.amazonaws.com` and none (IAM no longer requires thumbprints);
/// 3. `CreateNodegroup` per node group, after step 1 (`version` and `releaseVersion` are carried
///    as the source has them; a launch template is named by `name` and `version`, its id being the
///    source account's, and `diskSize` and `remoteAccess`, which EKS refuses beside one, are left out);
/// 4. `CreateFargateProfile` per profile, one after another (EKS creates one profile of a cluster
///    at a time).
///
/// Notes (``EKSRecoveryPlan/notes``) name what a person must provide: values still naming the
/// source (subnet and security group ids the translator kept because AWS assigns new ones, a KMS
/// key of the source region), the IAM roles, EC2 key pairs and launch templates the requests
/// expect in the recovery account, and the IRSA roles whose trust policy must name the new OIDC
/// provider after step 2.
public enum EKSPlanBuilder {
    /// Members of the `CreateCluster` request body.
    public static let clusterMembers = [
        "name", "version", "roleArn", "resourcesVpcConfig", "kubernetesNetworkConfig", "logging", "tags",
        "encryptionConfig", "outpostConfig", "accessConfig", "bootstrapSelfManagedAddons", "upgradePolicy",
        "zonalShiftConfig", "remoteNetworkConfig", "computeConfig", "storageConfig", "deletionProtection",
    ]
    /// Members of `resourcesVpcConfig` (`VpcConfigRequest`).
    public static let vpcMembers = ["subnetIds", "securityGroupIds", "endpointPublicAccess", "endpointPrivateAccess", "publicAccessCidrs"]
    /// Members of `kubernetesNetworkConfig` (`KubernetesNetworkConfigRequest`; `serviceIpv6Cidr` is reported only).
    public static let networkMembers = ["serviceIpv4Cidr", "ipFamily", "elasticLoadBalancing"]
    /// Members of `CreateNodegroup`.
    public static let nodegroupMembers = [
        "clusterName", "nodegroupName", "scalingConfig", "diskSize", "subnets", "instanceTypes", "amiType",
        "remoteAccess", "nodeRole", "labels", "taints", "tags", "launchTemplate", "updateConfig", "nodeRepairConfig",
        "capacityType", "version", "releaseVersion",
    ]
    /// Members of `CreateFargateProfile`.
    public static let fargateMembers = ["fargateProfileName", "clusterName", "podExecutionRoleArn", "subnets", "selectors", "tags"]

    /// The plans, one per EKS cluster of the translation, in translation order.
    /// Node groups and Fargate profiles whose cluster is not in the translation get a plan of no
    /// requests whose notes name each of them: nothing creates them, and that is said.
    public static func build(_ translation: Translation) -> [EKSRecoveryPlan] {
        let clusters = translation.resources.filter { $0.source.type == "AWS::EKS::Cluster" }
        var plans = clusters.map { plan(for: $0, in: translation) }
        let names = Set(clusters.map { unwrap($0.source.document)["name"]?.stringValue ?? $0.source.name ?? "" })
        var orphans: [String: [TranslatedResource]] = [:]
        for r in translation.resources where ["AWS::EKS::Nodegroup", "AWS::EKS::FargateProfile"].contains(r.source.type ?? "") {
            let cluster = parentCluster(of: r) ?? ""
            if !names.contains(cluster) { orphans[cluster, default: []].append(r) }
        }
        for (cluster, children) in orphans.sorted(by: { $0.key < $1.key }) {
            plans.append(EKSRecoveryPlan(cluster: cluster.isEmpty ? "(unknown cluster)" : cluster, requests: [], notes: children.map { r in
                PlanNote(subject: r.recoveryID ?? r.source.id, message: "\(r.source.type == "AWS::EKS::Nodegroup" ? "node group" : "Fargate profile") "
                    + "\(r.source.name ?? r.source.id) belongs to EKS cluster \(cluster.isEmpty ? "(not named)" : cluster), which the "
                    + "recovery point does not hold: no request creates it. Capture and select the cluster, or create it in an "
                    + "existing recovery cluster by hand")
            }))
        }
        return plans
    }

    /// The source cluster name of a node group or Fargate profile (`clusterName`, else its ARN).
    static func parentCluster(of r: TranslatedResource) -> String? {
        unwrap(r.source.document)["clusterName"]?.stringValue
            ?? r.source.arn?.resource.split(separator: "/").dropFirst().first.map(String.init)
    }

    /// The body of an EKS describe output (`{"cluster": {...}}` or the object itself).
    public static func unwrap(_ document: JSONValue) -> JSONValue {
        for key in ["cluster", "nodegroup", "fargateProfile"] {
            if let inner = document[key], case .object = inner { return inner }
        }
        return document
    }

    static func plan(for cluster: TranslatedResource, in translation: Translation) -> EKSRecoveryPlan {
        let doc = unwrap(cluster.document)
        let sourceName = unwrap(cluster.source.document)["name"]?.stringValue ?? cluster.source.name ?? ""
        let name = cluster.recoveryID.flatMap(ARN.init).map { $0.resourceID } ?? doc["name"]?.stringValue ?? sourceName
        guard let aws = translation.settings.to.aws else {
            return EKSRecoveryPlan(cluster: name, requests: [], notes: [PlanNote(subject: cluster.source.id, message:
                "no AWS recovery site (to.aws = { account = ..., region = ... }): the cluster cannot be planned")])
        }
        var notes: [PlanNote] = []
        var requests: [EKSRequest] = []
        var sources: [Int: TranslatedResource] = [:]
        func add(_ service: String, _ operation: String, _ body: JSONValue, creates: String, after: [Int],
                 pending: [String: String] = [:], from source: TranslatedResource?) {
            let step = requests.count + 1
            requests.append(EKSRequest(step: step, service: service, operation: operation, account: aws.account,
                                       region: aws.region, body: body, creates: creates, after: after, pending: pending))
            if let source { sources[step] = source }
        }

        // 1. The cluster.
        var body = pick(doc, clusterMembers)
        body["name"] = .string(name)
        if case .object(let vpc)? = doc["resourcesVpcConfig"] {
            body["resourcesVpcConfig"] = .object(pick(.object(vpc), vpcMembers))
        }
        if case .object(let network)? = doc["kubernetesNetworkConfig"] {
            var n = pick(.object(network), networkMembers)
            if network["elasticLoadBalancing"]?["enabled"]?.boolValue != true { n["elasticLoadBalancing"] = nil }
            body["kubernetesNetworkConfig"] = .object(n)
        }
        // EKS Auto Mode blocks are sent only when on (describe reports them off for other clusters).
        for key in ["computeConfig", "storageConfig"] where !isEnabled(doc[key]) { body[key] = nil }
        if case .object(let access)? = doc["accessConfig"] {
            body["accessConfig"] = .object(pick(.object(access), ["authenticationMode", "bootstrapClusterCreatorAdminPermissions"]))
        }
        if doc["outpostConfig"] != nil {
            notes.append(PlanNote(subject: cluster.source.id, message: "an EKS cluster on AWS Outposts cannot be recreated "
                + "in another region: outpostConfig names the source's Outpost"))
        }
        let clusterARN = cluster.recoveryID ?? "arn:\(aws.partition):eks:\(aws.region):\(aws.account):cluster/\(name)"
        add("eks", "CreateCluster", .object(body), creates: clusterARN, after: [], from: cluster)

        // 2. The OIDC provider of the recovery cluster's issuer.
        if let issuer = doc["identity"]?["oidc"]?["issuer"]?.stringValue, !issuer.isEmpty {
            let provider = sourceProvider(issuer, in: translation)
            var iam: [(String, JSONValue)] = []
            let clients = provider.flatMap { listValue($0, "ClientIDList") } ?? ["sts.amazonaws.com"]
            iam.append(("ClientIDList", .array(clients)))
            if let thumbprints = provider.flatMap({ listValue($0, "ThumbprintList") }), !thumbprints.isEmpty {
                iam.append(("ThumbprintList", .array(thumbprints)))
            }
            let tags = (provider?.document["Tags"]?.arrayValue ?? []).filter {
                !($0["Key"]?.stringValue?.lowercased().hasPrefix("aws:") ?? false)
            }
            if !tags.isEmpty { iam.append(("Tags", .array(tags))) }
            add("iam", "CreateOpenIDConnectProvider", .object(JSONObject(iam)),
                creates: "arn:\(aws.partition):iam::\(aws.account):oidc-provider/(issuer of step 1, without https://)",
                after: [1], pending: ["Url": "step 1 cluster.identity.oidc.issuer"], from: provider)
        }

        // 3. Node groups.
        let groups = children(of: sourceName, type: "AWS::EKS::Nodegroup", in: translation)
        for ng in groups {
            let d = unwrap(ng.document)
            var b = pick(d, nodegroupMembers)
            b["clusterName"] = .string(name)
            if case .object(var lt)? = d["launchTemplate"] {
                if lt["name"] != nil { lt["id"] = nil }
                b["launchTemplate"] = .object(pick(.object(lt), ["name", "version", "id"]))
                // EKS refuses `diskSize` and `remoteAccess` beside a launch template (the template
                // sets the disk and the key pair), though some describe answers report defaults.
                for key in ["diskSize", "remoteAccess"] { b[key] = nil }
                if let lname = lt["name"]?.stringValue {
                    notes.append(PlanNote(subject: ng.recoveryID ?? ng.source.id, message: "node group "
                        + "\(d["nodegroupName"]?.stringValue ?? "") uses launch template \(lname) version "
                        + "\(lt["version"]?.stringValue ?? "$Default"): it must exist in account \(aws.account), \(aws.region) before step \(requests.count + 1)"))
                }
            }
            if d["launchTemplate"] == nil, let key = d["remoteAccess"]?["ec2SshKey"]?.stringValue {
                notes.append(PlanNote(subject: ng.recoveryID ?? ng.source.id, message: "EC2 key pair \(key) (node group "
                    + "remote access) must exist in \(aws.region) of account \(aws.account): key pairs are regional"))
            }
            let ngName = d["nodegroupName"]?.stringValue ?? ng.source.name ?? ""
            let creates = ng.recoveryID ?? "arn:\(aws.partition):eks:\(aws.region):\(aws.account):nodegroup/\(name)/\(ngName)"
            add("eks", "CreateNodegroup", .object(b), creates: creates, after: [1], from: ng)
        }

        // 4. Fargate profiles, one at a time.
        var previousFargate: Int?
        for fp in children(of: sourceName, type: "AWS::EKS::FargateProfile", in: translation) {
            let d = unwrap(fp.document)
            var b = pick(d, fargateMembers)
            b["clusterName"] = .string(name)
            let fpName = d["fargateProfileName"]?.stringValue ?? fp.source.name ?? ""
            let creates = fp.recoveryID ?? "arn:\(aws.partition):eks:\(aws.region):\(aws.account):fargateprofile/\(name)/\(fpName)"
            add("eks", "CreateFargateProfile", .object(b), creates: creates, after: [1] + (previousFargate.map { [$0] } ?? []),
                from: fp)
            previousFargate = requests.count
        }

        notes += EKSAccessPlan.append(cluster: name, source: sourceName, in: translation, aws: aws,
                                      after: Array(1...requests.count), to: &requests, sources: &sources)
        notes += unmapped(requests, sources)
        let sourceIssuer = unwrap(cluster.source.document)["identity"]?["oidc"]?["issuer"]?.stringValue
        notes += roles(requests, aws: aws, translation: translation, cluster: name, issuer: sourceIssuer)
        return EKSRecoveryPlan(cluster: name, requests: requests, notes: notes)
    }

    // MARK: - Helpers

    /// The members of `value` named in `keys`, in that order. `tags` lose the keys AWS reserves
    /// (`aws:…`, set by CloudFormation and others), which a create request may not carry.
    public static func pick(_ value: JSONValue, _ keys: [String]) -> JSONObject {
        var out = JSONObject()
        for k in keys {
            guard var v = value[k], !v.isNull else { continue }
            if k == "tags", case .object(let tags) = v {
                v = .object(JSONObject(tags.pairs.filter { !$0.key.lowercased().hasPrefix("aws:") }.map { ($0.key, $0.value) }))
            }
            out[k] = v
        }
        return out
    }

    static func isEnabled(_ value: JSONValue?) -> Bool { value?["enabled"]?.boolValue == true }

    static func listValue(_ r: TranslatedResource, _ key: String) -> [JSONValue]? {
        guard case .array(let a)? = r.document[key], !a.isEmpty else { return nil }
        return a
    }

    /// The translated node groups or Fargate profiles of the source cluster `cluster`, by name.
    static func children(of cluster: String, type: String, in translation: Translation) -> [TranslatedResource] {
        translation.resources.filter { r in r.source.type == type && parentCluster(of: r) == cluster }
        .sorted { ($0.source.name ?? $0.source.id) < ($1.source.name ?? $1.source.id) }
    }

    /// The source account's OIDC provider for `issuer` (`…:oidc-provider/{issuer host and path}`).
    static func sourceProvider(_ issuer: String, in translation: Translation) -> TranslatedResource? {
        var host = issuer.lowercased()
        if host.hasPrefix("https://") { host.removeFirst("https://".count) }
        while host.hasSuffix("/") { host.removeLast() }
        return translation.resources.first { r in
            r.source.type == "AWS::IAM::OIDCProvider" && r.source.id.lowercased().hasSuffix("oidc-provider/" + host)
        }
    }

    /// A note per request whose body still holds a value the translator kept from the source (an
    /// AWS id it cannot derive, a KMS key of the source region).
    static func unmapped(_ requests: [EKSRequest], _ sources: [Int: TranslatedResource]) -> [PlanNote] {
        var out: [PlanNote] = []
        for r in requests {
            guard let source = sources[r.step] else { continue }
            let kept = source.untranslated.filter { $0.disposition != .serverSet }
            guard !kept.isEmpty else { continue }
            var found: [(value: String, reason: String)] = []
            r.body.forEachString { _, s, isKey in
                guard !isKey else { return }
                for k in kept where s == k.value || (k.value.count > 8 && s.contains(k.value)) {
                    if !found.contains(where: { $0.value == k.value }) { found.append((k.value, k.reason)) }
                }
            }
            guard !found.isEmpty else { continue }
            out.append(PlanNote(subject: r.creates, message: "step \(r.step) \(r.operation) still names source values, "
                + "to map (standby.map_id) before the step runs: "
                + found.map { "\($0.value) (\($0.reason))" }.joined(separator: "; ")))
        }
        return out
    }

    /// IAM roles the requests name (the plan does not create them), and IRSA roles whose trust
    /// policy must name the recovery cluster's OIDC provider.
    static func roles(_ requests: [EKSRequest], aws: AWSSite, translation: Translation, cluster: String,
                      issuer: String?) -> [PlanNote] {
        var out: [PlanNote] = []
        var roles: [String] = []
        for r in requests {
            for key in ["roleArn", "nodeRole", "podExecutionRoleArn", "serviceAccountRoleArn", "principalArn"] {
                if let arn = r.body[key]?.stringValue, !roles.contains(arn) { roles.append(arn) }
            }
        }
        if !roles.isEmpty {
            out.append(PlanNote(subject: cluster, message: "IAM roles \(roles.joined(separator: ", ")) must exist in account "
                + "\(aws.account) before the steps that name them: this plan does not create IAM roles"))
        }
        if let oidc = requests.first(where: { $0.operation == "CreateOpenIDConnectProvider" }), let issuer {
            // `oidc.eks.{region}.amazonaws.com/id/{ID}`, as trust policies write it.
            var host = issuer
            if host.lowercased().hasPrefix("https://") { host.removeFirst("https://".count) }
            while host.hasSuffix("/") { host.removeLast() }
            let irsa = translation.resources.filter { r in
                r.source.type == "AWS::IAM::Role"
                    && r.untranslated.contains { $0.reason == EKSTranslation.oidc && $0.value.contains(host) }
            }
            let names = irsa.map { $0.recoveryID ?? $0.source.id }
            if !names.isEmpty {
                out.append(PlanNote(subject: cluster, message: "after step \(oidc.step) (\(oidc.operation)), the trust policies "
                    + "of \(names.joined(separator: ", ")) must name the recovery cluster's OIDC provider and issuer instead of "
                    + "the source's"))
            }
        }
        return out
    }
}
