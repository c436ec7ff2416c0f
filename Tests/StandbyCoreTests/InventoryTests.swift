import Testing
@testable import StandbyCore

@Suite struct InventoryTests {
    /// A small mixed inventory built directly from documents.
    static func sample() -> Inventory {
        func kube(_ kind: String, _ apiVersion: String, _ ns: String?, _ name: String, labels: [String: String] = [:],
                  cluster: String = "c1") -> Resource {
            let ref = KubeRef(cluster: cluster, apiVersion: apiVersion, kind: kind, namespace: ns, name: name)
            return Resource(id: ref.id, identity: .kube(ref), kind: kind, group: ref.group, apiVersion: apiVersion,
                            name: name, namespace: ns, cluster: cluster, labels: labels,
                            document: ["kind": .string(kind), "metadata": ["name": .string(name)]],
                            source: SourceRef(path: "k8s.yaml"))
        }
        let vnet = ARMResourceID("/subscriptions/s/resourceGroups/rg/providers/Microsoft.Network/virtualNetworks/vnet1")!
        let subnetARN = ARN("arn:aws:ec2:us-east-1:111111111111:subnet/subnet-0abc")!
        return Inventory(resources: [
            kube("Deployment", "apps/v1", "payments", "api", labels: ["app": "api", "tier": "web"]),
            kube("Deployment", "apps/v1", "payments", "worker", labels: ["app": "worker", "tier": "batch"]),
            kube("Deployment", "apps/v1", "shop", "api", labels: ["app": "api", "tier": "web"]),
            kube("Service", "v1", "payments", "api", labels: ["app": "api"]),
            kube("ClusterRole", "rbac.authorization.k8s.io/v1", nil, "admin"),
            kube("Deployment", "apps/v1", "payments", "api", labels: ["app": "api"], cluster: "c2"),
            Resource(id: vnet.description, identity: .arm(vnet), type: "Microsoft.Network/virtualNetworks", name: "vnet1",
                     tags: ["env": "prod"], document: ["id": .string(vnet.description)], source: SourceRef(path: "azure.json")),
            Resource(id: subnetARN.description, identity: .aws(subnetARN), type: "AWS::EC2::Subnet", name: "subnet-0abc",
                     aliases: ["subnet-0abc"], document: ["SubnetId": "subnet-0abc"], source: SourceRef(path: "aws.json")),
        ], clusters: [Cluster(name: "c1"), Cluster(name: "c2")])
    }

    @Test func findAndsEveryField() {
        let inv = Self.sample()
        #expect(inv.find(ResourceQuery(kind: "Deployment", namespace: "payments", label: "tier=web")).map(\.id)
                == ["k8s://c1/apps/Deployment/payments/api"])
        #expect(inv.find(ResourceQuery(kind: "deployment", label: "app=api")).map(\.id) == [
            "k8s://c1/apps/Deployment/payments/api", "k8s://c1/apps/Deployment/shop/api", "k8s://c2/apps/Deployment/payments/api",
        ])
        #expect(inv.find(ResourceQuery(label: "tier")).count == 3)
        #expect(inv.find(ResourceQuery(label: "tier=")).isEmpty)
        #expect(inv.find(ResourceQuery(namespace: "payments", cluster: "c1")).count == 3)
        #expect(inv.find(ResourceQuery(cluster: "c2")).count == 1)
        #expect(inv.find(ResourceQuery(name: "api")).count == 4)
        #expect(inv.find(ResourceQuery(type: "microsoft.network/VIRTUALNETWORKS")).map(\.name) == ["vnet1"])
        #expect(inv.find(ResourceQuery(type: "Microsoft.Network/virtualNetworks", tag: "env=prod")).count == 1)
        #expect(inv.find(ResourceQuery(tag: "env=dev")).isEmpty)
        #expect(inv.find(ResourceQuery(kind: "Pod")).isEmpty)
        #expect(inv.find(ResourceQuery()).count == inv.count)
        #expect(inv.find(ResourceQuery(kind: "ClusterRole")).first?.namespace == nil)
    }

    @Test func getTriesIDsCaseInsensitiveARMAliasesAndKubeIDs() {
        let inv = Self.sample()
        #expect(inv.get("/SUBSCRIPTIONS/s/resourcegroups/RG/providers/microsoft.network/virtualnetworks/VNET1")?.name == "vnet1")
        #expect(inv.get("/subscriptions/s/resourceGroups/rg/providers/Microsoft.Network/virtualNetworks/vnet1/")?.name == "vnet1")
        #expect(inv.get("subnet-0abc")?.type == "AWS::EC2::Subnet")
        #expect(inv.get("arn:aws:ec2:us-east-1:111111111111:subnet/subnet-0abc")?.name == "subnet-0abc")
        #expect(inv.get("k8s://c1/rbac.authorization.k8s.io/ClusterRole/admin")?.kind == "ClusterRole")
        #expect(inv.get("k8s://c1/core/Service/payments/api")?.kind == "Service")
        #expect(inv.get("k8s://c1/apps/Deployment/payments/nope") == nil)
        #expect(inv.get("ARN:aws:ec2:us-east-1:111111111111:subnet/subnet-0abc") == nil)
    }

    @Test func addingADuplicateMergesAndNotes() {
        var inv = Self.sample()
        let id = "/subscriptions/s/resourceGroups/rg/providers/Microsoft.Network/virtualNetworks/vnet1"
        let later = Resource(id: id.uppercased(), identity: .arm(ARMResourceID(id)!), type: "Microsoft.Network/virtualNetworks",
                             name: "vnet1", tags: ["owner": "net"], aliases: ["vnet-alias"],
                             document: ["location": "westeurope"], source: SourceRef(path: "later.json"))
        inv.add(later)
        #expect(inv.count == 8)
        let merged = inv.get(id)
        #expect(merged?.document == ["id": .string(id), "location": "westeurope"])
        #expect(merged?.tags == ["env": "prod", "owner": "net"])
        #expect(inv.get("vnet-alias")?.name == "vnet1")
        #expect(inv.find(ResourceQuery(type: "Microsoft.Network/virtualNetworks")).count == 1)
        #expect(inv.notes == ["duplicate id \(id.uppercased()): later.json (document 1) merged over azure.json (document 1) (later top-level keys win)"])

        let newcomer = Resource(id: "vpc-1", identity: .aws(nil), type: "AWS::EC2::VPC", name: "vpc-1",
                                document: [:], source: SourceRef(path: "x.json"))
        inv.add(newcomer)
        #expect(inv.count == 9 && inv.find(ResourceQuery(type: "aws::ec2::vpc")).map(\.id) == ["vpc-1"])
    }

    @Test func mergingKeepsEveryIndexCurrent() {
        var inv = Self.sample()
        let ref = KubeRef(cluster: "c1", apiVersion: "apps/v1", kind: "Deployment", namespace: "payments", name: "api")
        inv.add(Resource(id: ref.id, identity: .kube(ref), kind: "Deployment", group: "apps", apiVersion: "apps/v1",
                         name: "api", namespace: "payments", cluster: "c1", labels: ["team": "pay"],
                         document: ["spec": ["replicas": 3]], source: SourceRef(path: "later.yaml")))
        #expect(inv.count == 8)
        #expect(inv.find(ResourceQuery(label: "team=pay")).map(\.id) == [ref.id])
        #expect(inv.find(ResourceQuery(label: "tier=web")).map(\.id) == [ref.id, "k8s://c1/apps/Deployment/shop/api"])
        #expect(inv.find(ResourceQuery(kind: "Deployment", cluster: "c1")).count == 3)
        #expect(inv.get(ref.id)?.labels == ["app": "api", "tier": "web", "team": "pay"])
        #expect(inv.get(ref.id)?.document["spec"] == ["replicas": 3])
        #expect(inv.get(ref.id)?.document["kind"] == "Deployment")
    }

    @Test func summaryCountsByTypeKindAndCluster() {
        let s = Self.sample().summary
        #expect(s.total == 8)
        #expect(s.byType == ["Microsoft.Network/virtualNetworks": 1, "AWS::EC2::Subnet": 1])
        #expect(s.byKind == ["Deployment": 4, "Service": 1, "ClusterRole": 1])
        #expect(s.byCluster["c1"] == InventorySummary.ClusterCounts(objects: 5, byKind: ["Deployment": 3, "Service": 1, "ClusterRole": 1]))
        #expect(s.byCluster["c2"]?.objects == 1)
        #expect(s.description == """
            8 resources, 0 notes
            cloud types:
              1 AWS::EC2::Subnet
              1 Microsoft.Network/virtualNetworks
            kinds:
              1 ClusterRole
              4 Deployment
              1 Service
            cluster c1: 5 objects
              1 ClusterRole
              3 Deployment
              1 Service
            cluster c2: 1 object
              1 Deployment
            """)
    }
}
