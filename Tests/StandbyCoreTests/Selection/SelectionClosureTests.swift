import Foundation
import Testing
@testable import StandbyCore

/// The exact closure of each sample-estate cluster selected alone: what the reference's
/// "Automatic Dependency Selection" lists (pools, network, keys, workspaces, gateway, DNS zones,
/// identities, the admin-password secret, cluster-scoped objects and kube-system, disks behind
/// PVs) and nothing else. Reviewed by hand against scripts/estate/README.md.
@Suite("Selection: exact closure of the sample estate's clusters")
struct SelectionClosureTests {
    static let sub = "/subscriptions/8f3c2a1e-5b7d-4c9a-9e21-3d6f0a4b7c15"

    static let aksClosure: Set<String> = {
        let sub = SelectionClosureTests.sub
        var closure: Set<String> = [
            sub + "/resourceGroups/DefaultResourceGroup-WEU/providers/Microsoft.OperationalInsights/workspaces/DefaultWorkspace-8f3c2a1e-5b7d-4c9a-9e21-3d6f0a4b7c15-WEU",
            sub + "/resourceGroups/MC_rg-payments-prod_aks-prod-weu_westeurope/providers/Microsoft.Compute/disks/disk-payments-ledger-archive",
            sub + "/resourceGroups/MC_rg-payments-prod_aks-prod-weu_westeurope/providers/Microsoft.Compute/disks/pvc-4e2b8a61-93c7-4d0f-8b25-7f1a6c3e9d02",
            sub + "/resourceGroups/MC_rg-payments-prod_aks-prod-weu_westeurope/providers/Microsoft.Compute/disks/pvc-b7d3f019-26a8-4c5e-9e41-0d8c2a7f5b13",
            sub + "/resourceGroups/MC_rg-payments-prod_aks-prod-weu_westeurope/providers/Microsoft.ManagedIdentity/userAssignedIdentities/aciconnectorlinux-aks-prod-weu",
            sub + "/resourceGroups/MC_rg-payments-prod_aks-prod-weu_westeurope/providers/Microsoft.ManagedIdentity/userAssignedIdentities/aks-prod-weu-agentpool",
            sub + "/resourceGroups/MC_rg-payments-prod_aks-prod-weu_westeurope/providers/Microsoft.ManagedIdentity/userAssignedIdentities/azurekeyvaultsecretsprovider-aks-prod-weu",
            sub + "/resourceGroups/MC_rg-payments-prod_aks-prod-weu_westeurope/providers/Microsoft.ManagedIdentity/userAssignedIdentities/azurepolicy-aks-prod-weu",
            sub + "/resourceGroups/MC_rg-payments-prod_aks-prod-weu_westeurope/providers/Microsoft.ManagedIdentity/userAssignedIdentities/ingressapplicationgateway-aks-prod-weu",
            sub + "/resourceGroups/MC_rg-payments-prod_aks-prod-weu_westeurope/providers/Microsoft.ManagedIdentity/userAssignedIdentities/omsagent-aks-prod-weu",
            sub + "/resourceGroups/MC_rg-payments-prod_aks-prod-weu_westeurope/providers/Microsoft.ManagedIdentity/userAssignedIdentities/webapprouting-aks-prod-weu",
            sub + "/resourceGroups/MC_rg-payments-prod_aks-prod-weu_westeurope/providers/Microsoft.Network/applicationGateways/agw-aks-prod-weu",
            sub + "/resourceGroups/MC_rg-payments-prod_aks-prod-weu_westeurope/providers/Microsoft.Network/networkSecurityGroups/aks-agentpool-12345678-nsg",
            sub + "/resourceGroups/MC_rg-payments-prod_aks-prod-weu_westeurope/providers/Microsoft.Network/publicIPAddresses/agw-aks-prod-weu-appgwpip",
            sub + "/resourceGroups/MC_rg-payments-prod_aks-prod-weu_westeurope/providers/Microsoft.Network/virtualNetworks/aks-vnet-12345678",
            sub + "/resourceGroups/rg-compute-prod/providers/Microsoft.Compute/hostGroups/hg-payments-weu",
            sub + "/resourceGroups/rg-compute-prod/providers/Microsoft.Compute/hostGroups/hg-payments-weu/hosts/host-dsv3-01",
            sub + "/resourceGroups/rg-monitoring-prod/providers/Microsoft.OperationalInsights/workspaces/law-aks-prod-weu",
            sub + "/resourceGroups/rg-network-prod/providers/Microsoft.Network/applicationSecurityGroups/asg-payments-db-clients",
            sub + "/resourceGroups/rg-network-prod/providers/Microsoft.Network/applicationSecurityGroups/asg-payments-nodes",
            sub + "/resourceGroups/rg-network-prod/providers/Microsoft.Network/dnszones/payments.contoso.com",
            sub + "/resourceGroups/rg-network-prod/providers/Microsoft.Network/networkSecurityGroups/nsg-aks-nodes",
            sub + "/resourceGroups/rg-network-prod/providers/Microsoft.Network/networkSecurityGroups/nsg-appgw",
            sub + "/resourceGroups/rg-network-prod/providers/Microsoft.Network/privateDnsZones/payments.internal.contoso.com",
            sub + "/resourceGroups/rg-network-prod/providers/Microsoft.Network/privateDnsZones/privatelink.westeurope.azmk8s.io",
            sub + "/resourceGroups/rg-network-prod/providers/Microsoft.Network/privateDnsZones/privatelink.westeurope.azmk8s.io/virtualNetworkLinks/link-vnet-payments-prod",
            sub + "/resourceGroups/rg-network-prod/providers/Microsoft.Network/publicIPAddresses/pip-aks-egress-01",
            sub + "/resourceGroups/rg-network-prod/providers/Microsoft.Network/publicIPAddresses/pip-aks-egress-02",
            sub + "/resourceGroups/rg-network-prod/providers/Microsoft.Network/publicIPPrefixes/ippre-aks-egress",
            sub + "/resourceGroups/rg-network-prod/providers/Microsoft.Network/publicIPPrefixes/ippre-aks-nodes",
            sub + "/resourceGroups/rg-network-prod/providers/Microsoft.Network/routeTables/rt-aks-egress",
            sub + "/resourceGroups/rg-network-prod/providers/Microsoft.Network/virtualNetworks/vnet-payments-prod",
            sub + "/resourceGroups/rg-payments-prod/providers/Microsoft.Compute/capacityReservationGroups/crg-payments-weu",
            sub + "/resourceGroups/rg-payments-prod/providers/Microsoft.Compute/capacityReservationGroups/crg-payments-weu/capacityReservations/cr-d8sv5-z1",
            sub + "/resourceGroups/rg-payments-prod/providers/Microsoft.Compute/diskEncryptionSets/des-aks-prod-weu",
            sub + "/resourceGroups/rg-payments-prod/providers/Microsoft.Compute/proximityPlacementGroups/ppg-payments-weu",
            sub + "/resourceGroups/rg-payments-prod/providers/Microsoft.ContainerService/managedClusters/aks-prod-weu",
            sub + "/resourceGroups/rg-payments-prod/providers/Microsoft.ContainerService/managedClusters/aks-prod-weu/agentPools/crg",
            sub + "/resourceGroups/rg-payments-prod/providers/Microsoft.ContainerService/managedClusters/aks-prod-weu/agentPools/dedicated",
            sub + "/resourceGroups/rg-payments-prod/providers/Microsoft.ContainerService/managedClusters/aks-prod-weu/agentPools/npwin",
            sub + "/resourceGroups/rg-payments-prod/providers/Microsoft.ContainerService/managedClusters/aks-prod-weu/agentPools/publicip",
            sub + "/resourceGroups/rg-payments-prod/providers/Microsoft.ContainerService/managedClusters/aks-prod-weu/agentPools/snap",
            sub + "/resourceGroups/rg-payments-prod/providers/Microsoft.ContainerService/managedClusters/aks-prod-weu/agentPools/system",
            sub + "/resourceGroups/rg-payments-prod/providers/Microsoft.ContainerService/managedClusters/aks-prod-weu/agentPools/user",
            sub + "/resourceGroups/rg-payments-prod/providers/Microsoft.ContainerService/snapshots/snap-user-202411",
            sub + "/resourceGroups/rg-payments-prod/providers/Microsoft.ManagedIdentity/userAssignedIdentities/id-aks-prod-weu-control-plane",
            sub + "/resourceGroups/rg-payments-prod/providers/Microsoft.ManagedIdentity/userAssignedIdentities/id-checkout-legacy-pod",
            sub + "/resourceGroups/rg-payments-prod/providers/Microsoft.ManagedIdentity/userAssignedIdentities/id-payments-worker-pod",
            sub + "/resourceGroups/rg-payments-prod/providers/Microsoft.Storage/storageAccounts/stpaymentsweu01",
            sub + "/resourceGroups/rg-payments-prod/providers/Microsoft.Storage/storageAccounts/stpaymentsweu01/fileServices/default/shares/payments-reports",
            sub + "/resourceGroups/rg-security-prod/providers/Microsoft.KeyVault/vaults/kv-aks-kms-prod",
            sub + "/resourceGroups/rg-security-prod/providers/Microsoft.KeyVault/vaults/kv-aks-kms-prod/keys/des-cmk",
            sub + "/resourceGroups/rg-security-prod/providers/Microsoft.KeyVault/vaults/kv-aks-kms-prod/keys/etcd-kms",
            sub + "/resourceGroups/rg-security-prod/providers/Microsoft.KeyVault/vaults/kv-istio-ca-prod",
            sub + "/resourceGroups/rg-security-prod/providers/Microsoft.KeyVault/vaults/kv-istio-ca-prod/secrets/ca-cert",
            sub + "/resourceGroups/rg-security-prod/providers/Microsoft.KeyVault/vaults/kv-istio-ca-prod/secrets/ca-key",
            sub + "/resourceGroups/rg-security-prod/providers/Microsoft.KeyVault/vaults/kv-istio-ca-prod/secrets/cert-chain",
            sub + "/resourceGroups/rg-security-prod/providers/Microsoft.KeyVault/vaults/kv-istio-ca-prod/secrets/root-cert",
            sub + "/resourceGroups/rg-security-prod/providers/Microsoft.KeyVault/vaults/kv-payments-secrets",
            sub + "/resourceGroups/rg-security-prod/providers/Microsoft.KeyVault/vaults/kv-payments-secrets/secrets/aks-win-admin-password",
            "k8s://aks-prod-weu/apiextensions.k8s.io/CustomResourceDefinition/ledgerreconciliations.payments.contoso.com",
            "k8s://aks-prod-weu/apps/DaemonSet/kube-system/ama-logs",
            "k8s://aks-prod-weu/apps/Deployment/kube-system/coredns",
            "k8s://aks-prod-weu/core/ConfigMap/kube-system/container-azm-ms-agentconfig",
            "k8s://aks-prod-weu/core/ConfigMap/kube-system/coredns",
            "k8s://aks-prod-weu/core/ConfigMap/kube-system/coredns-custom",
            "k8s://aks-prod-weu/core/Namespace/checkout",
            "k8s://aks-prod-weu/core/Namespace/default",
            "k8s://aks-prod-weu/core/Namespace/kube-system",
            "k8s://aks-prod-weu/core/Namespace/payments",
            "k8s://aks-prod-weu/core/Namespace/scratch",
            "k8s://aks-prod-weu/core/PersistentVolume/pv-ledger-archive",
            "k8s://aks-prod-weu/core/PersistentVolume/pv-payments-reports",
            "k8s://aks-prod-weu/core/PersistentVolume/pvc-4e2b8a61-93c7-4d0f-8b25-7f1a6c3e9d02",
            "k8s://aks-prod-weu/core/PersistentVolume/pvc-b7d3f019-26a8-4c5e-9e41-0d8c2a7f5b13",
            "k8s://aks-prod-weu/core/Secret/kube-system/ama-logs-secret",
            "k8s://aks-prod-weu/core/Secret/payments/azure-files-credentials",
            "k8s://aks-prod-weu/core/ServiceAccount/kube-system/ama-logs",
            "k8s://aks-prod-weu/core/ServiceAccount/kube-system/coredns",
            "k8s://aks-prod-weu/networking.k8s.io/IngressClass/azure-application-gateway",
            "k8s://aks-prod-weu/rbac.authorization.k8s.io/ClusterRole/payments-readonly",
            "k8s://aks-prod-weu/rbac.authorization.k8s.io/ClusterRoleBinding/payments-readonly",
            "k8s://aks-prod-weu/scheduling.k8s.io/PriorityClass/payments-critical",
            "k8s://aks-prod-weu/storage.k8s.io/StorageClass/azurefile-csi",
            "k8s://aks-prod-weu/storage.k8s.io/StorageClass/managed-csi",
            "k8s://aks-prod-weu/storage.k8s.io/StorageClass/managed-csi-premium-cmk",
            // Cluster access (azure/access.json): role assignments at the cluster and its group, the
            // workload identity one of them names (and its federated credential), extensions, maintenance.
            sub + "/resourceGroups/rg-payments-prod/providers/Microsoft.Authorization/roleAssignments/c4e8a1f7-5d2b-4e93-8f6a-0b3c7d9e2a18",
            sub + "/resourceGroups/rg-payments-prod/providers/Microsoft.ContainerService/managedClusters/aks-prod-weu/maintenanceConfigurations/aksManagedAutoUpgradeSchedule",
            sub + "/resourceGroups/rg-payments-prod/providers/Microsoft.ContainerService/managedClusters/aks-prod-weu/maintenanceConfigurations/default",
            sub + "/resourceGroups/rg-payments-prod/providers/Microsoft.ContainerService/managedClusters/aks-prod-weu/providers/Microsoft.Authorization/roleAssignments/3f1c7a52-9e4b-4d21-8a6f-2b7c9d0e1f34",
            sub + "/resourceGroups/rg-payments-prod/providers/Microsoft.ContainerService/managedClusters/aks-prod-weu/providers/Microsoft.Authorization/roleAssignments/7b2d9e14-3a6c-4f08-9d5e-1c8b4a7f2e63",
            sub + "/resourceGroups/rg-payments-prod/providers/Microsoft.ContainerService/managedClusters/aks-prod-weu/providers/Microsoft.KubernetesConfiguration/extensions/dapr",
            sub + "/resourceGroups/rg-payments-prod/providers/Microsoft.ContainerService/managedClusters/aks-prod-weu/providers/Microsoft.KubernetesConfiguration/extensions/flux",
            sub + "/resourceGroups/rg-payments-prod/providers/Microsoft.ManagedIdentity/userAssignedIdentities/id-payments-api-wi",
            sub + "/resourceGroups/rg-payments-prod/providers/Microsoft.ManagedIdentity/userAssignedIdentities/id-payments-api-wi/federatedIdentityCredentials/payments-api",
        ]
        // The snapshot a capture made of each PV-backed disk, and its copy in the recovery subscription.
        let dr = "/subscriptions/0b9d4c3e-7a61-4f2b-8c5d-1e2f3a4b5c6d/resourceGroups/rg-payments-dr/providers/Microsoft.Compute/snapshots/"
        let prod: String = sub + "/resourceGroups/rg-payments-prod/providers/Microsoft.Compute/snapshots/"
        for disk in ["disk-payments-ledger-archive", "pvc-4e2b8a61-93c7-4d0f-8b25-7f1a6c3e9d02", "pvc-b7d3f019-26a8-4c5e-9e41-0d8c2a7f5b13"] {
            closure.insert(prod + disk + "-contoso-20261207-0600")
            closure.insert(dr + disk + "-contoso-20261207-0600")
        }
        return closure
    }()

    static let eksClosure: Set<String> = [
        // Cluster access (aws/eks-access-*, eks-pod-identity-*, eks-addon-*) and the roles they name.
        "arn:aws:eks:us-east-1:111111111111:access-entry/eks-prod-use1/role/111111111111/eks-prod-use1-node-role/1cc6b1f2-0b7a-6d5c-4e3f-8a9b0c1d2e3f",
        "arn:aws:eks:us-east-1:111111111111:access-entry/eks-prod-use1/role/111111111111/orders-developers/3ac6b1f2-9e0d-5c4b-7a18-2f6e4d3c2b10",
        "arn:aws:eks:us-east-1:111111111111:access-entry/eks-prod-use1/role/111111111111/platform-admin/8ec6b1f2-4a1d-7b3e-2c9f-0d5e8a7b6c41",
        "arn:aws:eks:us-east-1:111111111111:access-entry/eks-prod-use1/user/111111111111/ci-deployer/5ec6b1f3-2d4c-8b1a-6f0e-9d8c7b6a5f40",
        "arn:aws:eks:us-east-1:111111111111:addon/eks-prod-use1/aws-ebs-csi-driver/d2c8a1b4-6e3f-4a7d-9c0b-5f1e2d3c4b5a",
        "arn:aws:eks:us-east-1:111111111111:addon/eks-prod-use1/vpc-cni/a4c8a1b4-1f2e-4d3c-8b7a-6e5f4d3c2b1a",
        "arn:aws:eks:us-east-1:111111111111:podidentityassociation/eks-prod-use1/a-4kq9xw2m7rt1bz3ne",
        "arn:aws:eks:us-east-1:111111111111:podidentityassociation/eks-prod-use1/a-8hd3pv6y2nc5mx0qa",
        "arn:aws:iam::111111111111:role/eks-prod-use1-ebs-csi",
        "arn:aws:iam::111111111111:role/eks-prod-use1-vpc-cni",
        "arn:aws:iam::111111111111:role/orders-developers",
        "arn:aws:iam::111111111111:role/orders-worker-pod-identity",
        "eks-prod-use1/access-policies/arn:aws:iam::111111111111:role/orders-developers",
        "eks-prod-use1/access-policies/arn:aws:iam::111111111111:role/platform-admin",
        "eks-prod-use1/access-policies/arn:aws:iam::111111111111:user/ci-deployer",
        "arn:aws:ec2:us-east-1:111111111111:launch-template/lt-0a1b2c3d4e5f60718",
        "arn:aws:ec2:us-east-1:111111111111:security-group/sg-0a9b8c7d6e5f40312",
        "arn:aws:ec2:us-east-1:111111111111:security-group/sg-0b8c7d6e5f4a30211",
        "arn:aws:ec2:us-east-1:111111111111:security-group/sg-0f1e2d3c4b5a69788",
        "arn:aws:ec2:us-east-1:111111111111:subnet/subnet-0b1c2d3e4f5a60718",
        "arn:aws:ec2:us-east-1:111111111111:subnet/subnet-0c2d3e4f5a6b70819",
        "arn:aws:ec2:us-east-1:111111111111:subnet/subnet-0d3e4f5a6b7c8091a",
        "arn:aws:ec2:us-east-1:111111111111:subnet/subnet-0e4f5a6b7c8d9012b",
        "arn:aws:ec2:us-east-1:111111111111:vpc/vpc-0a3c5e7f9b1d24680",
        "arn:aws:eks:us-east-1:111111111111:cluster/eks-prod-use1",
        "arn:aws:eks:us-east-1:111111111111:fargateprofile/eks-prod-use1/fp-coredns/e2c7a3f1-6b5d-4e8c-9a01-3f2e1d0c9b8a",
        "arn:aws:eks:us-east-1:111111111111:fargateprofile/eks-prod-use1/fp-orders-batch/b4d6c8e0-2a1f-4b3c-8d5e-7f9a0b1c2d3e",
        "arn:aws:eks:us-east-1:111111111111:nodegroup/eks-prod-use1/ng-batch-spot/a8c7b6d5-1e2f-4a3b-8c4d-5e6f7a8b9c0d",
        "arn:aws:eks:us-east-1:111111111111:nodegroup/eks-prod-use1/ng-general/34c7a1d2-0e5f-4b8a-9c61-7d2e3f4a5b6c",
        "arn:aws:elasticfilesystem:us-east-1:111111111111:access-point/fsap-0f9e8d7c6b5a43210",
        "arn:aws:elasticfilesystem:us-east-1:111111111111:file-system/fs-0a1b2c3d4e5f67890",
        "arn:aws:iam::111111111111:oidc-provider/oidc.eks.us-east-1.amazonaws.com/id/5C2F8A7E3B9D41E6A0F4C18B7D2E9A63",
        "arn:aws:iam::111111111111:role/eks-prod-use1-aws-load-balancer-controller",
        "arn:aws:iam::111111111111:role/eks-prod-use1-cluster-role",
        "arn:aws:iam::111111111111:role/eks-prod-use1-fargate-pod-execution",
        "arn:aws:iam::111111111111:role/eks-prod-use1-node-role",
        "arn:aws:iam::111111111111:role/platform-admin",
        "arn:aws:iam::111111111111:user/ci-deployer",
        "arn:aws:kms:us-east-1:111111111111:key/1f2e3d4c-5b6a-4978-8a9b-0c1d2e3f4a5b",
        "k8s://eks-prod-use1/apps/DaemonSet/kube-system/aws-node",
        "k8s://eks-prod-use1/apps/Deployment/kube-system/aws-load-balancer-controller",
        "k8s://eks-prod-use1/apps/Deployment/kube-system/coredns",
        "k8s://eks-prod-use1/core/ConfigMap/kube-system/aws-auth",
        "k8s://eks-prod-use1/core/ConfigMap/kube-system/coredns",
        "k8s://eks-prod-use1/core/Namespace/default",
        "k8s://eks-prod-use1/core/Namespace/kube-system",
        "k8s://eks-prod-use1/core/Namespace/orders",
        "k8s://eks-prod-use1/core/PersistentVolume/orders-shared-efs",
        "k8s://eks-prod-use1/core/PersistentVolume/orders-uploads-efs",
        "k8s://eks-prod-use1/core/ServiceAccount/kube-system/aws-load-balancer-controller",
        "k8s://eks-prod-use1/core/ServiceAccount/kube-system/aws-node",
        "k8s://eks-prod-use1/core/ServiceAccount/kube-system/coredns",
        "k8s://eks-prod-use1/networking.k8s.io/IngressClass/alb",
        "k8s://eks-prod-use1/rbac.authorization.k8s.io/ClusterRole/orders-deployer",
        "k8s://eks-prod-use1/rbac.authorization.k8s.io/ClusterRoleBinding/orders-deployer",
        "k8s://eks-prod-use1/storage.k8s.io/StorageClass/efs-sc",
        "k8s://eks-prod-use1/storage.k8s.io/StorageClass/gp3",
        // EBS PVs, their volumes, and the snapshots (and recovery-region copies) a capture made of them.
        "k8s://eks-prod-use1/core/PersistentVolume/orders-legacy-ebs",
        "k8s://eks-prod-use1/core/PersistentVolume/pvc-5a7c9e1b-3d5f-4a7b-9c1d-3e5f7a9b1c3d",
        "arn:aws:ec2:us-east-1:111111111111:volume/vol-0c1d2e3f4a5b60789",
        "arn:aws:ec2:us-east-1:111111111111:volume/vol-0d2e3f4a5b6c7d8e9",
        "arn:aws:ec2:us-east-1:111111111111:snapshot/snap-00e1f2a3b4c5d6e7f",
        "arn:aws:ec2:us-east-1:111111111111:snapshot/snap-01e1f2a3b4c5d6e7f",
        "arn:aws:ec2:us-west-2:111111111111:snapshot/snap-00f2a3b4c5d6e7f80",
        "arn:aws:ec2:us-west-2:111111111111:snapshot/snap-01f2a3b4c5d6e7f80",
    ]

    @Test func aksClusterAlone() throws {
        guard let inv = try SelectionEstateTests.estate() else { return }
        let s = inv.select(SelectionRequest(roots: [SelectionEstateTests.aks]))
        let got = Set(s.ids)
        #expect(got.subtracting(Self.aksClosure).sorted() == [], "included but not expected")
        #expect(Self.aksClosure.subtracting(got).sorted() == [], "expected but missing")
        #expect(s.ids.count == 101)
        #expect(s.dangling.isEmpty)
    }

    @Test func eksClusterAlone() throws {
        guard let inv = try SelectionEstateTests.estate() else { return }
        let s = inv.select(SelectionRequest(roots: [SelectionEstateTests.eks]))
        let got = Set(s.ids)
        #expect(got.subtracting(Self.eksClosure).sorted() == [], "included but not expected")
        #expect(Self.eksClosure.subtracting(got).sorted() == [], "expected but missing")
        #expect(s.ids.count == 65)
        #expect(s.dangling.isEmpty)
    }

    @Test func bothClustersAreDisjoint() throws {
        #expect(Self.aksClosure.isDisjoint(with: Self.eksClosure))
    }
}
