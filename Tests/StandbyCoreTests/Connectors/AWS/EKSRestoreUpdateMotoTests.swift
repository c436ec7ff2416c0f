import Foundation
import Testing
@testable import StandbyCore
import StandbyTestSupport

/// `existing = "update"` for EKS: node groups brought to the plan in place, the rest left alone.
@Suite("EKS restore under the update policy against a moto server")
struct EKSRestoreUpdateMotoTests {
    static let account = "666666666666", region = "ap-southeast-2"

    static func plan(desired: Int, labels: JSONValue, taints: JSONValue) -> EKSRecoveryPlan {
        func request(_ step: Int, _ operation: String, _ body: JSONValue, after: [Int]) -> EKSRequest {
            EKSRequest(step: step, service: "eks", operation: operation, account: account, region: region,
                       body: body, creates: "step-\(step)", after: after)
        }
        return EKSRecoveryPlan(cluster: "eks-upd", requests: [
            request(1, "CreateCluster", ["name": "eks-upd", "roleArn": .string("arn:aws:iam::\(account):role/c"),
                                         "resourcesVpcConfig": ["subnetIds": ["subnet-1", "subnet-2"]]], after: []),
            request(2, "CreateNodegroup", [
                "clusterName": "eks-upd", "nodegroupName": "ng", "nodeRole": .string("arn:aws:iam::\(account):role/n"),
                "subnets": ["subnet-1"], "scalingConfig": ["minSize": 1, "maxSize": 6, "desiredSize": .int(Int64(desired))],
                "labels": labels, "taints": taints,
            ], after: [1]),
            request(3, "CreateFargateProfile", ["clusterName": "eks-upd", "fargateProfileName": "fp",
                                                "podExecutionRoleArn": .string("arn:aws:iam::\(account):role/f"),
                                                "selectors": [["namespace": "batch"]]], after: [1]),
        ])
    }

    @Test("a node group is updated to the plan's scaling, labels and taints; the cluster and profile are skipped, saying why")
    func nodeGroupsAreUpdatedInPlace() throws {
        guard let endpoint = MotoServer.endpoint() else { return }
        let session = try MotoAWS.session(endpoint, account: Self.account, region: Self.region)
        let first = Self.plan(desired: 2, labels: ["tier": "web", "old": "yes"],
                              taints: [["key": "dedicated", "value": "web", "effect": "NO_SCHEDULE"]])
        let created = EKSRestore(session: session, policy: .update, pollInterval: 0.01).apply([first], progress: SilentProgress())
        #expect(created.records.map(\.outcome) == [.created, .created, .created])

        let same = EKSRestore(session: session, policy: .update, pollInterval: 0.01).apply([first], progress: SilentProgress())
        #expect(same.records.map(\.outcome) == [.skipped, .skipped, .skipped])
        #expect(same.records[1].message == "already exists, as the plan has it")

        let second = Self.plan(desired: 4, labels: ["tier": "api"], taints: [])
        let updated = EKSRestore(session: session, policy: .update, pollInterval: 0.01).apply([second], progress: SilentProgress())
        #expect(updated.records.map(\.outcome) == [.skipped, .updated, .skipped])
        #expect(updated.records[1].message == "updated in place: scalingConfig, labels, taints")
        #expect(updated.records[0].message.contains("EKS cannot update it to the plan in place"))

        let ng = try #require(try session.rest(.eks, "DescribeNodegroup", "GET", ["clusters", "eks-upd", "node-groups", "ng"])["nodegroup"])
        #expect(ng["scalingConfig"]?["desiredSize"] == 4)
        #expect(ng["labels"] == ["tier": "api"])
        #expect(ng["taints"]?.arrayValue?.isEmpty ?? true)

        let skipping = EKSRestore(session: session, policy: .skip, pollInterval: 0.01).apply([first], progress: SilentProgress())
        #expect(skipping.records.map(\.outcome) == [.skipped, .skipped, .skipped], "skip never changes anything")
        let after = try #require(try session.rest(.eks, "DescribeNodegroup", "GET", ["clusters", "eks-upd", "node-groups", "ng"])["nodegroup"])
        #expect(after["scalingConfig"]?["desiredSize"] == 4)
    }

    @Test func theChangeNamesOnlyWhatDiffers() {
        let current: JSONValue = ["scalingConfig": ["minSize": 1, "maxSize": 6, "desiredSize": 2], "labels": ["a": "1", "b": "2"],
                                  "taints": [["key": "k", "value": "v", "effect": "NO_SCHEDULE"]], "diskSize": 20]
        let unchanged = EKSNodegroupChange(plan: ["scalingConfig": ["minSize": 1, "maxSize": 6, "desiredSize": 2], "labels": ["a": "1", "b": "2"],
                                                  "taints": [["key": "k", "value": "v", "effect": "NO_SCHEDULE"]]], current: current)
        #expect(unchanged.isEmpty)
        let change = EKSNodegroupChange(plan: ["labels": ["a": "1", "c": "3"],
                                               "taints": [["key": "k", "value": "w", "effect": "NO_SCHEDULE"]]], current: current)
        #expect(change.fields == ["labels", "taints"])
        #expect(change.body["labels"] == ["addOrUpdateLabels": ["c": "3"], "removeLabels": ["b"]])
        #expect(change.body["taints"] == ["addOrUpdateTaints": [["key": "k", "value": "w", "effect": "NO_SCHEDULE"]]])
    }
}
