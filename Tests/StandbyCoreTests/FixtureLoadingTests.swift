import Foundation
import Testing
@testable import StandbyCore
import StandbyTestSupport

/// Loads every file of `Tests/Fixtures` and checks ids, types and counts.
@Suite struct FixtureLoadingTests {
    static let clusterID = "/subscriptions/00000000-0000-0000-0000-000000000000/resourceGroups/rg1/providers/Microsoft.ContainerService/managedClusters/clustername1"
    static let poolID = clusterID + "/agentPools/agentpool1"
    static let firewallID = "/subscriptions/subid/resourceGroups/rg1/providers/Microsoft.Network/azureFirewalls/azurefirewall"

    /// (file, id of its first resource, type, number of resources the file yields).
    static let armExamples: [(String, String, String, Int)] = [
        ("AgentPoolsCreate_DedicatedHostGroup.json", poolID, ARMResourceTypes.agentPools, 1),
        ("AgentPoolsCreate_PPG.json", poolID, ARMResourceTypes.agentPools, 1),
        ("AgentPoolsCreate_Snapshot.json", poolID, ARMResourceTypes.agentPools, 1),
        ("AzureFirewallPut.json", firewallID, "Microsoft.Network/azureFirewalls", 1),
        ("AzureFirewallPutWithIpGroups.json", firewallID, "Microsoft.Network/azureFirewalls", 1),
        ("FirewallPolicyRuleCollectionGroupWithIpGroupsPut.json",
         "/subscriptions/subid/resourceGroups/rg1/providers/Microsoft.Network/firewallPolicies/firewallPolicy/ruleCollectionGroups/ruleCollectionGroup1",
         "Microsoft.Network/firewallPolicies/ruleCollectionGroups", 1),
        ("ManagedClustersCreate_AzureKeyvaultSecretsProvider.json", clusterID, ARMResourceTypes.managedClusters, 2),
        ("ManagedClustersCreate_DualStackNetworking.json", clusterID, ARMResourceTypes.managedClusters, 2),
        ("ManagedClustersCreate_IngressProfile_WebAppRouting.json", clusterID, ARMResourceTypes.managedClusters, 2),
        ("ManagedClustersCreate_PrivateClusterFQDNSubdomain.json", clusterID, ARMResourceTypes.managedClusters, 2),
        ("ManagedClustersCreate_SecurityProfile.json", clusterID, ARMResourceTypes.managedClusters, 2),
        ("ManagedClustersCreate_Update.json", clusterID, ARMResourceTypes.managedClusters, 2),
        ("ManagedClustersCreate_UserAssignedNATGateway.json", clusterID, ARMResourceTypes.managedClusters, 2),
        ("ManagedClustersGet.json", clusterID, ARMResourceTypes.managedClusters, 2),
        ("RouteTableGet.json", "/subscriptions/subid/resourceGroups/rg1/providers/Microsoft.Network/routeTables/testrt",
         "Microsoft.Network/routeTables", 1),
    ]

    @Test(arguments: armExamples.map { $0.0 })
    func armExample(_ file: String) throws {
        guard let path = Fixtures.path("arm/\(file)") else { return }
        let (_, id, type, count) = Self.armExamples.first { $0.0 == file }!
        let inventory = try InventoryLoader.load(path: path)
        #expect(inventory.count == count)
        let r = try #require(inventory.resources.first)
        #expect(r.id == id)
        #expect(r.type == type)
        #expect(r.identity == .arm(ARMResourceID(id)!))
        #expect(r.apiVersion?.hasPrefix("20") == true)
        #expect(r.document["id"]?.stringValue.flatMap(ARMResourceID.init) == ARMResourceID(id))
        #expect(r.source.path == path && r.source.line == 1)
        #expect(inventory.get(id.uppercased())?.id == id)
        if count == 2 {
            let pool = inventory.resources[1]
            #expect(pool.id == Self.clusterID + "/agentPools/nodepool1")
            #expect(pool.type == ARMResourceTypes.agentPools && pool.name == "nodepool1")
            #expect(pool.document["properties"]?["name"] == nil)
            #expect(pool.document["properties"]?["vmSize"] != nil)
        }
    }

    @Test func managedClusterGetDetails() throws {
        guard let path = Fixtures.path("arm/ManagedClustersGet.json") else { return }
        let inventory = try InventoryLoader.load(path: path)
        let cluster = try #require(inventory.get(Self.clusterID))
        #expect(cluster.name == "clustername1" && cluster.region == "location1")
        #expect(cluster.tags == ["archv2": "", "tier": "production"])
        #expect(cluster.apiVersion == "2025-08-01")
        #expect(cluster.document["eTag"] == "beywbwei")
        #expect(cluster.document["properties"]?["azurePortalFQDN"] == "dnsprefix1-abcd1234.portal.hcp.eastus.azmk8s.io")
        let pool = try #require(inventory.get(Self.clusterID + "/agentPools/nodepool1"))
        #expect(pool.document["properties"]?["availabilityZones"] == ["1", "2", "3"])
        #expect(pool.armID?.parent == cluster.armID)
    }

    @Test func restExampleWithoutTypeTakesItFromTheID() throws {
        guard let path = Fixtures.path("arm/FirewallPolicyRuleCollectionGroupWithIpGroupsPut.json") else { return }
        let r = try #require(try InventoryLoader.load(path: path).resources.first)
        #expect(r.document["type"] == nil)
        #expect(r.type == "Microsoft.Network/firewallPolicies/ruleCollectionGroups")
        // The 200 response is used, not the 201 one (whose id names the policy).
        #expect(r.name == "ruleCollectionGroup1")
        #expect(r.document["etag"] == #"w/\00000000-0000-0000-0000-000000000000\"#)
    }

    @Test func describeCluster() throws {
        guard let path = Fixtures.path("eks/describe-cluster.rst") else { return }
        let inventory = try InventoryLoader.load(path: path)
        #expect(inventory.count == 1)
        let r = try #require(inventory.resources.first)
        #expect(r.id == "arn:aws:eks:us-east-2:111122223333:cluster/my-eks-cluster")
        #expect(r.type == "AWS::EKS::Cluster" && r.name == "my-eks-cluster" && r.region == "us-east-2")
        #expect(r.aliases == ["my-eks-cluster"])
        #expect(r.tags.count == 11 && r.tags["karpenter.sh/discovery"] == "my-eks-cluster")
        #expect(r.arn?.resourceType == "cluster")
        #expect(r.document["resourcesVpcConfig"]?["vpcId"] == "vpc-0012b8e1cc0abb17d")
        #expect(r.source.line == 10 && r.source.document == 0)
        #expect(inventory.get("my-eks-cluster")?.id == r.id)
    }

    @Test func createNodegroupYieldsThreeNodegroups() throws {
        guard let path = Fixtures.path("eks/create-nodegroup.rst") else { return }
        let inventory = try InventoryLoader.load(path: path)
        let groups = inventory.find(ResourceQuery(type: "AWS::EKS::Nodegroup"))
        #expect(groups.count == 3 && inventory.count == 3)
        #expect(Set(groups.map(\.id)).count == 3)
        #expect(groups.allSatisfy { $0.name == "my-eks-nodegroup" && $0.id.hasPrefix("arn:aws:eks:us-east-2:111122223333:nodegroup/my-eks-cluster/my-eks-nodegroup/") })
        #expect(groups.map(\.source.document) == [0, 1, 2])
        #expect(groups.map(\.source.line) == [15, 69, 129])
        // The malformed comma-joined subnet entry is kept exactly as written.
        #expect(groups[0].document["subnets"] == ["subnet-0e2907431c9988b72, subnet-04ad87f71c6e5ab4d, subnet-09d912bb63ef21b9a"])
    }

    @Test func createFargateProfileYieldsFiveProfiles() throws {
        guard let path = Fixtures.path("eks/create-fargate-profile.rst") else { return }
        let inventory = try InventoryLoader.load(path: path)
        let profiles = inventory.find(ResourceQuery(type: "aws::eks::fargateprofile"))
        #expect(profiles.count == 5 && inventory.count == 5)
        #expect(Set(profiles.map(\.id)).count == 5)
        #expect(profiles.allSatisfy { $0.arn?.resourceType == "fargateprofile" && $0.name == "my-fargate-profile" })
    }

    @Test func microservicesDemo() throws {
        guard let path = Fixtures.path("k8s/microservices-demo-kubernetes-manifests.yaml") else { return }
        let inventory = try InventoryLoader.load(path: path, options: LoadOptions(cluster: "demo"))
        #expect(inventory.count == 23)
        #expect(inventory.find(ResourceQuery(kind: "Deployment")).count == 12)
        #expect(inventory.find(ResourceQuery(kind: "Service")).count == 11)
        #expect(inventory.find(ResourceQuery(kind: "ServiceAccount")).count == 0)
        #expect(inventory.resources.allSatisfy { $0.cluster == "demo" && $0.namespace == "default" })
        // The Deployments carry `app` only on their pod templates, not in metadata.labels.
        #expect(inventory.find(ResourceQuery(kind: "Deployment", label: "app")).isEmpty)
        #expect(inventory.find(ResourceQuery(kind: "deployment", namespace: "default", name: "frontend")).map(\.id)
                == ["k8s://demo/apps/Deployment/default/frontend"])
        #expect(inventory.find(ResourceQuery(kind: "Service", name: "frontend")).first?.id == "k8s://demo/core/Service/default/frontend")
        #expect(inventory.get("k8s://demo/apps/Deployment/default/redis-cart")?.source.line == 592)
        #expect(inventory.summary.byCluster["demo"]?.byKind == ["Deployment": 12, "Service": 11])
        #expect(inventory.clusters == [Cluster(name: "demo")])
    }

    /// The first collection (arm/, eks/, k8s/) loaded together; `real/` has its own tests.
    @Test func everyFixtureLoadsIntoOneInventory() throws {
        guard let arm = Fixtures.path("arm"), let eks = Fixtures.path("eks"), let k8s = Fixtures.path("k8s") else { return }
        let inventory = try InventoryLoader.load(paths: [arm, eks, k8s], options: LoadOptions(cluster: "fixtures"))
        let summary = inventory.summary
        #expect(summary.total == 54)
        #expect(summary.byType == [
            "AWS::EKS::Cluster": 1, "AWS::EKS::FargateProfile": 5, "AWS::EKS::Nodegroup": 3,
            ARMResourceTypes.managedClusters: 1, ARMResourceTypes.agentPools: 2,
            "Microsoft.Network/azureFirewalls": 1, "Microsoft.Network/firewallPolicies/ruleCollectionGroups": 1,
            "Microsoft.Network/routeTables": 1,
        ])
        #expect(summary.byKind == [
            "ConfigMap": 1, "CustomResourceDefinition": 1, "Deployment": 13, "Ingress": 3, "PersistentVolume": 2,
            "PersistentVolumeClaim": 1, "Pod": 1, "ScaledObject": 1, "SecretProviderClass": 1, "Service": 13, "SessionJob": 1,
            "StatefulSet": 1,
        ])
        #expect(summary.byCluster["fixtures"]?.objects == 39)
        // Eight managed-cluster examples share one id (each with nodepool1), three agent-pool
        // examples share another, the two firewall examples a third: 7 + 7 + 2 + 1 merges.
        #expect(inventory.notes.count == 17)
        #expect(inventory.notes.allSatisfy { $0.hasPrefix("duplicate id ") })
        // agentpool1 comes from three examples: the merge is shallow, so the last file's
        // (Snapshot's) `properties` replaced the earlier ones whole.
        let pool = try #require(inventory.get(Self.poolID))
        #expect(pool.document["properties"]?["hostGroupID"] == nil)
        #expect(pool.document["properties"]?["proximityPlacementGroupID"] == nil)
        #expect(pool.document["properties"]?["enableFIPS"] == true)
        #expect(pool.source.path.hasSuffix("AgentPoolsCreate_Snapshot.json"))

        let expectedIDs = [
            "k8s://fixtures/core/PersistentVolume/pv-azuredisk",
            "k8s://fixtures/core/PersistentVolume/efs-pv",
            "k8s://fixtures/core/PersistentVolumeClaim/default/pvc-azuredisk",
            "k8s://fixtures/core/ConfigMap/kube-system/aws-auth",
            "k8s://fixtures/extensions/Ingress/echoserver/echoserver",
            "k8s://fixtures/extensions/Ingress/some-namespace/ingress-external",
            "k8s://fixtures/networking.k8s.io/Ingress/default/aspnetapp",
            "k8s://fixtures/apiextensions.k8s.io/CustomResourceDefinition/sessionjobs.samplecontroller.k8s.io",
            "k8s://fixtures/samplecontroller.k8s.io/SessionJob/default/example-sessionjob",
            "k8s://fixtures/keda.sh/ScaledObject/default/example-scaledobject",
            "k8s://fixtures/secrets-store.csi.x-k8s.io/SecretProviderClass/default/azure-sync",
            "k8s://fixtures/apps/Deployment/default/busybox-deployment",
        ]
        for id in expectedIDs { #expect(inventory.get(id) != nil, "missing \(id)") }
    }
}
