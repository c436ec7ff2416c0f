import Foundation
import Testing
@testable import StandbyCore
import StandbyTestSupport

@Suite("ARM deployments against a wire-format test server")
struct ARMDeploymentTests {
    static let subscription = SampleEstate.recoverySubscription
    static let deploymentPath = "/subscriptions/\(subscription)/providers/Microsoft.Resources/deployments/standby-recovery"

    /// The sample estate's recovery deployment, as the plan engines build it.
    static func sample() throws -> ARMDeployment { try ARMSample.deployment(.test).1 }

    @Test func aPlanDeploymentIsPolledToTheEndAndCreatesWhatItLists() throws {
        let arm = try ARMWireServer.start()
        let deployment = try Self.sample()
        let client = arm.client(subscription: Self.subscription)
        let progress = RecordingProgress()
        let report = ARMDeploymentRestore(client: client, location: "northeurope").apply(deployment, progress: progress)

        #expect(report.failed.isEmpty, "\(report.failed)")
        #expect(report.created.map(\.id) == deployment.creates)
        #expect(report.records.allSatisfy { $0.target == "azure" && $0.message.isEmpty }, "every id was known absent before")
        #expect(report.records.contains { $0.kind == ARMResourceTypes.managedClusters && $0.id == ARMSample.cluster })
        for id in deployment.creates {
            #expect(throws: Never.self, "\(id) exists after the deployment") { _ = try client.get(id: id) }
        }
        let puts = try arm.requests(to: Self.deploymentPath, method: "PUT")
        #expect(puts.count == 1)
        #expect(puts.first?["query"]?["api-version"] == "2022-09-01")
        let polls = try arm.requests().filter { $0["path"]?.stringValue?.hasPrefix(Self.deploymentPath + "/operationStatuses/") == true }
        #expect(polls.count == 3, "Running, Running, Succeeded")
        #expect(progress.phases.contains("deploying standby-recovery (Running)"))
    }

    @Test func applyingTheSamePlanAgainUpdatesWithoutDuplicates() throws {
        let arm = try ARMWireServer.start()
        let deployment = try Self.sample()
        let client = arm.client(subscription: Self.subscription)
        let restore = ARMDeploymentRestore(client: client, location: "northeurope")
        let first = restore.apply(deployment, progress: SilentProgress())
        #expect(first.created.count == deployment.creates.count)
        let group = "rg-payments-dr"
        let before = try client.list(resourceGroup: group).compactMap { $0["id"]?.stringValue }

        let second = restore.apply(deployment, progress: SilentProgress())
        #expect(second.failed.isEmpty, "\(second.failed)")
        #expect(second.updated.map(\.id) == deployment.creates)
        #expect(second.created.isEmpty)
        let after = try client.list(resourceGroup: group).compactMap { $0["id"]?.stringValue }
        #expect(after == before)
        #expect(Set(after).count == after.count)
        #expect(try arm.requests(to: Self.deploymentPath, method: "PUT").count == 2)
    }

    @Test func aFailedDeploymentFailsEveryRecordAndNamesTheFailingResource() throws {
        let arm = try ARMWireServer.start()
        let deployment = try Self.sample()
        try arm.control("fail", ["name": "aks-prod-weu", "code": "QuotaExceeded",
                                 "message": "Operation could not be completed as it results in exceeding approved standardDSv5Family Cores quota."])
        let report = ARMDeploymentRestore(client: arm.client(subscription: Self.subscription), location: "northeurope")
            .apply(deployment, progress: SilentProgress())
        #expect(report.records.count == deployment.creates.count)
        #expect(report.failed.count == deployment.creates.count)
        let cluster = try #require(report.records.first { $0.id == ARMSample.cluster })
        #expect(cluster.message == "this resource failed: QuotaExceeded: Operation could not be completed as it results in "
            + "exceeding approved standardDSv5Family Cores quota.")
        let other = try #require(report.records.first { $0.id != ARMSample.cluster })
        #expect(other.message.hasPrefix("deployment standby-recovery failed: DeploymentFailed: At least one resource deployment operation failed."))
        #expect(other.message.contains("\(ARMSample.cluster): QuotaExceeded"))
    }

    @Test func deployThrowsTheDeploymentsErrorWithItsDetails() throws {
        let arm = try ARMWireServer.start()
        try arm.control("fail", ["name": "rt-new", "code": "InvalidResourceReference", "message": "Resource rt-new referenced a missing subnet."])
        let client = arm.client(subscription: "subid")
        let error = try #require(throws: ARMError.self) {
            try client.deploy(name: "small", location: "westus", template: Self.routeTableTemplate(), parameters: [:],
                              progress: SilentProgress())
        }
        #expect(error.code == "DeploymentFailed")
        #expect(error.status == nil, "the PUT was accepted; the deployment failed later")
        let detail = try #require(error.details.first)
        #expect(detail.code == "InvalidResourceReference")
        #expect(detail.target == "/subscriptions/subid/resourceGroups/rg1/providers/Microsoft.Network/routeTables/rt-new")
        #expect(error.description.contains("(/subscriptions/subid/resourceGroups/rg1/providers/Microsoft.Network/routeTables/rt-new: "
            + "InvalidResourceReference: Resource rt-new referenced a missing subnet.)"))
    }

    @Test func aLocationHeaderIsPolledWhenThereIsNoAsyncOperation() throws {
        let arm = try ARMWireServer.start()
        try arm.control("config", ["asyncHeader": "Location", "asyncPolls": 1])
        let client = arm.client(subscription: "subid")
        let finished = try client.deploy(name: "small", location: "westus", template: Self.routeTableTemplate(),
                                         parameters: ["$schema": .string(ARMTemplateBuilder.parametersSchema), "parameters": [:]],
                                         progress: SilentProgress())
        #expect(finished["properties"]?["provisioningState"] == "Succeeded")
        let created = try client.get(id: "/subscriptions/subid/resourceGroups/rg1/providers/Microsoft.Network/routeTables/rt-new")
        #expect(created["properties"]?["routes"]?[0]?["name"] == "default")
        let results = try arm.requests().filter { $0["path"]?.stringValue?.contains("/operationResults/") == true }
        #expect(results.count == 2, "202 once, then done")
    }

    @Test func aDeploymentThatIsThrottledAndFailsOnceStillCompletes() throws {
        let arm = try ARMWireServer.start()
        let path = "/subscriptions/subid/providers/Microsoft.Resources/deployments/small"
        try arm.control("faults", ["path": .string(path), "count": 1, "status": 429, "retryAfter": "1"])
        try arm.control("faults", ["path": .string(path), "count": 1, "status": 502])
        let finished = try arm.client(subscription: "subid").deploy(name: "small", location: "westus",
                                                                    template: Self.routeTableTemplate(), parameters: [:],
                                                                    progress: SilentProgress())
        #expect(finished["properties"]?["provisioningState"] == "Succeeded")
        #expect(try arm.requests(to: path, method: "PUT").count == 3)
    }

    /// A subscription template with one nested deployment creating a route table in `rg1`.
    static func routeTableTemplate() -> JSONValue {
        [
            "$schema": .string(ARMTemplateBuilder.schema), "contentVersion": "1.0.0.0",
            "resources": [[
                "type": "Microsoft.Resources/deployments", "apiVersion": "2024-03-01", "name": "rt-new-nested",
                "resourceGroup": "rg1",
                "properties": [
                    "mode": "Incremental", "expressionEvaluationOptions": ["scope": "inner"],
                    "template": [
                        "$schema": .string(ARMTemplateBuilder.nestedSchema), "contentVersion": "1.0.0.0",
                        "resources": [[
                            "type": "Microsoft.Network/routeTables", "apiVersion": "2024-05-01", "name": "rt-new",
                            "location": "westus",
                            "properties": ["routes": [["name": "default", "properties": [
                                "addressPrefix": "0.0.0.0/0", "nextHopType": "VirtualAppliance", "nextHopIpAddress": "10.0.1.4",
                            ]]]],
                        ]],
                    ],
                ],
            ]],
        ]
    }
}
