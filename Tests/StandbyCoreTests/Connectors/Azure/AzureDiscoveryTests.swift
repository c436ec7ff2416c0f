import Foundation
import Testing
@testable import StandbyCore
import StandbyTestSupport

@Suite("Azure discovery against a wire-format test server")
struct AzureDiscoveryTests {
    @Test func everyResourceGroupOfTheSubscriptionBecomesTheInventory() throws {
        let arm = try ARMWireServer.start()
        let progress = RecordingProgress()
        let discovery = AzureDiscovery(client: arm.client(), subscription: ARMWireServer.fixtureSubscription)
        let inventory = try discovery.inventory(progress: progress)

        let cluster = try #require(inventory.get(ARMWireServer.cluster))
        #expect(cluster.type == ARMResourceTypes.managedClusters)
        #expect(cluster.document["properties"]?["kubernetesVersion"] != nil, "the full body, read by id")
        #expect(cluster.source.path == arm.endpoint + ARMWireServer.cluster)
        let listed = try #require(inventory.get(ARMWireServer.agentPool), "the pool from the agentPools list")
        #expect(listed.type == ARMResourceTypes.agentPools)
        #expect(inventory.get(ARMWireServer.cluster + "/agentPools/nodepool1") != nil, "the cluster's inline pool")
        let entry = try #require(inventory.cluster(named: "clustername1"))
        #expect(entry.cloud == .azure)
        #expect(entry.controlPlaneID.flatMap(ARMResourceID.init) == ARMResourceID(ARMWireServer.cluster))

        #expect(progress.phases.contains("listing resource group rg1"))
        let requested = try arm.requests().compactMap { $0["path"]?.stringValue }
        #expect(requested.first == "/subscriptions/\(ARMWireServer.fixtureSubscription)/resourcegroups")
        #expect(requested.contains(ARMWireServer.cluster.replacingOccurrences(of: "resourcegroups", with: "resourceGroups") + "/agentPools")
                || requested.contains(ARMWireServer.cluster + "/agentPools"))
    }

    @Test func onlyTheNamedResourceGroupsAreRead() throws {
        let arm = try ARMWireServer.start()
        try arm.control("resources", [
            "id": "/subscriptions/subid/resourceGroups/rg-other/providers/Microsoft.Network/routeTables/elsewhere",
            "name": "elsewhere", "type": "Microsoft.Network/routeTables", "location": "westus", "properties": [:],
        ])
        let inventory = try AzureDiscovery(client: arm.client(subscription: "subid"), subscription: "subid",
                                           resourceGroups: ["rg1"]).inventory()
        #expect(inventory.get(ARMWireServer.routeTable) != nil)
        #expect(inventory.get(ARMWireServer.firewall) != nil)
        #expect(inventory.get("/subscriptions/subid/resourceGroups/rg-other/providers/Microsoft.Network/routeTables/elsewhere") == nil)
        #expect(inventory.clusters.isEmpty)
        #expect(try arm.requests().allSatisfy { $0["path"]?.stringValue?.contains("rg-other") == false })
    }
}
