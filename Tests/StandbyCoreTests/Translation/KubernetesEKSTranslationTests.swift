import Testing
@testable import StandbyCore

/// Built-in translations inside Kubernetes objects and of EKS resources, on the sample estate,
/// with exact before/after values and the names of the built-ins that made them.
@Suite struct KubernetesEKSTranslationTests {
    /// The recovery account's network, as an operator maps it (`standby.map_id` in the drill).
    static let awsOverrides: [String: String] = [
        "subnet-0b1c2d3e4f5a60718": "subnet-0a0000000000000a1", "subnet-0c2d3e4f5a6b70819": "subnet-0a0000000000000b2",
        "subnet-0d3e4f5a6b7c8091a": "subnet-0a0000000000000c3", "subnet-0e4f5a6b7c8d9012b": "subnet-0a0000000000000d4",
        "sg-0b8c7d6e5f4a30211": "sg-0b0000000000000a1", "sg-0d6e5f4a3b2c1f009": "sg-0b0000000000000b2",
        "vpc-0a3c5e7f9b1d24680": "vpc-0c0000000000000a1",
        "fs-0a1b2c3d4e5f67890": "fs-0d0000000000000a1", "fsap-0f9e8d7c6b5a43210": "fsap-0d0000000000000b2",
        "arn:aws:acm:us-east-1:111111111111:certificate/4f6e2a1b-8c3d-4e5f-9a0b-1c2d3e4f5a6b":
            "arn:aws:acm:us-west-2:999988887777:certificate/9a8b7c6d-0000-4000-8000-000000000001",
    ]

    static func k8s(_ t: Translation, _ cluster: String, _ path: String) throws -> TranslatedResource {
        try #require(t.resource("k8s://\(cluster)/\(path)"), "no \(path)")
    }

    static func change(_ r: TranslatedResource, _ path: String) -> TranslationChange? {
        r.changes.first { $0.path == path }
    }

    @Test func awsAuthRolesAndUsersPointAtTheRecoveryAccount() throws {
        let t = try SampleEstate.translate()
        let cm = try Self.k8s(t, "eks-prod-use1", "core/ConfigMap/kube-system/aws-auth")
        let roles = try #require(cm.document["data"]?["mapRoles"]?.stringValue)
        #expect(roles.contains("- rolearn: arn:aws:iam::999988887777:role/eks-prod-use1-node-role\n"))
        #expect(roles.contains("- rolearn: arn:aws:iam::999988887777:role/eks-prod-use1-fargate-pod-execution\n"))
        #expect(roles.contains("- rolearn: arn:aws:iam::999988887777:role/platform-admin\n"))
        #expect(!roles.contains("111111111111"))
        #expect(Self.change(cm, "data.mapRoles")?.by == "built-in: IAM role in aws-auth")
        #expect(cm.document["data"]?["mapUsers"]?.stringValue?.contains("userarn: arn:aws:iam::999988887777:user/ci-deployer") == true)
        #expect(Self.change(cm, "data.mapUsers")?.by == "built-in: IAM user in aws-auth")
        #expect(cm.recoveryID == "k8s://eks-prod-use1/core/ConfigMap/kube-system/aws-auth")
    }

    @Test func irsaAnnotationsAndImages() throws {
        let t = try SampleEstate.translate()
        let sa = try Self.k8s(t, "eks-prod-use1", "core/ServiceAccount/orders/orders-api")
        let c = try #require(Self.change(sa, "metadata.annotations.eks.amazonaws.com/role-arn"))
        #expect(c.before == "arn:aws:iam::111111111111:role/orders-api-irsa")
        #expect(c.after == "arn:aws:iam::999988887777:role/orders-api-irsa")
        #expect(c.by == "built-in: IRSA role annotation")

        let api = try Self.k8s(t, "eks-prod-use1", "apps/Deployment/orders/orders-api")
        let own = try #require(Self.change(api, "spec.template.spec.containers[0].image"))
        #expect(own.after == "999988887777.dkr.ecr.us-west-2.amazonaws.com/orders/api:1.4.2")
        #expect(own.by == "built-in: ECR image of the primary account")
        // Another account's ECR image and Docker Hub images are carried as they are, and the
        // report says why for the ECR one.
        #expect(api.document[path: [.key("spec"), .key("template"), .key("spec"), .key("containers"), .index(1), .key("image")]]
                == "222233334444.dkr.ecr.us-east-1.amazonaws.com/shared/nginx:1.25")
        #expect(api.untranslated.contains { $0.path == "spec.template.spec.containers[1].image" && $0.reason.contains("222233334444") })
        #expect(Self.change(api, "spec.template.spec.containers[1].image") == nil)
    }

    @Test func efsVolumeHandlesAndALBAnnotationsFollowTheOperatorsMap() throws {
        let t = try SampleEstate.translate(overrides: Self.awsOverrides)
        let pv = try Self.k8s(t, "eks-prod-use1", "core/PersistentVolume/orders-uploads-efs")
        let h = try #require(Self.change(pv, "spec.csi.volumeHandle"))
        #expect(h.before == "fs-0a1b2c3d4e5f67890::fsap-0f9e8d7c6b5a43210")
        #expect(h.after == "fs-0d0000000000000a1::fsap-0d0000000000000b2")
        #expect(h.by == "built-in: EFS volume")

        let ing = try Self.k8s(t, "eks-prod-use1", "networking.k8s.io/Ingress/orders/orders-api")
        let a = "metadata.annotations.alb.ingress.kubernetes.io/"
        #expect(Self.change(ing, a + "subnets")?.after == "subnet-0a0000000000000c3, subnet-0a0000000000000d4")
        #expect(Self.change(ing, a + "security-groups")?.after == "sg-0b0000000000000b2")
        #expect(Self.change(ing, a + "certificate-arn")?.after
                == "arn:aws:acm:us-west-2:999988887777:certificate/9a8b7c6d-0000-4000-8000-000000000001")
        #expect(Self.change(ing, a + "subnets")?.by == "built-in: ALB annotation")
        // No map for the WAF ACL: kept, and the report says what to do.
        #expect(ing.untranslated.contains { $0.path == a + "wafv2-acl-arn" && $0.reason.contains("standby.map_id") })
    }

    @Test func withoutAnOverrideEFSAndSubnetsAreKeptWithAReason() throws {
        let t = try SampleEstate.translate()
        let pv = try Self.k8s(t, "eks-prod-use1", "core/PersistentVolume/orders-shared-efs")
        #expect(pv.document["spec"]?["csi"]?["volumeHandle"] == .string("fs-0a1b2c3d4e5f67890"))
        #expect(pv.untranslated.contains { $0.path == "spec.csi.volumeHandle" && $0.reason.contains("EFS file system") })
    }

    @Test func azureIDsInManifestsAndKeyVaultNames() throws {
        let t = try SampleEstate.translate()
        let pv = try Self.k8s(t, "aks-prod-weu", "core/PersistentVolume/pv-ledger-archive")
        let h = try #require(Self.change(pv, "spec.csi.volumeHandle"))
        #expect(h.after?.stringValue == "/subscriptions/\(SampleEstate.recoverySubscription)/resourceGroups/MC_rg-payments-dr_aks-prod-weu_northeurope/providers/microsoft.compute/disks/disk-payments-ledger-archive")
        #expect(h.by == "built-in: Azure disk")
        #expect(Self.change(pv, "spec.nodeAffinity.required.nodeSelectorTerms[0].matchExpressions[0].values[0]")?.after == "northeurope-1")

        let ing = try Self.k8s(t, "aks-prod-weu", "networking.k8s.io/Ingress/payments/api")
        let waf = try #require(Self.change(ing, "metadata.annotations.appgw.ingress.kubernetes.io/waf-policy-for-path"))
        #expect(waf.by == "built-in: AGIC annotation")
        #expect((waf.after?.stringValue ?? "").hasPrefix("/subscriptions/\(SampleEstate.recoverySubscription)/resourceGroups/rg-network-prod/"))

        let spc = try Self.k8s(t, "aks-prod-weu", "secrets-store.csi.x-k8s.io/SecretProviderClass/payments/payments-kv")
        #expect(Self.change(spc, "spec.parameters.keyvaultName")?.after == "kv-payments-csi-dr")
        #expect(Self.change(spc, "spec.parameters.keyvaultName")?.by == "built-in: Key Vault name")
        #expect(Self.change(spc, "spec.parameters.tenantId")?.after == "5e1f2d3c-4b5a-4968-8776-a5b4c3d2e1f0")
        let cm = try Self.k8s(t, "aks-prod-weu", "core/ConfigMap/payments/api-config")
        #expect(Self.change(cm, "data.KEYVAULT_URL")?.after == "https://kv-payments-csi-dr.vault.azure.net/")
    }

    @Test func secretsAreNeverRewritten() throws {
        let t = try SampleEstate.translate()
        let secrets = t.resources.filter { $0.source.kind == "Secret" }
        #expect(secrets.count >= 8)
        for s in secrets {
            #expect(s.changes.isEmpty, "\(s.source.display) was changed")
            #expect(s.document == s.source.document)
            #expect(s.untranslated.contains { $0.path == "data" && $0.reason.contains("encrypted") })
        }
    }

    @Test func eksClusterNodeGroupsAndFargateProfiles() throws {
        let t = try SampleEstate.translate(overrides: Self.awsOverrides)
        let cluster = try #require(t.resource(SampleEstate.eksARN))
        #expect(cluster.recoveryID == "arn:aws:eks:us-west-2:999988887777:cluster/eks-prod-use1")
        #expect(Self.change(cluster, "roleArn")?.after == "arn:aws:iam::999988887777:role/eks-prod-use1-cluster-role")
        #expect(Self.change(cluster, "roleArn")?.by == "built-in: cluster role")
        #expect(cluster.document["resourcesVpcConfig"]?["subnetIds"]
                == ["subnet-0a0000000000000a1", "subnet-0a0000000000000b2", "subnet-0a0000000000000c3", "subnet-0a0000000000000d4"])
        // Carried unchanged, as the EKS table says: name, version, logging, endpoint access, CIDRs.
        for key in ["name", "version", "logging", "kubernetesNetworkConfig", "tags"] {
            #expect(cluster.document[key] == cluster.source.document[key], "\(key) changed")
        }
        for key in ["endpointPublicAccess", "endpointPrivateAccess", "publicAccessCidrs"] {
            #expect(cluster.document["resourcesVpcConfig"]?[key] == cluster.source.document["resourcesVpcConfig"]?[key])
        }
        #expect(cluster.untranslated.contains { $0.path.hasPrefix("encryptionConfig[0]") && $0.reason.contains("without translation") })

        let ng = try #require(t.resources.first { $0.source.type == "AWS::EKS::Nodegroup" && $0.source.name == "ng-batch-spot" })
        #expect(ng.recoveryID == "arn:aws:eks:us-west-2:999988887777:nodegroup/eks-prod-use1/ng-batch-spot")
        #expect(Self.change(ng, "remoteAccess.sourceSecurityGroups[0]")?.after == "sg-0b0000000000000a1")
        #expect(Self.change(ng, "remoteAccess.sourceSecurityGroups[0]")?.by == "built-in: remote access security group")
        #expect(Self.change(ng, "subnets[0]")?.by == "built-in: subnet")
        #expect(ng.document["scalingConfig"] == ng.source.document["scalingConfig"])
        #expect(ng.document["instanceTypes"] == ng.source.document["instanceTypes"])

        let fp = try #require(t.resources.first { $0.source.type == "AWS::EKS::FargateProfile" && $0.source.name == "fp-orders-batch" })
        #expect(Self.change(fp, "podExecutionRoleArn")?.after == "arn:aws:iam::999988887777:role/eks-prod-use1-fargate-pod-execution")
        #expect(Self.change(fp, "podExecutionRoleArn")?.by == "built-in: pod execution role")
        #expect(fp.document["subnets"] == ["subnet-0a0000000000000a1", "subnet-0a0000000000000b2"])
        #expect(fp.document["selectors"] == fp.source.document["selectors"])
    }

    @Test func irsaTrustPoliciesWaitForTheRecoveryClustersIssuer() throws {
        let t = try SampleEstate.translate()
        let role = try #require(t.resources.first { $0.source.type == "AWS::IAM::Role" && $0.source.name == "orders-api-irsa" })
        #expect(role.document["AssumeRolePolicyDocument"] == role.source.document["AssumeRolePolicyDocument"])
        #expect(role.untranslated.contains { $0.reason.contains("OIDC issuer") })
    }
}

/// The AKS-managed VNet promoted to BYO drops what AKS owns.
@Suite struct PromotedNetworkTests {
    @Test func promotedVNetLosesAKSOwnershipAndTheManagedNSG() throws {
        let t = try SampleEstate.translate()
        let vnet = try #require(t.resource("/subscriptions/\(SampleEstate.subscription)/resourceGroups/MC_rg-payments-prod_aks-prod-weu_westeurope/providers/Microsoft.Network/virtualNetworks/aks-vnet-12345678"))
        #expect(vnet.recoveryID == "/subscriptions/\(SampleEstate.recoverySubscription)/resourceGroups/rg-payments-dr/providers/Microsoft.Network/virtualNetworks/aks-vnet-12345678")
        #expect(vnet.document["tags"]?["created-by"] == nil)
        #expect(vnet.document["tags"]?["aks-managed-cluster-name"] == nil)
        let subnet = try #require(vnet.document["properties"]?["subnets"]?[0])
        #expect(subnet["properties"]?["networkSecurityGroup"] == nil)
        #expect(subnet["properties"]?["addressPrefix"] == "10.224.0.0/16")
        #expect(subnet["id"]?.stringValue == vnet.recoveryID! + "/subnets/aks-subnet")
        #expect(vnet.changes.contains { $0.path == "properties.subnets[0].properties.networkSecurityGroup"
            && $0.by == "built-in: AKS-managed VNet promoted to BYO (AKS-managed networkSecurityGroup left to AKS)" })
    }
}
