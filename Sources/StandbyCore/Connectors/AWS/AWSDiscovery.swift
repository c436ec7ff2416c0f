/// Reads an EKS estate from the AWS APIs of one account and region into an inventory:
///
/// - EKS: each cluster (`ListClusters` unless named, `DescribeCluster`), its node groups and
///   Fargate profiles (`ListNodegroups`/`DescribeNodegroup`, `ListFargateProfiles`/`DescribeFargateProfile`),
///   access entries and their policies, pod identity associations and add-ons (`AWSDiscovery+Access.swift`);
/// - EC2: the clusters' VPCs, the subnets and security groups in them, the node groups' launch templates;
/// - IAM: the roles the clusters, node groups and profiles name (`GetRole`), the roles whose trust
///   policy names a cluster's OIDC issuer (IRSA, from `ListRoles`), and the clusters' OIDC
///   providers (`ListOpenIDConnectProviders`, `GetOpenIDConnectProvider`);
/// - ECR repositories, EFS file systems and their access points, and the KMS keys the clusters
///   and file systems encrypt with (`DescribeKey`).
///
/// Each answer goes to the ``InventoryBuilder`` in the shape aws-cli prints it, so the inventory
/// equals one read from aws-cli output files. Every page is followed (`nextToken`, `NextToken`,
/// `Marker`). EKS, EC2 and IAM errors throw at once. ECR, EFS and KMS are read after them, each
/// as a whole; one that fails (a service not used, access not granted) fails the discovery with an
/// ``IncompleteDiscoveryError`` naming every part that failed, unless ``partial`` is set: then
/// each becomes an ``InventoryGap`` (and a note) on the inventory, which is partial.
public struct AWSDiscovery: InventorySource {
    public let session: AWSSession
    /// nil: every EKS cluster of the region.
    public let clusters: [String]?
    /// Whether an ECR, EFS or KMS part that cannot be read becomes a gap on the inventory (true)
    /// rather than an error (false, the default).
    public let partial: Bool

    public init(session: AWSSession, clusters: [String]? = nil, partial: Bool = false) {
        self.session = session
        self.clusters = clusters
        self.partial = partial
    }

    /// - Throws: ``AWSError`` from EKS, EC2 or IAM; ``IncompleteDiscoveryError`` when ECR, EFS or
    ///   KMS could not be read (unless ``partial``).
    public func collect(into builder: inout InventoryBuilder, progress: any ProgressReporter) throws {
        var reader = Reader(session: session, builder: builder, progress: progress)
        try reader.run(clusters)
        guard partial || reader.gaps.isEmpty else { throw IncompleteDiscoveryError(gaps: reader.gaps) }
        for gap in reader.gaps { reader.builder.addGap(gap) }
        builder = reader.builder
    }

    /// One discovery run: what it has found so far, to follow the references.
    struct Reader {
        let session: AWSSession
        var builder: InventoryBuilder
        let progress: any ProgressReporter
        var clusters: [JSONValue] = []
        var children: [JSONValue] = []   // node groups and Fargate profiles
        /// The parts that could not be read.
        var gaps: [InventoryGap] = []

        init(session: AWSSession, builder: InventoryBuilder, progress: any ProgressReporter) {
            self.session = session; self.builder = builder; self.progress = progress
        }

        var options: LoadOptions { LoadOptions(region: session.region, account: session.account, partition: session.partition) }

        mutating func add(_ document: JSONValue, _ service: AWSService, _ path: String) throws {
            let origin = "aws://\(service.signingName).\(session.region)/\(session.account)/\(path)"
            try builder.add(AWSTimestamps.iso8601(in: document), source: SourceRef(path: origin), options: options)
        }

        mutating func run(_ names: [String]?) throws {
            try readEKS(names)
            try readNetworks()
            try readIAM()
            optional("ECR repositories") { try $0.readECR() }
            optional("EFS file systems") { try $0.readEFS() }
            optional("KMS keys") { try $0.readKMS() }
        }

        /// Runs a part whose failure is recorded as a gap rather than thrown at once (the other
        /// parts are still read, so the error names every part that failed).
        mutating func optional(_ what: String, _ part: (inout Reader) throws -> Void) {
            do { try part(&self) } catch {
                gaps.append(InventoryGap(source: "aws account \(session.account) \(session.region)", what: what, reason: "\(error)"))
            }
        }

        // MARK: EKS

        mutating func readEKS(_ names: [String]?) throws {
            progress.update("listing eks clusters", done: 0, total: nil)
            let names = try names ?? restPages(.eks, "ListClusters", ["clusters"], list: "clusters").compactMap(\.stringValue)
            for (n, name) in names.enumerated() {
                progress.update("describing eks clusters", done: n, total: names.count)
                let answer = try session.rest(.eks, "DescribeCluster", "GET", ["clusters", name])
                guard let cluster = answer["cluster"], case .object = cluster else {
                    throw AWSError(service: "eks", operation: "DescribeCluster", code: nil,
                                   message: "the answer for \(name) has no cluster", status: 200)
                }
                try add(answer, .eks, "clusters/\(name)")
                builder.addCluster(Cluster(name: name, cloud: .aws, controlPlaneID: cluster["arn"]?.stringValue))
                clusters.append(cluster)
            }
            progress.update("describing eks clusters", done: names.count, total: names.count)

            var groups: [(cluster: String, name: String)] = []
            var profiles: [(cluster: String, name: String)] = []
            for name in names {
                progress.update("listing eks node groups", done: groups.count, total: nil)
                groups += try restPages(.eks, "ListNodegroups", ["clusters", name, "node-groups"], list: "nodegroups")
                    .compactMap(\.stringValue).map { (name, $0) }
                profiles += try restPages(.eks, "ListFargateProfiles", ["clusters", name, "fargate-profiles"],
                                          list: "fargateProfileNames").compactMap(\.stringValue).map { (name, $0) }
            }
            for (n, g) in groups.enumerated() {
                progress.update("listing eks node groups", done: n, total: groups.count)
                let answer = try session.rest(.eks, "DescribeNodegroup", "GET", ["clusters", g.cluster, "node-groups", g.name])
                try add(answer, .eks, "clusters/\(g.cluster)/node-groups/\(g.name)")
                if let d = answer["nodegroup"] { children.append(d) }
            }
            for (n, p) in profiles.enumerated() {
                progress.update("listing eks fargate profiles", done: n, total: profiles.count)
                let answer = try session.rest(.eks, "DescribeFargateProfile", "GET",
                                              ["clusters", p.cluster, "fargate-profiles", p.name])
                try add(answer, .eks, "clusters/\(p.cluster)/fargate-profiles/\(p.name)")
                if let d = answer["fargateProfile"] { children.append(d) }
            }
            progress.update("listing eks fargate profiles", done: profiles.count, total: profiles.count)
            try readAccess(names)
        }

        /// Every item of `list` over the pages of a REST-JSON list call (`nextToken`).
        func restPages(_ service: AWSService, _ operation: String, _ segments: [String], list: String,
                       query: [(name: String, value: String)] = [], token: String = "nextToken",
                       nextToken: String = "nextToken") throws -> [JSONValue] {
            var items: [JSONValue] = []
            var next: String?
            repeat {
                let answer = try session.rest(service, operation, "GET", segments, query: query + (next.map { [(token, $0)] } ?? []))
                items += answer[list]?.arrayValue ?? []
                next = answer[nextToken]?.stringValue.flatMap { $0.isEmpty ? nil : $0 }
            } while next != nil
            return items
        }

        // MARK: EC2

        mutating func readNetworks() throws {
            var vpcs = unique(clusters.compactMap { $0["resourcesVpcConfig"]?["vpcId"]?.stringValue })
            // Subnets name their VPC, for clusters whose description has no `vpcId`.
            let subnets = unique(clusters.flatMap { ($0["resourcesVpcConfig"]?["subnetIds"]?.arrayValue ?? []) }
                .compactMap(\.stringValue) + children.flatMap { $0["subnets"]?.arrayValue ?? [] }.compactMap(\.stringValue))
            progress.update("listing ec2 networks", done: 0, total: 3)
            if !subnets.isEmpty {
                let named = try ec2Pages("DescribeSubnets", ["SubnetId": .array(subnets.map { .string($0) })], set: "subnetSet")
                vpcs = unique(vpcs + named.compactMap { $0["VpcId"]?.stringValue })
            }
            guard !vpcs.isEmpty else { return }
            let inVPCs: JSONValue = ["Filter": [["Name": "vpc-id", "Value": .array(vpcs.map { .string($0) })]]]
            try add(["Vpcs": .array(try ec2Pages("DescribeVpcs", ["VpcId": .array(vpcs.map { .string($0) })], set: "vpcSet"))],
                    .ec2, "vpcs")
            progress.update("listing ec2 networks", done: 1, total: 3)
            try add(["Subnets": .array(try ec2Pages("DescribeSubnets", inVPCs, set: "subnetSet"))], .ec2, "subnets")
            progress.update("listing ec2 networks", done: 2, total: 3)
            try add(["SecurityGroups": .array(try ec2Pages("DescribeSecurityGroups", inVPCs, set: "securityGroupInfo"))],
                    .ec2, "security-groups")
            progress.update("listing ec2 networks", done: 3, total: 3)

            let templates = children.compactMap { $0["launchTemplate"] }
            let ids = unique(templates.compactMap { $0["id"]?.stringValue })
            let names = unique(templates.filter { $0["id"] == nil }.compactMap { $0["name"]?.stringValue })
            var found: [JSONValue] = []
            if !ids.isEmpty {
                found += try ec2Pages("DescribeLaunchTemplates", ["LaunchTemplateId": .array(ids.map { .string($0) })],
                                      set: "launchTemplates")
            }
            if !names.isEmpty {
                found += try ec2Pages("DescribeLaunchTemplates", ["LaunchTemplateName": .array(names.map { .string($0) })],
                                      set: "launchTemplates")
            }
            if !found.isEmpty { try add(["LaunchTemplates": .array(found)], .ec2, "launch-templates") }
        }

        /// Every item of the `set` element over the pages of an EC2 describe call (`NextToken`).
        func ec2Pages(_ action: String, _ parameters: JSONValue, set: String) throws -> [JSONValue] {
            var items: [JSONValue] = []
            var next: String?
            repeat {
                var p = AWSQueryParameters.flatten(parameters, style: .ec2)
                if let next { p.append(("NextToken", next)) }
                let answer = try session.query(.ec2, action, p)
                if let list = answer[set], case .array(let a) = AWSQueryAnswer.json(list) { items += a }
                next = answer.text("nextToken").flatMap { $0.isEmpty ? nil : $0 }
            } while next != nil
            return items
        }

        // MARK: IAM

        mutating func readIAM() throws {
            var roleARNs: [String] = []
            for c in clusters { if let r = c["roleArn"]?.stringValue { roleARNs.append(r) } }
            for d in children {
                for key in ["nodeRole", "podExecutionRoleArn"] { if let r = d[key]?.stringValue { roleARNs.append(r) } }
            }
            roleARNs = unique(roleARNs + accessRoles)
            let issuers = unique(clusters.compactMap { $0["identity"]?["oidc"]?["issuer"]?.stringValue }.map(Self.issuerHost))
            var roles: [JSONValue] = []
            for (n, arn) in roleARNs.enumerated() {
                progress.update("reading iam roles", done: n, total: roleARNs.count)
                let name = String(arn.split(separator: "/").last ?? "")
                do {
                    let answer = try session.query(.iam, "GetRole", [("RoleName", name)])
                    if let role = answer.first("Role") { roles.append(AWSQueryAnswer.json(role)) }
                } catch let error as AWSError where error.isNotFound {
                    builder.addNote("IAM role \(arn), named by an EKS resource, does not exist")
                }
            }
            if !issuers.isEmpty {
                // Roles trusting a cluster's OIDC provider (IRSA) are named only by Kubernetes service accounts.
                var marker: String?
                repeat {
                    var p: [(name: String, value: String)] = []
                    if let marker { p.append(("Marker", marker)) }
                    let answer = try session.query(.iam, "ListRoles", p)
                    for member in answer.first("Roles")?.children ?? [] {
                        let role = AWSQueryAnswer.json(member)
                        let trust = JSONSerializer.serialize(role["AssumeRolePolicyDocument"] ?? .null)
                        let arn = role["Arn"]?.stringValue ?? ""
                        if issuers.contains(where: { trust.contains($0) }), !roleARNs.contains(arn) {
                            roles.append(role)
                            roleARNs.append(arn)
                        }
                    }
                    marker = answer.first("IsTruncated")?.text == "true" ? answer.first("Marker")?.text : nil
                } while marker != nil
            }
            if !roles.isEmpty { try add(["Roles": .array(roles)], .iam, "roles") }

            guard !issuers.isEmpty else { return }
            progress.update("reading iam oidc providers", done: 0, total: nil)
            let list = try session.query(.iam, "ListOpenIDConnectProviders")
            var providers: [JSONValue] = []
            for arn in (list.first("OpenIDConnectProviderList")?.children ?? []).compactMap({ $0.text("Arn") }) {
                guard issuers.contains(where: { arn.hasSuffix("oidc-provider/" + $0) }) else { continue }
                let answer = try session.query(.iam, "GetOpenIDConnectProvider", [("OpenIDConnectProviderArn", arn)])
                var item = JSONObject([("Arn", .string(arn))])
                if let result = answer.first("GetOpenIDConnectProviderResult"), case .object(let o) = AWSQueryAnswer.json(result) {
                    for (k, v) in o.pairs { item[k] = v }
                }
                providers.append(.object(item))
            }
            if !providers.isEmpty { try add(["OpenIDConnectProviderList": .array(providers)], .iam, "oidc-providers") }
        }

        /// `https://oidc.eks.us-east-1.amazonaws.com/id/ABC/` → `oidc.eks.us-east-1.amazonaws.com/id/ABC`.
        static func issuerHost(_ issuer: String) -> String {
            var host = issuer
            if host.lowercased().hasPrefix("https://") { host.removeFirst("https://".count) }
            while host.hasSuffix("/") { host.removeLast() }
            return host
        }

        // MARK: ECR, EFS, KMS

        mutating func readECR() throws {
            progress.update("listing ecr repositories", done: 0, total: nil)
            var repositories: [JSONValue] = []
            var next: String?
            repeat {
                var body = JSONObject([("maxResults", .int(1000))])
                if let next { body["nextToken"] = .string(next) }
                let answer = try session.json(.ecr, "DescribeRepositories", .object(body))
                repositories += answer["repositories"]?.arrayValue ?? []
                next = answer["nextToken"]?.stringValue
            } while next != nil
            if !repositories.isEmpty { try add(["repositories": .array(repositories)], .ecr, "repositories") }
        }

        mutating func readEFS() throws {
            progress.update("listing efs file systems", done: 0, total: nil)
            var systems: [JSONValue] = []
            var marker: String?
            repeat {
                let answer = try session.rest(.efs, "DescribeFileSystems", "GET", ["2015-02-01", "file-systems"],
                                              query: marker.map { [("Marker", $0)] } ?? [])
                systems += answer["FileSystems"]?.arrayValue ?? []
                marker = answer["NextMarker"]?.stringValue.flatMap { $0.isEmpty ? nil : $0 }
            } while marker != nil
            guard !systems.isEmpty else { return }
            try add(["FileSystems": .array(systems)], .efs, "file-systems")
            var points: [JSONValue] = []
            for (n, id) in systems.compactMap({ $0["FileSystemId"]?.stringValue }).enumerated() {
                progress.update("listing efs access points", done: n, total: systems.count)
                points += try restPages(.efs, "DescribeAccessPoints", ["2015-02-01", "access-points"], list: "AccessPoints",
                                        query: [("FileSystemId", id)], token: "NextToken", nextToken: "NextToken")
            }
            if !points.isEmpty { try add(["AccessPoints": .array(points)], .efs, "access-points") }
            for fs in systems { if let key = fs["KmsKeyId"]?.stringValue { keys.append(key) } }
        }

        /// KMS keys named by the file systems read (the clusters' are added in ``readKMS()``).
        var keys: [String] = []

        mutating func readKMS() throws {
            var wanted = clusters.flatMap { c in
                (c["encryptionConfig"]?.arrayValue ?? []).compactMap { $0["provider"]?["keyArn"]?.stringValue }
            }
            wanted = unique(wanted + keys).filter { key in
                // A key of another region or account cannot be described from here.
                guard let arn = ARN(key) else { return true }
                return arn.region == session.region && arn.account == session.account
            }
            for (n, key) in wanted.enumerated() {
                progress.update("reading kms keys", done: n, total: wanted.count)
                let answer = try session.json(.kms, "DescribeKey", ["KeyId": .string(key)])
                try add(answer, .kms, "keys/\(key.split(separator: "/").last ?? "")")
            }
        }

        func unique(_ values: [String]) -> [String] {
            var seen = Set<String>()
            return values.filter { seen.insert($0).inserted }
        }
    }
}
