import Foundation
import Testing
@testable import StandbyCore
import StandbyTestSupport

/// Real captures of the access shapes (`Tests/Fixtures/access/`, provenance in
/// `Tests/Fixtures/SOURCES.md`): aws-cli documentation outputs of `describe-access-entry`,
/// `list-associated-access-policies`, `describe-pod-identity-association` and `create-addon`, and
/// Azure REST API examples of role assignments, a cluster extension and a maintenance configuration.
@Suite("Access fixtures: real aws-cli and ARM shapes load and translate")
struct AccessFixtureTests {
    static func load(_ file: String) throws -> Inventory? {
        guard let path = Fixtures.path("access/\(file)") else { return nil }
        return try InventoryLoader.load(path: path)
    }

    static let recovery = RecoveryEnvironment(azure: AzureSite(subscription: "0b9d4c3e-7a61-4f2b-8c5d-1e2f3a4b5c6d", location: "northeurope"),
                                              aws: AWSSite(account: "999988887777", region: "eu-central-1"))

    static func translate(_ inventory: Inventory) -> Translation {
        Translator(settings: TranslationSettings(to: recovery, mode: .failover)).translate(inventory.resources, in: inventory)
    }

    @Test func anAccessEntryLoadsByItsARNAndAUserPrincipalIsKeptAndReported() throws {
        guard let inventory = try Self.load("describe-access-entry.rst") else { return }
        let entry = try #require(inventory.resources.first)
        #expect(inventory.count == 1 && entry.type == EKSAccessTypes.accessEntry)
        #expect(entry.id.hasPrefix("arn:aws:eks:us-west-2:111122223333:access-entry/eks-customer/user/111122223333/eks-admin-user/"))
        #expect(entry.name == "arn:aws:iam::111122223333:user/eks-admin-user")
        let t = Self.translate(inventory)
        let translated = try #require(t.resources.first)
        #expect(translated.recoveryID == "arn:aws:eks:eu-central-1:999988887777:access-entry/eks-customer/user/999988887777/eks-admin-user",
                "the generated suffix is dropped, the principal's account follows")
        #expect(translated.document["principalArn"] == "arn:aws:iam::111122223333:user/eks-admin-user")
        #expect(translated.untranslated.map(\.path).sorted() == ["principalArn", "username"])
        #expect(t.issues.contains { $0.feature == "access entry" && $0.message.contains("is an IAM user") })
    }

    @Test func associatedPoliciesLoadAsOneResourceOfTheirPrincipal() throws {
        guard let policies = Fixtures.path("access/list-associated-access-policies.rst"),
              let entry = Fixtures.path("access/describe-access-entry.rst") else { return }
        // With the access entry of the same account, which makes 111122223333 a source account.
        let inventory = try InventoryLoader.load(paths: [policies, entry])
        let r = try #require(inventory.resources.first { $0.type == EKSAccessTypes.accessPolicies })
        #expect(inventory.count == 2)
        #expect(r.id == "eks-customer/access-policies/arn:aws:iam::111122223333:role/Admin")
        #expect(r.document["associatedAccessPolicies"]?[0]?["accessScope"] == ["type": "cluster", "namespaces": []])
        let translated = try #require(Self.translate(inventory).resources.first { $0.source.id == r.id })
        #expect(translated.recoveryID == "eks-customer/access-policies/arn:aws:iam::999988887777:role/Admin")
        #expect(translated.document["principalArn"] == "arn:aws:iam::999988887777:role/Admin", "a role goes by name")
    }

    @Test func aPodIdentityAssociationAndAddonsLoadWithTheirRoles() throws {
        guard let pia = try Self.load("describe-pod-identity-association.rst"), let addons = try Self.load("create-addon.rst") else { return }
        let a = try #require(pia.resources.first)
        #expect(a.type == EKSAccessTypes.podIdentityAssociation && a.name == "a-9njjin9gfghecgocd")
        #expect(a.id == "arn:aws:eks:us-west-2:111122223333:podidentityassociation/eks-customer/a-9njjin9gfghecgocd")
        let ta = try #require(Self.translate(pia).resources.first)
        #expect(ta.document["roleArn"] == "arn:aws:iam::999988887777:role/my-role")
        #expect(ta.recoveryID == "arn:aws:eks:eu-central-1:999988887777:podidentityassociation/eks-customer")
        #expect(addons.count == 5 && addons.resources.allSatisfy { $0.type == EKSAccessTypes.addon })
        let configured = addons.resources.filter { $0.document["configurationValues"] != nil }
        #expect(configured.count == 3)
        #expect(configured.contains { $0.document["configurationValues"]?.stringValue?.hasPrefix("resources:\n") == true }, "YAML values too")
    }

    @Test func roleAssignmentsExtensionsAndMaintenanceLoadFromRESTExamples() throws {
        guard let list = try Self.load("RoleAssignments_ListForResourceGroup.json"),
              let one = try Self.load("RoleAssignments_CreateForResource.json"),
              let ext = try Self.load("Extensions_Get_Get_Extension.json"),
              let mc = try Self.load("MaintenanceConfigurationsGet_MaintenanceWindow.json") else { return }
        #expect(list.count == 2 && list.resources.allSatisfy { $0.type == AzureAccessTypes.roleAssignment })
        let assignment = try #require(one.resources.first)
        #expect(AzureAccessTypes.scope(of: assignment)
                == "/subscriptions/a925f2f7-5c63-4b7b-8799-25a5f97bc3b2/resourceGroups/testrg/providers/Microsoft.DocumentDb/databaseAccounts/test-db-account")
        let t = Translator(settings: TranslationSettings(to: Self.recovery, mode: .failover)).translate(one.resources, in: one)
        let translated = try #require(t.resources.first)
        let recovery = try #require(translated.recoveryID.flatMap(ARMResourceID.init))
        #expect(recovery.subscription == "0b9d4c3e-7a61-4f2b-8c5d-1e2f3a4b5c6d")
        #expect(recovery.name != assignment.name && recovery.name.count == 36, "a new GUID: \(recovery.name)")
        #expect(translated.document["properties"]?["roleDefinitionId"]
                == "/providers/Microsoft.Authorization/roleDefinitions/0b5fe924-9a61-425c-96af-cfe6e287ca2d", "tenant-level ids stay")
        let e = try #require(ext.resources.first)
        #expect(e.type == AzureAccessTypes.extensionType && e.armID?.isExtension == true)
        #expect(AzureAccessTypes.scope(of: e)?.hasSuffix("/Microsoft.Kubernetes/connectedClusters/clusterName1") == true)
        let m = try #require(mc.resources.first)
        #expect(m.type == AzureAccessTypes.maintenanceConfiguration)
        #expect(m.document["properties"]?["maintenanceWindow"]?["schedule"]?["daily"]?["intervalDays"] == 3)
    }
}
