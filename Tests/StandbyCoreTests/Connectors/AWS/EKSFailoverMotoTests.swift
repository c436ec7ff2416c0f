import Foundation
import Testing
@testable import StandbyCore
import StandbyTestSupport

/// The whole EKS failover on a real moto server: the sample estate is created in the primary
/// account (111111111111, us-east-1) through the AWS APIs, discovered live with
/// ``AWSDiscovery``, translated and planned for the recovery account (222222222222, us-west-2),
/// applied with ``EKSRestore`` by a session that assumes a role created in the recovery
/// account, then described back through moto.
@Suite("EKS failover against a moto server", .serialized)
struct EKSFailoverMotoTests {
    static let primary = MotoAWS.primaryAccount
    static let recovery = MotoAWS.recoveryAccount

    @Test func discoverPlanApplyAndApplyAgain() throws {
        // EKS through the wire-format server in front of moto: discovery also lists pod identity
        // associations and add-ons, which moto does not serve.
        guard let (endpoint, eks) = EKSWireServer.endpoints() else { return }

        // The primary account, seeded as an administrator of it.
        let seed = try MotoAWS.session(endpoint, account: Self.primary, region: "us-east-1")
        #expect(seed.account == Self.primary, "an assumed role's credentials act in the role's account")
        #expect(seed.callerARN.hasPrefix("arn:aws:sts::\(Self.primary):assumed-role/standby-admin/"))
        let estate = try MotoEKSEstate.create(seed)
        let primaryBefore = try MotoAWS.describeAll(seed, MotoEKSEstate.cluster)

        // The recovery account has nothing yet; it gets a network, the roles the plan names, a
        // key, and the role Standby assumes to restore.
        let admin = try MotoAWS.session(endpoint, account: Self.recovery, region: "us-west-2")
        #expect(try MotoAWS.clusters(admin).isEmpty)
        #expect(try admin.query(.iam, "ListOpenIDConnectProviders").first("OpenIDConnectProviderList")?.children.isEmpty == true)
        let network = try MotoNetwork.create(admin, name: "eks-dr-usw2")
        try MotoEKSEstate.createRoles(admin)
        let recoveryKey = try #require(try admin.json(.kms, "CreateKey", ["Description": "eks-dr"])["KeyMetadata"]?["Arn"]?.stringValue)
        let trust: JSONValue = ["Version": "2012-10-17", "Statement": [["Effect": "Allow",
            "Principal": ["AWS": .string("arn:aws:iam::\(Self.primary):root")], "Action": "sts:AssumeRole"]]]
        let restorer = try admin.query(.iam, "CreateRole", ["RoleName": "standby-restore",
                                                            "AssumeRolePolicyDocument": .string(JSONSerializer.serialize(trust))])
        let restoreRole = try #require(restorer.first("Arn")?.text)
        #expect(restoreRole == "arn:aws:iam::\(Self.recovery):role/standby-restore")

        // Discover the primary live.
        let reader = try AWSSession.connect(EKSWireServer.settings(moto: endpoint, eks: eks, region: "us-east-1",
                                                                   roleARN: "arn:aws:iam::\(Self.primary):role/standby-discovery"))
        let inventory = try AWSDiscovery(session: reader).inventory()
        Self.expectDiscovered(inventory, estate)

        // Plan a failover into the recovery account and region, ids mapped as standby.map_id would.
        let clusterARN = "arn:aws:eks:us-east-1:\(Self.primary):cluster/eks-prod-use1"
        #expect(estate.clusterARN == clusterARN)
        let selection = inventory.select(SelectionRequest(roots: [clusterARN]))
        var overrides: [String: String] = [estate.network.vpc: network.vpc, estate.keyARN: recoveryKey,
                                           estate.network.controlPlaneGroup: network.controlPlaneGroup,
                                           estate.network.remoteAccessGroup: network.remoteAccessGroup]
        for (from, to) in zip(estate.network.subnets, network.subnets) { overrides[from] = to }
        let settings = TranslationSettings(to: RecoveryEnvironment(aws: AWSSite(account: Self.recovery, region: "us-west-2")),
                                           mode: .failover, overrides: overrides)
        let plans = RecoveryPlan(Translator(settings: settings).translate(selection)).eks
        let plan = try #require(plans.first)
        #expect(plans.count == 1)
        #expect(plan.requests.map(\.operation) == ["CreateCluster", "CreateOpenIDConnectProvider", "CreateNodegroup",
                                                   "CreateNodegroup", "CreateFargateProfile", "CreateFargateProfile"])
        #expect(!plan.notes.contains { $0.message.contains("still names source values") }, "\(plan.notes)")

        // A session of the primary account is refused: nothing is sent.
        let refused = EKSRestore(session: seed.inRegion("us-west-2"), pollInterval: 0.01).apply(plans, progress: SilentProgress())
        #expect(refused.failed.count == 6)
        #expect(refused.records.allSatisfy { $0.message.hasPrefix("refused: step 1 is for account \(Self.recovery) in us-west-2") })
        #expect(try MotoAWS.clusters(admin).isEmpty)

        // Apply as the role of the recovery account.
        let session = try AWSSession.connect(MotoAWS.settings(endpoint, region: "us-west-2", roleARN: restoreRole))
        #expect(session.account == Self.recovery)
        let report = EKSRestore(session: session, waitTimeout: 5, pollInterval: 0.01).apply(plans, progress: SilentProgress())
        #expect(report.created.count == 6, "\(report.records)")
        #expect(report.failed.isEmpty, "\(report.failed)")
        #expect(report.records.map(\.kind) == plan.requests.map(\.operation))

        try Self.expectRestored(session, network: network, key: recoveryKey, report: report)

        // Again: everything exists, nothing is duplicated.
        let recoveryBefore = try MotoAWS.describeAll(session, "eks-prod-use1")
        let again = EKSRestore(session: session, policy: .update, waitTimeout: 5, pollInterval: 0.01).apply(plans, progress: SilentProgress())
        #expect(again.skipped.count == 6, "\(again.records)")
        for record in again.records {
            if record.kind == "CreateNodegroup" {
                #expect(record.message == "already exists, as the plan has it", "node groups are compared with the plan")
            } else {
                #expect(record.message.hasPrefix("already exists; left as it is: EKS cannot update"), "\(record)")
            }
        }
        #expect(try MotoAWS.describeAll(session, "eks-prod-use1") == recoveryBefore)
        #expect(try session.query(.iam, "ListOpenIDConnectProviders").first("OpenIDConnectProviderList")?.children.count == 1)
        #expect(again.records[1].id == report.records[1].id, "the OIDC provider found is the one created")

        // The primary is as it was, and its account has no cluster in the recovery region.
        #expect(try MotoAWS.describeAll(seed, MotoEKSEstate.cluster) == primaryBefore)
        #expect(try MotoAWS.clusters(seed) == ["eks-prod-use1"])
        #expect(try MotoAWS.clusters(seed.inRegion("us-west-2")).isEmpty)
        #expect(try MotoAWS.clusters(session.inRegion("us-east-1")).isEmpty)
    }

    // MARK: - Helpers


    static func expectDiscovered(_ inventory: Inventory, _ estate: MotoEKSEstate) {
        func count(_ type: String) -> Int { inventory.resources.filter { $0.type == type }.count }
        #expect(count("AWS::EKS::Cluster") == 1)
        #expect(count("AWS::EKS::Nodegroup") == 2)
        #expect(count("AWS::EKS::FargateProfile") == 2)
        #expect(count("AWS::EC2::VPC") == 1)
        #expect(count("AWS::EC2::Subnet") == 4)
        #expect(count("AWS::EC2::SecurityGroup") == 3, "the two created and the VPC's default")
        #expect(count("AWS::EC2::LaunchTemplate") == 1)
        #expect(count("AWS::ECR::Repository") == 2)
        #expect(count("AWS::EFS::FileSystem") == 1)
        #expect(count("AWS::EFS::AccessPoint") == 1)
        #expect(count("AWS::KMS::Key") == 1)
        let roles = Set(inventory.resources.filter { $0.type == "AWS::IAM::Role" }.compactMap(\.name))
        #expect(roles == Set(MotoEKSEstate.roles + ["orders-api-irsa"]), "named roles and the IRSA role; not platform-admin")
        let oidc = inventory.resources.filter { $0.type == "AWS::IAM::OIDCProvider" }
        #expect(oidc.map(\.id) == [estate.oidcProviderARN])
        #expect(oidc.first?.document["ClientIDList"] == ["sts.amazonaws.com"])
        #expect(inventory.clusters.map(\.name) == ["eks-prod-use1"])
        #expect(inventory.clusters.first?.controlPlaneID == estate.clusterARN)
        #expect(inventory.clusters.first?.cloud == .aws)
        let vpc = inventory.resources.first { $0.type == "AWS::EC2::VPC" }
        #expect(vpc?.id == "arn:aws:ec2:us-east-1:\(MotoAWS.primaryAccount):vpc/\(estate.network.vpc)")
        #expect(vpc?.tags["Name"] == "eks-prod-use1")
        let cluster = inventory.resources.first { $0.type == "AWS::EKS::Cluster" }
        #expect(cluster?.document["createdAt"]?.stringValue?.hasSuffix("+00:00") == true, "timestamps as aws-cli prints them")
        #expect(inventory.notes.isEmpty, "\(inventory.notes)")
    }

    /// Describes the recovery cluster, node groups and Fargate profiles and compares each
    /// translated attribute with the sample estate's.
    static func expectRestored(_ s: AWSSession, network: MotoNetwork, key: String, report: ApplyReport) throws {
        let account = MotoAWS.recoveryAccount
        let source = try MotoAWS.estate("eks-cluster.json")["cluster"] ?? [:]
        let c = try #require(try s.rest(.eks, "DescribeCluster", "GET", ["clusters", "eks-prod-use1"])["cluster"])
        #expect(c["arn"] == .string("arn:aws:eks:us-west-2:\(account):cluster/eks-prod-use1"))
        #expect(c["name"] == "eks-prod-use1")
        #expect(c["version"] == source["version"])
        #expect(c["roleArn"] == .string("arn:aws:iam::\(account):role/eks-prod-use1-cluster-role"))
        let vpc = try #require(c["resourcesVpcConfig"])
        #expect(vpc["subnetIds"] == .array(network.subnets.map { .string($0) }))
        #expect(vpc["securityGroupIds"] == [.string(network.controlPlaneGroup)])
        for k in ["endpointPublicAccess", "endpointPrivateAccess", "publicAccessCidrs"] {
            #expect(vpc[k] == source["resourcesVpcConfig"]?[k], "\(k)")
        }
        #expect(c["kubernetesNetworkConfig"]?["serviceIpv4Cidr"] == "172.20.0.0/16")
        #expect(c["kubernetesNetworkConfig"]?["ipFamily"] == "ipv4")
        #expect(c["logging"] == source["logging"])
        #expect(c["tags"] == source["tags"])
        #expect(c["encryptionConfig"] == [["resources": ["secrets"], "provider": ["keyArn": .string(key)]]])
        let issuer = try #require(c["identity"]?["oidc"]?["issuer"]?.stringValue)
        #expect(report.records[0].message == "ACTIVE, OIDC issuer \(issuer)")

        // The OIDC provider of the new issuer, in the recovery account.
        let host = AWSDiscovery.Reader.issuerHost(issuer)
        #expect(report.records[1].id == "arn:aws:iam::\(account):oidc-provider/\(host)")
        let provider = try s.query(.iam, "GetOpenIDConnectProvider", [("OpenIDConnectProviderArn", report.records[1].id)])
        #expect(provider.first("Url")?.text == host)
        #expect(provider.first("ClientIDList")?.children.map(\.text) == ["sts.amazonaws.com"])
        #expect(provider.first("ThumbprintList")?.children.map(\.text) == ["9e99a48a9960b14926bb7f3b02e22da2b0ab7280"])

        let private2: JSONValue = .array(network.subnets.prefix(2).map { .string($0) })
        let nodeRole: JSONValue = .string("arn:aws:iam::\(account):role/eks-prod-use1-node-role")
        for (file, name) in [("nodegroup-general.json", "ng-general"), ("nodegroup-batch-spot.json", "ng-batch-spot")] {
            let expected = try MotoAWS.estate(file)["nodegroup"] ?? [:]
            let ng = try #require(try s.rest(.eks, "DescribeNodegroup", "GET", ["clusters", "eks-prod-use1", "node-groups", name])["nodegroup"])
            #expect(ng["nodegroupArn"]?.stringValue?.hasPrefix("arn:aws:eks:us-west-2:\(account):nodegroup/eks-prod-use1/\(name)/") == true)
            #expect(ng["clusterName"] == "eks-prod-use1")
            #expect(ng["nodeRole"] == nodeRole)
            #expect(ng["subnets"] == private2)
            // ng-general has no taints and no disk size (its launch template sets the disk); moto
            // then reports defaults (`[]`, 20), as it does for the source.
            for k in ["scalingConfig", "instanceTypes", "labels", "taints", "tags", "capacityType", "amiType", "diskSize",
                      "version", "releaseVersion"] where expected[k] != nil {
                #expect(ng[k] == expected[k], "\(name) \(k)")
            }
            #expect(expected["scalingConfig"] != nil && expected["labels"] != nil)
            if name == "ng-batch-spot" {
                #expect(ng["remoteAccess"] == ["ec2SshKey": "eks-prod-ops", "sourceSecurityGroups": [.string(network.remoteAccessGroup)]])
            } else {
                #expect(ng["launchTemplate"]?["name"] == "eks-prod-use1-ng-general")
                #expect(ng["launchTemplate"]?["version"] == "3")
            }
        }
        for (file, name) in [("fargate-coredns.json", "fp-coredns"), ("fargate-orders-batch.json", "fp-orders-batch")] {
            let expected = try MotoAWS.estate(file)["fargateProfile"] ?? [:]
            let fp = try #require(try s.rest(.eks, "DescribeFargateProfile", "GET",
                                             ["clusters", "eks-prod-use1", "fargate-profiles", name])["fargateProfile"])
            #expect(fp["fargateProfileArn"]?.stringValue?.hasPrefix("arn:aws:eks:us-west-2:\(account):fargateprofile/eks-prod-use1/\(name)/") == true)
            #expect(fp["podExecutionRoleArn"] == .string("arn:aws:iam::\(account):role/eks-prod-use1-fargate-pod-execution"))
            #expect(fp["subnets"] == private2)
            #expect(fp["selectors"] == expected["selectors"])
            #expect(fp["tags"] == expected["tags"])
            #expect(fp["status"] == "ACTIVE")
        }
    }
}
