import Foundation
import Testing
@testable import StandbyCore
import StandbyTestSupport

/// Closures over the public Kubernetes fixtures (Tests/Fixtures/k8s).
@Suite("Selection: public fixtures")
struct SelectionFixtureTests {
    static func fixture(_ name: String) throws -> String? {
        try Fixtures.text("k8s/\(name)")
    }

    static let demoDeployments = [
        "adservice", "cartservice", "checkoutservice", "currencyservice", "emailservice", "frontend", "loadgenerator",
        "paymentservice", "productcatalogservice", "recommendationservice", "redis-cart", "shippingservice",
    ]

    @Test func microservicesDemoClosures() throws {
        guard let demo = try Self.fixture("microservices-demo-kubernetes-manifests.yaml") else { return }
        let inv = try TestEstate.aks(demo).load()
        #expect(inv.resources.count == 23)
        for name in Self.demoDeployments {
            // No ConfigMaps, Secrets, volumes or service accounts in the demo: a Deployment needs only itself.
            let d = select(SelectionRequest(roots: [k("apps/Deployment/default/\(name)")]), in: inv)
            #expect(d.ids == [k("apps/Deployment/default/\(name)")], "\(name)")
            #expect(d.dangling.isEmpty, "\(name)")
            // Every Service selects exactly the Deployment of its name.
            guard name != "loadgenerator" else { continue }
            let s = select(SelectionRequest(roots: [k("core/Service/default/\(name)")]), in: inv)
            #expect(s.ids == [k("apps/Deployment/default/\(name)"), k("core/Service/default/\(name)")], "\(name)")
            #expect(s.explain(k("apps/Deployment/default/\(name)")) == "Service default/\(name) → selects → Deployment default/\(name)")
        }
        #expect(inv.get(k("core/Service/default/loadgenerator")) == nil)

        let all = select(SelectionRequest(namespaces: ["default"]), in: inv)
        #expect(all.ids.count == 23)
        #expect(all.summary.selected == 23)

        // With a default ServiceAccount present, every Deployment pulls it in.
        let withSA = try TestEstate.aks(demo, "apiVersion: v1\nkind: ServiceAccount\nmetadata: {name: default, namespace: default}").load()
        let f = select(SelectionRequest(roots: [k("apps/Deployment/default/frontend")]), in: withSA)
        #expect(f.ids == [k("apps/Deployment/default/frontend"), k("core/ServiceAccount/default/default")])
        #expect(f.why(k("core/ServiceAccount/default/default"))?.first?.path == "spec.template.spec.serviceAccountName")
    }

    @Test func keyVaultCSIFixtures() throws {
        guard let deploy = try Self.fixture("akv-deployment-synck8s.yaml"),
              let spc = try Self.fixture("akv-secretproviderclass-sync.yaml") else { return }
        let vault = "[" + arm("Microsoft.KeyVault/vaults/kvname", properties: #"{"tenantId": "tid"}"#) + "]"
        let inv = try TestEstate.aks(deploy, spc, azure: [vault]).load()
        let s = select(SelectionRequest(roots: [k("apps/Deployment/default/busybox-deployment")]), in: inv)
        #expect(displays(s) == ["Deployment default/busybox-deployment", "SecretProviderClass default/azure-sync", "vaults kvname"])
        #expect(s.explain(armID("Microsoft.KeyVault/vaults/kvname"))
                == "Deployment default/busybox-deployment → secretProviderClass → SecretProviderClass default/azure-sync → key vault → vaults kvname")
        #expect(s.dangling.map { "\($0.relation) \($0.target) @ \($0.path)" } == [
            "nodePublishSecretRef Secret default/secrets-store-creds @ spec.template.spec.volumes[0].csi.nodePublishSecretRef.name",
            "env Secret default/foosecret @ spec.template.spec.containers[0].env[0].valueFrom.secretKeyRef.name",
            "secretObjects Secret default/foosecret @ spec.secretObjects[0].secretName",
        ])
    }

    @Test func agicFixture() throws {
        guard let yaml = try Self.fixture("agic-aspnetapp.yaml") else { return }
        let inv = try TestEstate.aks(yaml).load()
        let s = select(SelectionRequest(roots: [k("networking.k8s.io/Ingress/default/aspnetapp")]), in: inv)
        #expect(s.explain(k("core/Pod/default/aspnetapp"))
                == "Ingress default/aspnetapp → backend → Service default/aspnetapp → selects → Pod default/aspnetapp")
        #expect(s.ids.count == 3)
        #expect(s.dangling.isEmpty)    // the ingress.class annotation names no IngressClass object: optional
    }

    @Test func staticVolumeFixtures() throws {
        guard let pv = try Self.fixture("azuredisk-static-pv.yaml"), let pvc = try Self.fixture("azuredisk-static-pvc.yaml"),
              let efs = try Self.fixture("efs-static-pv.yaml") else { return }
        let inv = try TestEstate.aks(pv, pvc, efs).load()
        let s = select(SelectionRequest(roots: [k("core/PersistentVolumeClaim/default/pvc-azuredisk"), k("core/PersistentVolume/efs-pv")]),
                       in: inv)
        #expect(s.explain(k("core/PersistentVolume/pv-azuredisk"))
                == "PersistentVolumeClaim default/pvc-azuredisk → volumeName → PersistentVolume pv-azuredisk")
        #expect(s.dangling.map { "\($0.from) \($0.path) \($0.relation) \($0.target)" } == [
            "\(k("core/PersistentVolume/efs-pv")) spec.storageClassName storageClass StorageClass efs-sc",
            "\(k("core/PersistentVolume/efs-pv")) spec.csi.volumeHandle EFS file system fs-e8a95a42",
            "\(k("core/PersistentVolume/pv-azuredisk")) spec.csi.volumeHandle Azure disk /subscriptions/{sub-id}/resourcegroups/{group-name}/providers/microsoft.compute/disks/{disk-id}",
        ])
    }

    @Test func kedaAndALBFixtures() throws {
        guard let keda = try Self.fixture("keda-scaledobject.yaml"), let echo = try Self.fixture("alb-echoserver-ingress.yaml"),
              let rails = try Self.fixture("alb-ingress-external-rails.yaml") else { return }
        let inv = try TestEstate.aks(keda, echo, rails).load()
        #expect(referenceLines(inv, k("keda.sh/ScaledObject/default/example-scaledobject")) == [
            "scaleTargetRef ✗ Deployment default/example-deployment",
        ])
        #expect(referenceLines(inv, k("extensions/Ingress/echoserver/echoserver")) == ["backend ✗ Service echoserver/echoserver"])
        // The `redirect` backend is an ALB action (servicePort use-annotation), not a Service.
        #expect(referenceLines(inv, k("extensions/Ingress/some-namespace/ingress-external")) == [
            "ALB certificate ✗ acm:certificate:arn",
            "ALB security group ✗ sg-23157498",
            "ALB subnet ✗ 123456789",
            "ALB subnet ✗ 321457987",
            "ALB subnet ✗ 95481321",
            "backend ✗ Service some-namespace/web-external",
        ])
    }
}
