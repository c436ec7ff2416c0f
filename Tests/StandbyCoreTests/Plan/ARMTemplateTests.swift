import Foundation
import Testing
@testable import StandbyCore

/// The sample estate's ARM deployment, read back from the template.
enum ARMSample {
    static let sourceKV = "/subscriptions/\(SampleEstate.subscription)/resourceGroups/rg-security-prod/providers/Microsoft.KeyVault/vaults/kv-payments-secrets"
    static let recoveryGroup = "/subscriptions/\(SampleEstate.recoverySubscription)/resourceGroups/rg-payments-dr"
    static let cluster = recoveryGroup + "/providers/Microsoft.ContainerService/managedClusters/aks-prod-weu"
    static let byoVNet = recoveryGroup + "/providers/Microsoft.Network/virtualNetworks/aks-vnet-12345678"
    static let gateway = recoveryGroup + "/providers/Microsoft.Network/applicationGateways/agw-aks-prod-weu"
    static let controlPlane = recoveryGroup + "/providers/Microsoft.ManagedIdentity/userAssignedIdentities/id-aks-prod-weu-control-plane"

    static func deployment(_ mode: TranslationMode, sandbox: Bool = false, overrides: [String: String] = [:],
                           rules: [any TranslationStep] = []) throws -> (Translation, ARMDeployment) {
        let t = try SampleEstate.translate(mode: mode, overrides: overrides, rules: rules)
        let firewall = sandbox ? try SandboxFirewallBuilder.build(t, allow: ["api.contoso.com"]) : nil
        return (t, try #require(ARMTemplateBuilder.build(t, sandbox: firewall)))
    }

    /// Every deployment variant the tests check.
    static func all() throws -> [(label: String, translation: Translation, deployment: ARMDeployment)] {
        let test = try deployment(.test), failover = try deployment(.failover), sandboxed = try deployment(.test, sandbox: true)
        return [("test", test.0, test.1), ("failover", failover.0, failover.1), ("test+sandbox", sandboxed.0, sandboxed.1)]
    }

    static func resources(_ d: ARMDeployment) -> [JSONValue] { d.template["resources"]?.arrayValue ?? [] }

    /// The resource a top-level entry deploys (the nested template's only resource, or itself).
    static func inner(_ r: JSONValue) -> JSONValue {
        r["properties"]?["template"]?["resources"]?[0] ?? r
    }

    /// The top-level entry deploying the resource of `type` named `name`.
    static func entry(_ d: ARMDeployment, type: String, name: String) -> JSONValue? {
        resources(d).first { inner($0)["type"]?.stringValue?.lowercased() == type.lowercased() && inner($0)["name"]?.stringValue == name }
    }

    static func dependsOn(_ r: JSONValue?) -> [String] { r?["dependsOn"]?.arrayValue?.compactMap(\.stringValue) ?? [] }
    static func name(_ r: JSONValue?) -> String { r?["name"]?.stringValue ?? "" }

    /// Whether the entry named `a` waits, directly or through others, for the one named `b`.
    static func waits(_ d: ARMDeployment, _ a: String, for b: String) -> Bool {
        var deps: [String: [String]] = [:]
        for r in resources(d) { deps[name(r)] = dependsOn(r) }
        var seen: Set<String> = []
        var stack = deps[a] ?? []
        while let n = stack.popLast() {
            if n == b { return true }
            if seen.insert(n).inserted { stack += deps[n] ?? [] }
        }
        return false
    }

    static func text(_ d: ARMDeployment) -> String {
        JSONSerializer.serialize(d.template) + JSONSerializer.serialize(d.parameters)
    }
}

@Suite("ARM template: the sample estate")
struct ARMTemplateTests {
    @Test func templateIsASubscriptionDeployment() throws {
        let (_, d) = try ARMSample.deployment(.test)
        #expect(d.template["$schema"] == .string("https://schema.management.azure.com/schemas/2018-05-01/subscriptionDeploymentTemplate.json#"))
        #expect(d.parameters["$schema"]?.stringValue?.hasSuffix("deploymentParameters.json#") == true)
        for r in ARMSample.resources(d) where r["type"] == "Microsoft.Resources/deployments" {
            #expect(r["properties"]?["mode"] == "Incremental")
            #expect(r["properties"]?["expressionEvaluationOptions"]?["scope"] == "inner")
            #expect(r["resourceGroup"]?.stringValue != nil)
            #expect(r["properties"]?["template"]?["resources"]?.arrayValue?.count == 1)
        }
        for r in ARMSample.resources(d) {
            let inner = ARMSample.inner(r)
            let version = try #require(inner["apiVersion"]?.stringValue, "\(ARMSample.name(inner)) has no apiVersion")
            #expect(version.range(of: #"^\d{4}-\d{2}-\d{2}$"#, options: .regularExpression) != nil, "\(version)")
        }
        let cluster = try #require(ARMSample.entry(d, type: "Microsoft.ContainerService/managedClusters", name: "aks-prod-weu"))
        // Types the generated REST table covers are deployed with the api-version its models describe.
        let clusterVersion = try #require(AzureRESTModels.apiVersion(forType: "Microsoft.ContainerService/managedClusters"))
        let vnetVersion = try #require(AzureRESTModels.apiVersion(forType: "Microsoft.Network/virtualNetworks"))
        #expect(clusterVersion >= "2025-10-01" && vnetVersion >= "2024-05-01")
        #expect(ARMSample.inner(cluster)["apiVersion"] == .string(clusterVersion))
        #expect(ARMSample.inner(ARMSample.entry(d, type: "Microsoft.Network/virtualNetworks", name: "vnet-payments-prod") ?? .null)["apiVersion"] == .string(vnetVersion))
    }

    @Test func everyDependsOnNamesAResourceOfTheTemplate() throws {
        for (label, _, d) in try ARMSample.all() {
            let names = ARMSample.resources(d).map(ARMSample.name)
            #expect(Set(names).count == names.count, "\(label): names are not unique")
            for r in ARMSample.resources(d) {
                for dep in ARMSample.dependsOn(r) {
                    #expect(names.contains(dep), "\(label): \(ARMSample.name(r)) depends on \(dep), which the template does not hold")
                }
            }
        }
    }

    @Test func dependsOnHasNoCycleAndCreatesRespectsIt() throws {
        for (label, _, d) in try ARMSample.all() {
            let resources = ARMSample.resources(d)
            var deps: [String: [String]] = [:]
            for r in resources { deps[ARMSample.name(r)] = ARMSample.dependsOn(r) }
            var state: [String: Int] = [:]
            func cyclic(_ n: String) -> Bool {
                if state[n] == 1 { return true }
                if state[n] == 2 { return false }
                state[n] = 1
                for d in deps[n] ?? [] where cyclic(d) { return true }
                state[n] = 2
                return false
            }
            #expect(!deps.keys.sorted().contains(where: cyclic), "\(label): dependsOn has a cycle")
            #expect(!d.notes.contains { $0.message.contains("dependency cycle") }, "\(label): a cycle was left to a second run")

            // `creates` lists each resource after those it depends on.
            var idOf: [String: String] = [:]
            for r in resources {
                let inner = ARMSample.inner(r)
                if r["type"] == "Microsoft.Resources/resourceGroups" {
                    idOf[ARMSample.name(r)] = "/subscriptions/\(SampleEstate.recoverySubscription)/resourceGroups/\(ARMSample.name(r))"
                } else if let rg = r["resourceGroup"]?.stringValue, let type = inner["type"]?.stringValue {
                    let names = ARMSample.name(inner).split(separator: "/").map(String.init)
                    let types = type.split(separator: "/").map(String.init)
                    // An extension resource (a role assignment, a cluster extension) is attached to its `scope`.
                    let scope = inner["scope"]?.stringValue.map { "/providers/\($0)" } ?? ""
                    var id = "/subscriptions/\(SampleEstate.recoverySubscription)/resourceGroups/\(rg)\(scope)/providers/\(types[0])"
                    for (t, n) in zip(types.dropFirst(), names) { id += "/\(t)/\(n)" }
                    idOf[ARMSample.name(r)] = id
                }
            }
            let position = Dictionary(d.creates.enumerated().map { ($1.lowercased(), $0) }, uniquingKeysWith: { a, _ in a })
            for r in resources {
                let me = try #require(idOf[ARMSample.name(r)].flatMap { position[$0.lowercased()] }, "\(label): \(ARMSample.name(r)) not in creates")
                for dep in ARMSample.dependsOn(r) {
                    let other = try #require(idOf[dep].flatMap { position[$0.lowercased()] })
                    #expect(other < me, "\(label): \(ARMSample.name(r)) is created before \(dep)")
                }
            }
        }
    }

    @Test func noSourceSubscriptionOrLocationLeft() throws {
        for (label, _, d) in try ARMSample.all() {
            let text = ARMSample.text(d).lowercased()
            #expect(!text.contains(SampleEstate.subscription), "\(label): the source subscription is left")
            #expect(!text.contains("westeurope"), "\(label): westeurope is left")
            #expect(!text.contains("72f988bf-86f1-41af-91ab-2d7cd011db47"), "\(label): the source tenant is left")
        }
    }

    /// Read-only keys wherever they appear, and read-only paths of the cluster.
    static let readOnlyKeys: Set<String> = [
        "provisioningState", "fqdn", "azurePortalFQDN", "privateFQDN", "nodeImageVersion", "currentKubernetesVersion",
        "currentOrchestratorVersion", "powerState", "effectiveOutboundIPs", "effectiveApplicationGatewayId", "etag", "eTag",
        "resourceGuid", "systemData", "maxAgentPools", "resourceUID", "issuerURL", "vaultUri", "keyUriWithVersion",
        "ipConfiguration", "operationalState", "timeCreated", "customerId", "primaryEndpoints", "loginServer",
    ]

    @Test func noReadOnlyProperties() throws {
        for (label, _, d) in try ARMSample.all() {
            for r in ARMSample.resources(d) {
                let inner = ARMSample.inner(r)
                let type = inner["type"]?.stringValue ?? ""
                inner.forEachString { path, s, isKey in
                    guard isKey, case .key(let k)? = path.last else { return }
                    #expect(!Self.readOnlyKeys.contains(k), "\(label): \(type) \(ARMSample.name(inner)) has \(path.dotted)")
                    if k == "principalId" {
                        #expect(type == "Microsoft.Authorization/roleAssignments" && path.dotted == "properties.principalId",
                                "\(label): \(type) has \(path.dotted)")
                    }
                    if path.count > 3, k == "type", path.contains(.index(0)) || path.contains(.index(1)) {
                        #expect(!(inner[path: path]?.stringValue?.contains("/") ?? false), "\(label): inline child type \(path.dotted)")
                    }
                }
                for (_, v) in inner["identity"]?["userAssignedIdentities"]?.objectValue?.pairs ?? [] {
                    #expect(v == .object(JSONObject()), "\(label): user-assigned identity values must be {}")
                }
                #expect(inner["id"] == nil && inner["resourceGroup"] == nil)
            }
        }
    }

    @Test func nodeResourceGroupResourcesAreLeftToAKS() throws {
        for (label, _, d) in try ARMSample.all() {
            for r in ARMSample.resources(d) {
                let group = (r["resourceGroup"]?.stringValue ?? "").lowercased()
                #expect(!group.hasPrefix("mc_") || ARMSample.name(r).hasPrefix("disks-"), "\(label): \(ARMSample.name(r))")
                if r["type"] == "Microsoft.Resources/resourceGroups" {
                    #expect(!ARMSample.name(r).lowercased().hasPrefix("mc_"), "\(label): creates \(ARMSample.name(r))")
                    #expect(r["location"] == "northeurope")
                }
            }
            // The only things in a node group are the disks behind PersistentVolumes, created from
            // their snapshot copies once the cluster exists (VolumePlanTests); the identities AKS recreates are left.
            let inNodeGroup = d.creates.filter { $0.lowercased().contains("/resourcegroups/mc_") }
            #expect(inNodeGroup.count == 3 && inNodeGroup.allSatisfy { $0.lowercased().contains("/providers/microsoft.compute/disks/") }, "\(label)")
            #expect(!d.notes.contains { $0.subject.contains("/Microsoft.Compute/disks/") }, "\(label)")
            #expect(!d.notes.contains { $0.subject.contains("userAssignedIdentities/aks-prod-weu-agentpool") })
            // The kubelet identity AKS created in the node group is AKS's to recreate.
            let cluster = ARMSample.inner(ARMSample.entry(d, type: "Microsoft.ContainerService/managedClusters", name: "aks-prod-weu") ?? .null)
            #expect(cluster["properties"]?["identityProfile"] == nil)
        }
    }

    @Test func promotedVNetGatewayAndRoleAssignmentsWithTheirDependencies() throws {
        for (label, _, d) in try ARMSample.all() {
            let vnet = try #require(ARMSample.entry(d, type: "Microsoft.Network/virtualNetworks", name: "aks-vnet-12345678"))
            #expect(vnet["resourceGroup"] == "rg-payments-dr")
            let subnets = ARMSample.inner(vnet)["properties"]?["subnets"]?.arrayValue ?? []
            #expect(subnets.contains { $0["name"] == "aks-subnet" }, "\(label)")
            #expect(ARMSample.inner(vnet)["tags"]?["created-by"] == nil)
            let gateway = try #require(ARMSample.entry(d, type: "Microsoft.Network/applicationGateways", name: "agw-aks-prod-weu"))
            #expect(gateway["resourceGroup"] == "rg-payments-dr")
            let pip = try #require(ARMSample.entry(d, type: "Microsoft.Network/publicIPAddresses", name: "agw-aks-prod-weu-appgwpip"))
            #expect(ARMSample.dependsOn(gateway).contains(ARMSample.name(pip)))
            #expect(!ARMSample.dependsOn(pip).contains(ARMSample.name(gateway)), "the PIP's ipConfiguration back-reference is dropped")

            let cluster = try #require(ARMSample.entry(d, type: "Microsoft.ContainerService/managedClusters", name: "aks-prod-weu"))
            let body = ARMSample.inner(cluster)
            #expect(body["properties"]?["addonProfiles"]?["ingressApplicationGateway"]?["config"]?["applicationGatewayId"]
                    == .string(ARMSample.gateway))
            // Directly, or through the subnet resources a sandbox's route tables need.
            #expect(ARMSample.waits(d, ARMSample.name(cluster), for: ARMSample.name(vnet)), "\(label)")
            #expect(ARMSample.dependsOn(cluster).contains(ARMSample.name(gateway)))
            let system = body["properties"]?["agentPoolProfiles"]?.arrayValue?.first { $0["name"] == "system" }
            #expect(system?["vnetSubnetID"] == .string(ARMSample.byoVNet + "/subnets/aks-subnet"))

            // The Network Contributor assignments of the promotions (the recovery point's own are ClusterAccessARMWireServerTests').
            let assignments = ARMSample.resources(d).filter {
                ARMSample.inner($0)["type"] == "Microsoft.Authorization/roleAssignments"
                    && ARMSample.inner($0)["properties"]?["roleDefinitionId"]?.stringValue?.hasSuffix(ManagedPromotion.networkContributor) == true
            }
            #expect(assignments.count == 2, "\(label)")
            let identity = try #require(ARMSample.entry(d, type: "Microsoft.ManagedIdentity/userAssignedIdentities",
                                                         name: "id-aks-prod-weu-control-plane"))
            let onVNet = try #require(assignments.first { ARMSample.dependsOn($0).contains(ARMSample.name(vnet)) })
            #expect(ARMSample.dependsOn(onVNet).contains(ARMSample.name(identity)))
            #expect(ARMSample.inner(onVNet)["properties"]?["principalId"]?.stringValue?.contains(ARMSample.controlPlane) == true)
            #expect(onVNet["resourceGroup"] == "rg-payments-dr")
            // The AGIC identity is created by AKS with the cluster: its assignment waits for the cluster.
            let onGateway = try #require(assignments.first { ARMSample.dependsOn($0).contains(ARMSample.name(gateway)) })
            #expect(ARMSample.dependsOn(onGateway).contains(ARMSample.name(cluster)))
            #expect(ARMSample.inner(onGateway)["properties"]?["principalId"]?.stringValue?.contains("ingressapplicationgateway-aks-prod-weu") == true)
            #expect(ARMSample.inner(onGateway)["properties"]?["scope"] == nil)
        }
    }

    @Test func windowsAdminPasswordIsAKeyVaultReference() throws {
        for (label, t, d) in try ARMSample.all() {
            let vault = try #require(t.resource(ARMSample.sourceKV)?.recoveryID)
            #expect(vault.hasSuffix("/vaults/kv-payments-secrets-dr"))
            let parameters = try #require(d.parameters["parameters"]?.objectValue)
            let (name, value) = try #require(parameters.pairs.first { $0.value["reference"] != nil }, "\(label)")
            #expect(value["reference"]?["keyVault"]?["id"] == .string(vault))
            #expect(value["reference"]?["secretName"] == "aks-win-admin-password")
            #expect(d.template["parameters"]?[name]?["type"] == "securestring")
            let cluster = try #require(ARMSample.entry(d, type: "Microsoft.ContainerService/managedClusters", name: "aks-prod-weu"))
            let passed = cluster["properties"]?["parameters"]?.objectValue?.pairs.first
            #expect(passed?.value["value"] == .string("[parameters('\(name)')]"))
            let inner = try #require(passed?.key)
            #expect(cluster["properties"]?["template"]?["parameters"]?[inner]?["type"] == "securestring")
            #expect(ARMSample.inner(cluster)["properties"]?["windowsProfile"]?["adminPassword"] == .string("[parameters('\(inner)')]"))
            // The vault serves template deployments; its secret is restored, never deployed.
            let kv = ARMSample.entry(d, type: "Microsoft.KeyVault/vaults", name: "kv-payments-secrets-dr")
            #expect(ARMSample.inner(kv ?? .null)["properties"]?["enabledForTemplateDeployment"] == true)
            #expect(ARMSample.entry(d, type: "Microsoft.KeyVault/vaults/secrets", name: "kv-payments-secrets-dr/aks-win-admin-password") == nil)
            #expect(d.notes.contains { $0.subject == name && $0.message.contains("aks-win-admin-password") })
        }
    }

    @Test func outboundTypeIsKeptAndUDRWithoutTheSandboxNeedsAPerson() throws {
        let udr = "outboundType is userDefinedRouting"
        let (_, test) = try ARMSample.deployment(.test)
        let cluster = ARMSample.inner(ARMSample.entry(test, type: "Microsoft.ContainerService/managedClusters", name: "aks-prod-weu") ?? .null)
        let network = cluster["properties"]?["networkProfile"]
        #expect(network?["outboundType"] == "userDefinedRouting")
        #expect(network?["loadBalancerProfile"]?["outboundIPs"] == nil, "AKS rejects outbound IPs with userDefinedRouting")
        #expect(test.notes.contains { $0.subject == ARMSample.cluster && $0.message.contains(udr) && $0.message.contains("sandbox") })

        let (_, sandboxed) = try ARMSample.deployment(.test, sandbox: true)
        #expect(!sandboxed.notes.contains { $0.message.contains(udr) })

        let (_, failover) = try ARMSample.deployment(.failover)
        let real = ARMSample.inner(ARMSample.entry(failover, type: "Microsoft.ContainerService/managedClusters", name: "aks-prod-weu") ?? .null)
        #expect(real["properties"]?["networkProfile"]?["outboundType"] == "loadBalancer")
        #expect(real["properties"]?["networkProfile"]?["loadBalancerProfile"]?["outboundIPs"]?["publicIPs"]?.arrayValue?.count == 2)
        #expect(!failover.notes.contains { $0.message.contains(udr) })
    }

    @Test func poolsAreInlineExceptTheOneBuiltFromASnapshotOfTheCluster() throws {
        let (_, d) = try ARMSample.deployment(.failover)
        let cluster = try #require(ARMSample.entry(d, type: "Microsoft.ContainerService/managedClusters", name: "aks-prod-weu"))
        let inline = (ARMSample.inner(cluster)["properties"]?["agentPoolProfiles"]?.arrayValue ?? []).compactMap { $0["name"]?.stringValue }
        #expect(inline == ["system", "user", "crg", "dedicated", "publicip", "npwin"])
        let standalone = ARMSample.resources(d).filter { ARMSample.inner($0)["type"] == "Microsoft.ContainerService/managedClusters/agentPools" }
        #expect(standalone.map { ARMSample.name(ARMSample.inner($0)) } == ["aks-prod-weu/snap"])
        let snapshot = try #require(ARMSample.entry(d, type: "Microsoft.ContainerService/snapshots", name: "snap-user-202411"))
        #expect(ARMSample.dependsOn(snapshot).contains(ARMSample.name(cluster)))
        #expect(ARMSample.dependsOn(standalone.first).contains(ARMSample.name(snapshot)))
        #expect(ARMSample.dependsOn(standalone.first).contains(ARMSample.name(cluster)))
        #expect(!ARMSample.dependsOn(cluster).contains(ARMSample.name(snapshot)))
        // Every pool is created, inline or not.
        for pool in inline + ["snap"] {
            #expect(d.creates.contains(ARMSample.cluster + "/agentPools/" + pool))
        }
    }

    @Test func readOnlyBackReferencesDoNotTurnTheGraphAround() throws {
        let (_, d) = try ARMSample.deployment(.test)
        let nsg = try #require(ARMSample.entry(d, type: "Microsoft.Network/networkSecurityGroups", name: "nsg-aks-nodes"))
        let vnet = try #require(ARMSample.entry(d, type: "Microsoft.Network/virtualNetworks", name: "vnet-payments-prod"))
        #expect(ARMSample.inner(nsg)["properties"]?["subnets"] == nil)
        #expect(ARMSample.dependsOn(vnet).contains(ARMSample.name(nsg)))
        #expect(!ARMSample.dependsOn(nsg).contains(ARMSample.name(vnet)))
    }

    @Test func expressionsStandbyAddsAndLiteralBracketsEscaped() throws {
        struct BracketTag: TranslationStep {
            let name = "bracket tag"
            func applies(to resource: Resource) -> Bool { resource.type == ARMResourceTypes.managedClusters }
            func apply(to document: inout TranslatedDocument, in context: TranslationContext) throws {
                document.set([.key("tags"), .key("note")], "[not an expression]", by: name)
            }
        }
        let (_, d) = try ARMSample.deployment(.failover, rules: [BracketTag()])
        let cluster = ARMSample.inner(ARMSample.entry(d, type: "Microsoft.ContainerService/managedClusters", name: "aks-prod-weu") ?? .null)
        #expect(cluster["tags"]?["note"] == "[[not an expression]")
        // The KMS key id names the version of the key the template creates.
        let kms = cluster["properties"]?["securityProfile"]?["azureKeyVaultKms"]?["keyId"]?.stringValue ?? ""
        #expect(kms.hasPrefix("[reference('/subscriptions/\(SampleEstate.recoverySubscription)/resourceGroups/rg-security-prod/providers/Microsoft.KeyVault/vaults/kv-aks-kms-prod-dr/keys/etcd-kms'"))
        #expect(kms.hasSuffix(".keyUriWithVersion]"))
        // The workload identity's federated credential trusts the recovery cluster's issuer.
        let fic = try #require(ARMSample.entry(d, type: "Microsoft.ManagedIdentity/userAssignedIdentities/federatedIdentityCredentials",
                                               name: "id-payments-api-wi/payments-api"))
        #expect(ARMSample.inner(fic)["properties"]?["issuer"]
                == .string("[reference('\(ARMSample.cluster)', '\(ARMBuild.clusterAPIVersion)').oidcIssuerProfile.issuerURL]"))
        let clusterEntry = ARMSample.entry(d, type: "Microsoft.ContainerService/managedClusters", name: "aks-prod-weu")
        #expect(ARMSample.dependsOn(fic).contains(ARMSample.name(clusterEntry)))
    }

    @Test func sandboxRouteTablesAreOnTheirSubnets() throws {
        let t = try SampleEstate.translate(mode: .test)
        let firewall = try SandboxFirewallBuilder.build(t, allow: ["api.contoso.com"])
        let d = try #require(ARMTemplateBuilder.build(t, sandbox: firewall))
        #expect(!firewall.routeTables.isEmpty)
        for (subnet, table) in firewall.routeTables {
            let id = try #require(ARMResourceID(subnet))
            let vnetName = try #require(id.parent?.name)
            let standalone = ARMSample.entry(d, type: "Microsoft.Network/virtualNetworks/subnets", name: "\(vnetName)/\(id.name)")
            let inline = ARMSample.inner(ARMSample.entry(d, type: "Microsoft.Network/virtualNetworks", name: vnetName) ?? .null)["properties"]?["subnets"]?
                .arrayValue?.first { $0["name"]?.stringValue == id.name }
            let attached = ARMSample.inner(standalone ?? .null)["properties"]?["routeTable"]?["id"] ?? inline?["properties"]?["routeTable"]?["id"]
            #expect(attached == .string(table), "\(subnet)")
        }
        for r in firewall.resources {
            #expect(d.creates.contains { $0.lowercased() == r.id.lowercased() }, "\(r.id) is not created")
        }
    }

    @Test func noAzureResourcesNoDeployment() throws {
        let selection = try SampleEstate.inventory().select(SelectionRequest(roots: [SampleEstate.eksARN]))
        let t = Translator(settings: TranslationSettings(to: SampleEstate.recovery)).translate(selection)
        #expect(ARMTemplateBuilder.build(t, sandbox: nil) == nil)
    }
}

@Suite("ARM template: dependency cycles")
struct ARMTemplateCycleTests {
    static let group = "/subscriptions/s1/resourceGroups/rg"

    static func node(_ type: String, _ name: String, properties: JSONValue) -> ARMTemplateNode {
        let id = ARMResourceID("\(group)/providers/\(type)/\(name)")!
        return ARMTemplateNode(id: id, type: type, body: .object(JSONObject([
            ("type", .string(type)), ("apiVersion", "2024-05-01"), ("name", .string(name)), ("properties", properties),
        ])))
    }

    @Test func aReadOnlyBackReferenceIsDropped() throws {
        let subnet = "\(Self.group)/providers/Microsoft.Network/virtualNetworks/vnet/subnets/nodes"
        let nsgID = "\(Self.group)/providers/Microsoft.Network/networkSecurityGroups/nsg"
        var nodes = [
            Self.node("Microsoft.Network/networkSecurityGroups", "nsg", properties: [
                "securityRules": [], "subnets": [["id": .string(subnet)]],
            ]),
            Self.node("Microsoft.Network/virtualNetworks", "vnet", properties: [
                "subnets": [["name": "nodes", "properties": ["networkSecurityGroup": ["id": .string(nsgID)]]]],
            ]),
        ]
        #expect(ARMDependencyGraph(nodes).cycle() != nil)
        var notes: [PlanNote] = []
        let graph = ARMCycleBreaker.run(&nodes, notes: &notes)
        #expect(graph.cycle() == nil)
        #expect(notes.isEmpty)
        #expect(nodes[0].body["properties"]?["subnets"] == nil)
        #expect(nodes[0].body["properties"]?["securityRules"] != nil)
        #expect(graph.dependencies(of: 1) == [0])
        #expect(graph.order() == [0, 1])
    }

    @Test func aVNetSubnetReferenceMovesToASubnetDeployedAfterIt() throws {
        let vnetID = "\(Self.group)/providers/Microsoft.Network/virtualNetworks/vnet"
        let tableID = "\(Self.group)/providers/Microsoft.Network/routeTables/rt"
        var nodes = [
            Self.node("Microsoft.Network/virtualNetworks", "vnet", properties: [
                "subnets": [["name": "nodes", "id": .string(vnetID + "/subnets/nodes"),
                             "properties": ["addressPrefix": "10.0.0.0/24", "routeTable": ["id": .string(tableID)]]],
                            ["name": "AzureFirewallSubnet", "properties": ["addressPrefix": "10.0.1.0/26"]]],
            ]),
            // The route's next hop is the firewall's private IP, and the firewall sits in the VNet.
            Self.node("Microsoft.Network/routeTables", "rt", properties: [
                "routes": [["name": "default", "properties": [
                    "nextHopIpAddress": .string("[reference('\(Self.group)/providers/Microsoft.Network/azureFirewalls/fw', '2024-05-01').ipConfigurations[0].properties.privateIPAddress]"),
                ]]],
            ]),
            Self.node("Microsoft.Network/azureFirewalls", "fw", properties: [
                "ipConfigurations": [["name": "c", "properties": ["subnet": ["id": .string(vnetID + "/subnets/AzureFirewallSubnet")]]]],
            ]),
        ]
        var notes: [PlanNote] = []
        let graph = ARMCycleBreaker.run(&nodes, notes: &notes)
        #expect(graph.cycle() == nil)
        #expect(notes.isEmpty)
        #expect(nodes[0].body[path: [.key("properties"), .key("subnets"), .index(0), .key("properties"), .key("routeTable")]] == nil)
        let subnet = try #require(nodes.firstIndex { $0.id.description == vnetID + "/subnets/nodes" })
        #expect(nodes[subnet].body["properties"]?["routeTable"]?["id"] == .string(tableID))
        #expect(nodes[subnet].body["properties"]?["addressPrefix"] == "10.0.0.0/24")
        #expect(Set(graph.dependencies(of: subnet)) == [0, 1])
        #expect(graph.dependencies(of: 2) == [0])
    }

    @Test func anUnbreakableCycleIsCutWithANote() throws {
        let a = "\(Self.group)/providers/Microsoft.Web/sites/a", b = "\(Self.group)/providers/Microsoft.Web/sites/b"
        var nodes = [
            Self.node("Microsoft.Web/sites", "a", properties: ["peer": .string(b)]),
            Self.node("Microsoft.Web/sites", "b", properties: ["peer": .string(a)]),
        ]
        var notes: [PlanNote] = []
        let graph = ARMCycleBreaker.run(&nodes, notes: &notes)
        #expect(graph.cycle() == nil)
        #expect(notes.count == 1)
        #expect(notes.first?.message.contains("dependency cycle a → b → a") == true)
        #expect(nodes[0].body["properties"]?["peer"] == .string(b), "the body is left as it is")
    }

    @Test func tokensAreFoundInsideExpressionsAndTagsAreIgnored() {
        let id = "/subscriptions/s1/resourceGroups/rg/providers/Microsoft.Network/virtualNetworks/v"
        #expect(ARMDependencyGraph.armTokens(in: "[reference('\(id)', '2024-05-01').x]") == [id])
        #expect(ARMDependencyGraph.armTokens(in: "\(id)/, \(id.uppercased())") == [id, id.uppercased()])
        let body: JSONValue = ["tags": ["owner": .string(id)], "properties": ["vnet": ["id": .string(id)]]]
        #expect(ARMDependencyGraph.references(in: body).map { $0.path.dotted } == ["properties.vnet.id"])
    }
}
