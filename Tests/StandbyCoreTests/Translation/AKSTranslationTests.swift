import Foundation
import Testing
@testable import StandbyCore
import StandbyTestSupport

/// One translated value of the sample estate: where, before, after, and which label says why.
struct ExpectedChange: Sendable, CustomTestStringConvertible {
    var path: [JSONPathComponent]
    var before: String?
    var after: String?
    var by: String

    var testDescription: String { path.dotted }
}

/// ARM ids of the sample estate's source and recovery subscriptions.
enum AKSIDs {
    static func source(_ group: String, _ provider: String) -> String {
        "/subscriptions/\(SampleEstate.subscription)/resourceGroups/\(group)/providers/\(provider)"
    }

    static func recovery(_ group: String, _ provider: String) -> String {
        "/subscriptions/\(SampleEstate.recoverySubscription)/resourceGroups/\(group)/providers/\(provider)"
    }

    static let nodeGroup = "MC_rg-payments-prod_aks-prod-weu_westeurope"
    static let recoveryNodeGroup = "MC_rg-payments-dr_aks-prod-weu_northeurope"
    static let managedVNet = source(nodeGroup, "Microsoft.Network/virtualNetworks/aks-vnet-12345678")
    static let byoVNet = recovery("rg-payments-dr", "Microsoft.Network/virtualNetworks/aks-vnet-12345678")
    static let managedGateway = source(nodeGroup, "Microsoft.Network/applicationGateways/agw-aks-prod-weu")
    static let byoGateway = recovery("rg-payments-dr", "Microsoft.Network/applicationGateways/agw-aks-prod-weu")
    static let recoveryCluster = recovery("rg-payments-dr", "Microsoft.ContainerService/managedClusters/aks-prod-weu")
    static let subnets = "Microsoft.Network/virtualNetworks/vnet-payments-prod/subnets"

    /// The same resource in the source (`rg`) and in the recovery subscription (`recoveryGroup`).
    static func pair(_ group: String, _ provider: String, recoveryGroup: String? = nil) -> (String, String) {
        (source(group, provider), recovery(recoveryGroup ?? group, provider))
    }
}

/// Expects `change` at `expected.path` in `resource`, and the translated document to hold the new value.
func expectChange(_ resource: TranslatedResource, _ expected: ExpectedChange, at path: [JSONPathComponent]? = nil,
                  sourceLocation: SourceLocation = #_sourceLocation) {
    let path = path ?? expected.path
    let change = resource.changes.first { $0.path == path.dotted }
    #expect(change?.before?.stringValue == expected.before, sourceLocation: sourceLocation)
    #expect(change?.after?.stringValue == expected.after, sourceLocation: sourceLocation)
    #expect(change?.by == expected.by, sourceLocation: sourceLocation)
    #expect(resource.document[path: path]?.stringValue == expected.after, sourceLocation: sourceLocation)
}

@Suite struct AKSTranslationTests {
    static let sample: Translation? = try? SampleEstate.translate()

    static func cluster(_ t: Translation?) throws -> TranslatedResource {
        try #require(t?.resource(SampleEstate.aksID))
    }

    // MARK: - The twelve translated cluster attributes

    static let clusterRows: [ExpectedChange] = {
        typealias P = JSONPathComponent
        func row(_ path: [P], _ ids: (String, String), _ by: String) -> ExpectedChange {
            ExpectedChange(path: path, before: ids.0, after: ids.1, by: "built-in: " + by)
        }
        let props: P = .key("properties")
        let lb: [P] = [props, .key("networkProfile"), .key("loadBalancerProfile")]
        let sub = SampleEstate.subscription, rsub = SampleEstate.recoverySubscription
        return [
            row([props, .key("apiServerAccessProfile"), .key("subnetId")],
                AKSIDs.pair("rg-network-prod", "\(AKSIDs.subnets)/snet-aks-apiserver"), "API server subnet"),
            row([props, .key("diskEncryptionSetID")],
                AKSIDs.pair("rg-payments-prod", "Microsoft.Compute/diskEncryptionSets/des-aks-prod-weu", recoveryGroup: "rg-payments-dr"),
                "disk encryption set"),
            row(lb + [.key("outboundIPs"), .key("publicIPs"), .index(0), .key("id")],
                AKSIDs.pair("rg-network-prod", "Microsoft.Network/publicIPAddresses/pip-aks-egress-01"), "outbound public IP"),
            row(lb + [.key("outboundIPs"), .key("publicIPs"), .index(1), .key("id")],
                AKSIDs.pair("rg-network-prod", "Microsoft.Network/publicIPAddresses/pip-aks-egress-02"), "outbound public IP"),
            row(lb + [.key("outboundIPPrefixes"), .key("publicIPPrefixes"), .index(0), .key("id")],
                AKSIDs.pair("rg-network-prod", "Microsoft.Network/publicIPPrefixes/ippre-aks-egress"), "outbound IP prefix"),
            row([props, .key("securityProfile"), .key("azureKeyVaultKms"), .key("keyVaultResourceId")],
                (AKSIDs.source("rg-security-prod", "Microsoft.KeyVault/vaults/kv-aks-kms-prod"),
                 AKSIDs.recovery("rg-security-prod", "Microsoft.KeyVault/vaults/kv-aks-kms-prod-dr")), "KMS key vault"),
            row([props, .key("securityProfile"), .key("defender"), .key("logAnalyticsWorkspaceResourceId")],
                ("/subscriptions/\(sub)/resourcegroups/defaultresourcegroup-weu/providers/microsoft.operationalinsights/workspaces/defaultworkspace-\(sub)-weu",
                 "/subscriptions/\(rsub)/resourceGroups/defaultresourcegroup-weu/providers/microsoft.operationalinsights/workspaces/defaultworkspace-\(rsub)-weu"),
                "Defender workspace"),
            row([props, .key("serviceMeshProfile"), .key("istio"), .key("certificateAuthority"), .key("plugin"), .key("keyVaultId")],
                (AKSIDs.source("rg-security-prod", "Microsoft.KeyVault/vaults/kv-istio-ca-prod"),
                 AKSIDs.recovery("rg-security-prod", "Microsoft.KeyVault/vaults/kv-istio-ca-prod-dr")), "Istio CA key vault"),
            row([props, .key("ingressProfile"), .key("webAppRouting"), .key("dnsZoneResourceIds"), .index(0)],
                AKSIDs.pair("rg-network-prod", "Microsoft.Network/dnszones/payments.contoso.com"), "web app routing DNS zone"),
            row([props, .key("ingressProfile"), .key("webAppRouting"), .key("dnsZoneResourceIds"), .index(1)],
                AKSIDs.pair("rg-network-prod", "Microsoft.Network/privateDnsZones/payments.internal.contoso.com"), "web app routing DNS zone"),
            row([props, .key("podIdentityProfile"), .key("userAssignedIdentities"), .index(0), .key("identity"), .key("resourceId")],
                AKSIDs.pair("rg-payments-prod", "Microsoft.ManagedIdentity/userAssignedIdentities/id-payments-worker-pod",
                            recoveryGroup: "rg-payments-dr"), "pod identity"),
            row([props, .key("podIdentityProfile"), .key("userAssignedIdentities"), .index(1), .key("identity"), .key("resourceId")],
                AKSIDs.pair("rg-payments-prod", "Microsoft.ManagedIdentity/userAssignedIdentities/id-checkout-legacy-pod",
                            recoveryGroup: "rg-payments-dr"), "pod identity"),
            row([props, .key("addonProfiles"), .key("omsagent"), .key("config"), .key("logAnalyticsWorkspaceResourceID")],
                AKSIDs.pair("rg-monitoring-prod", "Microsoft.OperationalInsights/workspaces/law-aks-prod-weu"),
                "Container Insights workspace"),
            // The AKS-created gateway is promoted: the add-on names the BYO gateway by id.
            ExpectedChange(path: [props, .key("addonProfiles"), .key("ingressApplicationGateway"), .key("config"),
                                  .key("applicationGatewayId")],
                           before: nil, after: AKSIDs.byoGateway, by: "built-in: AGIC Application Gateway"),
            ExpectedChange(path: [.key("tags"), .key("arpio-config:admin-password-secret")],
                           before: "https://kv-payments-secrets.vault.azure.net/secrets/aks-win-admin-password/1f35eb67306c802f175d05f369f0d456",
                           after: "https://kv-payments-secrets-dr.vault.azure.net/secrets/aks-win-admin-password",
                           by: "built-in: Windows admin password secret (version dropped: the recovery vault's secret has its own versions)"),
        ]
    }()

    @Test(arguments: clusterRows)
    func clusterAttribute(_ expected: ExpectedChange) throws {
        expectChange(try Self.cluster(Self.sample), expected)
    }

    @Test func outboundTypeAndNodeResourceGroupInATest() throws {
        let c = try Self.cluster(Self.sample)
        expectChange(c, ExpectedChange(path: AKSClusterTranslation.outboundTypePath, before: "loadBalancer",
                                       after: "userDefinedRouting", by: "built-in: outbound type"))
        expectChange(c, ExpectedChange(path: [.key("properties"), .key("nodeResourceGroup")], before: AKSIDs.nodeGroup,
                                       after: AKSIDs.recoveryNodeGroup, by: "built-in: node resource group"))
    }

    @Test func aRealFailoverKeepsTheOutboundType() throws {
        let c = try Self.cluster(try SampleEstate.translate(mode: .failover))
        #expect(c.document[path: AKSClusterTranslation.outboundTypePath] == "loadBalancer")
        #expect(!c.changes.contains { $0.path == AKSClusterTranslation.outboundTypePath.dotted })
        #expect(c.document["properties"]?["nodeResourceGroup"] == .string(AKSIDs.recoveryNodeGroup))
    }

    @Test func agicSettingsForAnAKSCreatedGatewayAreRemoved() throws {
        let c = try Self.cluster(Self.sample)
        let config = try #require(c.document["properties"]?["addonProfiles"]?["ingressApplicationGateway"]?["config"])
        #expect(config["applicationGatewayName"] == nil && config["subnetId"] == nil)
        let removed = c.changes.filter { $0.path.hasPrefix("properties.addonProfiles.ingressApplicationGateway.config.") && $0.after == nil }
        #expect(removed.map(\.path).sorted() == [
            "properties.addonProfiles.ingressApplicationGateway.config.applicationGatewayName",
            "properties.addonProfiles.ingressApplicationGateway.config.subnetId",
        ])
        #expect(removed.allSatisfy { $0.by == "built-in: AGIC Application Gateway (the BYO gateway is named by id)" })
        #expect(removed.first { $0.path.hasSuffix("subnetId") }?.before
            == .string(AKSIDs.source("rg-network-prod", "\(AKSIDs.subnets)/snet-appgw")))
        // Server-set: left as captured and reported as such.
        #expect(config["effectiveApplicationGatewayId"] == .string(AKSIDs.managedGateway))
        #expect(c.untranslated.contains {
            $0.path == "properties.addonProfiles.ingressApplicationGateway.config.effectiveApplicationGatewayId"
        })
    }

    // MARK: - Agent pools

    /// (pool, path under the pool's properties, before, after, label).
    static let poolRows: [(String, [JSONPathComponent], (String, String), String)] = {
        let nodes = AKSIDs.pair("rg-network-prod", "\(AKSIDs.subnets)/snet-aks-nodes")
        let pods = AKSIDs.pair("rg-network-prod", "\(AKSIDs.subnets)/snet-aks-pods")
        let asgs = "Microsoft.Network/applicationSecurityGroups"
        return [
            ("system", [.key("vnetSubnetID")],
             (AKSIDs.managedVNet + "/subnets/aks-subnet", AKSIDs.byoVNet + "/subnets/aks-subnet"), "node subnet"),
            ("user", [.key("vnetSubnetID")], nodes, "node subnet"),
            ("user", [.key("podSubnetID")], pods, "pod subnet"),
            ("user", [.key("networkProfile"), .key("applicationSecurityGroups"), .index(0)],
             AKSIDs.pair("rg-network-prod", "\(asgs)/asg-payments-nodes"), "application security group"),
            ("user", [.key("networkProfile"), .key("applicationSecurityGroups"), .index(1)],
             AKSIDs.pair("rg-network-prod", "\(asgs)/asg-payments-db-clients"), "application security group"),
            ("user", [.key("proximityPlacementGroupID")],
             AKSIDs.pair("rg-payments-prod", "Microsoft.Compute/proximityPlacementGroups/ppg-payments-weu", recoveryGroup: "rg-payments-dr"),
             "proximity placement group"),
            ("crg", [.key("capacityReservationGroupID")],
             AKSIDs.pair("rg-payments-prod", "Microsoft.Compute/capacityReservationGroups/crg-payments-weu", recoveryGroup: "rg-payments-dr"),
             "capacity reservation group"),
            ("dedicated", [.key("hostGroupID")], AKSIDs.pair("rg-compute-prod", "Microsoft.Compute/hostGroups/hg-payments-weu"),
             "dedicated host group"),
            ("publicip", [.key("nodePublicIPPrefixID")], AKSIDs.pair("rg-network-prod", "Microsoft.Network/publicIPPrefixes/ippre-aks-nodes"),
             "node public IP prefix"),
            ("snap", [.key("creationData"), .key("sourceResourceId")],
             AKSIDs.pair("rg-payments-prod", "Microsoft.ContainerService/snapshots/snap-user-202411", recoveryGroup: "rg-payments-dr"),
             "source snapshot"),
            ("npwin", [.key("podSubnetID")], pods, "pod subnet"),
        ]
    }()

    @Test(arguments: poolRows.indices)
    func agentPoolAttribute(_ n: Int) throws {
        let (pool, path, ids, label) = Self.poolRows[n]
        let expected = ExpectedChange(path: [.key("properties")] + path, before: ids.0, after: ids.1, by: "built-in: " + label)
        let standalone = try #require(Self.sample?.resource(SampleEstate.aksID + "/agentPools/" + pool))
        expectChange(standalone, expected)
        // The same value inline in the cluster's agentPoolProfiles.
        let cluster = try Self.cluster(Self.sample)
        let profiles = cluster.source.document["properties"]?["agentPoolProfiles"]?.arrayValue ?? []
        let i = try #require(profiles.firstIndex { $0["name"] == .string(pool) })
        expectChange(cluster, expected, at: AKSDocument.agentPoolProfiles + [.index(i)] + path)
    }

    @Test func poolsKeepTheirSizeAndVersionButNotTheImage() throws {
        let t = try #require(Self.sample)
        let pools = t.resources.filter { $0.source.type == ARMResourceTypes.agentPools }
        #expect(pools.count == 7)
        let cluster = try Self.cluster(t)
        let inline = cluster.document["properties"]?["agentPoolProfiles"]?.arrayValue ?? []
        #expect(inline.count == 7)
        for body in pools.compactMap({ $0.document["properties"] }) + inline {
            #expect(body["nodeImageVersion"] == nil)
            #expect(body["orchestratorVersion"] == "1.30.6")
        }
        for p in pools {
            #expect(p.document["properties"]?["count"] == p.source.document["properties"]?["count"])
            let image = try #require(p.changes.first { $0.path == "properties.nodeImageVersion" })
            #expect(image.after == nil && image.by == "built-in: node image not pinned")
            #expect(!p.changes.contains { $0.path == "properties.count" || $0.path == "properties.orchestratorVersion" })
        }
        #expect(cluster.changes.filter { $0.by == "built-in: node image not pinned" }.count == 7)
    }

    // MARK: - Promotions and role assignments

    @Test func theAKSManagedVNetAndGatewayArePromoted() throws {
        let t = try #require(Self.sample)
        #expect(t.ids.promoted.map(\.what) == ["AKS-managed Application Gateway", "AKS-managed Application Gateway public IP",
                                               "AKS-managed VNet"])
        let vnet = try #require(t.resource(AKSIDs.managedVNet))
        #expect(vnet.recoveryID == AKSIDs.byoVNet && vnet.mapping == "promoted to BYO")
        #expect(t.ids.map(AKSIDs.managedVNet + "/subnets/aks-subnet") == .mapped(AKSIDs.byoVNet + "/subnets/aks-subnet", how: "promoted to BYO"))
        let gateway = try #require(t.resource(AKSIDs.managedGateway))
        #expect(gateway.recoveryID == AKSIDs.byoGateway && gateway.mapping == "promoted to BYO")
        let pip = "Microsoft.Network/publicIPAddresses/agw-aks-prod-weu-appgwpip"
        #expect(t.resource(AKSIDs.source(AKSIDs.nodeGroup, pip))?.recoveryID == AKSIDs.recovery("rg-payments-dr", pip))
        #expect(gateway.document["properties"]?["frontendIPConfigurations"]?[0]?["properties"]?["publicIPAddress"]?["id"]
            == .string(AKSIDs.recovery("rg-payments-dr", pip)))
        let identity = AKSIDs.source("rg-payments-prod", "Microsoft.ManagedIdentity/userAssignedIdentities/id-aks-prod-weu-control-plane")
        #expect(t.ids.promoted.first { $0.what == "AKS-managed VNet" }?.identity == identity)
    }

    @Test func networkContributorForEachPromotedIdentity() throws {
        let t = try #require(Self.sample)
        let scope = "/subscriptions/\(SampleEstate.recoverySubscription)/resourceGroups/rg-payments-dr"
        let role = "/subscriptions/\(SampleEstate.recoverySubscription)/providers/Microsoft.Authorization/roleDefinitions/4d97b98b-1d4f-4787-a291-c67834d212e7"
        let controlPlane = AKSIDs.recovery("rg-payments-dr", "Microsoft.ManagedIdentity/userAssignedIdentities/id-aks-prod-weu-control-plane")
        let agic = AKSIDs.recovery(AKSIDs.recoveryNodeGroup, "Microsoft.ManagedIdentity/userAssignedIdentities/ingressapplicationgateway-aks-prod-weu")
        #expect(t.added.count == 2)
        let vnet = try #require(t.added.first { $0.dependsOn.contains(AKSIDs.byoVNet) })
        let gateway = try #require(t.added.first { $0.dependsOn.contains(AKSIDs.byoGateway) })
        #expect(vnet.id == "\(scope)/providers/Microsoft.Authorization/roleAssignments/4601ea0c-c33c-524b-b953-741d9b5b6496")
        #expect(gateway.id == "\(scope)/providers/Microsoft.Authorization/roleAssignments/75ac11c2-c5e4-569a-b7b7-d072f57c41c5")
        #expect(vnet.dependsOn == [controlPlane, AKSIDs.byoVNet])
        // AKS creates the add-on identity with the cluster.
        #expect(gateway.dependsOn == [agic, AKSIDs.byoGateway, AKSIDs.recoveryCluster])
        #expect(vnet.reason == "Network Contributor for the control-plane identity on the BYO VNet's resource group (AKS-managed VNet promoted to BYO)")
        #expect(gateway.reason.hasPrefix("Network Contributor for the AGIC add-on identity on the BYO Application Gateway's resource group"))
        for (a, principal) in [(vnet, controlPlane), (gateway, agic)] {
            #expect(a.type == "Microsoft.Authorization/roleAssignments")
            #expect(a.document["id"] == .string(a.id) && a.document["type"] == "Microsoft.Authorization/roleAssignments")
            #expect(a.document["name"]?.stringValue.map { a.id.hasSuffix("/" + $0) } == true)
            let p = try #require(a.document["properties"])
            #expect(p["roleDefinitionId"] == .string(role))
            #expect(p["principalId"] == .string("[reference('\(principal)', '2023-01-31').principalId]"))
            #expect(p["principalType"] == "ServicePrincipal" && p["scope"] == .string(scope))
        }
    }

    @Test func roleAssignmentNamesAreTheSameOnEveryRun() throws {
        let a = try SampleEstate.translate(), b = try SampleEstate.translate(mode: .failover)
        #expect(a.added.map(\.id) == b.added.map(\.id))
        #expect(a.added.map(\.document) == b.added.map(\.document))
        let name = ManagedPromotion.nameUUID("x")
        #expect(name == ManagedPromotion.nameUUID("x") && name != ManagedPromotion.nameUUID("y"))
        let chars = Array(name)
        #expect(chars.count == 36 && chars[14] == "5" && "89ab".contains(chars[19]))
        #expect([8, 13, 18, 23].allSatisfy { chars[$0] == "-" })
    }

    // MARK: - Add-ons

    @Test func unsupportedAddOnsAndAutoscalersRaiseIssues() throws {
        let t = try #require(Self.sample)
        let issues = t.issues.filter { $0.resource == SampleEstate.aksID }
        #expect(issues.map(\.feature).sorted() == ["addonProfiles.aciConnectorLinux", "workloadAutoScalerProfile.verticalPodAutoscaler"])
        for i in issues {
            #expect(i.message.contains("not supported") && i.message.contains("may need to be reconfigured manually"))
        }
        // Still translated, add-on and all.
        #expect(try Self.cluster(t).document["properties"]?["addonProfiles"]?["aciConnectorLinux"]?["enabled"] == true)
    }
}

/// Small estates written for one behaviour each (loaded through ``TestEstate``): cluster `aks1`
/// in group `rg`, restored to group `rg-dr` of another subscription, North Europe.
enum MiniAKS {
    static let subscription = "a1b2c3d4-0000-4000-8000-000000000001"
    static let recoverySubscription = "f0e1d2c3-0000-4000-8000-000000000002"
    static let recovery = RecoveryEnvironment(azure: AzureSite(subscription: recoverySubscription, location: "northeurope"),
                                              resourceGroups: ["rg": "rg-dr"])
    static let nodeGroup = "MC_rg_aks1_westeurope"
    static let clusterID = id("rg", "Microsoft.ContainerService/managedClusters/aks1")

    static func id(_ group: String, _ provider: String, recovery: Bool = false) -> String {
        "/subscriptions/\(recovery ? recoverySubscription : subscription)/resourceGroups/\(group)/providers/\(provider)"
    }

    /// An ARM document; `provider` is everything after `providers/` in group `rg`.
    static func resource(_ provider: String, properties: String, extra: String = "") -> String {
        let parts = provider.split(separator: "/").map(String.init)
        var type = parts[0]
        for i in stride(from: 1, to: parts.count, by: 2) { type += "/" + parts[i] }
        return #"{"id": "\#(id("rg", provider))", "name": "\#(parts[parts.count - 1])", "type": "\#(type)", "properties": \#(properties)\#(extra)}"#
    }

    /// The cluster document; `properties` gets `nodeResourceGroup` added.
    static func cluster(_ properties: String = "", extra: String = "") -> String {
        let body = #"{"nodeResourceGroup": "\#(nodeGroup)"\#(properties.isEmpty ? "" : ", " + properties)}"#
        return resource("Microsoft.ContainerService/managedClusters/aks1", properties: body, extra: #", "location": "westeurope""# + extra)
    }

    static func pool(_ name: String, _ properties: String) -> String {
        resource("Microsoft.ContainerService/managedClusters/aks1/agentPools/\(name)", properties: properties)
    }

    static func translate(_ docs: String..., mode: TranslationMode = .test) throws -> Translation {
        var estate = TestEstate()
        estate.azure = docs
        estate.clusters = [TestEstate.ClusterSpec(name: "aks1", cloud: "azure", id: clusterID, kubernetes: [])]
        let inventory = try estate.load()
        return Translator(settings: TranslationSettings(to: recovery, mode: mode)).translate(inventory.resources, in: inventory)
    }

    static func cluster(in t: Translation) throws -> TranslatedResource {
        try #require(t.resource(clusterID))
    }
}

@Suite struct AKSTranslationEdgeTests {
    static let outboundCases: [(String?, String?)] = [
        ("userDefinedRouting", nil), ("none", nil), ("UserDefinedRouting", nil),
        ("managedNATGateway", "userDefinedRouting"), ("loadBalancer", "userDefinedRouting"), (nil, "userDefinedRouting"),
    ]

    @Test(arguments: outboundCases.indices)
    func outboundTypeInATest(_ n: Int) throws {
        let (source, expected) = Self.outboundCases[n]
        let network = source.map { #""networkProfile": {"outboundType": "\#($0)"}"# } ?? ""
        let c = try MiniAKS.cluster(in: MiniAKS.translate(MiniAKS.cluster(network)))
        let change = c.changes.first { $0.path == "properties.networkProfile.outboundType" }
        if let expected {
            #expect(change?.after == .string(expected) && change?.by == "built-in: outbound type")
            #expect(change?.before == source.map(JSONValue.string))
        } else {
            #expect(change == nil)
            #expect(c.document[path: AKSClusterTranslation.outboundTypePath] == source.map(JSONValue.string))
        }
    }

    @Test func failoverLeavesEveryOutboundTypeAlone() throws {
        for source in ["loadBalancer", "managedNATGateway", "userDefinedRouting", "none"] {
            let c = try MiniAKS.cluster(in: MiniAKS.translate(MiniAKS.cluster(#""networkProfile": {"outboundType": "\#(source)"}"#),
                                                              mode: .failover))
            #expect(c.document[path: AKSClusterTranslation.outboundTypePath] == .string(source))
            #expect(!c.changes.contains { $0.path == "properties.networkProfile.outboundType" })
        }
    }

    @Test func managedSubnetWithAnotherNameBecomesAksSubnetAndSystemIdentityGetsTheRole() throws {
        let subnet = MiniAKS.id(MiniAKS.nodeGroup, "Microsoft.Network/virtualNetworks/aks-vnet-999/subnets/nodes")
        let t = try MiniAKS.translate(
            MiniAKS.cluster(#""agentPoolProfiles": [{"name": "np1", "vnetSubnetID": "\#(subnet)"}]"#,
                            extra: #", "identity": {"type": "SystemAssigned"}"#),
            MiniAKS.pool("np1", #"{"vnetSubnetID": "\#(subnet)"}"#))
        let byo = MiniAKS.id("rg-dr", "Microsoft.Network/virtualNetworks/aks-vnet-999", recovery: true)
        #expect(t.ids.promoted.map(\.recoveryID) == [byo, byo + "/subnets/aks-subnet"])
        #expect(t.ids.promoted.allSatisfy { $0.identity == nil })
        let c = try MiniAKS.cluster(in: t)
        #expect(c.document["properties"]?["agentPoolProfiles"]?[0]?["vnetSubnetID"] == .string(byo + "/subnets/aks-subnet"))
        let pool = try #require(t.resource(MiniAKS.clusterID + "/agentPools/np1"))
        #expect(pool.document["properties"]?["vnetSubnetID"] == .string(byo + "/subnets/aks-subnet"))
        // VNet and subnet share the identity and the group: one assignment, to the cluster's identity.
        let recoveryCluster = MiniAKS.id("rg-dr", "Microsoft.ContainerService/managedClusters/aks1", recovery: true)
        #expect(t.added.count == 1)
        #expect(t.added.first?.document["properties"]?["principalId"]
            == .string("[reference('\(recoveryCluster)', '2024-09-01', 'Full').identity.principalId]"))
        #expect(t.added.first?.document["properties"]?["scope"] == .string("/subscriptions/\(MiniAKS.recoverySubscription)/resourceGroups/rg-dr"))
        #expect(t.added.first?.dependsOn == [recoveryCluster, byo])
    }

    @Test func customerVNetAndCustomerGatewayAreNotPromoted() throws {
        let subnet = MiniAKS.id("rg-net", "Microsoft.Network/virtualNetworks/aks-vnet-1/subnets/aks-subnet")
        let gateway = MiniAKS.id("rg-net", "Microsoft.Network/applicationGateways/agw1")
        let t = try MiniAKS.translate(MiniAKS.cluster(#"""
            "agentPoolProfiles": [{"name": "np1", "vnetSubnetID": "\#(subnet)"}],
            "addonProfiles": {"IngressApplicationGateway": {"enabled": true,
                "config": {"applicationGatewayId": "\#(gateway)"}}}
            """#))
        #expect(t.ids.promoted.isEmpty && t.added.isEmpty)
        let c = try MiniAKS.cluster(in: t)
        let config: [JSONPathComponent] = [.key("properties"), .key("addonProfiles"), .key("IngressApplicationGateway"), .key("config")]
        #expect(c.document[path: config + [.key("applicationGatewayId")]]
            == .string(MiniAKS.id("rg-net", "Microsoft.Network/applicationGateways/agw1", recovery: true)))
        #expect(c.changes.first { $0.path == (config + [.key("applicationGatewayId")]).dotted }?.by == "built-in: Azure resource ID")
        #expect(c.document["properties"]?["agentPoolProfiles"]?[0]?["vnetSubnetID"]
            == .string(MiniAKS.id("rg-net", "Microsoft.Network/virtualNetworks/aks-vnet-1/subnets/aks-subnet", recovery: true)))
    }

    @Test func supportedOrDisabledAddOnsRaiseNoIssue() throws {
        let t = try MiniAKS.translate(MiniAKS.cluster(#"""
            "addonProfiles": {"OmsAgent": {"enabled": true}, "AzurePolicy": {"enabled": "true"},
                              "azureKeyvaultSecretsProvider": {"enabled": true}, "ingressApplicationGateway": {"enabled": true},
                              "aciConnectorLinux": {"enabled": false}, "httpApplicationRouting": {"enabled": false}},
            "workloadAutoScalerProfile": {"keda": {"enabled": true}, "verticalPodAutoscaler": {"enabled": false}}
            """#))
        #expect(t.issues == [])
        let u = try MiniAKS.translate(MiniAKS.cluster(#""addonProfiles": {"httpApplicationRouting": {"enabled": "True"}}"#))
        #expect(u.issues.map(\.feature) == ["addonProfiles.httpApplicationRouting"])
    }

    @Test func autoscaledCountIsClampedIntoItsBounds() throws {
        let t = try MiniAKS.translate(
            MiniAKS.cluster(#""agentPoolProfiles": [{"name": "a", "count": 9, "enableAutoScaling": true, "minCount": 1, "maxCount": 4}]"#),
            MiniAKS.pool("low", #"{"count": 1, "enableAutoScaling": true, "minCount": 2, "maxCount": 5, "orchestratorVersion": "1.30.6"}"#),
            MiniAKS.pool("fixed", #"{"count": 9, "enableAutoScaling": false, "minCount": 2, "maxCount": 5}"#))
        let low = try #require(t.resource(MiniAKS.clusterID + "/agentPools/low"))
        #expect(low.document["properties"]?["count"] == 2)
        #expect(low.changes.first { $0.path == "properties.count" }?.by == "built-in: initial node count (within the autoscaler's bounds)")
        #expect(low.document["properties"]?["orchestratorVersion"] == "1.30.6")
        let fixed = try #require(t.resource(MiniAKS.clusterID + "/agentPools/fixed"))
        #expect(fixed.document["properties"]?["count"] == 9 && fixed.changes.allSatisfy { $0.path != "properties.count" })
        let c = try MiniAKS.cluster(in: t)
        #expect(c.document["properties"]?["agentPoolProfiles"]?[0]?["count"] == 4)
    }

    @Test func adminPasswordInAVaultOutsideTheRecoveryPoint() throws {
        let t = try MiniAKS.translate(MiniAKS.cluster(
            extra: #", "tags": {"standby:admin-password-secret": "https://kv-elsewhere.vault.azure.net/secrets/win-admin"}"#))
        let c = try MiniAKS.cluster(in: t)
        expectChange(c, ExpectedChange(path: [.key("tags"), .key("standby:admin-password-secret")],
                                       before: "https://kv-elsewhere.vault.azure.net/secrets/win-admin",
                                       after: "https://kv-elsewhere-dr.vault.azure.net/secrets/win-admin",
                                       by: "built-in: Windows admin password secret"))
        #expect(t.issues.map(\.feature) == ["tags.standby:admin-password-secret"])
        #expect(t.issues.first?.message.contains("kv-elsewhere-dr") == true)
    }

    @Test func adminPasswordTagThatIsNotASecretURLIsKept() throws {
        let t = try MiniAKS.translate(MiniAKS.cluster(extra: #", "tags": {"arpio-config:admin-password-secret": "hunter2-is-not-a-url"}"#))
        let c = try MiniAKS.cluster(in: t)
        #expect(c.document["tags"]?["arpio-config:admin-password-secret"] == "hunter2-is-not-a-url")
        #expect(c.untranslated.contains { $0.path == "tags.arpio-config:admin-password-secret" })
        #expect(t.issues.map(\.feature) == ["tags.arpio-config:admin-password-secret"])
    }

    @Test func keyVaultSecretURLs() {
        let v = KeyVaultSecretURL("https://kv1.vault.azure.net/secrets/pw/0123abcd")
        #expect(v?.vault == "kv1" && v?.name == "pw" && v?.version == "0123abcd")
        #expect(v?.url(vault: "kv1-dr") == "https://kv1-dr.vault.azure.net/secrets/pw")
        #expect(KeyVaultSecretURL("https://kv1.vault.azure.cn/secrets/pw/")?.url(vault: "x") == "https://x.vault.azure.cn/secrets/pw")
        for bad in ["http://kv1.vault.azure.net/secrets/pw", "https://kv1.vault.azure.net/keys/k/1", "https://kv1.example.com/secrets/pw",
                    "https://kv1.vault.azure.net/secrets", "https://kv1.vault.azure.net/secrets/a/b/c", "https://.vault.azure.net/secrets/a"] {
            #expect(KeyVaultSecretURL(bad) == nil, "\(bad)")
        }
    }

    // MARK: - ARM REST example

    @Test func armExampleClusterWithUserAssignedNATGateway() throws {
        guard let path = Fixtures.path("arm/ManagedClustersCreate_UserAssignedNATGateway.json") else { return }
        let inventory = try InventoryLoader.load(path: path)
        let to = RecoveryEnvironment(azure: AzureSite(subscription: "11111111-2222-3333-4444-555555555555", location: "eastus2"),
                                     resourceGroups: ["rg1": "rg1-dr"])
        let t = Translator(settings: TranslationSettings(to: to)).translate(inventory.resources, in: inventory)
        let c = try #require(t.resource(FixtureLoadingTests.clusterID))
        #expect(c.recoveryID == "/subscriptions/11111111-2222-3333-4444-555555555555/resourceGroups/rg1-dr/providers/Microsoft.ContainerService/managedClusters/clustername1")
        expectChange(c, ExpectedChange(path: AKSClusterTranslation.outboundTypePath, before: "userAssignedNATGateway",
                                       after: "userDefinedRouting", by: "built-in: outbound type"))
        expectChange(c, ExpectedChange(path: [.key("properties"), .key("nodeResourceGroup")], before: "MC_rg1_clustername1_location1",
                                       after: "MC_rg1-dr_clustername1_eastus2", by: "built-in: node resource group"))
        expectChange(c, ExpectedChange(path: [.key("properties"), .key("diskEncryptionSetID")],
                                       before: "/subscriptions/00000000-0000-0000-0000-000000000000/resourcegroups/rg1/providers/Microsoft.Compute/diskEncryptionSets/des",
                                       after: "/subscriptions/11111111-2222-3333-4444-555555555555/resourceGroups/rg1-dr/providers/Microsoft.Compute/diskEncryptionSets/des",
                                       by: "built-in: disk encryption set"))
        #expect(c.document["properties"]?["agentPoolProfiles"]?[0]?["nodeImageVersion"] == nil)
        let pool = try #require(t.resource(FixtureLoadingTests.clusterID + "/agentPools/nodepool1"))
        #expect(pool.changes.contains { $0.path == "properties.nodeImageVersion" && $0.by == "built-in: node image not pinned" })
        #expect(t.ids.promoted.isEmpty && t.issues.isEmpty)
        // Its pools name no subnet: the test gets a customer-owned VNet and the role on its group.
        #expect(t.managedNetworks.map(\.cluster) == [FixtureLoadingTests.clusterID])
        #expect(t.added.map(\.type) == ["Microsoft.Network/virtualNetworks", "Microsoft.Authorization/roleAssignments"])
        let failover = Translator(settings: TranslationSettings(to: to, mode: .failover)).translate(inventory.resources, in: inventory)
        #expect(failover.resource(FixtureLoadingTests.clusterID)?.document[path: AKSClusterTranslation.outboundTypePath]
            == "userAssignedNATGateway")
    }
}
