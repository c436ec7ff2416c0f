import Testing
@testable import StandbyCore
import StandbyTestSupport

/// Built-in translations on the public fixtures in Tests/Fixtures (aws-cli examples and
/// Kubernetes manifests from upstream projects), with exact before/after values.
@Suite struct TranslationFixtureTests {
    static let to = RecoveryEnvironment(aws: AWSSite(account: "444455556666", region: "eu-west-1"))

    static func translate(_ fixture: String, cluster: String? = nil, overrides: [String: String] = [:],
                          from: SourceEnvironment = SourceEnvironment()) throws -> Translation? {
        guard let path = Fixtures.path(fixture) else { return nil }
        let inv = try InventoryLoader.load(path: path, options: LoadOptions(cluster: cluster, region: "us-east-2", account: "111122223333"))
        let settings = TranslationSettings(to: to, from: from, overrides: overrides)
        return Translator(settings: settings).translate(inv.resources, in: inv)
    }

    @Test func describeClusterExample() throws {
        guard let t = try Self.translate("eks/describe-cluster.rst",
                                         overrides: ["subnet-0fb75d2d8401716e7": "subnet-0aaaaaaaaaaaaaaa1"]) else { return }
        let cluster = try #require(t.resources.first { $0.source.type == "AWS::EKS::Cluster" })
        #expect(cluster.recoveryID == "arn:aws:eks:eu-west-1:444455556666:cluster/my-eks-cluster")
        let role = try #require(cluster.changes.first { $0.path.hasSuffix("roleArn") })
        #expect(role.before == "arn:aws:iam::111122223333:role/eksctl-my-eks-cluster-cluster-ServiceRole-zMF6CBakwwbW")
        #expect(role.after == "arn:aws:iam::444455556666:role/eksctl-my-eks-cluster-cluster-ServiceRole-zMF6CBakwwbW")
        #expect(role.by == "built-in: cluster role")
        let subnet = try #require(cluster.changes.first { $0.path.hasSuffix("subnetIds[0]") })
        #expect(subnet.after == "subnet-0aaaaaaaaaaaaaaa1")
        // The other subnets have no recovery counterpart yet: kept, with what to do.
        #expect(cluster.untranslated.filter { $0.path.contains("subnetIds") }.count == 5)
        // The endpoint and issuer are the cluster's own: server-set, reported, not rewritten.
        #expect(cluster.untranslated.contains { $0.path.hasSuffix("endpoint") && $0.reason.hasPrefix("server-set") })
    }

    @Test func efsStaticPersistentVolume() throws {
        guard let t = try Self.translate("k8s/efs-static-pv.yaml", cluster: "fixture",
                                         overrides: ["fs-e8a95a42": "fs-0c1d2e3f"]) else { return }
        let pv = try #require(t.resources.first { $0.source.kind == "PersistentVolume" })
        let c = try #require(pv.changes.first { $0.path == "spec.csi.volumeHandle" })
        #expect(c.before == "fs-e8a95a42")
        #expect(c.after == "fs-0c1d2e3f")
        #expect(c.by == "built-in: EFS volume")
    }

    @Test func awsAuthTemplateWithAPlaceholderIsLeftAlone() throws {
        // The upstream template names `${role_arn}`, not an ARN: nothing to translate, nothing kept.
        guard let t = try Self.translate("k8s/aws-auth-configmap.yaml", cluster: "fixture",
                                         from: SourceEnvironment(accounts: ["111122223333"], regions: ["us-east-2"])) else { return }
        let cm = try #require(t.resources.first { $0.source.name == "aws-auth" })
        #expect(cm.changes.isEmpty)
        #expect(cm.document == cm.source.document)
    }
}
