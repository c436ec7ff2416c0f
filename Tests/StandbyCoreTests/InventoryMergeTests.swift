import Foundation
import Testing
@testable import StandbyCore

/// Inventories from separate sources (an AWS account, the Kubernetes cluster inside it) merged.
@Suite("Merging inventories")
struct InventoryMergeTests {
    static let estate: String = {
        var root = (#filePath as NSString).resolvingSymlinksInPath
        for _ in 0..<3 { root = (root as NSString).deletingLastPathComponent }
        return (root as NSString).appendingPathComponent("scripts/estate")
    }()

    @Test func kubernetesObjectsJoinTheClusterTheCloudInventoryKnows() throws {
        let aws = try InventoryLoader.load(path: Self.estate + "/aws", options: LoadOptions(region: "us-east-1", account: "111111111111"))
        let kube = try InventoryLoader.load(path: Self.estate + "/kubernetes/eks-prod-use1", options: LoadOptions(cluster: "eks-prod-use1"))
        #expect(kube.cluster(named: "eks-prod-use1")?.controlPlaneID == nil)

        let merged = kube.merging(aws)
        let cluster = try #require(merged.cluster(named: "eks-prod-use1"))
        #expect(cluster.controlPlaneID == "arn:aws:eks:us-east-1:111111111111:cluster/eks-prod-use1")
        #expect(cluster.cloud == .aws)
        #expect(merged.clusters.count == 1)
        #expect(merged.count == aws.count + kube.count)
        #expect(merged.resources(inCluster: "eks-prod-use1").count == kube.resources(inCluster: "eks-prod-use1").count)
        #expect(merged.resources(inCluster: "eks-prod-use1").count > 10)
    }

    @Test func theSameResourceFromBothMergesWithANote() throws {
        let aws = try InventoryLoader.load(path: Self.estate + "/aws", options: LoadOptions(region: "us-east-1", account: "111111111111"))
        let merged = aws.merging(aws)
        #expect(merged.count == aws.count)
        #expect(merged.notes.count == aws.notes.count * 2 + aws.count)
    }
}
