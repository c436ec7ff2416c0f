import Foundation
import Testing
@testable import StandbyCore
import StandbyTestSupport

/// Who may reach the recovered AKS cluster: the sample estate's role assignments (cluster and
/// resource-group scope), cluster extensions and maintenance configurations
/// (`scripts/estate/azure/access.json`) are walked from the cluster, translated, put in the ARM
/// template in dependency order, deployed to the ARM wire-format test server and read back.
@Suite("Cluster access through the ARM wire server")
struct ClusterAccessARMWireServerTests {
    static let cluster = SampleEstate.aksID
    static let sourceTenant = "72f988bf-86f1-41af-91ab-2d7cd011db47"
    static let roleAssignments = "Microsoft.Authorization/roleAssignments"

    static func plan(tenant: String) throws -> (Translation, ARMDeployment) {
        let selection = try SampleEstate.inventory().select(SelectionRequest(roots: [cluster]))
        var to = SampleEstate.recovery
        to.azure?.tenant = tenant
        let translation = Translator(settings: TranslationSettings(to: to, mode: .failover)).translate(selection)
        return (translation, try #require(ARMTemplateBuilder.build(translation, sandbox: nil)))
    }

    static func inner(_ d: ARMDeployment, type: String) -> [JSONValue] {
        ARMSample.resources(d).map(ARMSample.inner).filter { $0["type"]?.stringValue?.lowercased() == type.lowercased() }
    }

    /// The template's role assignments that come from the recovery point (not the Network
    /// Contributor ones the translation adds for promoted networks).
    static func captured(_ t: Translation, _ d: ARMDeployment) -> [JSONValue] {
        let names = Set(t.resources.filter { $0.source.type == roleAssignments }
            .compactMap { $0.recoveryID.flatMap(ARMResourceID.init)?.name.lowercased() })
        return inner(d, type: roleAssignments).filter { names.contains($0["name"]?.stringValue?.lowercased() ?? "") }
    }

    @Test func theWalkerReachesAssignmentsExtensionsAndMaintenanceFromTheCluster() throws {
        let selection = try SampleEstate.inventory().select(SelectionRequest(roots: [Self.cluster]))
        var relations: [String: Int] = [:]
        for r in selection.resources {
            guard let step = selection.why(r.id)?.last, step.from.lowercased() == Self.cluster.lowercased() else { continue }
            relations[step.relation, default: 0] += 1
        }
        #expect(relations["role assignment"] == 3, "two at the cluster, one at its resource group: \(relations)")
        #expect(relations["cluster extension"] == 2)
        #expect(relations["maintenance configuration"] == 2)
    }

    @Test func sameTenantAssignmentsAreDeployedWithNewDeterministicNamesAndReadBack() throws {
        let (translation, deployment) = try Self.plan(tenant: Self.sourceTenant)
        let assignments = Self.captured(translation, deployment)
        #expect(assignments.count == 3)
        let sourceNames = Set(translation.resources.filter { $0.source.type == Self.roleAssignments }.compactMap(\.source.name))
        let names = Set(assignments.compactMap { $0["name"]?.stringValue })
        #expect(names.isDisjoint(with: sourceNames), "a role assignment's GUID cannot be reused in the tenant")
        let again = try Self.plan(tenant: Self.sourceTenant)
        #expect(Set(Self.captured(again.0, again.1).compactMap { $0["name"]?.stringValue }) == names, "the names are the same every time")
        let scoped = assignments.filter { $0["scope"] != nil }
        #expect(scoped.count == 2 && scoped.allSatisfy { $0["scope"] == "Microsoft.ContainerService/managedClusters/aks-prod-weu" })
        let identity = try #require(assignments.first { $0["properties"]?["principalType"] == "ServicePrincipal" })
        let wi = "/subscriptions/\(SampleEstate.recoverySubscription)/resourceGroups/rg-payments-dr/providers/Microsoft.ManagedIdentity/userAssignedIdentities/id-payments-api-wi"
        #expect(identity["properties"]?["principalId"] == .string("[reference('\(wi)', '2023-01-31').principalId]"),
                "the recovery identity has a new principal id")
        for a in assignments {
            #expect(a["properties"]?["principalName"] == nil && a["properties"]?["createdOn"] == nil)
            #expect(a["properties"]?["roleDefinitionId"]?.stringValue?.hasPrefix("/subscriptions/\(SampleEstate.recoverySubscription)/") == true)
        }
        let extensions = Self.inner(deployment, type: AzureAccessTypes.extensionType)
        #expect(Set(extensions.compactMap { $0["name"]?.stringValue }) == ["flux", "dapr"])
        let flux = try #require(extensions.first { $0["name"] == "flux" })
        #expect(flux["properties"]?["currentVersion"] == nil && flux["properties"]?["statuses"] == nil)
        #expect(flux["properties"]?["configurationSettings"]?["multiTenancy.enforce"] == "false")
        #expect(flux["identity"] == ["type": "SystemAssigned"])
        #expect(Self.inner(deployment, type: AzureAccessTypes.maintenanceConfiguration).count == 2)

        // Every one waits for the cluster (or its group) and for the identity it names.
        let clusterEntry = try #require(ARMSample.entry(deployment, type: ARMResourceTypes.managedClusters, name: "aks-prod-weu"))
        for r in ARMSample.resources(deployment) {
            let inner = ARMSample.inner(r)
            let type = inner["type"]?.stringValue?.lowercased() ?? ""
            if type == AzureAccessTypes.extensionType.lowercased() || type == AzureAccessTypes.maintenanceConfiguration.lowercased()
                || inner["scope"] != nil {
                #expect(ARMSample.waits(deployment, ARMSample.name(r), for: ARMSample.name(clusterEntry)), "\(ARMSample.name(r))")
            }
        }
        let identityEntry = try #require(ARMSample.entry(deployment, type: "Microsoft.ManagedIdentity/userAssignedIdentities",
                                                         name: "id-payments-api-wi"))
        let identityAssignment = try #require(ARMSample.resources(deployment).first { ARMSample.inner($0) == identity })
        #expect(ARMSample.waits(deployment, ARMSample.name(identityAssignment), for: ARMSample.name(identityEntry)))

        // Deployed through the ARM wire server; each is there afterwards.
        let arm = try ARMWireServer.start()
        let client = arm.client(subscription: SampleEstate.recoverySubscription)
        let report = ARMDeploymentRestore(client: client, location: "northeurope").apply(deployment, progress: SilentProgress())
        #expect(report.failed.isEmpty, "\(report.failed)")
        let access = deployment.creates.filter { id in
            [Self.roleAssignments, AzureAccessTypes.extensionType, "maintenanceConfigurations"].contains { id.contains($0) }
        }
        #expect(access.count == 9, "3 + 2 extensions + 2 maintenance configurations, and 2 Network Contributor assignments for promoted networks")
        for id in access {
            let body = try client.get(id: id)
            #expect(body["id"]?.stringValue?.lowercased() == id.lowercased())
        }
        let read = try client.get(id: ARMSample.cluster + "/providers/Microsoft.KubernetesConfiguration/extensions/dapr")
        #expect(read["properties"]?["version"] == "1.14.4-msft.3")
    }

    @Test func anotherTenantsPrincipalsAreReportedAndLeftOut() throws {
        let (translation, deployment) = try Self.plan(tenant: SampleEstate.recovery.azure?.tenant ?? "")
        let assignments = Self.captured(translation, deployment)
        #expect(assignments.count == 1, "only the managed identity's, whose recovery identity the template creates")
        #expect(translation.issues.filter { $0.feature == "role assignment" }.count == 3)
        let left = deployment.notes.filter { $0.message.hasPrefix("not in the ARM template: the principal") }
        #expect(left.count == 2, "\(deployment.notes)")
        #expect(left.allSatisfy { $0.message.contains("the recovery is in tenant \(SampleEstate.recovery.azure?.tenant ?? "")") })
    }
}
