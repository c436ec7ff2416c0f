import Foundation
import Testing
import StandbyCore
import StandbyTestSupport

/// What `scripts/live-failover.lua` runs against in one test: a moto server of its own with the
/// sample EKS estate in the primary account (111111111111, us-east-1) and a network, roles, a key
/// and the restore role in the recovery account (222222222222, us-west-2); a Kubernetes
/// wire-format test server with the source cluster's `orders` namespace (from
/// `scripts/estate/kubernetes/eks-prod-use1/`, plus a CRD and one of its custom resources); an
/// empty one for the recovery cluster; a kubeconfig with contexts `source` and `recovery`; and
/// the settings module the runbook is given.
final class LiveFailoverEnvironment {
    let moto: LocalServer
    /// The EKS wire-format server in front of `moto` (access entries, pod identity associations, add-ons).
    private(set) var eks: LocalServer?
    /// The source cluster's server, and the recovery cluster's.
    let source: KubeWireTestServer
    let target: KubeWireTestServer
    /// Holds the kubeconfig, the settings module and the written plan (`plan/`).
    let folder: URL
    /// An administrator of the primary account (us-east-1), and the restore role's session in
    /// the recovery account (us-west-2).
    let primarySession: AWSSession
    let recoverySession: AWSSession
    /// The recovery account's network and KMS key, which the settings map the source's ids to.
    let network: MotoNetwork
    let recoveryKey: String
    /// The primary account's cluster, node groups and Fargate profiles before any run.
    let primaryBefore: [JSONValue]

    static let settingsModule = "failover_settings"

    private init(moto: LocalServer, source: KubeWireTestServer, target: KubeWireTestServer, folder: URL,
                 primarySession: AWSSession, recoverySession: AWSSession, network: MotoNetwork, recoveryKey: String,
                 primaryBefore: [JSONValue]) {
        self.moto = moto; self.source = source; self.target = target; self.folder = folder
        self.primarySession = primarySession; self.recoverySession = recoverySession
        self.network = network; self.recoveryKey = recoveryKey; self.primaryBefore = primaryBefore
    }

    deinit {
        moto.stop(); source.stop(); target.stop(); eks?.stop()
        try? FileManager.default.removeItem(at: folder)
    }

    /// Starts the servers and seeds them; nil after recording why a server could not start.
    static func start() throws -> LiveFailoverEnvironment? {
        let moto: LocalServer
        do throws(LocalServerError) { moto = try MotoServer.start() } catch {
            Issue.record("moto server: \(error.message)")
            return nil
        }
        guard let source = KubeWireTestServer.start(), let target = KubeWireTestServer.start() else {
            moto.stop()
            return nil
        }
        let endpoint = moto.endpoint
        let primary = MotoAWS.primaryAccount, recovery = MotoAWS.recoveryAccount

        let seed = try MotoAWS.session(endpoint, account: primary, region: "us-east-1")
        let estate = try MotoEKSEstate.create(seed)
        let admin = try MotoAWS.session(endpoint, account: recovery, region: "us-west-2")
        let network = try MotoNetwork.create(admin, name: "eks-dr-usw2")
        try MotoEKSEstate.createRoles(admin)
        let key = try #require(try admin.json(.kms, "CreateKey", ["Description": "eks-dr"])["KeyMetadata"]?["Arn"]?.stringValue)
        let trust: JSONValue = ["Version": "2012-10-17", "Statement": [["Effect": "Allow",
            "Principal": ["AWS": .string("arn:aws:iam::\(primary):root")], "Action": "sts:AssumeRole"]]]
        _ = try admin.query(.iam, "CreateRole", ["RoleName": "standby-recovery", "AssumeRolePolicyDocument": .string(JSONSerializer.serialize(trust))])
        let restorer = try AWSSession.connect(MotoAWS.settings(endpoint, region: "us-west-2", roleARN: LiveFailoverTests.restoreRole))

        try source.seed(try sourceObjects())

        let folder = try StandbyBinary.temporaryDirectory()
        let kubeconfig = folder.appendingPathComponent("kubeconfig").path
        try Self.kubeconfig(["source": source, "recovery": target]).write(toFile: kubeconfig, atomically: true, encoding: .utf8)
        var ids: [(String, String)] = [(estate.network.vpc, network.vpc), (estate.keyARN, key),
                                       (estate.network.controlPlaneGroup, network.controlPlaneGroup),
                                       (estate.network.remoteAccessGroup, network.remoteAccessGroup)]
        ids += zip(estate.network.subnets, network.subnets).map { ($0, $1) }
        try settings(kubeconfig: kubeconfig, ids: ids, out: folder.appendingPathComponent("plan").path)
            .write(to: folder.appendingPathComponent("\(settingsModule).lua"), atomically: true, encoding: .utf8)

        let environment = LiveFailoverEnvironment(moto: moto, source: source, target: target, folder: folder, primarySession: seed,
                                                  recoverySession: restorer, network: network, recoveryKey: key,
                                                  primaryBefore: try MotoAWS.describeAll(seed, MotoEKSEstate.cluster))
        do throws(LocalServerError) { environment.eks = try EKSWireServer.start(upstream: moto.endpoint) } catch {
            Issue.record("EKS wire server: \(error.message)")
            return nil
        }
        return environment
    }

    /// `standby run --lua-path <folder> scripts/live-failover.lua failover_settings`, with moto's
    /// endpoint and keys and nothing else of AWS's in the environment.
    func run() throws -> StandbyBinary.Result {
        try StandbyBinary.run(["run", "--lua-path", folder.path, "scripts/live-failover.lua", Self.settingsModule], environment: [
            "AWS_ENDPOINT_URL": moto.endpoint, "AWS_ENDPOINT_URL_EKS": eks?.endpoint ?? moto.endpoint,
            "AWS_ACCESS_KEY_ID": "testing", "AWS_SECRET_ACCESS_KEY": "testing",
            "AWS_CONFIG_FILE": folder.appendingPathComponent("no-aws-config").path,
            "AWS_SHARED_CREDENTIALS_FILE": folder.appendingPathComponent("no-aws-credentials").path,
        ])
    }

    /// The source cluster's object at API path `path`.
    func sourceObject(_ path: String) -> JSONValue? { try? source.get(path) }

    // MARK: - Files

    /// Kinds of the sample estate the wire-format test server does not serve.
    static let unserved: Set<String> = ["StorageClass", "HorizontalPodAutoscaler", "PodDisruptionBudget"]

    /// The `orders` namespace of the sample estate's EKS cluster and its cluster-scoped objects
    /// (those the wire-format server serves), and a CRD with one custom resource in `orders`.
    static func sourceObjects() throws -> [JSONValue] {
        var objects: [JSONValue] = []
        for file in ["cluster-scoped.yaml", "orders.yaml"] {
            let path = "\(LocalServer.root)/scripts/estate/kubernetes/eks-prod-use1/\(file)"
            let text = try String(contentsOfFile: path, encoding: .utf8)
            objects += try YAMLDocuments.parse(text, source: path).filter { !unserved.contains($0["kind"]?.stringValue ?? "") }
        }
        return objects + [KubeObjects.widgetCRD(), KubeObjects.widget("blue", in: "orders")]
    }

    /// A kubeconfig with one context (and cluster and user) per server, named as given.
    static func kubeconfig(_ contexts: [String: KubeWireTestServer]) -> String {
        var clusters = "", entries = "", users = ""
        for (name, server) in contexts.sorted(by: { $0.key < $1.key }) {
            clusters += "- name: \(name)-cluster\n  cluster:\n    server: \(server.endpoint)\n"
            entries += "- name: \(name)\n  context:\n    cluster: \(name)-cluster\n    user: \(name)-user\n"
            users += "- name: \(name)-user\n  user:\n    token: \(KubeWireTestServer.token)\n"
        }
        return "apiVersion: v1\nkind: Config\nclusters:\n\(clusters)contexts:\n\(entries)users:\n\(users)"
    }

    /// The settings module, as a user would write it from `scripts/live/settings.example.lua`.
    static func settings(kubeconfig: String, ids: [(String, String)], out: String) -> String {
        func q(_ s: String) -> String { "\"" + s.replacingOccurrences(of: "\\", with: "\\\\").replacingOccurrences(of: "\"", with: "\\\"") + "\"" }
        let mapped = ids.map { "    [\(q($0.0))] = \(q($0.1)),\n" }.joined()
        return """
            return {
              source = {
                cluster = "eks-prod-use1",
                aws = { region = "us-east-1", role_arn = "arn:aws:iam::\(MotoAWS.primaryAccount):role/standby-discovery" },
                kube = { kubeconfig = \(q(kubeconfig)), context = "source" },
                namespaces = { "orders" },
              },
              recovery = {
                account = "\(MotoAWS.recoveryAccount)",
                region = "us-west-2",
                aws = { role_arn = \(q(LiveFailoverTests.restoreRole)) },
                kube = { kubeconfig = \(q(kubeconfig)), context = "recovery" },
              },
              ids = {
            \(mapped)  },
              out = \(q(out)),
            }

            """
    }
}
