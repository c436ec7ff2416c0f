import Testing
@testable import StandbyCore

@Suite("Selection: cloud references")
struct SelectionCloudReferenceTests {
    static let vnet = "Microsoft.Network/virtualNetworks/vnet1"

    static func cluster(tags: String = "{}", agic: String = #""applicationGatewayId": "\#(armID("Microsoft.Network/applicationGateways/agw-byo"))""#) -> String {
        arm("Microsoft.ContainerService/managedClusters/aks1", properties: """
            {
              "agentPoolProfiles": [{"name": "system", "vnetSubnetID": "\(armID("\(vnet)/subnets/nodes"))",
                                     "podSubnetID": "\(armID("\(vnet)/subnets/pods"))"}],
              "identityProfile": {"kubeletidentity": {"resourceId": "\(armID("Microsoft.ManagedIdentity/userAssignedIdentities/kubelet"))"}},
              "apiServerAccessProfile": {"subnetId": "\(armID("\(vnet)/subnets/apiserver"))", "privateDNSZone": "system"},
              "diskEncryptionSetID": "\(armID("Microsoft.Compute/diskEncryptionSets/des1"))",
              "networkProfile": {"loadBalancerProfile": {
                  "outboundIPs": {"publicIPs": [{"id": "\(armID("Microsoft.Network/publicIPAddresses/out1"))"}]},
                  "outboundIPPrefixes": {"publicIPPrefixes": [{"id": "\(armID("Microsoft.Network/publicIPPrefixes/prefix1"))"}]},
                  "effectiveOutboundIPs": [{"id": "\(armID("Microsoft.Network/publicIPAddresses/service-set"))"}]}},
              "securityProfile": {
                  "azureKeyVaultKms": {"enabled": true, "keyId": "https://kv-kms.vault.azure.net/keys/k/1",
                                       "keyVaultResourceId": "\(armID("Microsoft.KeyVault/vaults/kv-kms"))"},
                  "defender": {"logAnalyticsWorkspaceResourceId": "\(armID("Microsoft.OperationalInsights/workspaces/law-defender"))"}},
              "addonProfiles": {
                  "omsagent": {"enabled": true, "config": {"logAnalyticsWorkspaceResourceID": "\(armID("Microsoft.OperationalInsights/workspaces/law-ci"))"}},
                  "ingressApplicationGateway": {"enabled": true, "config": {\(agic),
                      "effectiveApplicationGatewayId": "\(armID("Microsoft.Network/applicationGateways/agw-managed"))"}}},
              "ingressProfile": {"webAppRouting": {"enabled": true, "dnsZoneResourceIds": [
                  "\(armID("Microsoft.Network/dnsZones/example.com"))", "\(armID("Microsoft.Network/privateDnsZones/internal.example"))"]}},
              "serviceMeshProfile": {"istio": {"certificateAuthority": {"plugin": {"keyVaultId": "\(armID("Microsoft.KeyVault/vaults/kv-istio"))"}}}},
              "podIdentityProfile": {"enabled": true, "userAssignedIdentities": [
                  {"name": "pi", "namespace": "ns", "identity": {"resourceId": "\(armID("Microsoft.ManagedIdentity/userAssignedIdentities/pod-id"))"}}]}
            }
            """, extra: """
            , "identity": {"type": "UserAssigned", "userAssignedIdentities": {"\(armID("Microsoft.ManagedIdentity/userAssignedIdentities/cp"))": {}}},
              "tags": \(tags)
            """)
    }

    static let everything: [String] = [
        arm(vnet, properties: #"{"addressSpace": {"addressPrefixes": ["10.0.0.0/8"]}}"#),
        arm("\(vnet)/subnets/nodes"), arm("\(vnet)/subnets/pods"), arm("\(vnet)/subnets/apiserver"),
        arm("Microsoft.ManagedIdentity/userAssignedIdentities/kubelet"), arm("Microsoft.ManagedIdentity/userAssignedIdentities/cp"),
        arm("Microsoft.ManagedIdentity/userAssignedIdentities/pod-id"),
        arm("Microsoft.Compute/diskEncryptionSets/des1"), arm("Microsoft.Network/publicIPAddresses/out1"),
        arm("Microsoft.Network/publicIPAddresses/service-set"), arm("Microsoft.Network/publicIPPrefixes/prefix1"),
        arm("Microsoft.KeyVault/vaults/kv-kms"), arm("Microsoft.KeyVault/vaults/kv-istio"),
        arm("Microsoft.OperationalInsights/workspaces/law-defender"), arm("Microsoft.OperationalInsights/workspaces/law-ci"),
        arm("Microsoft.Network/applicationGateways/agw-byo"), arm("Microsoft.Network/applicationGateways/agw-managed"),
        arm("Microsoft.Network/dnsZones/example.com"), arm("Microsoft.Network/privateDnsZones/internal.example"),
    ]

    @Test func managedClusterReferences() throws {
        let inv = try TestEstate.aks(azure: ["[" + (Self.everything + [Self.cluster()]).joined(separator: ",\n") + "]"]).load()
        #expect(referenceLines(inv, TestEstate.aksID) == [
            "AGIC application gateway → applicationGateways agw-byo",
            "API server subnet → subnets apiserver",
            "Container Insights workspace → workspaces law-ci",
            "Defender workspace → workspaces law-defender",
            "Istio CA key vault → vaults kv-istio",
            "KMS key vault → vaults kv-kms",
            "KMS key → vaults kv-kms",    // no vaults/keys resource: the key URL resolves to its vault
            "agent pool → agentPools system",
            "control-plane identity → userAssignedIdentities cp",
            "disk encryption set → diskEncryptionSets des1",
            "kubelet identity → userAssignedIdentities kubelet",
            "node subnet → subnets nodes",
            "outbound IP prefix → publicIPPrefixes prefix1",
            "outbound public IP → publicIPAddresses out1",
            "pod identity → userAssignedIdentities pod-id",
            "pod subnet → subnets pods",
            "web app routing DNS zone → dnszones example.com",
            "web app routing DNS zone → privateDnsZones internal.example",
        ])
        // Agent pools (synthesized from the inline profile by the loader) point back and at their subnets.
        #expect(referenceLines(inv, armID("Microsoft.ContainerService/managedClusters/aks1/agentPools/system")) == [
            "managed cluster → managedClusters aks1", "node subnet → subnets nodes", "pod subnet → subnets pods",
        ])
        // A subnet pulls in its VNet.
        #expect(referenceLines(inv, armID("\(Self.vnet)/subnets/nodes")) == ["virtual network → virtualNetworks vnet1"])
        let s = select(SelectionRequest(roots: [TestEstate.aksID]), in: inv)
        #expect(s.contains(armID(Self.vnet)))
        #expect(!s.contains(armID("Microsoft.Network/publicIPAddresses/service-set")))
        #expect(!s.contains(armID("Microsoft.Network/applicationGateways/agw-managed")))
        #expect(s.dangling.isEmpty)
        #expect(s.explain(armID(Self.vnet)) == "managedClusters aks1 → API server subnet → subnets apiserver → virtual network → virtualNetworks vnet1")
        #expect(s.explain(armID("Microsoft.ContainerService/managedClusters/aks1/agentPools/system"))
                == "managedClusters aks1 → agent pool → agentPools system")
    }

    @Test func aksManagedApplicationGatewayWhenNoBYO() throws {
        let inv = try TestEstate.aks(azure: ["[" + (Self.everything + [Self.cluster(agic: #""enabled": true"#)]).joined(separator: ",") + "]"]).load()
        #expect(referenceLines(inv, TestEstate.aksID).filter { $0.hasPrefix("AGIC") } == [
            "AGIC application gateway → applicationGateways agw-managed",
        ])
    }

    @Test func missingClusterReferencesAreDanglingWithPaths() throws {
        let inv = try TestEstate.aks(azure: ["[" + Self.cluster() + "]"]).load()
        let s = select(SelectionRequest(roots: [TestEstate.aksID.uppercased()]), in: inv)
        #expect(s.unknownRoots.isEmpty)
        let byPath = Dictionary(uniqueKeysWithValues: s.dangling.map { ($0.path, $0) })
        let kms = try #require(byPath["properties.securityProfile.azureKeyVaultKms.keyVaultResourceId"])
        #expect(kms.relation == "KMS key vault")
        #expect(kms.target == armID("Microsoft.KeyVault/vaults/kv-kms"))
        #expect(kms.expectedType == "Microsoft.KeyVault/vaults")
        #expect(kms.from == TestEstate.aksID)
        #expect(byPath["identity.userAssignedIdentities.\(armID("Microsoft.ManagedIdentity/userAssignedIdentities/cp"))"] != nil)
        #expect(byPath["properties.agentPoolProfiles[0].vnetSubnetID"] != nil)
        // The synthesized pool's subnet reference is dangling from the pool too.
        #expect(s.dangling.contains { $0.from.hasSuffix("/agentPools/system") && $0.path == "properties.vnetSubnetID" })
        #expect(s.dangling.count == 19)  // 15 cluster references (KMS key URL too), 2 inline pool subnets, the pool's 2
    }

    @Test(arguments: [
        ("https://kv-secrets.vault.azure.net/secrets/winpw", "admin password secret → secrets winpw"),
        ("https://kv-secrets.vault.azure.net/secrets/winpw/0123abcd", "admin password secret → secrets winpw"),
        ("https://kv-secrets.vault.azure.net/secrets/other", "admin password secret → vaults kv-secrets"),
        ("https://kv-elsewhere.vault.azure.net/secrets/winpw", "admin password secret ✗ https://kv-elsewhere.vault.azure.net/secrets/winpw"),
    ])
    func adminPasswordSecretTag(url: String, expected: String) throws {
        let docs = [Self.cluster(tags: #"{"arpio-config:admin-password-secret": "\#(url)"}"#),
                    arm("Microsoft.KeyVault/vaults/kv-secrets"), arm("Microsoft.KeyVault/vaults/kv-secrets/secrets/winpw"),
                    arm("Microsoft.KeyVault/vaults/kv-other"), arm("Microsoft.KeyVault/vaults/kv-other/secrets/winpw")]
        let inv = try TestEstate.aks(azure: ["[" + docs.joined(separator: ",") + "]"]).load()
        #expect(referenceLines(inv, TestEstate.aksID).filter { $0.hasPrefix("admin") } == [expected])
    }

    @Test func agentPoolReferences() throws {
        let pool = arm("Microsoft.ContainerService/managedClusters/aks1/agentPools/gpu", properties: """
            {"vnetSubnetID": "\(armID("\(Self.vnet)/subnets/nodes"))",
             "networkProfile": {"applicationSecurityGroups": ["\(armID("Microsoft.Network/applicationSecurityGroups/asg1"))"]},
             "proximityPlacementGroupID": "\(armID("Microsoft.Compute/proximityPlacementGroups/ppg1"))",
             "capacityReservationGroupID": "\(armID("Microsoft.Compute/capacityReservationGroups/crg1"))",
             "hostGroupID": "\(armID("Microsoft.Compute/hostGroups/hg1"))",
             "nodePublicIPPrefixID": "\(armID("Microsoft.Network/publicIPPrefixes/nodeprefix"))",
             "creationData": {"sourceResourceId": "\(armID("Microsoft.ContainerService/snapshots/snap1"))"}}
            """)
        // The subnet exists only inline in its VNet: the reference resolves to the VNet.
        let vnet = arm(Self.vnet, properties: #"{"subnets": [{"name": "nodes", "properties": {}}]}"#)
        let docs = [pool, vnet, arm("Microsoft.Network/applicationSecurityGroups/asg1"),
                    arm("Microsoft.Compute/proximityPlacementGroups/ppg1"), arm("Microsoft.Compute/capacityReservationGroups/crg1"),
                    arm("Microsoft.Compute/hostGroups/hg1"), arm("Microsoft.Network/publicIPPrefixes/nodeprefix")]
        let inv = try TestEstate.aks(azure: ["[" + docs.joined(separator: ",") + "]"]).load()
        #expect(referenceLines(inv, armID("Microsoft.ContainerService/managedClusters/aks1/agentPools/gpu")) == [
            "application security group → applicationSecurityGroups asg1",
            "capacity reservation group → capacityReservationGroups crg1",
            "dedicated host group → hostGroups hg1",
            "managed cluster ✗ \(TestEstate.aksID)",
            "node public IP prefix → publicIPPrefixes nodeprefix",
            "node subnet → virtualNetworks vnet1",
            "proximity placement group → proximityPlacementGroups ppg1",
            "source snapshot ✗ \(armID("Microsoft.ContainerService/snapshots/snap1"))",
        ])
    }

    // MARK: EKS

    static let eksARN = "arn:aws:eks:us-east-1:111111111111:cluster/prod"

    static let eksDocs: [String] = [
        #"""
        {"cluster": {"name": "prod", "arn": "arn:aws:eks:us-east-1:111111111111:cluster/prod",
          "roleArn": "arn:aws:iam::111111111111:role/eks-cluster",
          "resourcesVpcConfig": {"subnetIds": ["subnet-a", "subnet-b"], "securityGroupIds": ["sg-extra"],
                                 "clusterSecurityGroupId": "sg-cluster", "vpcId": "vpc-1"},
          "encryptionConfig": [{"resources": ["secrets"], "provider": {"keyArn": "arn:aws:kms:us-east-1:111111111111:key/k1"}}],
          "identity": {"oidc": {"issuer": "https://oidc.eks.us-east-1.amazonaws.com/id/ABC123"}}}}
        """#,
        #"""
        {"nodegroup": {"nodegroupName": "general", "clusterName": "prod",
          "nodegroupArn": "arn:aws:eks:us-east-1:111111111111:nodegroup/prod/general/1",
          "nodeRole": "arn:aws:iam::111111111111:role/eks-node", "subnets": ["subnet-a"],
          "remoteAccess": {"ec2SshKey": "k", "sourceSecurityGroups": ["sg-ssh"]},
          "launchTemplate": {"name": "lt-general", "version": "1"}}}
        """#,
        #"""
        {"nodegroup": {"nodegroupName": "other-cluster", "clusterName": "staging",
          "nodegroupArn": "arn:aws:eks:us-east-1:111111111111:nodegroup/staging/other-cluster/1",
          "nodeRole": "arn:aws:iam::111111111111:role/eks-node", "subnets": ["subnet-a"]}}
        """#,
        #"""
        {"fargateProfile": {"fargateProfileName": "fp", "clusterName": "prod",
          "fargateProfileArn": "arn:aws:eks:us-east-1:111111111111:fargateprofile/prod/fp/1",
          "podExecutionRoleArn": "arn:aws:iam::111111111111:role/fargate-exec", "subnets": ["subnet-b"]}}
        """#,
        #"{"Subnets": [{"SubnetId": "subnet-a", "VpcId": "vpc-1", "OwnerId": "111111111111"}, {"SubnetId": "subnet-b", "VpcId": "vpc-1", "OwnerId": "111111111111"}]}"#,
        #"{"Vpcs": [{"VpcId": "vpc-1", "OwnerId": "111111111111"}]}"#,
        #"{"SecurityGroups": [{"GroupId": "sg-extra", "GroupName": "extra", "VpcId": "vpc-1", "OwnerId": "111111111111"}, {"GroupId": "sg-ssh", "GroupName": "ssh", "VpcId": "vpc-1", "OwnerId": "111111111111"}]}"#,
        #"{"Roles": [{"RoleName": "eks-cluster", "Arn": "arn:aws:iam::111111111111:role/eks-cluster"}, {"RoleName": "eks-node", "Arn": "arn:aws:iam::111111111111:role/eks-node"}, {"RoleName": "fargate-exec", "Arn": "arn:aws:iam::111111111111:role/fargate-exec"}]}"#,
        #"{"OpenIDConnectProviderList": [{"Arn": "arn:aws:iam::111111111111:oidc-provider/oidc.eks.us-east-1.amazonaws.com/id/ABC123"}, {"Arn": "arn:aws:iam::111111111111:oidc-provider/oidc.eks.us-east-1.amazonaws.com/id/OTHER"}]}"#,
        #"{"KeyMetadata": {"KeyId": "k1", "Arn": "arn:aws:kms:us-east-1:111111111111:key/k1"}}"#,
        #"{"LaunchTemplates": [{"LaunchTemplateId": "lt-0abc", "LaunchTemplateName": "lt-general"}]}"#,
    ]

    @Test func eksClusterNodeGroupAndFargateReferences() throws {
        var e = TestEstate()
        e.aws = Self.eksDocs
        e.clusters = [.init(name: "prod", cloud: "aws", id: Self.eksARN, kubernetes: ["""
            apiVersion: v1
            kind: Namespace
            metadata: {name: kube-system}
            ---
            apiVersion: v1
            kind: ConfigMap
            metadata: {name: coredns, namespace: kube-system}
            ---
            apiVersion: v1
            kind: ConfigMap
            metadata: {name: app, namespace: apps}
            """])]
        let inv = try e.load()
        #expect(referenceLines(inv, Self.eksARN) == [
            "Fargate profile → EKS::FargateProfile fp",
            "OIDC provider → IAM::OIDCProvider oidc.eks.us-east-1.amazonaws.com/id/ABC123",
            "VPC → EC2::VPC vpc-1",
            "cluster role → IAM::Role eks-cluster",
            "cluster security group ✗ sg-cluster",
            "cluster-scoped object → Namespace kube-system",
            "kube-system → ConfigMap kube-system/coredns",
            "node group → EKS::Nodegroup general",
            "secrets encryption key → KMS::Key k1",
            "security group → EC2::SecurityGroup extra",
            "subnet → EC2::Subnet subnet-a",
            "subnet → EC2::Subnet subnet-b",
        ])
        #expect(referenceLines(inv, "arn:aws:eks:us-east-1:111111111111:nodegroup/prod/general/1") == [
            "cluster → EKS::Cluster prod",
            "launch template → EC2::LaunchTemplate lt-general",
            "node role → IAM::Role eks-node",
            "remote access security group → EC2::SecurityGroup ssh",
            "subnet → EC2::Subnet subnet-a",
        ])
        #expect(referenceLines(inv, "arn:aws:eks:us-east-1:111111111111:fargateprofile/prod/fp/1") == [
            "cluster → EKS::Cluster prod",
            "pod execution role → IAM::Role fargate-exec",
            "subnet → EC2::Subnet subnet-b",
        ])
        #expect(referenceLines(inv, "subnet-a") == ["VPC → EC2::VPC vpc-1"])
        let s = select(SelectionRequest(roots: ["prod"]), in: inv)
        #expect(s.inclusion(of: Self.eksARN) == .selected(.root))
        #expect(!s.contains("arn:aws:eks:us-east-1:111111111111:nodegroup/staging/other-cluster/1"))
        #expect(!s.contains(k("core/ConfigMap/apps/app", cluster: "prod")))
        #expect(s.explain(k("core/ConfigMap/kube-system/coredns", cluster: "prod"))
                == "EKS::Cluster prod → kube-system → ConfigMap kube-system/coredns")
        #expect(s.dangling.map(\.target) == ["sg-cluster"])
    }
}
