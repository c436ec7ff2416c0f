import Foundation
import Testing
import StandbyCore
import StandbyTestSupport

/// `standby run scripts/live-failover.lua <settings>` as an operator runs it: the EKS estate
/// seeded in the primary account of a moto server of the test's own, the cluster's objects served
/// by one Kubernetes wire-format test server (local HTTP servers speaking the Kubernetes API's
/// wire format; not clusters), an empty recovery cluster served by another.
@Suite("Live failover runbook against a moto server and two Kubernetes wire-format test servers", .serialized)
struct LiveFailoverTests {
    static let primary = MotoAWS.primaryAccount
    static let recovery = MotoAWS.recoveryAccount
    static let restoreRole = "arn:aws:iam::\(MotoAWS.recoveryAccount):role/standby-recovery"

    @Test func failsOverThenSkipsEverythingTheSecondTime() throws {
        guard let live = try LiveFailoverEnvironment.start() else { return }

        // First run: everything is created.
        let first = try live.run()
        #expect(first.status == 0, "\(first.stderr)\n\(first.stdout)")
        let patches = try live.target.requests().filter { $0["method"] == "PATCH" }
        #expect(first.stdout.contains("apply: \(6 + patches.count) created, 0 updated, 0 skipped, 0 failed"), "\(first.stdout)")
        let seeded = try LiveFailoverEnvironment.sourceObjects().count
        #expect(first.stdout.contains("discovered eks-prod-use1: "), "\(first.stdout)")
        #expect(first.stdout.contains(", \(seeded) Kubernetes objects"), "every object of the source cluster: \(first.stdout)")
        #expect(first.stdout.contains("plan: 6 EKS requests, \(patches.count) Kubernetes manifests"), "\(first.stdout)")
        #expect(first.stdout.contains("wrote "), "the plan is written for the record")
        #expect(FileManager.default.fileExists(atPath: live.folder.appendingPathComponent("plan/report.md").path))

        try expectEKSRestored(live)
        try expectObjectsApplied(live, patches: patches)

        // The source is as it was: nothing in the primary account changed, nothing was written
        // to the source cluster, and the primary account has no cluster in the recovery region.
        #expect(try MotoAWS.describeAll(live.primarySession, MotoEKSEstate.cluster) == live.primaryBefore)
        #expect(try MotoAWS.clusters(live.primarySession.inRegion("us-west-2")).isEmpty)
        #expect(try live.source.requests().allSatisfy { $0["method"] == "GET" })

        // Second run: everything exists and is skipped; nothing is duplicated or written again.
        let recoveryBefore = try MotoAWS.describeAll(live.recoverySession, MotoEKSEstate.cluster)
        let second = try live.run()
        #expect(second.status == 0, "\(second.stderr)")
        #expect(second.stdout.contains("apply: 0 created, 0 updated, \(6 + patches.count) skipped, 0 failed"), "\(second.stdout)")
        #expect(try live.target.requests().filter { $0["method"] == "PATCH" }.count == patches.count)
        #expect(try MotoAWS.describeAll(live.recoverySession, MotoEKSEstate.cluster) == recoveryBefore)
        #expect(try MotoAWS.clusters(live.recoverySession) == [MotoEKSEstate.cluster])
        #expect(try live.recoverySession.query(.iam, "ListOpenIDConnectProviders").first("OpenIDConnectProviderList")?.children.count == 1)
    }

    @Test func aConflictFailsTheRunbookAndNamesTheObject() throws {
        guard let live = try LiveFailoverEnvironment.start() else { return }
        let message = "Operation cannot be fulfilled on deployments.apps \"orders-api\": the object has been modified"
        try live.target.faults([["path": "/apis/apps/v1/namespaces/orders/deployments/orders-api", "method": "PATCH",
                                 "status": 409, "message": .string(message), "times": -1]])

        let result = try live.run()
        #expect(result.status == 1)
        #expect(result.stderr.contains("live failover: 1 of "), "\(result.stderr)")
        #expect(result.stderr.contains("kubernetes apps/v1 Deployment orders/orders-api"), "\(result.stderr)")
        #expect(result.stderr.contains(message), "\(result.stderr)")
        #expect(result.stdout.contains(", 1 failed"), "\(result.stdout)")
        // The other objects were applied all the same.
        #expect(try live.target.get("/apis/apps/v1/namespaces/orders/deployments/orders-worker") != nil)
        #expect(try live.target.get("/apis/apps/v1/namespaces/orders/deployments/orders-api") == nil)
    }

    // MARK: - Assertions

    /// The recovery cluster, its node groups and Fargate profiles, described through moto.
    func expectEKSRestored(_ live: LiveFailoverEnvironment) throws {
        let s = live.recoverySession
        let c = try #require(try s.rest(.eks, "DescribeCluster", "GET", ["clusters", MotoEKSEstate.cluster])["cluster"])
        #expect(c["arn"] == .string("arn:aws:eks:us-west-2:\(Self.recovery):cluster/\(MotoEKSEstate.cluster)"))
        #expect(c["roleArn"] == .string("arn:aws:iam::\(Self.recovery):role/eks-prod-use1-cluster-role"))
        #expect(c["resourcesVpcConfig"]?["subnetIds"] == .array(live.network.subnets.map { .string($0) }))
        #expect(c["resourcesVpcConfig"]?["securityGroupIds"] == [.string(live.network.controlPlaneGroup)])
        #expect(c["encryptionConfig"]?[0]?["provider"]?["keyArn"] == .string(live.recoveryKey))

        let privateSubnets: JSONValue = .array(live.network.subnets.prefix(2).map { .string($0) })
        let nodegroups = try s.rest(.eks, "ListNodegroups", "GET", ["clusters", MotoEKSEstate.cluster, "node-groups"])["nodegroups"]
        #expect(nodegroups?.arrayValue?.compactMap(\.stringValue).sorted() == ["ng-batch-spot", "ng-general"])
        for name in ["ng-batch-spot", "ng-general"] {
            let ng = try s.rest(.eks, "DescribeNodegroup", "GET", ["clusters", MotoEKSEstate.cluster, "node-groups", name])["nodegroup"]
            #expect(ng?["nodeRole"] == .string("arn:aws:iam::\(Self.recovery):role/eks-prod-use1-node-role"))
            #expect(ng?["subnets"] == privateSubnets)
        }
        let profiles = try s.rest(.eks, "ListFargateProfiles", "GET", ["clusters", MotoEKSEstate.cluster, "fargate-profiles"])
        #expect(profiles["fargateProfileNames"]?.arrayValue?.compactMap(\.stringValue).sorted() == ["fp-coredns", "fp-orders-batch"])
        for name in ["fp-coredns", "fp-orders-batch"] {
            let fp = try s.rest(.eks, "DescribeFargateProfile", "GET", ["clusters", MotoEKSEstate.cluster, "fargate-profiles", name])
            #expect(fp["fargateProfile"]?["podExecutionRoleArn"]
                    == .string("arn:aws:iam::\(Self.recovery):role/eks-prod-use1-fargate-pod-execution"))
            #expect(fp["fargateProfile"]?["subnets"] == privateSubnets)
        }
    }

    /// The recovery cluster's objects, read back from its wire-format server, and how they were sent.
    func expectObjectsApplied(_ live: LiveFailoverEnvironment, patches: [JSONValue]) throws {
        // Every write is a server-side apply owned by `standby`.
        #expect(!patches.isEmpty)
        for patch in patches {
            #expect(patch["contentType"] == "application/apply-patch+yaml", "\(patch)")
            #expect(patch["query"]?["fieldManager"] == "standby", "\(patch)")
        }
        let paths = patches.compactMap { $0["path"]?.stringValue }
        let expected = [
            "/api/v1/namespaces/orders",
            "/api/v1/namespaces/orders/configmaps/orders-api-config",
            "/api/v1/namespaces/orders/serviceaccounts/orders-api",
            "/api/v1/namespaces/orders/services/orders-api",
            "/apis/apps/v1/namespaces/orders/deployments/orders-api",
            "/apis/apps/v1/namespaces/orders/deployments/orders-worker",
            "/apis/batch/v1/namespaces/orders/cronjobs/nightly-report",
            "/apis/apiextensions.k8s.io/v1/customresourcedefinitions/widgets.example.com",
            "/apis/example.com/v1/namespaces/orders/widgets/blue",
        ]
        for path in expected { #expect(paths.contains(path), "\(path) not applied; applied: \(paths)") }
        #expect(paths.filter { $0.hasSuffix("/deployments/orders-api") }.count == 1, "applied once")
        // Restore order: the CRD and the namespace before what lives in them.
        let index = { (path: String) in paths.firstIndex(of: path) ?? -1 }
        #expect(index("/apis/apiextensions.k8s.io/v1/customresourcedefinitions/widgets.example.com")
                < index("/apis/example.com/v1/namespaces/orders/widgets/blue"))
        #expect(index("/api/v1/namespaces/orders") < index("/api/v1/namespaces/orders/configmaps/orders-api-config"))

        // The objects as the recovery cluster now has them.
        let deployment = try #require(try live.target.get("/apis/apps/v1/namespaces/orders/deployments/orders-api"))
        #expect(deployment["metadata"]?["managedFields"]?.arrayValue?.contains { $0["manager"] == "standby" } == true)
        let account = try #require(try live.target.get("/api/v1/namespaces/orders/serviceaccounts/orders-api"))
        #expect(account["metadata"]?["annotations"]?["eks.amazonaws.com/role-arn"]
                == .string("arn:aws:iam::\(Self.recovery):role/orders-api-irsa"), "the IRSA role of the recovery account")
        let config = try #require(try live.target.get("/api/v1/namespaces/orders/configmaps/orders-worker-config"))
        #expect(config["data"] == live.sourceObject("/api/v1/namespaces/orders/configmaps/orders-worker-config")?["data"])
        let widget = try #require(try live.target.get("/apis/example.com/v1/namespaces/orders/widgets/blue"))
        #expect(widget["spec"] == ["size": 3])
    }

}
