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

    @Test("a type Standby has no api-version for is read with the newest stable one its provider lists, the provider asked once")
    func unknownTypesAreReadWithTheirProvidersApiVersion() throws {
        let arm = try ARMWireServer.start()
        let group = "/subscriptions/subid/resourceGroups/rg-obs/providers/Microsoft.Insights/components/"
        for name in ["appi-web", "appi-api"] {
            try arm.control("resources", [
                "id": .string(group + name), "name": .string(name), "type": "Microsoft.Insights/components",
                "location": "westeurope", "kind": "web",
                "properties": ["ApplicationId": .string(name), "WorkspaceResourceId": "/subscriptions/subid/resourceGroups/rg-obs/providers/Microsoft.OperationalInsights/workspaces/log-x"],
            ])
        }
        #expect(ARMAPIVersions.forType("Microsoft.Insights/components") == nil, "not in Standby's table")
        let inventory = try AzureDiscovery(client: arm.client(subscription: "subid"), subscription: "subid",
                                           resourceGroups: ["rg-obs"]).inventory()
        let web = try #require(inventory.get(group + "appi-web"))
        #expect(web.document["properties"]?["WorkspaceResourceId"] != nil, "the full body, read by id")
        #expect(inventory.get(group + "appi-api") != nil)
        #expect(!inventory.notes.contains { $0.contains("kept as listed") })

        let providerReads = try arm.requests(to: "/subscriptions/subid/providers/Microsoft.Insights")
        #expect(providerReads.count == 1, "one provider read for both components")
        let reads = try arm.requests(to: group + "appi-web")
        #expect(reads.first?["query"]?["api-version"] == "2020-02-02", "the newest stable version, not the preview")
    }

    @Test("a type no provider knows fails the discovery, naming the resource; asked to be partial, it is kept as listed with a gap")
    func aTypeNoProviderKnowsIsAGap() throws {
        let arm = try ARMWireServer.start()
        let id = "/subscriptions/subid/resourceGroups/rg-odd/providers/Contoso.Widgets/gadgets/g1"
        try arm.control("resources", ["id": .string(id), "name": "g1", "type": "Contoso.Widgets/gadgets", "location": "westeurope",
                                      "properties": ["secret": "never read"]])
        let discovery = AzureDiscovery(client: arm.client(subscription: "subid"), subscription: "subid", resourceGroups: ["rg-odd"])
        let error = #expect(throws: IncompleteDiscoveryError.self) { try discovery.inventory() }
        #expect(error?.gaps.map(\.what) == [id])
        #expect(error?.description.contains("neither Standby nor its resource provider knows an api-version for Contoso.Widgets/gadgets") == true)

        let inventory = try AzureDiscovery(client: arm.client(subscription: "subid"), subscription: "subid",
                                           resourceGroups: ["rg-odd"], partial: true).inventory()
        let gadget = try #require(inventory.get(id))
        #expect(gadget.document["properties"] == nil, "as the list shows it")
        #expect(inventory.gaps.map(\.what) == [id])
        #expect(inventory.gaps.first?.source == "azure subscription subid")
        #expect(inventory.notes.contains { $0.contains("neither Standby nor its resource provider knows an api-version for Contoso.Widgets/gadgets") })
    }
}
