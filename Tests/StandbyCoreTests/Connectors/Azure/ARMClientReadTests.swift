import Foundation
import Testing
@testable import StandbyCore

@Suite("ARM reads against a wire-format test server")
struct ARMClientReadTests {
    @Test func getByIDSendsTheApiVersionOfEachType() throws {
        let arm = try ARMWireServer.start()
        let client = arm.client()
        let cases: [(id: String, type: String, version: String)] = [
            (ARMWireServer.cluster, ARMResourceTypes.managedClusters, "2025-10-01"),
            (ARMWireServer.agentPool, ARMResourceTypes.agentPools, "2025-10-01"),
            (ARMWireServer.routeTable, "Microsoft.Network/routeTables", "2024-05-01"),
            (ARMWireServer.firewall, "Microsoft.Network/azureFirewalls", "2024-05-01"),
        ]
        for c in cases {
            let body = try client.get(id: c.id)
            #expect(body["id"]?.stringValue == c.id)
            #expect(body["properties"]?.objectValue != nil, "the full resource, properties included")
            let sent = try arm.requests(to: c.id)
            #expect(sent.count == 1)
            #expect(sent.first?["query"]?["api-version"]?.stringValue == c.version, "\(c.type)")
            #expect(ARMResourceForm.apiVersion(c.type) == c.version, "the template builder's table is the one used")
        }
    }

    @Test func anApiVersionTheTypeLacksIsRefusedAsARMDoes() throws {
        let arm = try ARMWireServer.start()
        let client = arm.client()
        let wrong = try #require(throws: ARMError.self) { try client.get(id: ARMWireServer.routeTable, apiVersion: "2099-01-01") }
        #expect(wrong.status == 400)
        #expect(wrong.code == "NoRegisteredProviderFound")
        let missing = try #require(throws: ARMError.self) {
            try client.request("GET", url: arm.endpoint + ARMWireServer.routeTable)
        }
        #expect(missing.code == "MissingApiVersionParameter")
    }

    @Test func aResourceGroupListFollowsNextLinkAcrossPages() throws {
        let arm = try ARMWireServer.start()
        for n in 1...5 {
            try arm.control("resources", [
                "id": .string("/subscriptions/subid/resourceGroups/rg1/providers/Microsoft.Network/routeTables/rt-\(n)"),
                "name": .string("rt-\(n)"), "type": "Microsoft.Network/routeTables", "location": "westus",
                "properties": ["routes": []],
            ])
        }
        try arm.control("config", ["pageSize": 2])
        let resources = try arm.client(subscription: "subid").list(resourceGroup: "rg1")
        let ids = resources.compactMap { $0["id"]?.stringValue }
        #expect(ids.count == 7)
        #expect(Set(ids).count == 7)
        #expect(ids.contains(ARMWireServer.firewall) && ids.contains(ARMWireServer.routeTable))
        #expect(resources.allSatisfy { $0["properties"]?.objectValue != nil }, "each one read in full by id")
        let pages = try arm.requests(to: "/subscriptions/subid/resourceGroups/rg1/resources")
        #expect(pages.map { $0["query"]?["$skiptoken"]?.stringValue } == [nil, "2", "4", "6"])
        #expect(pages.allSatisfy { $0["query"]?["api-version"] == "2021-04-01" })
    }

    @Test func aManagedClustersGroupListIncludesItsAgentPools() throws {
        let arm = try ARMWireServer.start()
        let resources = try arm.client().list(resourceGroup: "rg1")
        #expect(resources.compactMap { $0["id"]?.stringValue } == [ARMWireServer.cluster, ARMWireServer.agentPool])
    }

    @Test func throttlingWithRetryAfterIsRetriedUntilItSucceeds() throws {
        let arm = try ARMWireServer.start()
        try arm.control("faults", ["path": .string(ARMWireServer.cluster), "count": 2, "status": 429, "retryAfter": "1"])
        let body = try arm.client().get(id: ARMWireServer.cluster)
        #expect(body["name"] == "clustername1")
        #expect(try arm.requests(to: ARMWireServer.cluster).count == 3)
    }

    @Test func serverErrorsAreRetriedUntilItSucceeds() throws {
        let arm = try ARMWireServer.start()
        try arm.control("faults", ["path": .string(ARMWireServer.routeTable), "count": 1, "status": 503])
        try arm.control("faults", ["path": .string(ARMWireServer.routeTable), "count": 1, "status": 500])
        let body = try arm.client().get(id: ARMWireServer.routeTable)
        #expect(body["name"] == "testrt")
        #expect(try arm.requests(to: ARMWireServer.routeTable).count == 3)
    }

    @Test func serverErrorsBeyondTheRetriesAreAnARMError() throws {
        let arm = try ARMWireServer.start()
        try arm.control("faults", ["path": .string(ARMWireServer.routeTable), "count": 10, "status": 503])
        let error = try #require(throws: ARMError.self) { try arm.client().get(id: ARMWireServer.routeTable) }
        #expect(error.status == 503)
        #expect(error.code == "ServiceUnavailable")
        #expect(try arm.requests(to: ARMWireServer.routeTable).count == 4, "maxAttempts tries in all")
    }

    @Test func aMissingResourceIsAClearARMError() throws {
        let arm = try ARMWireServer.start()
        let id = "/subscriptions/subid/resourceGroups/rg1/providers/Microsoft.ContainerService/managedClusters/missing"
        let error = try #require(throws: ARMError.self) { try arm.client(token: .accessToken("secret-token-xyz")).get(id: id) }
        #expect(error.status == 404)
        #expect(error.code == "ResourceNotFound")
        #expect(error.description == "GET \(arm.endpoint)\(id)?api-version=2025-10-01: 404 ResourceNotFound: The Resource "
            + "'Microsoft.ContainerService/managedClusters/missing' under resource group 'rg1' was not found. "
            + "For more details please go to https://aka.ms/ARMResourceNotFoundFix")
        #expect(!error.description.contains("secret-token-xyz"))
    }

    @Test func aMissingResourceGroupIsAClearARMError() throws {
        let arm = try ARMWireServer.start()
        let error = try #require(throws: ARMError.self) { try arm.client(subscription: "subid").list(resourceGroup: "rg-gone") }
        #expect(error.status == 404)
        #expect(error.description.hasSuffix("404 ResourceGroupNotFound: Resource group 'rg-gone' could not be found."))
    }
}
