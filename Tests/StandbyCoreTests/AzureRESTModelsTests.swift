import Foundation
import Testing
@testable import StandbyCore
import StandbyTestSupport

/// The REST property table (`Inputs/AzureRESTModels+Table.swift`) is what
/// `scripts/validate/generate_rest_names.py` makes of the Azure SDK models the tests pin.
@Suite struct AzureRESTModelsTests {
    @Test func theCommittedTableIsWhatTheGeneratorMakesOfThePinnedModels() throws {
        let tmp = try TemporaryFolder()
        defer { tmp.remove() }
        let out = tmp.path + "/table.swift"
        guard let (status, output) = try ValidationScript.run("generate_rest_names.py", [out]) else { return }
        #expect(status == 0, "\(output)")
        let generated = try String(contentsOfFile: out, encoding: .utf8)
        let committed = try String(contentsOfFile: LocalServer.root + "/Sources/StandbyCore/Inputs/AzureRESTModels+Table.swift",
                                   encoding: .utf8)
        #expect(generated == committed, "rerun scripts/validate/generate_rest_names.py")
    }

    @Test func restNamesReadOnlyFlagsAndVersions() {
        let cluster = "Microsoft.ContainerService/managedClusters"
        #expect(AzureRESTModels.apiVersion(forType: cluster.uppercased()) != nil)
        #expect(AzureRESTModels.apiVersion(forType: "Microsoft.KeyVault/vaults") == nil)
        #expect(AzureRESTModels.isReadOnly([.key("properties"), .key("fqdn")], type: cluster))
        #expect(AzureRESTModels.isReadOnly([.key("properties"), .key("resourceUID")], type: cluster))
        #expect(!AzureRESTModels.isReadOnly([.key("properties"), .key("dnsPrefix")], type: cluster))
        #expect(AzureRESTModels.isReadOnly([.key("properties"), .key("agentPoolProfiles"), .index(0), .key("provisioningState")],
                                           type: cluster))
        // Case-insensitive matches only: an unknown key stays as it is (the template drops and reports it).
        let doc: JSONValue = ["properties": ["aadProfile": ["tenantId": "t"], "addonProfiles": ["omsAgent": ["enabled": true, "config": ["logAnalyticsWorkspaceResourceId": "w"]]],
                                             "bogusKey": 1], "tags": ["tenantId": "x"]]
        let n = AzureRESTModels.normalizing(doc, type: cluster)
        #expect(n["properties"]?["aadProfile"] == ["tenantID": "t"])
        #expect(n["properties"]?["addonProfiles"] == doc["properties"]?["addonProfiles"], "map keys and free-form config untouched")
        #expect(n["properties"]?["bogusKey"] == 1 && n["tags"] == ["tenantId": "x"])
        let pruned = AzureRESTModels.pruning(n["properties"]!, member: "properties", type: cluster)
        #expect(pruned?.unknown == ["properties.bogusKey"])
        #expect(pruned?.value?["bogusKey"] == nil && pruned?.value?["aadProfile"] == ["tenantID": "t"])
    }
}
