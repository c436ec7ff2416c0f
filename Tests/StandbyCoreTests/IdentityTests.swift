import Testing
@testable import StandbyCore

@Suite struct ARMResourceIDTests {
    let poolText = "/subscriptions/00000000-0000-0000-0000-000000000000/resourcegroups/rg1/providers/Microsoft.ContainerService/managedClusters/clustername1/agentPools/agentpool1"

    @Test func parsesAndNormalisesKeywords() throws {
        let id = try #require(ARMResourceID(poolText))
        #expect(id.description == "/subscriptions/00000000-0000-0000-0000-000000000000/resourceGroups/rg1/providers/Microsoft.ContainerService/managedClusters/clustername1/agentPools/agentpool1")
        #expect(id.subscription == "00000000-0000-0000-0000-000000000000")
        #expect(id.resourceGroup == "rg1")
        #expect(id.providerNamespace == "Microsoft.ContainerService")
        #expect(id.resourceType == "Microsoft.ContainerService/managedClusters/agentPools")
        #expect(id.typeSegments == ["managedClusters", "agentPools"])
        #expect(id.nameSegments == ["clustername1", "agentpool1"])
        #expect(id.name == "agentpool1")
        #expect(id.key == id.description.lowercased())
        #expect(!id.isExtension && !id.isResourceGroup && !id.isSubscription)
        #expect(ARMResourceID("/SUBSCRIPTIONS/s/RESOURCEGROUPS/g/PROVIDERS/Microsoft.Network/virtualNetworks/v/")?.description
                == "/subscriptions/s/resourceGroups/g/providers/Microsoft.Network/virtualNetworks/v")
    }

    @Test func parentChildAndCaseInsensitiveEquality() throws {
        let pool = try #require(ARMResourceID(poolText))
        let cluster = try #require(pool.parent)
        #expect(cluster.description == "/subscriptions/00000000-0000-0000-0000-000000000000/resourceGroups/rg1/providers/Microsoft.ContainerService/managedClusters/clustername1")
        #expect(cluster.resourceType == "Microsoft.ContainerService/managedClusters")
        #expect(pool.isChild(of: cluster))
        #expect(!cluster.isChild(of: pool))
        let group = try #require(cluster.parent)
        #expect(group.description == "/subscriptions/00000000-0000-0000-0000-000000000000/resourceGroups/rg1")
        #expect(group.isResourceGroup && group.resourceType == "Microsoft.Resources/resourceGroups" && group.name == "rg1")
        let subscription = try #require(group.parent)
        #expect(subscription.isSubscription && subscription.resourceType == "Microsoft.Resources/subscriptions")
        #expect(subscription.parent == nil)
        #expect(pool.isDescendant(of: group) && pool.isDescendant(of: subscription) && !group.isDescendant(of: pool))

        #expect(cluster.child(type: "agentPools", name: "agentpool1") == pool)
        #expect(cluster.child(type: "microsoft.containerservice/MANAGEDCLUSTERS/agentPools", name: "agentpool1") == pool)
        #expect(group.child(type: "Microsoft.Network/virtualNetworks", name: "vnet")?.description
                == "/subscriptions/00000000-0000-0000-0000-000000000000/resourceGroups/rg1/providers/Microsoft.Network/virtualNetworks/vnet")
        #expect(group.child(type: "agentPools", name: "x") == nil)
        #expect(cluster.child(type: "agentPools", name: "a/b") == nil)

        let upper = try #require(ARMResourceID(poolText.uppercased()))
        #expect(upper == pool)
        #expect(Set([upper, pool]).count == 1)
        #expect(upper.description != pool.description)
    }

    @Test func extensionAndTenantLevelResources() throws {
        let cluster = try #require(ARMResourceID("/subscriptions/s/resourceGroups/rg/providers/Microsoft.ContainerService/managedClusters/aks"))
        let assignment = try #require(cluster.child(type: "Microsoft.Authorization/roleAssignments", name: "ra1"))
        #expect(assignment.description == "/subscriptions/s/resourceGroups/rg/providers/Microsoft.ContainerService/managedClusters/aks/providers/Microsoft.Authorization/roleAssignments/ra1")
        #expect(assignment.isExtension)
        #expect(assignment.resourceType == "Microsoft.Authorization/roleAssignments")
        #expect(assignment.providerNamespace == "Microsoft.Authorization")
        #expect(assignment.subscription == "s" && assignment.resourceGroup == "rg")
        #expect(assignment.parent == cluster && assignment.scope == cluster)

        let subLevel = try #require(ARMResourceID("/subscriptions/s/providers/Microsoft.Authorization/roleDefinitions/rd"))
        #expect(subLevel.resourceGroup == nil && subLevel.resourceType == "Microsoft.Authorization/roleDefinitions")
        #expect(subLevel.parent?.description == "/subscriptions/s")

        let tenant = try #require(ARMResourceID("/providers/Microsoft.Management/managementGroups/mg1"))
        #expect(tenant.subscription == nil && tenant.name == "mg1" && tenant.parent == nil && tenant.scope == nil)
    }

    @Test func oddFixtureShapesDoNotCrash() throws {
        let odd = try #require(ARMResourceID("/subscriptions/subid/providers/Microsoft.Network/resourceGroup/rg1/ipGroups/ipGroups1"))
        #expect(odd.subscription == "subid" && odd.resourceGroup == nil)
        #expect(odd.resourceType == "Microsoft.Network/resourceGroup/ipGroups" && odd.name == "ipGroups1")
        let placeholder = try #require(ARMResourceID("/subscriptions/{sub-id}/resourcegroups/{group-name}/providers/microsoft.compute/disks/{disk-id}"))
        #expect(placeholder.description == "/subscriptions/{sub-id}/resourceGroups/{group-name}/providers/microsoft.compute/disks/{disk-id}")
        #expect(ARMResourceTypes.canonical(placeholder.resourceType) == "Microsoft.Compute/disks")
    }

    @Test(arguments: [
        "", "subscriptions/s", "/subscriptions", "/subscriptions/s/resourceGroups", "/foo/bar",
        "/subscriptions/s/providers/Microsoft.Network", "/subscriptions/s//resourceGroups/g",
        "/subscriptions/s/resourceGroups/g/providers/Microsoft.Network/virtualNetworks",
        "/subscriptions/s/resourceGroups/g/extra/x",
    ])
    func rejectsNonIDs(_ text: String) {
        #expect(ARMResourceID(text) == nil)
    }

    @Test func canonicalTypeCasing() {
        #expect(ARMResourceTypes.canonical("Microsoft.ContainerService/ManagedClusters") == "Microsoft.ContainerService/managedClusters")
        #expect(ARMResourceTypes.canonical("microsoft.network/dnsZones") == "Microsoft.Network/dnszones")
        #expect(ARMResourceTypes.canonical("Contoso.Widgets/gadgets") == "Contoso.Widgets/gadgets")
    }
}

@Suite struct ARNTests {
    @Test func parsesPartsAndRoundTrips() throws {
        let text = "arn:aws:eks:us-east-2:111122223333:nodegroup/my-eks-cluster/my-eks-nodegroup/bac7550f-b8b8-5fbb-4f3e-7502a931119e"
        let arn = try #require(ARN(text))
        #expect(arn.partition == "aws" && arn.service == "eks" && arn.region == "us-east-2" && arn.account == "111122223333")
        #expect(arn.resource == "nodegroup/my-eks-cluster/my-eks-nodegroup/bac7550f-b8b8-5fbb-4f3e-7502a931119e")
        #expect(arn.resourceType == "nodegroup")
        #expect(arn.resourceID == "my-eks-cluster/my-eks-nodegroup/bac7550f-b8b8-5fbb-4f3e-7502a931119e")
        #expect(arn.description == text)
    }

    @Test func globalServicesColonsAndBareResources() throws {
        let role = try #require(ARN("arn:aws:iam::111122223333:role/eksctl-role"))
        #expect(role.region == "" && role.resourceType == "role" && role.resourceID == "eksctl-role")
        let fn = try #require(ARN("arn:aws-cn:lambda:cn-north-1:123456789012:function:f:1"))
        #expect(fn.partition == "aws-cn" && fn.resourceType == "function" && fn.resourceID == "f:1")
        let bucket = try #require(ARN("arn:aws:s3:::my-bucket"))
        #expect(bucket.account == "" && bucket.resourceType == nil && bucket.resourceID == "my-bucket")
        #expect(bucket.description == "arn:aws:s3:::my-bucket")
        #expect(ARN(partition: "aws", service: "ec2", region: "us-east-1", account: "1", resource: "vpc/vpc-1").description
                == "arn:aws:ec2:us-east-1:1:vpc/vpc-1")
    }

    @Test(arguments: ["", "arn", "arn:aws", "arn:aws:s3:::", "arn::s3:::x", "notarn:aws:s3:::x", "arn:aws::r:a:x"])
    func rejectsNonARNs(_ text: String) {
        #expect(ARN(text) == nil)
    }
}

@Suite struct KubeRefTests {
    @Test func idsRoundTrip() throws {
        let deploy = KubeRef(cluster: "aks-prod", apiVersion: "apps/v1", kind: "Deployment", namespace: "payments", name: "api")
        #expect(deploy.id == "k8s://aks-prod/apps/Deployment/payments/api")
        #expect(deploy.group == "apps" && deploy.version == "v1" && deploy.apiVersion == "apps/v1")
        #expect(deploy.display == "Deployment payments/api")
        let parsed = try #require(KubeRef(id: deploy.id))
        #expect(parsed == deploy && parsed.version == nil && parsed.apiVersion == nil && parsed.id == deploy.id)

        let cm = KubeRef(cluster: "c", apiVersion: "v1", kind: "ConfigMap", namespace: "default", name: "x")
        #expect(cm.id == "k8s://c/core/ConfigMap/default/x" && cm.group == "" && cm.apiVersion == "v1")
        #expect(KubeRef(id: cm.id)?.group == "")

        let role = KubeRef(cluster: "c", apiVersion: "rbac.authorization.k8s.io/v1", kind: "ClusterRole", namespace: nil, name: "system:admin")
        #expect(role.id == "k8s://c/rbac.authorization.k8s.io/ClusterRole/system:admin")
        #expect(role.display == "ClusterRole system:admin")
        #expect(KubeRef(id: role.id) == role && KubeRef(id: role.id)?.namespace == nil)
    }

    @Test(arguments: ["", "k8s://", "k8s://c/core/Pod", "k8s://c/core/Pod/ns/name/extra", "k8s://c//Pod/n", "https://c/core/Pod/n"])
    func rejectsMalformedIDs(_ id: String) {
        #expect(KubeRef(id: id) == nil)
    }

    @Test func scopeRules() {
        var scope = KubeScope()
        #expect(scope.namespace(group: "", kind: "Namespace", metadataNamespace: "ignored") == nil)
        #expect(scope.namespace(group: "rbac.authorization.k8s.io", kind: "ClusterRoleBinding", metadataNamespace: nil) == nil)
        #expect(scope.namespace(group: "cert-manager.io", kind: "ClusterIssuer", metadataNamespace: nil) == nil)
        #expect(scope.namespace(group: "apps", kind: "Deployment", metadataNamespace: nil) == "default")
        #expect(scope.namespace(group: "", kind: "ConfigMap", metadataNamespace: "kube-system") == "kube-system")
        #expect(scope.namespace(group: "keda.sh", kind: "ScaledObject", metadataNamespace: nil) == "default")
        // Unknown custom kinds: namespaced exactly when metadata.namespace is set.
        #expect(scope.namespace(group: "example.com", kind: "Widget", metadataNamespace: nil) == nil)
        #expect(scope.namespace(group: "example.com", kind: "Widget", metadataNamespace: "team") == "team")
        // A CRD in the inventory decides.
        scope.learn(fromCRD: ["spec": ["group": "example.com", "names": ["kind": "Widget"], "scope": "Namespaced"]])
        scope.learn(fromCRD: ["spec": ["group": "example.com", "names": ["kind": "Gizmo"], "scope": "Cluster"]])
        #expect(scope.namespace(group: "example.com", kind: "Widget", metadataNamespace: nil) == "default")
        #expect(scope.namespace(group: "example.com", kind: "Gizmo", metadataNamespace: "team") == nil)
        let learnt = scope.learn(fromCRD: ["spec": ["group": "x"]])
        #expect(!learnt)
    }
}
