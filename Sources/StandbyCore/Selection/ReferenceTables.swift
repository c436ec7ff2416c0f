/// One row of a reference table: in resources of `appliesTo`, the strings at `path` name a
/// resource of `targetType`, related as `relation`.
///
/// Cloud rows name cloud IDs (ARM IDs, ARNs, AWS aliases). Kubernetes rows name objects of kind
/// `targetType` in the same namespace (or cluster-scoped, when `clusterScoped`).
public struct ReferenceRule: Sendable, CustomStringConvertible {
    /// A cloud type (`Microsoft.ContainerService/managedClusters`, `AWS::EKS::Cluster`), a
    /// Kubernetes kind, or `pod spec` for rules applied to every pod template.
    public let appliesTo: String
    public let path: PathPattern
    public let relation: String
    public let targetType: String
    /// Kubernetes rows: the target is cluster-scoped.
    public let clusterScoped: Bool
    /// Cloud rows: only values that look like ARM IDs are references (`privateDNSZone` may also be
    /// `system` or `none`).
    public let armIDsOnly: Bool

    init(_ appliesTo: String, _ path: String, _ relation: String, _ targetType: String,
         clusterScoped: Bool = false, armIDsOnly: Bool = false) {
        self.appliesTo = appliesTo; self.path = PathPattern(path); self.relation = relation
        self.targetType = targetType; self.clusterScoped = clusterScoped; self.armIDsOnly = armIDsOnly
    }

    public var description: String { "\(appliesTo) \(path) → \(relation) → \(targetType)" }
}

/// The reference tables: which property paths of which resource types are references. Relations
/// that need code (children by parent id, name matching, label selectors…) are listed in
/// ``coded`` so a listing can show everything the walker follows.
public enum ReferenceTables {
    static let managedCluster = "Microsoft.ContainerService/managedClusters"
    static let agentPool = "Microsoft.ContainerService/managedClusters/agentPools"
    static let subnet = "Microsoft.Network/virtualNetworks/subnets"
    static let vnet = "Microsoft.Network/virtualNetworks"
    static let vault = "Microsoft.KeyVault/vaults"
    static let vaultSecret = "Microsoft.KeyVault/vaults/secrets"
    static let identity = "Microsoft.ManagedIdentity/userAssignedIdentities"
    static let workspace = "Microsoft.OperationalInsights/workspaces"

    /// Agent-pool reference fields, relative to the pool's properties (a standalone pool's
    /// `properties` or an inline `properties.agentPoolProfiles[]` entry).
    private static let poolFields: [(String, String, String)] = [
        ("vnetSubnetID", "node subnet", subnet),
        ("podSubnetID", "pod subnet", subnet),
        ("networkProfile.applicationSecurityGroups[]", "application security group", "Microsoft.Network/applicationSecurityGroups"),
        ("proximityPlacementGroupID", "proximity placement group", "Microsoft.Compute/proximityPlacementGroups"),
        ("capacityReservationGroupID", "capacity reservation group", "Microsoft.Compute/capacityReservationGroups"),
        ("hostGroupID", "dedicated host group", "Microsoft.Compute/hostGroups"),
        ("nodePublicIPPrefixID", "node public IP prefix", "Microsoft.Network/publicIPPrefixes"),
        ("creationData.sourceResourceId", "source snapshot", "Microsoft.ContainerService/snapshots"),
    ]

    /// ARM property paths (relative to the resource JSON root).
    public static let arm: [ReferenceRule] = {
        let mc = managedCluster
        var rows: [ReferenceRule] = [
            .init(mc, "identity.userAssignedIdentities{}", "control-plane identity", identity),
            .init(mc, "properties.identityProfile.kubeletidentity.resourceId", "kubelet identity", identity),
            .init(mc, "properties.apiServerAccessProfile.subnetId", "API server subnet", subnet),
            .init(mc, "properties.apiServerAccessProfile.privateDNSZone", "private DNS zone",
                  "Microsoft.Network/privateDnsZones", armIDsOnly: true),
            .init(mc, "properties.diskEncryptionSetID", "disk encryption set", "Microsoft.Compute/diskEncryptionSets"),
            .init(mc, "properties.networkProfile.loadBalancerProfile.outboundIPs.publicIPs[].id", "outbound public IP",
                  "Microsoft.Network/publicIPAddresses"),
            .init(mc, "properties.networkProfile.loadBalancerProfile.outboundIPPrefixes.publicIPPrefixes[].id",
                  "outbound IP prefix", "Microsoft.Network/publicIPPrefixes"),
            .init(mc, "properties.securityProfile.azureKeyVaultKms.keyVaultResourceId", "KMS key vault", vault),
            .init(mc, "properties.securityProfile.defender.logAnalyticsWorkspaceResourceId", "Defender workspace", workspace),
            .init(mc, "properties.addonProfiles.omsagent.config.logAnalyticsWorkspaceResourceID", "Container Insights workspace", workspace),
            .init(mc, "properties.ingressProfile.webAppRouting.dnsZoneResourceIds[]", "web app routing DNS zone",
                  "Microsoft.Network/dnszones"),
            .init(mc, "properties.serviceMeshProfile.istio.certificateAuthority.plugin.keyVaultId", "Istio CA key vault", vault),
            .init(mc, "properties.podIdentityProfile.userAssignedIdentities[].identity.resourceId", "pod identity", identity),
            .init(mc, "properties.addonProfiles.ingressApplicationGateway.config.subnetId", "AGIC subnet", subnet),
            .init(mc, "properties.bootstrapProfile.containerRegistryId", "bootstrap container registry",
                  "Microsoft.ContainerRegistry/registries"),
            .init(mc, "properties.addonProfiles.*.identity.resourceId", "add-on identity", identity),
            .init(mc, "properties.ingressProfile.webAppRouting.identity.resourceId", "add-on identity", identity),
            .init("Microsoft.Compute/diskEncryptionSets", "properties.activeKey.sourceVault.id", "key vault", vault),
            .init("Microsoft.Network/applicationGateways", "properties.gatewayIPConfigurations[].properties.subnet.id",
                  "gateway subnet", subnet),
            .init("Microsoft.Network/applicationGateways", "properties.frontendIPConfigurations[].properties.publicIPAddress.id",
                  "frontend public IP", "Microsoft.Network/publicIPAddresses"),
            .init("Microsoft.Network/applicationGateways", "properties.firewallPolicy.id", "WAF policy",
                  "Microsoft.Network/ApplicationGatewayWebApplicationFirewallPolicies"),
        ]
        for (prefix, type) in [("properties.subnets[].properties", vnet), ("properties", subnet)] {
            rows.append(.init(type, "\(prefix).networkSecurityGroup.id", "network security group", "Microsoft.Network/networkSecurityGroups"))
            rows.append(.init(type, "\(prefix).routeTable.id", "route table", "Microsoft.Network/routeTables"))
            rows.append(.init(type, "\(prefix).natGateway.id", "NAT gateway", "Microsoft.Network/natGateways"))
        }
        for (p, rel, t) in poolFields {
            rows.append(.init(mc, "properties.agentPoolProfiles[].\(p)", rel, t))
            rows.append(.init(agentPool, "properties.\(p)", rel, t))
        }
        return rows
    }()

    /// AWS property paths, relative to the describe-call body (`cluster`, `nodegroup`,
    /// `fargateProfile` wrappers are looked through).
    public static let aws: [ReferenceRule] = [
        .init("AWS::EKS::Cluster", "roleArn", "cluster role", "AWS::IAM::Role"),
        .init("AWS::EKS::Cluster", "resourcesVpcConfig.subnetIds[]", "subnet", "AWS::EC2::Subnet"),
        .init("AWS::EKS::Cluster", "resourcesVpcConfig.securityGroupIds[]", "security group", "AWS::EC2::SecurityGroup"),
        .init("AWS::EKS::Cluster", "resourcesVpcConfig.clusterSecurityGroupId", "cluster security group", "AWS::EC2::SecurityGroup"),
        .init("AWS::EKS::Cluster", "resourcesVpcConfig.vpcId", "VPC", "AWS::EC2::VPC"),
        .init("AWS::EKS::Cluster", "encryptionConfig[].provider.keyArn", "secrets encryption key", "AWS::KMS::Key"),
        .init("AWS::EKS::Nodegroup", "nodeRole", "node role", "AWS::IAM::Role"),
        .init("AWS::EKS::Nodegroup", "subnets[]", "subnet", "AWS::EC2::Subnet"),
        .init("AWS::EKS::Nodegroup", "remoteAccess.sourceSecurityGroups[]", "remote access security group", "AWS::EC2::SecurityGroup"),
        .init("AWS::EKS::FargateProfile", "podExecutionRoleArn", "pod execution role", "AWS::IAM::Role"),
        .init("AWS::EKS::FargateProfile", "subnets[]", "subnet", "AWS::EC2::Subnet"),
        .init(EKSAccessTypes.accessEntry, "principalArn", "access entry principal", "AWS::IAM::Role"),
        .init(EKSAccessTypes.podIdentityAssociation, "roleArn", "pod identity role", "AWS::IAM::Role"),
        .init(EKSAccessTypes.podIdentityAssociation, "targetRoleArn", "pod identity target role", "AWS::IAM::Role"),
        .init(EKSAccessTypes.addon, "serviceAccountRoleArn", "add-on service account role", "AWS::IAM::Role"),
        .init("AWS::EC2::Subnet", "vpcId", "VPC", "AWS::EC2::VPC"),
        .init("AWS::EC2::Subnet", "VpcId", "VPC", "AWS::EC2::VPC"),
        .init("AWS::EC2::SecurityGroup", "vpcId", "VPC", "AWS::EC2::VPC"),
        .init("AWS::EC2::SecurityGroup", "VpcId", "VPC", "AWS::EC2::VPC"),
    ]

    /// Kubernetes rules. `pod spec` rows apply relative to every pod template's `spec`
    /// (Pod `spec`, workload `spec.template.spec`, CronJob `spec.jobTemplate.spec.template.spec`).
    public static let kubernetes: [ReferenceRule] = {
        var rows: [ReferenceRule] = [
            .init("pod spec", "volumes[].configMap.name", "volume", "ConfigMap"),
            .init("pod spec", "volumes[].secret.secretName", "volume", "Secret"),
            .init("pod spec", "volumes[].persistentVolumeClaim.claimName", "volume", "PersistentVolumeClaim"),
            .init("pod spec", "volumes[].projected.sources[].configMap.name", "projected volume", "ConfigMap"),
            .init("pod spec", "volumes[].projected.sources[].secret.name", "projected volume", "Secret"),
            .init("pod spec", "volumes[].csi.volumeAttributes.secretProviderClass", "secretProviderClass", "SecretProviderClass"),
            .init("pod spec", "volumes[].csi.nodePublishSecretRef.name", "nodePublishSecretRef", "Secret"),
            .init("pod spec", "volumes[].azureFile.secretName", "volume", "Secret"),
            .init("pod spec", "volumes[].ephemeral.volumeClaimTemplate.spec.storageClassName", "storageClass", "StorageClass",
                  clusterScoped: true),
            .init("pod spec", "imagePullSecrets[].name", "imagePullSecret", "Secret"),
            .init("pod spec", "priorityClassName", "priorityClass", "PriorityClass", clusterScoped: true),
            .init("pod spec", "runtimeClassName", "runtimeClass", "RuntimeClass", clusterScoped: true),
        ]
        for c in ["containers", "initContainers", "ephemeralContainers"] {
            rows.append(.init("pod spec", "\(c)[].envFrom[].configMapRef.name", "envFrom", "ConfigMap"))
            rows.append(.init("pod spec", "\(c)[].envFrom[].secretRef.name", "envFrom", "Secret"))
            rows.append(.init("pod spec", "\(c)[].env[].valueFrom.configMapKeyRef.name", "env", "ConfigMap"))
            rows.append(.init("pod spec", "\(c)[].env[].valueFrom.secretKeyRef.name", "env", "Secret"))
        }
        rows += [
            .init("StatefulSet", "spec.volumeClaimTemplates[].spec.storageClassName", "storageClass", "StorageClass", clusterScoped: true),
            .init("PersistentVolumeClaim", "spec.volumeName", "volumeName", "PersistentVolume", clusterScoped: true),
            .init("PersistentVolumeClaim", "spec.storageClassName", "storageClass", "StorageClass", clusterScoped: true),
            .init("PersistentVolume", "spec.storageClassName", "storageClass", "StorageClass", clusterScoped: true),
            .init("Ingress", "spec.tls[].secretName", "tls", "Secret"),
            .init("Ingress", "spec.ingressClassName", "ingressClass", "IngressClass", clusterScoped: true),
            .init("ServiceAccount", "imagePullSecrets[].name", "imagePullSecret", "Secret"),
            .init("ServiceAccount", "secrets[].name", "secret", "Secret"),
            .init("SecretProviderClass", "spec.secretObjects[].secretName", "secretObjects", "Secret"),
            .init("TriggerAuthentication", "spec.secretTargetRef[].name", "secretTargetRef", "Secret"),
        ]
        return rows
    }()

    /// ARM child resources a parent pulls in: (parent type, child type, relation).
    public static let armChildren: [(parent: String, child: String, relation: String)] = [
        (managedCluster, agentPool, "agent pool"),
        ("Microsoft.Compute/capacityReservationGroups", "Microsoft.Compute/capacityReservationGroups/capacityReservations",
         "capacity reservation"),
        ("Microsoft.Compute/hostGroups", "Microsoft.Compute/hostGroups/hosts", "dedicated host"),
        (identity, "Microsoft.ManagedIdentity/userAssignedIdentities/federatedIdentityCredentials", "federated credential"),
        ("Microsoft.Network/privateDnsZones", "Microsoft.Network/privateDnsZones/virtualNetworkLinks", "VNet link"),
        (managedCluster, "Microsoft.ContainerService/managedClusters/maintenanceConfigurations", "maintenance configuration"),
    ]

    /// Relations the walker follows through code rather than a path table.
    public static let coded: [(appliesTo: String, relation: String, how: String)] = [
        ("(see armChildren)", "agent pool, capacity reservation, dedicated host, federated credential, VNet link",
         "child resources whose parent id is the resource"),
        (managedCluster, "KMS key", "securityProfile.azureKeyVaultKms.keyId (key URL) → vaults/keys, else the vault"),
        (managedCluster, "Istio CA secret", "istio plugin certObjectName/keyObjectName/rootCertObjectName/certChainObjectName → secrets of keyVaultId"),
        ("Microsoft.Compute/diskEncryptionSets", "key", "activeKey.keyUrl → vaults/keys"),
        (managedCluster, "AGIC application gateway",
         "addonProfiles.ingressApplicationGateway.config.applicationGatewayId, else effectiveApplicationGatewayId (AKS-managed)"),
        (managedCluster, "admin password secret",
         "tag arpio-config:admin-password-secret (Key Vault secret URL) → vaults/secrets, else the vault"),
        (managedCluster, "cluster-scoped object", "every cluster-scoped object of the Kubernetes cluster it controls"),
        (managedCluster, "kube-system", "every object in kube-system of that cluster"),
        (agentPool, "managed cluster", "parent id"),
        (subnet, "virtual network", "parent id"),
        (vaultSecret, "key vault", "parent id"),
        ("Microsoft.KeyVault/vaults/keys", "key vault", "parent id"),
        ("AWS::EKS::Cluster", "node group", "AWS::EKS::Nodegroup whose clusterName is the cluster's name"),
        ("AWS::EKS::Cluster", "Fargate profile", "AWS::EKS::FargateProfile whose clusterName is the cluster's name"),
        (managedCluster, "role assignment", "Microsoft.Authorization/roleAssignments whose scope is the cluster or its resource group"),
        (managedCluster, "cluster extension", "Microsoft.KubernetesConfiguration/extensions attached to the cluster"),
        ("Microsoft.Authorization/roleAssignments", "principal", "properties.principalId = a user-assigned identity's properties.principalId"),
        ("AWS::EKS::Cluster", "access entry / access policies / pod identity association / add-on",
         "AWS::EKS::AccessEntry, AccessPolicyAssociations, PodIdentityAssociation, Addon whose clusterName is the cluster's name"),
        ("AWS::EKS::AccessEntry, …PolicyAssociations, …PodIdentityAssociation, …Addon", "cluster", "clusterName"),
        ("AWS::EKS::Cluster", "OIDC provider", "identity.oidc.issuer host/path = OIDC provider ARN's oidc-provider/<host/path>"),
        ("AWS::EKS::Cluster", "cluster-scoped object", "every cluster-scoped object of the Kubernetes cluster"),
        ("AWS::EKS::Cluster", "kube-system", "every object in kube-system of that cluster"),
        ("AWS::EKS::Nodegroup", "launch template", "launchTemplate.id, else launchTemplate.name"),
        ("AWS::EKS::Nodegroup", "cluster", "clusterName"),
        ("AWS::EKS::FargateProfile", "cluster", "clusterName"),
        ("pod spec", "serviceAccount", "serviceAccountName / serviceAccount; implicit `default` only when it exists"),
        ("pod spec", "image repository", "ECR image → AWS::ECR::Repository; ACR image → registry by name (optional)"),
        ("StatefulSet", "volumeClaimTemplate", "PVCs named <template>-<statefulset>-<ordinal> that exist"),
        ("workload", "disruption budget", "PodDisruptionBudgets whose spec.selector selects the pod template"),
        ("workload", "network policy", "NetworkPolicies whose spec.podSelector selects the pod template"),
        ("workload", "scaled by", "HPAs and KEDA ScaledObjects whose scaleTargetRef names it"),
        ("PersistentVolumeClaim", "dataSource", "spec.dataSource / spec.dataSourceRef"),
        ("PersistentVolume", "Azure disk", "csi disk.csi.azure.com volumeHandle, or azureDisk.diskURI"),
        ("PersistentVolume", "EBS volume", "csi ebs.csi.aws.com volumeHandle vol-…, or awsElasticBlockStore.volumeID (vol-… or aws://<zone>/vol-…)"),
        ("PersistentVolume", "volume snapshot", "Microsoft.Compute/snapshots and EBS snapshots tagged standby-volume = the disk / vol- id (or whose source is it): the copies a capture made"),
        ("PersistentVolume", "EFS file system", "csi efs.csi.aws.com volumeHandle fs-… (fs-…::fsap-…, fs-…:/path)"),
        ("PersistentVolume", "storage account", "file.csi.azure.com / azureFile: volumeAttributes storageAccount, volumeHandle, or the secret's azurestorageaccountname"),
        ("PersistentVolume", "file share", "file.csi.azure.com shareName / azureFile.shareName → storageAccounts/fileServices/default/shares"),
        ("PersistentVolume", "EFS access point", "efs.csi.aws.com volumeHandle fs-…::fsap-…"),
        ("StorageClass", "EFS file system / KMS key / disk encryption set", "parameters.fileSystemId / kmsKeyId / diskEncryptionSetID"),
        ("SecretProviderClass", "key vault object", "spec.parameters.objects (YAML) objectName/objectType → vault secrets/keys"),
        ("Service", "public IP", "annotation service.beta.kubernetes.io/azure-pip-name (+ azure-load-balancer-resource-group)"),
        ("Service", "load balancer subnet", "annotation service.beta.kubernetes.io/aws-load-balancer-subnets"),
        ("Ingress", "WAF policy", "annotation appgw.ingress.kubernetes.io/waf-policy-for-path"),
        ("Ingress", "ALB WAF ACL", "annotation alb.ingress.kubernetes.io/wafv2-acl-arn"),
        ("ConfigMap kube-system/aws-auth", "aws-auth user", "data.mapUsers[].userarn"),
        ("ScaledObject", "storage account", "triggers[].metadata.accountName (azure-queue, azure-blob)"),
        ("PersistentVolume", "file share secret", "file.csi.azure.com nodeStageSecretRef / volumeAttributes secretName, azureFile.secretName"),
        ("SecretProviderClass", "key vault", "spec.parameters.keyvaultName (+ tenantId vs the vault's properties.tenantId)"),
        ("SecretProviderClass", "identity", "spec.parameters.userAssignedIdentityID = identity properties.clientId"),
        ("Ingress", "backend", "rules[].http.paths[].backend.service.name / serviceName (not use-annotation actions)"),
        ("Ingress", "default backend", "spec.defaultBackend / spec.backend"),
        ("Ingress", "ingressClass", "annotation kubernetes.io/ingress.class (optional: not every class has an object)"),
        ("Ingress", "ALB security group / ALB subnet / ALB certificate", "alb.ingress.kubernetes.io/{security-groups,subnets,certificate-arn}"),
        ("Service", "selects", "unowned workloads in the namespace whose pod-template labels match spec.selector"),
        ("RoleBinding", "roleRef", "Role (same namespace) or ClusterRole"),
        ("RoleBinding", "subject", "ServiceAccount subjects"),
        ("ClusterRoleBinding", "roleRef", "ClusterRole"),
        ("ClusterRoleBinding", "subject", "ServiceAccount subjects"),
        ("ServiceAccount", "bound by", "RoleBindings / ClusterRoleBindings naming it as a subject"),
        ("ServiceAccount", "IRSA role", "annotation eks.amazonaws.com/role-arn"),
        ("ServiceAccount", "workload identity", "annotation azure.workload.identity/client-id = identity properties.clientId"),
        ("HorizontalPodAutoscaler", "scaleTargetRef", "spec.scaleTargetRef"),
        ("ScaledObject", "scaleTargetRef", "spec.scaleTargetRef (kind defaults to Deployment)"),
        ("ScaledObject", "authenticationRef", "spec.triggers[].authenticationRef (TriggerAuthentication / ClusterTriggerAuthentication)"),
        ("ConfigMap kube-system/aws-auth", "aws-auth role", "data.mapRoles[].rolearn"),
        ("ValidatingWebhookConfiguration", "webhook service", "webhooks[].clientConfig.service"),
        ("MutatingWebhookConfiguration", "webhook service", "webhooks[].clientConfig.service"),
        ("APIService", "service", "spec.service"),
        ("CustomResourceDefinition", "conversion webhook service", "spec.conversion.webhook.clientConfig.service"),
        ("any object", "owner", "metadata.ownerReferences (same namespace, by kind and name)"),
        ("any namespaced object", "namespace", "its Namespace object (optional)"),
        ("custom resource", "definition", "the CustomResourceDefinition with its group and kind"),
    ]
}
