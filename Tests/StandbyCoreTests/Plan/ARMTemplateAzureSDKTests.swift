import Foundation
import Testing
@testable import StandbyCore
import StandbyTestSupport

/// The bodies the ARM template deploys, loaded into the Azure SDK's own models (PyPI
/// `azure-mgmt-containerservice` and `azure-mgmt-network`, pinned in
/// `scripts/validate/requirements.txt`) by `scripts/validate/azure_models.py`: no property may be
/// unknown to the model (lost in a round trip through it) or read-only.
@Suite("ARM template bodies load into the Azure SDK models (azure-mgmt-containerservice, azure-mgmt-network)")
struct ARMTemplateAzureSDKTests {
    /// Template resource type → SDK model class.
    static let models: [String: String] = [
        "Microsoft.ContainerService/managedClusters": "ManagedCluster",
        "Microsoft.ContainerService/managedClusters/agentPools": "AgentPool",
        "Microsoft.ContainerService/snapshots": "Snapshot",
        "Microsoft.Network/virtualNetworks": "VirtualNetwork",
        "Microsoft.Network/virtualNetworks/subnets": "Subnet",
        "Microsoft.Network/networkSecurityGroups": "NetworkSecurityGroup",
        "Microsoft.Network/applicationSecurityGroups": "ApplicationSecurityGroup",
        "Microsoft.Network/publicIPAddresses": "PublicIPAddress",
        "Microsoft.Network/publicIPPrefixes": "PublicIPPrefix",
        "Microsoft.Network/routeTables": "RouteTable",
        "Microsoft.Network/applicationGateways": "ApplicationGateway",
        "Microsoft.Network/ApplicationGatewayWebApplicationFirewallPolicies": "WebApplicationFirewallPolicy",
        "Microsoft.Network/azureFirewalls": "AzureFirewall",
        "Microsoft.Network/firewallPolicies": "FirewallPolicy",
        "Microsoft.Network/firewallPolicies/ruleCollectionGroups": "FirewallPolicyRuleCollectionGroup",
    ]

    /// `{model, body, label}` items for every template resource an SDK model covers; the managed
    /// cluster's inline pools also as `AgentPool` bodies (what `az aks nodepool add` would send).
    static func items(_ d: ARMDeployment, label: String) -> [JSONValue] {
        var out: [JSONValue] = []
        for r in ARMSample.resources(d) {
            let inner = ARMSample.inner(r)
            guard let type = inner["type"]?.stringValue, let model = models[type] else { continue }
            let name = ARMSample.name(inner)
            var body = JSONObject()
            for key in ["location", "tags", "sku", "zones", "identity", "properties"] {
                if let v = inner[key] { body[key] = v }
            }
            out.append(["model": .string(model), "body": .object(body), "label": .string("\(label) \(type) \(name)")])
            guard model == "ManagedCluster" else { continue }
            for pool in inner["properties"]?["agentPoolProfiles"]?.arrayValue ?? [] {
                guard case .object(var p) = pool else { continue }
                let poolName = p["name"]?.stringValue ?? "?"
                p["name"] = nil
                out.append(["model": "AgentPool", "body": ["properties": .object(p)],
                            "label": .string("\(label) agent pool \(name)/\(poolName) (inline)")])
            }
        }
        return out
    }

    @Test func clusterAgentPoolAndNetworkBodiesHaveNoUnknownProperties() throws {
        var items: [JSONValue] = []
        for (label, _, d) in try ARMSample.all() { items += Self.items(d, label: label) }
        let models = Set(items.compactMap { $0["model"]?.stringValue })
        #expect(models.isSuperset(of: ["ManagedCluster", "AgentPool", "VirtualNetwork", "ApplicationGateway", "AzureFirewall"]))
        #expect(items.filter { $0["model"] == "AgentPool" }.count == 3 * 7, "every pool of the three variants")

        guard let (status, output) = try ValidationScript.check("azure_models.py", .array(items)) else { return }
        #expect(status == 0, "azure_models.py found problems:\n\(output)")
        #expect(output.contains("ok: \(items.count) bodies"), "\(output)")
    }

    @Test func theCheckerCatchesAnUnknownProperty() throws {
        let items: JSONValue = [[
            "model": "ManagedCluster",
            "body": ["location": "northeurope", "properties": ["kubernetesVersion": "1.30.6", "fqdn": "x.hcp.azmk8s.io",
                                                               "agentPoolProfiles": [["name": "system", "vmSize": "D4", "bogus": 1]]]],
            "label": "bad",
        ]]
        guard let (status, output) = try ValidationScript.check("azure_models.py", items) else { return }
        #expect(status == 1)
        #expect(output.contains("bad: properties.agentPoolProfiles[0].bogus: unknown property of ManagedCluster"), "\(output)")
        #expect(output.contains("bad: properties.fqdn: read-only in ManagedCluster"), "\(output)")
    }
}
