import Foundation
import Testing
@testable import StandbyCore
import StandbyTestSupport

/// The real AKS captures of `Tests/Fixtures/real/` (provenance in its SOURCES.md): Azure CLI
/// recorded `az aks create` responses of default clusters (AKS-managed VNet, no pool subnet) and
/// Azure REST API examples. Each loads, plans in `failover` mode and in `test` mode with the
/// sandbox, and every ARM body the plans deploy loads into the Azure SDK's models.
@Suite("Real AKS captures: load, failover plan, test plan with the sandbox, SDK model check")
struct RealCaptureTests {
    static let root = LocalServer.root + "/Tests/Fixtures/real"
    static let recoverySubscription = "11111111-2222-3333-4444-555555555555"
    static let recoveryTenant = "99999999-8888-7777-6666-555555555555"
    static let to = RecoveryEnvironment(azure: AzureSite(subscription: recoverySubscription, location: "eastus2",
                                                         tenant: recoveryTenant))

    /// Capture file → the targets its plan must list as "must exist" (last name segment of the
    /// source id), in any order.
    static let captures: [(file: String, mustExist: Set<String>)] = [
        ("azcli/aks-create-default-kubenet.json", []),
        ("azcli/aks-create-azure-cni.json", []),
        ("rest/ManagedClustersGet.json", ["des", "customeroutboundip1", "customeroutboundip2"]),
        ("rest/ManagedClustersCreate_Update.json", ["des", "identity1"]),
        ("rest/ManagedClustersCreate_SecurityProfile.json", ["des", "WORKSPACE_NAME"]),
        ("rest/ManagedClustersCreate_PrivateClusterFQDNSubdomain.json", ["privatelink.location1.azmk8s.io"]),
        ("rest/ManagedClustersCreate_IngressProfile_WebAppRouting.json", ["des", "DNS_ZONE_NAME"]),
        ("rest/AgentPoolsCreate_PPG.json", ["ppg1", "clustername1"]),
        ("rest/AgentPoolsCreate_Snapshot.json", ["snapshot1", "clustername1"]),
        ("rest/AgentPoolsCreate_DedicatedHostGroup.json", ["hostgroup1", "clustername1"]),
    ]

    static func load(_ file: String) throws -> Inventory { try InventoryLoader.load(path: root + "/" + file) }

    static func plan(_ inventory: Inventory, _ mode: TranslationMode) -> RecoveryPlan {
        RecoveryPlan(Translator(settings: TranslationSettings(to: to, mode: mode)).translate(inventory.resources, in: inventory))
    }

    static func sandboxed(_ inventory: Inventory) throws -> RecoveryPlan {
        var plan = plan(inventory, .test)
        plan.attach(try SandboxFirewallBuilder.build(plan: plan, allow: ["mcr.microsoft.com"]))
        return plan
    }

    static func hasCluster(_ inventory: Inventory) -> Bool {
        inventory.resources.contains { $0.type == ARMResourceTypes.managedClusters }
    }

    @Test func everyCaptureIsVendoredWithItsSource() throws {
        let sources = try String(contentsOfFile: Self.root + "/SOURCES.md", encoding: .utf8)
        for (file, _) in Self.captures {
            #expect(FileManager.default.fileExists(atPath: Self.root + "/" + file), "\(file)")
            #expect(sources.contains("`\(file)`"), "SOURCES.md does not describe \(file)")
        }
    }

    @Test(arguments: captures.map(\.file))
    func loadsAndPlansInBothModesWithBodiesTheSDKModelsAccept(_ file: String) throws {
        let inventory = try Self.load(file)
        #expect(inventory.resources.contains { $0.type == ARMResourceTypes.agentPools }, "\(file) holds no agent pool")
        let failover = Self.plan(inventory, .failover)
        let failoverDeployment = try #require(failover.azure, "\(file): no ARM deployment in failover mode")
        #expect(failover.translation.failures.isEmpty)
        var items = ARMTemplateAzureSDKTests.items(failoverDeployment, label: "\(file) failover")
        if Self.hasCluster(inventory) {
            // A test plan takes the sandbox: egress through the firewall on a subnet the customer owns.
            let test = try Self.sandboxed(inventory)
            let deployment = try #require(test.azure)
            #expect(test.sandbox?.routeTables.isEmpty == false, "\(file): the sandbox routes no subnet")
            items += ARMTemplateAzureSDKTests.items(deployment, label: "\(file) test")
        } else {
            // A standalone pool without its cluster: the sandbox has no cluster to protect.
            #expect(throws: SandboxError.self) { try Self.sandboxed(inventory) }
        }
        #expect(items.contains { $0["model"] == "ManagedCluster" || $0["model"] == "AgentPool" })
        guard let (status, output) = try ValidationScript.check("azure_models.py", .array(items)) else { return }
        #expect(status == 0, "azure_models.py found problems in \(file):\n\(output)")
    }

    @Test(arguments: captures)
    func theReportNamesEveryTargetThePlanAssumes(_ capture: (file: String, mustExist: Set<String>)) throws {
        let plan = Self.plan(try Self.load(capture.file), .failover)
        let names = Set(plan.translation.assumed.compactMap { ARMResourceID($0.sourceID)?.name })
        #expect(names == capture.mustExist, "\(capture.file): \(plan.translation.assumed.map(\.sourceID))")
        let report = PlanReport(plan)
        let md = report.markdown
        let top = try #require(md.range(of: "## Needs a person"))
        let created = md.range(of: "## What will be created")
        #expect(created.map { top.lowerBound < $0.lowerBound } ?? true, "Needs a person comes first")
        for a in plan.translation.assumed {
            #expect(md.contains(PlanReport.cell(a.recoveryID)), "\(capture.file): report.md does not name \(a.recoveryID)")
        }
        #expect(report.jsonValue["must_exist"]?.arrayValue?.count == capture.mustExist.count)
        #expect(report.summaryJSON["must_exist"] == .int(Int64(capture.mustExist.count)))
    }

    @Test func aPoolsPlacementTargetsAreNamedWithTheirRecoveryIDAndWhoNeedsThem() throws {
        let plan = Self.plan(try Self.load("rest/AgentPoolsCreate_PPG.json"), .failover)
        let ppg = try #require(plan.translation.assumed.first { $0.sourceID.hasSuffix("/ppg1") })
        #expect(ppg.recoveryID == "/subscriptions/\(Self.recoverySubscription)/resourceGroups/rg1/providers/Microsoft.Compute/proximityPlacementGroups/ppg1")
        #expect(ppg.path == "properties.proximityPlacementGroupID")
        #expect(ppg.neededBy.hasSuffix("/managedClusters/clustername1/agentPools/agentpool1"))
        #expect(ppg.why.contains("not in the recovery point"))
        let parent = try #require(plan.translation.assumed.first { $0.path == "(parent)" })
        #expect(parent.recoveryID.hasSuffix("/managedClusters/clustername1") && parent.why.contains("cluster"))
    }

    // MARK: - Item 3: AKS-managed VNet not captured

    @Test(arguments: ["azcli/aks-create-default-kubenet.json", "azcli/aks-create-azure-cni.json"])
    func aDefaultClusterGetsACustomerOwnedVNetInATest(_ file: String) throws {
        let inventory = try Self.load(file)
        let pool = try #require(inventory.resources.first { $0.type == ARMResourceTypes.agentPools })
        #expect(pool.document["properties"]?["vnetSubnetID"] == nil, "a default cluster names no subnet")

        let plan = try Self.sandboxed(inventory)
        let network = try #require(plan.translation.managedNetworks.first)
        let group = "/subscriptions/\(Self.recoverySubscription)/resourceGroups/clitest000001"
        #expect(network.vnet == group + "/providers/Microsoft.Network/virtualNetworks/aks-vnet-cliakstest000002")
        #expect(network.subnet == network.vnet + "/subnets/aks-subnet")
        #expect(network.addressSpace == "10.224.0.0/12" && network.subnetPrefix == "10.224.0.0/16")

        // Every pool points at it, and the template creates the VNet before the cluster.
        let cluster = try #require(plan.translation.resources.first { $0.source.type == ARMResourceTypes.managedClusters })
        for p in cluster.document["properties"]?["agentPoolProfiles"]?.arrayValue ?? [] {
            #expect(p["vnetSubnetID"] == .string(network.subnet))
        }
        let d = try #require(plan.azure)
        let clusterID = try #require(cluster.recoveryID.flatMap(ARMResourceID.init))
        #expect(ARMSample.waits(d, ARMBuild.deploymentName(clusterID), for: ARMBuild.deploymentName(try #require(ARMResourceID(network.vnet)))))
        let vnet = try #require(ARMSample.entry(d, type: "Microsoft.Network/virtualNetworks", name: "aks-vnet-cliakstest000002"))
        let subnets = ARMSample.inner(vnet)["properties"]?["subnets"]?.arrayValue ?? []
        let names = subnets.compactMap { $0["name"]?.stringValue }
        #expect(names.contains("aks-subnet") && names.contains("AzureFirewallSubnet"), "\(names)")
        // The sandbox routes the pools' subnet through the firewall.
        // (inline, or as a subnet deployed after the VNet when the firewall closes a cycle through it)
        let inline = subnets.first { $0["name"] == "aks-subnet" }?["properties"]
        let standalone = ARMSample.entry(d, type: "Microsoft.Network/virtualNetworks/subnets", name: "aks-vnet-cliakstest000002/aks-subnet")
        let routed = (inline?["routeTable"] ?? standalone.map { ARMSample.inner($0)["properties"]?["routeTable"] ?? .null })?["id"]
        #expect(routed?.stringValue?.contains("/routeTables/") == true)
        #expect(plan.sandbox?.routeTables[network.subnet] != nil)
        // The cluster identity may join the subnet.
        #expect(plan.translation.added.contains { $0.type == "Microsoft.Authorization/roleAssignments" && $0.dependsOn.contains(network.vnet) })
        #expect(!plan.notes.contains { $0.message.contains("cannot be created") })
    }

    @Test func aRealFailoverKeepsTheManagedVNet() throws {
        let plan = Self.plan(try Self.load("azcli/aks-create-default-kubenet.json"), .failover)
        #expect(plan.translation.managedNetworks.isEmpty)
        #expect(!(plan.azure?.creates.contains { $0.contains("/virtualNetworks/") } ?? true))
    }

    // MARK: - Item 2: CLI spellings, read-only, nulls, api-version

    /// The kubenet capture in `az aks show` shape: properties flattened to the top level, the
    /// CLI's spellings and `null`s, as the Azure CLI prints them.
    static func cliShaped() throws -> String {
        let text = try String(contentsOfFile: root + "/azcli/aks-create-default-kubenet.json", encoding: .utf8)
        guard case .object(var o) = try JSONParser.parse(text), case .object(var properties)? = o["properties"] else {
            throw SandboxError("not an object")
        }
        o["properties"] = nil
        o["resourceGroup"] = "clitest000001"
        properties["aadProfile"] = ["managed": true, "tenantId": "72f988bf-86f1-41af-91ab-2d7cd011db47", "enableAzureRbac": false]
        properties["securityProfile"] = ["customCaTrustCertificates": .null, "imageCleaner": .null]
        properties["windowsProfile"] = ["adminUsername": "azureuser", "enableCsiProxy": true]
        properties["hostedSystemProfile"] = .null
        properties["resourceUid"] = "68255e0ab3fd6b0001e1a8d0"
        if case .array(var pools)? = properties["agentPoolProfiles"], case .object(var pool) = pools[0] {
            pool["vnetSubnetId"] = .null
            pool["podIpAllocationMode"] = .null
            pool["localDnsProfile"] = .null
            pool["securityProfile"] = ["enableVtpm": false, "enableSecureBoot": false]
            pool["nodePublicIpPrefixId"] = .null
            pools[0] = .object(pool)
            properties["agentPoolProfiles"] = .array(pools)
        }
        for (k, v) in properties.pairs { o[k] = v }
        return JSONSerializer.serialize(.object(o))
    }

    @Test func cliSpellingsAreMappedOnLoadAndTheTemplateIsClean() throws {
        let tmp = try TemporaryFolder()
        defer { tmp.remove() }
        let path = try tmp.write("aks-show.json", try Self.cliShaped())
        let inventory = try InventoryLoader.load(path: path)
        let cluster = try #require(inventory.resources.first { $0.type == ARMResourceTypes.managedClusters })
        let p = cluster.document["properties"]
        #expect(p?["aadProfile"]?["tenantID"] != nil && p?["aadProfile"]?["tenantId"] == nil)
        #expect(p?["aadProfile"]?["enableAzureRBAC"] == false)
        #expect(p?["windowsProfile"]?["enableCSIProxy"] == true)
        #expect(p?["securityProfile"]?["customCATrustCertificates"] != nil)
        #expect(p?["resourceUID"] != nil)
        let pool = p?["agentPoolProfiles"]?[0]
        #expect(pool?["securityProfile"]?["enableVTPM"] == false)
        for (cli, rest) in [("vnetSubnetId", "vnetSubnetID"), ("podIpAllocationMode", "podIPAllocationMode"),
                            ("localDnsProfile", "localDNSProfile"), ("nodePublicIpPrefixId", "nodePublicIPPrefixID")] {
            #expect(pool?[cli] == nil && pool?[rest] != nil, "\(cli) → \(rest)")
        }

        // The recovery tenant replaces the source tenant, as the recovery subscription does the source's.
        let plan = try Self.sandboxed(inventory)
        let translated = try #require(plan.translation.resources.first { $0.source.type == ARMResourceTypes.managedClusters })
        #expect(translated.document["properties"]?["aadProfile"]?["tenantID"] == .string(Self.recoveryTenant))

        // Read-only (resourceUID, fqdn), null and unknown-to-the-api-version (dockerBridgeCidr) properties
        // are left out of the template; the unknown one is reported.
        let d = try #require(plan.azure)
        let body = ARMSample.inner(try #require(ARMSample.entry(d, type: "Microsoft.ContainerService/managedClusters",
                                                                name: "cliakstest000002")))
        #expect(body["properties"]?["resourceUID"] == nil && body["properties"]?["fqdn"] == nil)
        #expect(body["properties"]?["hostedSystemProfile"] == nil)
        #expect(body["properties"]?["networkProfile"]?["dockerBridgeCidr"] == nil)
        #expect(plan.notes.contains { $0.message.contains("properties.networkProfile.dockerBridgeCidr")
            && $0.message.contains(AzureRESTModels.apiVersion(forType: ARMResourceTypes.managedClusters) ?? "?") })
        #expect(body["properties"]?["aadProfile"]?["tenantID"] == .string(Self.recoveryTenant))

        let items = ARMTemplateAzureSDKTests.items(d, label: "az aks show")
        guard let (status, output) = try ValidationScript.check("azure_models.py", .array(items)) else { return }
        #expect(status == 0, "\(output)")
    }

    /// The checker would have caught each spelling had the loader kept it: the same clean body
    /// with one CLI spelling (or a null, or a read-only key) put back is rejected.
    @Test(arguments: [
        (["properties", "aadProfile"], "tenantId", JSONValue.string("72f988bf-86f1-41af-91ab-2d7cd011db47"), "unknown property"),
        (["properties", "windowsProfile"], "enableCsiProxy", .bool(true), "unknown property"),
        (["properties", "securityProfile"], "customCaTrustCertificates", .array([]), "unknown property"),
        (["properties"], "resourceUID", .string("68255e0ab3fd6b0001e1a8d0"), "read-only"),
        (["properties", "networkProfile"], "podCidr", .null, "null"),
    ])
    func theCheckerCatchesASpellingTheLoaderWouldHaveLeft(_ at: [String], _ key: String, _ value: JSONValue, _ problem: String) throws {
        let plan = Self.plan(try Self.load("azcli/aks-create-azure-cni.json"), .failover)
        let d = try #require(plan.azure)
        var body = ARMSample.inner(try #require(ARMSample.entry(d, type: "Microsoft.ContainerService/managedClusters",
                                                                name: "cliakstest000002")))
        body.set(at.map { .key($0) } + [.key(key)], value)
        let item: JSONValue = ["model": "ManagedCluster", "body": body, "label": "inserted"]
        guard let (status, output) = try ValidationScript.check("azure_models.py", [item]) else { return }
        #expect(status == 1)
        #expect(output.contains("inserted: \((at + [key]).joined(separator: ".")): ") && output.contains(problem), "\(output)")
    }

    // MARK: - Item 4: properties-less exports, global resources

    @Test func aResourceExportedWithoutPropertiesIsReported() throws {
        let tmp = try TemporaryFolder()
        defer { tmp.remove() }
        // `az resource list` items: no properties.
        let path = try tmp.write("resources.json", """
            [{"id": "/subscriptions/00000000-0000-0000-0000-000000000000/resourceGroups/rg1/providers/Microsoft.Network/virtualNetworks/vnet1",
              "name": "vnet1", "type": "Microsoft.Network/virtualNetworks", "location": "westus2", "resourceGroup": "rg1",
              "properties": null, "tags": {}},
             {"id": "/subscriptions/00000000-0000-0000-0000-000000000000/resourceGroups/rg1/providers/microsoft.insights/actionGroups/ops",
              "name": "ops", "type": "microsoft.insights/actionGroups", "location": "global", "resourceGroup": "rg1",
              "properties": null}]
            """)
        let inventory = try InventoryLoader.load(path: path)
        let plan = Self.plan(inventory, .failover)
        let vnet = "/subscriptions/00000000-0000-0000-0000-000000000000/resourceGroups/rg1/providers/Microsoft.Network/virtualNetworks/vnet1"
        #expect(plan.notes.contains { $0.subject == vnet && $0.message.contains("exported without properties: `az resource show --ids \(vnet)`") })
        #expect(plan.notes.filter { $0.message.contains("exported without properties") }.count == 2)
        // A global resource stays global.
        let group = try #require(plan.translation.resources.first { $0.source.name == "ops" })
        #expect(group.document["location"] == "global")
        #expect(!plan.translation.source.locations.contains("global"))
    }
}
