import Foundation
import Testing
@testable import StandbyCore
import StandbyTestSupport

@Suite struct InventoryLoaderTests {
    static let aksID = "/subscriptions/sub1/resourceGroups/rg-prod/providers/Microsoft.ContainerService/managedClusters/aks-prod-weu"

    /// `az aks show` output: properties flattened, CLI spellings, CLI's `resourceGroup`.
    static let azAksShow = """
        {
          "id": "/subscriptions/sub1/resourcegroups/rg-prod/providers/Microsoft.ContainerService/managedClusters/aks-prod-weu",
          "name": "aks-prod-weu",
          "type": "Microsoft.ContainerService/ManagedClusters",
          "location": "westeurope",
          "resourceGroup": "rg-prod",
          "tags": {"vnetSubnetId": "tag values are never renamed"},
          "identity": {"type": "UserAssigned", "userAssignedIdentities": {"/subscriptions/sub1/resourceGroups/rg-prod/providers/Microsoft.ManagedIdentity/userAssignedIdentities/id1": {"clientId": "c", "principalId": "p"}}},
          "sku": {"name": "Base", "tier": "Standard"},
          "provisioningState": "Succeeded",
          "azurePortalFqdn": "aks-prod.portal.hcp.westeurope.azmk8s.io",
          "diskEncryptionSetId": "/subscriptions/sub1/resourceGroups/rg-prod/providers/Microsoft.Compute/diskEncryptionSets/des1",
          "enableRbac": true,
          "networkProfile": {"dnsServiceIp": "10.0.0.10", "networkPlugin": "azure"},
          "agentPoolProfiles": [
            {"name": "system", "mode": "System", "count": 3, "vnetSubnetId": "/subscriptions/sub1/resourceGroups/rg-net/providers/Microsoft.Network/virtualNetworks/vnet/subnets/nodes", "nodeLabels": {"podSubnetId": "kept"}, "enableFips": false},
            {"name": "user", "mode": "User", "count": 2, "podSubnetId": "/subscriptions/sub1/resourceGroups/rg-net/providers/Microsoft.Network/virtualNetworks/vnet/subnets/pods"}
          ]
        }
        """

    @Test func azAksShowIsNormalisedToRESTShape() throws {
        let tmp = try TemporaryFolder()
        defer { tmp.remove() }
        let path = try tmp.write("aks.json", Self.azAksShow)
        let inv = try InventoryLoader.load(path: path)
        #expect(inv.count == 3)
        let cluster = try #require(inv.get(Self.aksID))
        #expect(cluster.id == Self.aksID)
        #expect(cluster.type == "Microsoft.ContainerService/managedClusters")
        guard case .object(let doc) = cluster.document else { Issue.record("document is not an object"); return }
        #expect(doc.keys == ["id", "name", "type", "location", "tags", "identity", "sku", "properties"])
        #expect(doc["resourceGroup"] == nil)
        #expect(doc["tags"] == ["vnetSubnetId": "tag values are never renamed"])
        let props = try #require(doc["properties"]?.objectValue)
        #expect(props.keys == ["provisioningState", "azurePortalFQDN", "diskEncryptionSetID", "enableRBAC", "networkProfile", "agentPoolProfiles"])
        #expect(props["networkProfile"] == ["dnsServiceIP": "10.0.0.10", "networkPlugin": "azure"])
        #expect(props["agentPoolProfiles"]?[0]?["vnetSubnetID"] != nil)
        #expect(props["agentPoolProfiles"]?[0]?["enableFIPS"] == false)
        #expect(props["agentPoolProfiles"]?[0]?["nodeLabels"] == ["podSubnetId": "kept"])

        let system = try #require(inv.get(Self.aksID + "/agentPools/system"))
        #expect(system.type == ARMResourceTypes.agentPools && system.name == "system" && system.region == "westeurope")
        #expect(system.document["properties"]?["vnetSubnetID"]?.stringValue?.hasSuffix("/subnets/nodes") == true)
        #expect(system.document["properties"]?["mode"] == "System")
        let user = try #require(inv.get(Self.aksID + "/agentPools/user"))
        #expect(user.document["properties"]?["podSubnetID"]?.stringValue?.hasSuffix("/subnets/pods") == true)
        #expect(user.armID?.isChild(of: cluster.armID!) == true)
        #expect(inv.notes.isEmpty)
    }

    @Test func separatelyLoadedAgentPoolWinsOverTheInlineProfile() throws {
        let tmp = try TemporaryFolder()
        defer { tmp.remove() }
        // `az aks nodepool show`, flattened too; sorted before aks.json so it loads first.
        try tmp.write("a-pool.json", """
            {"id": "\(Self.aksID)/agentPools/system", "name": "system", "type": "Microsoft.ContainerService/managedClusters/agentPools",
             "resourceGroup": "rg-prod", "count": 5, "maxPods": 50}
            """)
        try tmp.write("aks.json", Self.azAksShow)
        let inv = try InventoryLoader.load(path: tmp.path)
        #expect(inv.count == 3)
        #expect(inv.notes.isEmpty)
        let pool = try #require(inv.get(Self.aksID + "/agentPools/system"))
        #expect(pool.source.path.hasSuffix("a-pool.json"))
        #expect(pool.resourceIndexIsFirst(in: inv))
        let props = pool.document["properties"]
        #expect(props?["count"] == 5)              // the loaded pool wins
        #expect(props?["maxPods"] == 50)
        #expect(props?["mode"] == "System")        // the inline profile fills the rest
        #expect(props?["vnetSubnetID"] != nil)
    }

    @Test func azResourceListArraysAndValuePages() throws {
        let tmp = try TemporaryFolder()
        defer { tmp.remove() }
        try tmp.write("list.json", """
            [
              {"id": "/subscriptions/s/resourceGroups/rg/providers/Microsoft.Network/virtualNetworks/vnet1", "name": "vnet1",
               "type": "Microsoft.Network/virtualNetworks", "location": "westeurope", "resourceGroup": "rg", "properties": null},
              {"id": "/subscriptions/s/resourceGroups/rg/providers/Contoso.Widgets/gadgets/g1", "name": "g1", "type": "Contoso.Widgets/gadgets"}
            ]
            """)
        try tmp.write("page.json", """
            {"value": [{"id": "/subscriptions/s/resourceGroups/rg/providers/Microsoft.KeyVault/vaults/kv1", "name": "kv1",
                        "type": "microsoft.keyvault/vaults", "properties": {"tenantId": "t"}}],
             "nextLink": "https://management.azure.com/next"}
            """)
        let inv = try InventoryLoader.load(path: tmp.path)
        #expect(inv.resources.map(\.name) == ["vnet1", "g1", "kv1"])
        #expect(inv.resources.map(\.type) == ["Microsoft.Network/virtualNetworks", "Contoso.Widgets/gadgets", "Microsoft.KeyVault/vaults"])
        #expect(inv.resources.map(\.source.item) == [0, 1, 0])
        #expect(inv.resources[0].document["resourceGroup"] == nil)
        #expect(inv.resources[0].document["properties"] == .null)
        #expect(inv.resources[2].document["properties"] == ["tenantId": "t"])
    }

    @Test func awsCLIOutputs() throws {
        let tmp = try TemporaryFolder()
        defer { tmp.remove() }
        try tmp.write("vpcs.json", #"{"Vpcs": [{"VpcId": "vpc-1", "OwnerId": "222222222222", "CidrBlock": "10.0.0.0/16", "Tags": [{"Key": "Name", "Value": "main"}]}]}"#)
        try tmp.write("subnets.json", #"{"Subnets": [{"SubnetId": "subnet-1", "SubnetArn": "arn:aws:ec2:us-east-1:222222222222:subnet/subnet-1", "VpcId": "vpc-1"}]}"#)
        try tmp.write("sgs.json", #"{"SecurityGroups": [{"GroupId": "sg-1", "GroupName": "nodes", "OwnerId": "222222222222"}]}"#)
        try tmp.write("lts.json", #"{"LaunchTemplates": [{"LaunchTemplateId": "lt-1", "LaunchTemplateName": "tmpl"}]}"#)
        try tmp.write("roles.json", #"{"Roles": [{"RoleName": "node", "RoleId": "AROA1", "Arn": "arn:aws:iam::222222222222:role/node"}], "IsTruncated": false}"#)
        try tmp.write("role.json", #"{"Role": {"RoleName": "cp", "Arn": "arn:aws:iam::222222222222:role/cp", "Tags": [{"Key": "team", "Value": "a"}]}}"#)
        try tmp.write("oidc.json", #"{"OpenIDConnectProviderList": [{"Arn": "arn:aws:iam::222222222222:oidc-provider/oidc.eks.us-east-1.amazonaws.com/id/ABC"}]}"#)
        try tmp.write("key.json", #"{"KeyMetadata": {"KeyId": "k-1", "Arn": "arn:aws:kms:us-east-1:222222222222:key/k-1"}}"#)
        try tmp.write("efs.json", #"{"FileSystems": [{"FileSystemId": "fs-1", "FileSystemArn": "arn:aws:elasticfilesystem:us-east-1:222222222222:file-system/fs-1", "Name": "shared"}]}"#)
        try tmp.write("ecr.json", #"{"repositories": [{"repositoryArn": "arn:aws:ecr:us-east-1:222222222222:repository/team/app", "repositoryName": "team/app", "repositoryUri": "222222222222.dkr.ecr.us-east-1.amazonaws.com/team/app"}]}"#)
        try tmp.write("rds.json", #"{"DBInstances": [{"DBInstanceIdentifier": "db1", "DBInstanceArn": "arn:aws:rds:us-east-1:222222222222:db:db1"}]}"#)

        let withRegion = try InventoryLoader.load(path: tmp.path, options: LoadOptions(region: "us-east-1", account: "222222222222"))
        let types = Dictionary(grouping: withRegion.resources, by: { $0.type ?? "" }).mapValues(\.count)
        #expect(types == ["AWS::EC2::VPC": 1, "AWS::EC2::Subnet": 1, "AWS::EC2::SecurityGroup": 1, "AWS::EC2::LaunchTemplate": 1,
                          "AWS::IAM::Role": 2, "AWS::IAM::OIDCProvider": 1, "AWS::KMS::Key": 1, "AWS::EFS::FileSystem": 1,
                          "AWS::ECR::Repository": 1, "aws:rds:db": 1])
        #expect(withRegion.get("vpc-1")?.id == "arn:aws:ec2:us-east-1:222222222222:vpc/vpc-1")
        #expect(withRegion.get("vpc-1")?.name == "main")
        #expect(withRegion.get("vpc-1")?.tags == ["Name": "main"])
        #expect(withRegion.get("subnet-1")?.id == "arn:aws:ec2:us-east-1:222222222222:subnet/subnet-1")
        #expect(withRegion.get("sg-1")?.id == "arn:aws:ec2:us-east-1:222222222222:security-group/sg-1")
        #expect(withRegion.get("sg-1")?.name == "nodes")
        #expect(withRegion.get("lt-1")?.id == "arn:aws:ec2:us-east-1:222222222222:launch-template/lt-1")
        #expect(withRegion.get("AROA1")?.name == "node")
        #expect(withRegion.get("arn:aws:iam::222222222222:role/cp")?.tags == ["team": "a"])
        #expect(withRegion.get("arn:aws:iam::222222222222:role/cp")?.region == "us-east-1")
        #expect(withRegion.find(ResourceQuery(type: "AWS::IAM::OIDCProvider")).first?.name == "oidc.eks.us-east-1.amazonaws.com/id/ABC")
        #expect(withRegion.get("k-1")?.type == "AWS::KMS::Key")
        #expect(withRegion.get("fs-1")?.name == "shared")
        #expect(withRegion.get("222222222222.dkr.ecr.us-east-1.amazonaws.com/team/app")?.name == "team/app")
        #expect(withRegion.get("arn:aws:rds:us-east-1:222222222222:db:db1")?.document["DBInstanceIdentifier"] == "db1")

        // Without a region, ids fall back to native IDs (the VPC's OwnerId alone is not enough).
        let bare = try InventoryLoader.load(path: tmp.path)
        #expect(bare.get("vpc-1")?.id == "vpc-1")
        #expect(bare.get("vpc-1")?.identity == .aws(nil))
        #expect(bare.get("sg-1")?.id == "sg-1")
        #expect(bare.get("lt-1")?.id == "lt-1")
    }

    @Test func kubernetesListsAndCRDScopes() throws {
        let tmp = try TemporaryFolder()
        defer { tmp.remove() }
        try tmp.write("a-deployments.json", """
            {"apiVersion": "apps/v1", "kind": "DeploymentList", "items": [
              {"metadata": {"name": "a", "namespace": "ns1", "labels": {"app": "a"}}},
              {"metadata": {"name": "b"}}
            ]}
            """)
        try tmp.write("b-mixed.yaml", """
            apiVersion: v1
            kind: List
            items:
            - apiVersion: v1
              kind: ConfigMap
              metadata: {name: cm, namespace: ns1}
            - apiVersion: example.com/v1
              kind: Widget
              metadata: {name: w}
            - apiVersion: example.com/v1
              kind: Gizmo
              metadata: {name: g, namespace: ignored}
            - apiVersion: v1
              kind: Secret
              metadata: {generateName: token-}
            - apiVersion: v1
              kind: Secret
              metadata: {}
            """)
        try tmp.write("c-crds.yaml", """
            apiVersion: apiextensions.k8s.io/v1
            kind: CustomResourceDefinition
            metadata: {name: widgets.example.com}
            spec: {group: example.com, scope: Namespaced, names: {kind: Widget, plural: widgets}}
            ---
            apiVersion: apiextensions.k8s.io/v1
            kind: CustomResourceDefinition
            metadata: {name: gizmos.example.com}
            spec: {group: example.com, scope: Cluster, names: {kind: Gizmo, plural: gizmos}}
            """)
        let inv = try InventoryLoader.load(path: tmp.path, options: LoadOptions(cluster: "k"))
        #expect(inv.resources.map(\.id) == [
            "k8s://k/apps/Deployment/ns1/a",
            "k8s://k/apps/Deployment/default/b",
            "k8s://k/core/ConfigMap/ns1/cm",
            "k8s://k/example.com/Widget/default/w",     // the CRD, loaded later, says Namespaced
            "k8s://k/example.com/Gizmo/g",              // and Cluster here, whatever metadata says
            "k8s://k/core/Secret/default/token-",
            "k8s://k/apiextensions.k8s.io/CustomResourceDefinition/widgets.example.com",
            "k8s://k/apiextensions.k8s.io/CustomResourceDefinition/gizmos.example.com",
        ])
        #expect(inv.resources[0].document["kind"] == "Deployment" && inv.resources[0].document["apiVersion"] == "apps/v1")
        #expect(inv.resources[0].labels == ["app": "a"] && inv.resources[0].source.item == 0)
        #expect(inv.resources[3].source.item == 1 && inv.resources[3].source.line == 1)
        #expect(inv.notes.count == 1)
        #expect(inv.notes.first?.hasSuffix("b-mixed.yaml:1 (document 1, item 5): Secret without metadata.name skipped") == true)
    }

    @Test func folderWalkIsSortedRecursiveAndSkipsHiddenAndOtherFiles() throws {
        let tmp = try TemporaryFolder()
        defer { tmp.remove() }
        func cm(_ name: String) -> String { "{\"apiVersion\": \"v1\", \"kind\": \"ConfigMap\", \"metadata\": {\"name\": \"\(name)\"}}" }
        try tmp.write("b.json", cm("b"))
        try tmp.write("a/z.yml", "apiVersion: v1\nkind: ConfigMap\nmetadata: {name: az}\n")
        try tmp.write("a/y.yaml", cm("ay"))            // JSON inside a .yaml file
        try tmp.write(".hidden.json", cm("hidden"))
        try tmp.write(".git/c.json", cm("git"))
        try tmp.write("notes.txt", "not read")
        try tmp.write("README.md", "not read")
        let inv = try InventoryLoader.load(path: tmp.path, options: LoadOptions(cluster: "k"))
        #expect(inv.resources.map(\.name) == ["ay", "az", "b"])
        // A file named explicitly is read whatever its extension.
        let txt = try tmp.write("explicit.txt", cm("txt"))
        #expect(try InventoryLoader.load(path: txt, options: LoadOptions(cluster: "k")).resources.map(\.name) == ["txt"])
    }

    @Test func duplicateIDsAreShallowMergedWithANote() throws {
        let tmp = try TemporaryFolder()
        defer { tmp.remove() }
        let id = "/subscriptions/s/resourceGroups/rg/providers/Microsoft.Network/routeTables/rt"
        let first = try tmp.write("1.json", #"{"id": "\#(id)", "type": "Microsoft.Network/routeTables", "name": "rt", "location": "westus", "properties": {"routes": [1]}}"#)
        let second = try tmp.write("2.json", #"{"id": "\#(id.uppercased())", "type": "Microsoft.Network/routeTables", "name": "rt", "tags": {"a": "b"}, "properties": {"disableBgpRoutePropagation": true}}"#)
        let inv = try InventoryLoader.load(path: tmp.path)
        #expect(inv.count == 1)
        let r = try #require(inv.resources.first)
        #expect(r.document["location"] == "westus")
        #expect(r.document["tags"] == ["a": "b"])
        #expect(r.document["properties"] == ["disableBgpRoutePropagation": true])
        #expect(inv.notes.count == 1)
        #expect(inv.notes[0].contains(first) && inv.notes[0].contains(second))
    }

    // MARK: - Errors

    private func loadError(_ path: String, options: LoadOptions = LoadOptions()) -> String? {
        do {
            _ = try InventoryLoader.load(path: path, options: options)
            return nil
        } catch {
            return "\(error)"
        }
    }

    @Test func malformedInputNamesFileLineAndColumn() throws {
        let tmp = try TemporaryFolder()
        defer { tmp.remove() }
        let json = try tmp.write("aks.json", "{\n  \"id\": \"x\"\n  \"type\": \"y\"\n}")
        #expect(loadError(json) == "\(json):3:3: expected ',' or '}' after object member")
        let yaml = try tmp.write("app.yaml", "apiVersion: v1\nkind: [ConfigMap\n")
        #expect(loadError(yaml) == "\(yaml):3:1: did not find expected ',' or ']' (while parsing a flow sequence at line 2, column 7)")
        let rst = try tmp.write("ex.rst", "Title\n\nOutput::\n\n    {\n        \"cluster\": {\"name\": \"x\",}\n    }\n")
        #expect(loadError(rst) == "\(rst):6:33: expected a string key, found '}'")
    }

    @Test func unknownShapesAndMissingClustersAreExplained() throws {
        let tmp = try TemporaryFolder()
        defer { tmp.remove() }
        let unknown = try tmp.write("odd.yaml", "apiVersion: v1\nkind: ConfigMap\nmetadata: {name: ok}\n---\nfoo: 1\nbar: [2]\n")
        let message = try #require(loadError(unknown, options: LoadOptions(cluster: "k")))
        #expect(message.hasPrefix("\(unknown):5 (document 2): not a recognised resource document: an object with keys [foo, bar]. Accepted shapes: Kubernetes objects"))
        #expect(message.contains("aws-cli output"))
        let scalar = try tmp.write("s.json", "42")
        #expect(loadError(scalar)?.hasPrefix("\(scalar):1 (document 1): not a recognised resource document: a number at the top level.") == true)

        let kube = try tmp.write("cm.yaml", "apiVersion: v1\nkind: ConfigMap\nmetadata: {name: x}\n")
        #expect(loadError(kube) == "\(kube):1 (document 1): Kubernetes objects need a cluster. Pass the cluster name (`--cluster NAME`, or `{ cluster = \"NAME\" }` in standby.inventory.load) or describe the clusters in an estate.yaml (clusters: [{name, cloud, id, kubernetes: [paths]}]).")
        #expect(loadError(tmp.path + "/nope") == "\(tmp.path)/nope: no such file or directory")
    }

    // MARK: - Estates

    @Test func estateManifestAssignsClustersAndRegions() throws {
        let tmp = try TemporaryFolder()
        defer { tmp.remove() }
        try tmp.write("estate.yaml", """
            name: contoso-sample
            sources:
              - path: azure/
              - path: aws/
                region: us-east-1
                account: "111111111111"
            clusters:
              - name: aks-prod-weu
                cloud: azure
                id: /subscriptions/sub1/resourcegroups/rg-prod/providers/Microsoft.ContainerService/managedClusters/aks-prod-weu
                kubernetes: [kubernetes/aks-prod-weu/]
              - name: eks-prod-use1
                cloud: aws
                id: arn:aws:eks:us-east-1:111111111111:cluster/eks-prod-use1
                kubernetes: [kubernetes/eks-prod-use1/]
            """)
        try tmp.write("azure/aks.json", Self.azAksShow)
        try tmp.write("aws/cluster.json", #"{"cluster": {"name": "eks-prod-use1", "arn": "arn:aws:eks:us-east-1:111111111111:cluster/eks-prod-use1"}}"#)
        try tmp.write("aws/lts.json", #"{"LaunchTemplates": [{"LaunchTemplateId": "lt-9", "LaunchTemplateName": "t"}]}"#)
        try tmp.write("kubernetes/aks-prod-weu/app.yaml", "apiVersion: apps/v1\nkind: Deployment\nmetadata: {name: api, namespace: payments}\n")
        try tmp.write("kubernetes/eks-prod-use1/app.yaml", "apiVersion: apps/v1\nkind: Deployment\nmetadata: {name: api, namespace: payments}\n")
        try tmp.write("kubernetes/eks-prod-use1/.draft.yaml", "this: is hidden")

        // Loading the folder finds estate.yaml and follows it.
        let inv = try InventoryLoader.load(path: tmp.path)
        #expect(inv.clusters == [
            Cluster(name: "aks-prod-weu", cloud: .azure, controlPlaneID: Self.aksID),
            Cluster(name: "eks-prod-use1", cloud: .aws, controlPlaneID: "arn:aws:eks:us-east-1:111111111111:cluster/eks-prod-use1"),
        ])
        #expect(inv.get("k8s://aks-prod-weu/apps/Deployment/payments/api")?.cluster == "aks-prod-weu")
        #expect(inv.get("k8s://eks-prod-use1/apps/Deployment/payments/api")?.cluster == "eks-prod-use1")
        #expect(inv.get("lt-9")?.id == "arn:aws:ec2:us-east-1:111111111111:launch-template/lt-9")
        #expect(inv.find(ResourceQuery(kind: "Deployment")).count == 2)
        #expect(inv.summary.byCluster.mapValues(\.objects) == ["aks-prod-weu": 1, "eks-prod-use1": 1])
        #expect(inv.notes.isEmpty)
        // Loading the manifest file directly gives the same inventory.
        let direct = try InventoryLoader.load(path: tmp.path + "/estate.yaml")
        #expect(direct.resources.map(\.id) == inv.resources.map(\.id))
    }

    @Test func clusterGivenByOptionIsLinkedToItsControlPlane() throws {
        guard let path = Fixtures.path("eks/describe-cluster.rst") else { return }
        let tmp = try TemporaryFolder()
        defer { tmp.remove() }
        let cm = try tmp.write("cm.yaml", "apiVersion: v1\nkind: ConfigMap\nmetadata: {name: x}\n")
        let inv = try InventoryLoader.load(paths: [path, cm], options: LoadOptions(cluster: "my-eks-cluster"))
        #expect(inv.clusters == [Cluster(name: "my-eks-cluster", cloud: .aws, controlPlaneID: "arn:aws:eks:us-east-2:111122223333:cluster/my-eks-cluster")])
    }

    @Test func invalidEstatesAreRejected() throws {
        let tmp = try TemporaryFolder()
        defer { tmp.remove() }
        let bad = try tmp.write("one/estate.yaml", "clusters:\n  - name: x\n    cloud: gcp\n")
        #expect(loadError(bad) == "\(bad): invalid estate manifest: clusters[0] (x): cloud must be azure or aws, not 'gcp'")
        let noName = try tmp.write("two/estate.yaml", "clusters:\n  - cloud: aws\n")
        #expect(loadError(noName) == "\(noName): invalid estate manifest: clusters[0] needs a 'name'")
        let typo = try tmp.write("three/estate.yaml", "name: x\nclustres: []\n")
        #expect(loadError(typo) == "\(typo): invalid estate manifest: unknown key 'clustres' (expected name, sources, clusters)")
        let missingCP = try tmp.write("four/estate.yaml", "clusters:\n  - name: lone\n    id: arn:aws:eks:us-east-1:1:cluster/lone\n")
        let inv = try InventoryLoader.load(path: missingCP)
        #expect(inv.clusters == [Cluster(name: "lone", cloud: .aws, controlPlaneID: "arn:aws:eks:us-east-1:1:cluster/lone")])
        #expect(inv.notes == ["cluster lone: control plane arn:aws:eks:us-east-1:1:cluster/lone is not in the inventory"])
    }
}

extension Resource {
    /// Whether this resource is the first in `inventory` (load order check).
    func resourceIndexIsFirst(in inventory: Inventory) -> Bool { inventory.resources.first?.id == id }
}
