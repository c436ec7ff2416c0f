import Foundation
import Testing
@testable import StandbyCore
import StandbyTestSupport

/// Who may reach a recovered EKS cluster and with which identities its workloads act, end to end
/// on a moto server of its own with the EKS wire-format server in front of it (access entries,
/// access policies, pod identity associations and add-ons, which moto does not serve; the rest of
/// EKS, IAM, EC2 and STS are moto's).
///
/// A cluster with `API_AND_CONFIG_MAP`, three access entries (a cluster-scope policy, a
/// namespace-scope policy, an `EC2_LINUX` node role), one IAM user entry (which cannot be mapped),
/// two pod identity associations and two add-ons (one with configuration values and a role) is
/// created in the primary account, discovered, selected from the cluster, translated, planned for
/// the recovery account, applied, and read back from the recovery side; applied again, nothing
/// changes.
@Suite("Cluster access through the EKS wire server", .serialized)
struct EKSAccessEKSWireServerTests {
    static let primary = MotoAWS.primaryAccount
    static let recovery = MotoAWS.recoveryAccount
    static let cluster = "eks-access-euw1"
    static let roles = ["eks-access-cluster-role", "eks-access-node-role", "platform-admin", "orders-team", "orders-worker-pod",
                        "billing-pod", "vpc-cni-irsa"]
    static let cniConfiguration = #"{"env":{"ENABLE_PREFIX_DELEGATION":"true","WARM_PREFIX_TARGET":"1"}}"#

    static func role(_ account: String, _ name: String) -> String { "arn:aws:iam::\(account):role/\(name)" }

    static func createRoles(_ s: AWSSession) throws {
        for name in roles {
            _ = try s.query(.iam, "CreateRole", ["RoleName": .string(name), "AssumeRolePolicyDocument": .string(
                #"{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Principal":{"Service":"pods.eks.amazonaws.com"},"Action":["sts:AssumeRole","sts:TagSession"]}]}"#)])
        }
    }

    /// The primary cluster and its access, through the EKS API.
    static func seed(_ s: AWSSession) throws -> MotoNetwork {
        let network = try MotoNetwork.create(s, name: cluster)
        try createRoles(s)
        _ = try s.query(.iam, "CreateUser", ["UserName": "ci-deployer"])
        let p = primary
        _ = try s.rest(.eks, "CreateCluster", "POST", ["clusters"], body: [
            "name": .string(cluster), "version": "1.31", "roleArn": .string(role(p, "eks-access-cluster-role")),
            "resourcesVpcConfig": ["subnetIds": .array(network.subnets.prefix(2).map { .string($0) })],
            "accessConfig": ["authenticationMode": "API_AND_CONFIG_MAP", "bootstrapClusterCreatorAdminPermissions": false],
        ])
        let entries = ["clusters", cluster, "access-entries"]
        _ = try s.rest(.eks, "CreateAccessEntry", "POST", entries, body: ["principalArn": .string(role(p, "platform-admin"))])
        _ = try s.rest(.eks, "CreateAccessEntry", "POST", entries, body: [
            "principalArn": .string(role(p, "orders-team")), "kubernetesGroups": ["orders-devs"], "tags": ["team": "orders"]])
        _ = try s.rest(.eks, "CreateAccessEntry", "POST", entries, body: [
            "principalArn": .string(role(p, "eks-access-node-role")), "type": "EC2_LINUX"])
        _ = try s.rest(.eks, "CreateAccessEntry", "POST", entries, body: ["principalArn": .string("arn:aws:iam::\(p):user/ci-deployer")])
        _ = try s.rest(.eks, "AssociateAccessPolicy", "POST", entries + [role(p, "platform-admin"), "access-policies"], body: [
            "policyArn": "arn:aws:eks::aws:cluster-access-policy/AmazonEKSClusterAdminPolicy", "accessScope": ["type": "cluster"]])
        _ = try s.rest(.eks, "AssociateAccessPolicy", "POST", entries + [role(p, "orders-team"), "access-policies"], body: [
            "policyArn": "arn:aws:eks::aws:cluster-access-policy/AmazonEKSEditPolicy",
            "accessScope": ["type": "namespace", "namespaces": ["orders"]]])
        _ = try s.rest(.eks, "AssociateAccessPolicy", "POST", entries + ["arn:aws:iam::\(p):user/ci-deployer", "access-policies"], body: [
            "policyArn": "arn:aws:eks::aws:cluster-access-policy/AmazonEKSViewPolicy", "accessScope": ["type": "cluster"]])
        let associations = ["clusters", cluster, "pod-identity-associations"]
        _ = try s.rest(.eks, "CreatePodIdentityAssociation", "POST", associations, body: [
            "namespace": "orders", "serviceAccount": "orders-worker", "roleArn": .string(role(p, "orders-worker-pod"))])
        _ = try s.rest(.eks, "CreatePodIdentityAssociation", "POST", associations, body: [
            "namespace": "billing", "serviceAccount": "billing-api", "roleArn": .string(role(p, "billing-pod")), "tags": ["team": "billing"]])
        _ = try s.rest(.eks, "CreateAddon", "POST", ["clusters", cluster, "addons"], body: [
            "addonName": "vpc-cni", "addonVersion": "v1.19.2-eksbuild.1", "serviceAccountRoleArn": .string(role(p, "vpc-cni-irsa")),
            "configurationValues": .string(cniConfiguration)])
        _ = try s.rest(.eks, "CreateAddon", "POST", ["clusters", cluster, "addons"], body: [
            "addonName": "coredns", "addonVersion": "v1.11.4-eksbuild.2"])
        return network
    }

    @Test func captureTranslatePlanApplyAndReadBack() throws {
        let moto: LocalServer, eks: LocalServer
        do throws(LocalServerError) {
            moto = try MotoServer.start()
            eks = try EKSWireServer.start(upstream: moto.endpoint)
        } catch {
            Issue.record("servers: \(error.message)")
            return
        }
        defer { eks.stop(); moto.stop() }
        func session(_ account: String, _ region: String, role: String = "standby-admin") throws -> AWSSession {
            try EKSWireServer.session(moto: moto.endpoint, eks: eks.endpoint, account: account, region: region, role: role)
        }

        let seed = try session(Self.primary, "eu-west-1")
        let source = try Self.seed(seed)

        // Discover the primary live, then select from the cluster: the walker reaches everything.
        let inventory = try AWSDiscovery(session: try session(Self.primary, "eu-west-1", role: "standby-discovery")).inventory()
        func ofType(_ type: String) -> [Resource] { inventory.resources.filter { $0.type == type } }
        #expect(ofType(EKSAccessTypes.accessEntry).count == 4)
        #expect(ofType(EKSAccessTypes.accessPolicies).count == 3, "the node role's entry has no policies")
        #expect(ofType(EKSAccessTypes.podIdentityAssociation).count == 2)
        #expect(ofType(EKSAccessTypes.addon).count == 2)
        let cluster = try #require(ofType("AWS::EKS::Cluster").first)
        #expect(cluster.document["accessConfig"]?["authenticationMode"] == "API_AND_CONFIG_MAP")
        let roleNames = Set(ofType("AWS::IAM::Role").compactMap(\.name))
        #expect(roleNames == Set(Self.roles), "the roles the access entries, associations and add-ons name are read")
        let selection = inventory.select(SelectionRequest(roots: [cluster.id]))
        let selected = Set(selection.resources.map(\.id))
        for type in EKSAccessTypes.all {
            for r in ofType(type) { #expect(selected.contains(r.id), "\(r.display) is reached from the cluster") }
        }
        let why = try #require(selection.why(ofType(EKSAccessTypes.addon)[0].id))
        #expect(why.map(\.relation) == ["add-on"] && why.first?.from == cluster.id, "\(why)")

        // The recovery account: a network, the roles, the role Standby restores as.
        let admin = try session(Self.recovery, "eu-central-1")
        let network = try MotoNetwork.create(admin, name: "eks-access-dr")
        try Self.createRoles(admin)
        let trust = #"{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Principal":{"AWS":"arn:aws:iam::111111111111:root"},"Action":"sts:AssumeRole"}]}"#
        _ = try admin.query(.iam, "CreateRole", ["RoleName": "standby-restore", "AssumeRolePolicyDocument": .string(trust)])

        var overrides: [String: String] = [source.vpc: network.vpc]
        for (from, to) in zip(source.subnets, network.subnets) { overrides[from] = to }
        let settings = TranslationSettings(to: RecoveryEnvironment(aws: AWSSite(account: Self.recovery, region: "eu-central-1")),
                                           mode: .failover, overrides: overrides)
        let translation = Translator(settings: settings).translate(selection)
        #expect(translation.issues.contains { $0.message.contains("user/ci-deployer is an IAM user") }, "\(translation.issues)")
        let plan = try #require(RecoveryPlan(translation).eks.first)
        let operations = plan.requests.map(\.operation)
        #expect(operations == ["CreateCluster", "CreateOpenIDConnectProvider", "CreateAccessEntry", "CreateAccessEntry",
                               "AssociateAccessPolicy", "CreateAccessEntry", "AssociateAccessPolicy",
                               "CreatePodIdentityAssociation", "CreatePodIdentityAssociation", "CreateAddon", "CreateAddon"],
                "\(operations)")
        #expect(plan.requests[0].body["accessConfig"] == ["authenticationMode": "API_AND_CONFIG_MAP",
                                                          "bootstrapClusterCreatorAdminPermissions": false])
        #expect(plan.notes.contains { $0.message.contains("access entry of arn:aws:iam::\(Self.primary):user/ci-deployer left out of the plan with its 1 access policy") },
                "\(plan.notes)")
        #expect(!plan.notes.contains { $0.message.contains("still names source values") }, "\(plan.notes)")

        // Apply as the recovery account's role, then read everything back from the recovery side.
        let restorer = try AWSSession.connect(EKSWireServer.settings(moto: moto.endpoint, eks: eks.endpoint, region: "eu-central-1",
                                                                     roleARN: Self.role(Self.recovery, "standby-restore")))
        let report = EKSRestore(session: restorer, waitTimeout: 5, pollInterval: 0.01).apply([plan], progress: SilentProgress())
        #expect(report.failed.isEmpty, "\(report.failed)")
        #expect(report.created.count == plan.requests.count, "\(report.records)")
        try Self.expectRecovered(restorer)

        // Again: everything exists; nothing changes.
        let before = try Self.readBack(restorer)
        let again = EKSRestore(session: restorer, waitTimeout: 5, pollInterval: 0.01).apply([plan], progress: SilentProgress())
        #expect(again.skipped.count == plan.requests.count, "\(again.records)")
        #expect(try Self.readBack(restorer) == before)

        // The access calls were the wire server's, answered in botocore's shapes (it checks each).
        let served = try JSONParser.parse(try HTTPClient().send(HTTPRequest(method: "GET", url: eks.endpoint + "/_test/requests")).body)
        let ops = Set((served["requests"]?.arrayValue ?? []).compactMap { $0["operation"]?.stringValue })
        #expect(ops.isSuperset(of: ["CreateAccessEntry", "AssociateAccessPolicy", "CreatePodIdentityAssociation", "CreateAddon",
                                    "ListAccessEntries", "DescribeAccessEntry", "ListAssociatedAccessPolicies",
                                    "ListPodIdentityAssociations", "DescribePodIdentityAssociation", "ListAddons", "DescribeAddon"]))
    }

    /// Everything the recovery cluster's access is made of, as EKS describes it.
    static func readBack(_ s: AWSSession) throws -> [JSONValue] {
        var out: [JSONValue] = [try s.rest(.eks, "DescribeCluster", "GET", ["clusters", cluster])["cluster"]?["accessConfig"] ?? .null]
        let entries = try s.rest(.eks, "ListAccessEntries", "GET", ["clusters", cluster, "access-entries"])
        for p in (entries["accessEntries"]?.arrayValue ?? []).compactMap(\.stringValue) {
            out.append(try s.rest(.eks, "DescribeAccessEntry", "GET", ["clusters", cluster, "access-entries", p]))
            out.append(try s.rest(.eks, "ListAssociatedAccessPolicies", "GET", ["clusters", cluster, "access-entries", p, "access-policies"]))
        }
        let associations = try s.rest(.eks, "ListPodIdentityAssociations", "GET", ["clusters", cluster, "pod-identity-associations"])
        for id in (associations["associations"]?.arrayValue ?? []).compactMap({ $0["associationId"]?.stringValue }) {
            out.append(try s.rest(.eks, "DescribePodIdentityAssociation", "GET", ["clusters", cluster, "pod-identity-associations", id]))
        }
        for name in (try s.rest(.eks, "ListAddons", "GET", ["clusters", cluster, "addons"])["addons"]?.arrayValue ?? []).compactMap(\.stringValue) {
            out.append(try s.rest(.eks, "DescribeAddon", "GET", ["clusters", cluster, "addons", name]))
        }
        return out
    }

    static func expectRecovered(_ s: AWSSession) throws {
        let r = recovery
        let c = try #require(try s.rest(.eks, "DescribeCluster", "GET", ["clusters", cluster])["cluster"])
        #expect(c["arn"] == .string("arn:aws:eks:eu-central-1:\(r):cluster/\(cluster)"))
        #expect(c["accessConfig"]?["authenticationMode"] == "API_AND_CONFIG_MAP")

        let entries = ["clusters", cluster, "access-entries"]
        let principals = (try s.rest(.eks, "ListAccessEntries", "GET", entries)["accessEntries"]?.arrayValue ?? []).compactMap(\.stringValue)
        #expect(Set(principals) == Set(["platform-admin", "orders-team", "eks-access-node-role"].map { role(r, $0) }),
                "the IAM user's entry is left out")
        let admin = try #require(try s.rest(.eks, "DescribeAccessEntry", "GET", entries + [role(r, "platform-admin")])["accessEntry"])
        #expect(admin["type"] == "STANDARD")
        #expect(admin["username"] == .string("arn:aws:sts::\(r):assumed-role/platform-admin/{{SessionName}}"))
        let team = try #require(try s.rest(.eks, "DescribeAccessEntry", "GET", entries + [role(r, "orders-team")])["accessEntry"])
        #expect(team["kubernetesGroups"] == ["orders-devs"])
        #expect(team["tags"] == ["team": "orders"])
        let node = try #require(try s.rest(.eks, "DescribeAccessEntry", "GET", entries + [role(r, "eks-access-node-role")])["accessEntry"])
        #expect(node["type"] == "EC2_LINUX")
        #expect(node["username"] == "system:node:{{EC2PrivateDNSName}}")

        func policies(_ principal: String) throws -> [JSONValue] {
            try s.rest(.eks, "ListAssociatedAccessPolicies", "GET", entries + [principal, "access-policies"])["associatedAccessPolicies"]?.arrayValue ?? []
        }
        let adminPolicies = try policies(role(r, "platform-admin"))
        #expect(adminPolicies.map { $0["policyArn"] } == ["arn:aws:eks::aws:cluster-access-policy/AmazonEKSClusterAdminPolicy"])
        #expect(adminPolicies.first?["accessScope"] == ["type": "cluster", "namespaces": []])
        let teamPolicies = try policies(role(r, "orders-team"))
        #expect(teamPolicies.map { $0["policyArn"] } == ["arn:aws:eks::aws:cluster-access-policy/AmazonEKSEditPolicy"])
        #expect(teamPolicies.first?["accessScope"] == ["type": "namespace", "namespaces": ["orders"]])

        let path = ["clusters", cluster, "pod-identity-associations"]
        var bound: [String: JSONValue] = [:]
        for id in (try s.rest(.eks, "ListPodIdentityAssociations", "GET", path)["associations"]?.arrayValue ?? []).compactMap({ $0["associationId"]?.stringValue }) {
            let a = try #require(try s.rest(.eks, "DescribePodIdentityAssociation", "GET", path + [id])["association"])
            bound["\(a["namespace"]?.stringValue ?? "")/\(a["serviceAccount"]?.stringValue ?? "")"] = a
        }
        #expect(Set(bound.keys) == ["orders/orders-worker", "billing/billing-api"])
        #expect(bound["orders/orders-worker"]?["roleArn"] == .string(role(r, "orders-worker-pod")))
        #expect(bound["billing/billing-api"]?["roleArn"] == .string(role(r, "billing-pod")))
        #expect(bound["billing/billing-api"]?["tags"] == ["team": "billing"])

        let cni = try #require(try s.rest(.eks, "DescribeAddon", "GET", ["clusters", cluster, "addons", "vpc-cni"])["addon"])
        #expect(cni["addonVersion"] == "v1.19.2-eksbuild.1")
        #expect(cni["configurationValues"] == .string(cniConfiguration))
        #expect(cni["serviceAccountRoleArn"] == .string(role(r, "vpc-cni-irsa")))
        #expect(cni["addonArn"]?.stringValue?.hasPrefix("arn:aws:eks:eu-central-1:\(r):addon/\(cluster)/vpc-cni/") == true)
        let dns = try #require(try s.rest(.eks, "DescribeAddon", "GET", ["clusters", cluster, "addons", "coredns"])["addon"])
        #expect(dns["addonVersion"] == "v1.11.4-eksbuild.2")
        #expect(dns["serviceAccountRoleArn"] == nil)
    }
}
