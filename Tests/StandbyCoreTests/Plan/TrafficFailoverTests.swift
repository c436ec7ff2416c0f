import Foundation
import Testing
@testable import StandbyCore
import StandbyTestSupport

/// Traffic follows the failover: recovery endpoints in the Traffic Manager profiles and Front Door
/// origin groups in front of the primary, registry geo-replication or an import list. On the
/// sample estate (two Traffic Manager profiles, a Front Door origin, a Premium registry) and on
/// real Azure REST examples (Tests/Fixtures/real/traffic, provenance in Tests/Fixtures/SOURCES.md).
@Suite("Traffic follows the failover")
struct TrafficFailoverTests {
    static let checkoutProfile = "/subscriptions/\(SampleEstate.subscription)/resourceGroups/rg-payments-prod/providers/Microsoft.Network/trafficManagerProfiles/tm-contoso-checkout"
    static let realRoot = LocalServer.root + "/Tests/Fixtures/real/traffic"

    static func plan(_ mode: TranslationMode, sandbox: Bool) throws -> RecoveryPlan {
        let t = try SampleEstate.translate(mode: mode)
        var plan = RecoveryPlan(t)
        plan.route(TrafficSources(try SampleEstate.inventory()))
        if sandbox { plan.attach(try SandboxFirewallBuilder.build(plan: plan, allow: ["mcr.microsoft.com"])) }
        return plan
    }

    /// The resource bodies of a traffic template (inside its nested deployments).
    static func bodies(_ template: JSONValue?) -> [JSONValue] {
        (template?["resources"]?.arrayValue ?? []).compactMap { $0["properties"]?["template"]?["resources"]?[0] }
    }

    @Test func aFailoverTestAddsDisabledEndpointsAtTheLowestPriorityThroughTheSandbox() throws {
        let plan = try Self.plan(.test, sandbox: true)
        let traffic = try #require(plan.traffic)
        #expect(traffic.endpoints.count == 3)
        #expect(traffic.endpoints.allSatisfy { $0.status == "Disabled" })
        let checkout = try #require(traffic.endpoints.first { $0.front == Self.checkoutProfile })
        #expect(checkout.priority == 11, "the profile's lowest priority is 10 (maintenance-page)")
        #expect(checkout.target.hasSuffix("/publicIPAddresses/pip-fw-aks-prod-weu-checkout-web"))
        #expect(checkout.serves == "Service checkout/web of aks-prod-weu")
        let origin = try #require(traffic.endpoints.first { $0.service == "Front Door" })
        #expect(origin.priority == 2 && origin.id.hasSuffix("/origins/checkout-weu-recovery"))
        let bodies = Self.bodies(traffic.template)
        #expect(bodies.count == 3, "a test never re-sends the primary's endpoints")
        let tm = try #require(bodies.first { $0["name"]?.stringValue == "tm-contoso-checkout/checkout-weu-recovery" })
        #expect(tm["properties"]?["endpointStatus"]?.stringValue == "Disabled")
        #expect(tm["properties"]?["target"]?.stringValue?.hasPrefix("[reference('/subscriptions/\(SampleEstate.recoverySubscription)/") == true)
        #expect(!bodies.contains { ($0["name"]?.stringValue ?? "").contains("maintenance-page") }, "an endpoint not in front of the primary is left alone")
        let afd = try #require(bodies.first { $0["type"]?.stringValue == "Microsoft.Cdn/profiles/originGroups/origins" })
        #expect(afd["properties"]?["enabledState"]?.stringValue == "Disabled")
        #expect(afd["properties"]?["originHostHeader"]?.stringValue == "checkout.contoso.com")
    }

    @Test func aFailoverSwitchesPriorityAndNamesWhatAKSAssigns() throws {
        let plan = try Self.plan(.failover, sandbox: false)
        let traffic = try #require(plan.traffic)
        let checkout = try #require(traffic.endpoints.first { $0.front == Self.checkoutProfile })
        #expect(checkout.status == "Enabled" && checkout.priority == 1)
        #expect(checkout.target == "/subscriptions/\(SampleEstate.recoverySubscription)/resourceGroups/rg-network-prod/providers/Microsoft.Network/publicIPAddresses/pip-checkout-web")
        let bodies = Self.bodies(traffic.template)
        let demoted = try #require(bodies.first { $0["name"]?.stringValue == "tm-contoso-checkout/checkout-weu" })
        #expect(demoted["properties"]?["priority"]?.intValue == 11)
        #expect(demoted["properties"]?["endpointMonitorStatus"] == nil, "read-only")
        // payments/api's address is one AKS assigns: a person adds that endpoint, after.
        #expect(!traffic.endpoints.contains { $0.front.hasSuffix("tm-contoso-payments-api") })
        let note = try #require(traffic.notes.first { $0.message.contains("payments-api-weu") })
        #expect(note.phase == .after && note.message.contains("--profile-name tm-contoso-payments-api"))
    }

    @Test func aPremiumRegistryIsGeoReplicatedWithTheRealReplicationShapeAndItsImagesListed() throws {
        let plan = try Self.plan(.test, sandbox: true)
        let traffic = try #require(plan.traffic)
        let registry = try #require(traffic.registries.first)
        #expect(registry.sku == "Premium")
        #expect(registry.replication?.hasSuffix("/registries/crpaymentsprodweu/replications/northeurope") == true)
        #expect(registry.images == ["checkout/cart:3.2.0", "checkout/pricing:0.9.7", "checkout/web:3.2.0", "payments/api:2.8.1",
                                    "payments/ledger:1.3.0", "payments/worker:2.8.1"])
        #expect(traffic.imports.first == "az acr import --name crpaymentsprodweudr --source crpaymentsprodweu.azurecr.io/checkout/cart:3.2.0 --image checkout/cart:3.2.0")
        let replication = try #require(Self.bodies(traffic.prepare).first)
        // Writable properties: those of a real replication (ReplicationList.json) less the read-only ones.
        let real = try JSONParser.parse(String(contentsOfFile: Self.realRoot + "/ReplicationList.json", encoding: .utf8))
        let realKeys = Set(real["responses"]?["200"]?["body"]?["value"]?[0]?["properties"]?.objectValue?.keys ?? [])
        #expect(Set(replication["properties"]?.objectValue?.keys ?? []) == realKeys.subtracting(["provisioningState", "status"]))
        #expect(replication["location"]?.stringValue == "northeurope")
        let phases = traffic.notes.filter { $0.subject == registry.source }.map(\.phase)
        #expect(phases == [.before])
        #expect(traffic.notes.contains { $0.subject == registry.recovery && $0.phase == .during })
    }

    @Test func writtenFilesIncludeTheTrafficTemplatesAndTheImportList() throws {
        let files = try Self.plan(.test, sandbox: true).files.map(\.path)
        for f in ["azure/traffic.json", "azure/prepare.json", "azure/acr-import.sh", "report.html"] { #expect(files.contains(f), "\(f)") }
    }

    /// Real captures: a Traffic Manager profile (Performance routing, an external endpoint), a
    /// Front Door origin on blob storage, a Standard registry. The cluster's objects are written
    /// here: an Ingress serving the endpoint's host and a Deployment pulling from the registry.
    @Test func realProfileOriginAndStandardRegistry() throws {
        let folder = try TemporaryFolder()
        defer { folder.remove() }
        let k8s = try folder.write("k8s/app.yaml", """
        apiVersion: networking.k8s.io/v1
        kind: Ingress
        metadata: {name: web, namespace: shop}
        spec:
          rules:
          - host: foobar.contoso.com
            http: {paths: [{path: /, pathType: Prefix, backend: {service: {name: web, port: {number: 80}}}}]}
        status: {loadBalancer: {ingress: [{ip: 203.0.113.10}]}}
        ---
        apiVersion: apps/v1
        kind: Deployment
        metadata: {name: web, namespace: shop}
        spec:
          selector: {matchLabels: {app: web}}
          template:
            metadata: {labels: {app: web}}
            spec: {containers: [{name: web, image: myRegistry.azurecr-test.io/shop/web:1.0},
                                {name: evil, image: "myRegistry.azurecr-test.io/shop/x:1;touch \(folder.path)/pwned 'q'"}]}
        """)
        let inventory = try InventoryLoader.load(
            paths: ["Profile-GET-WithEndpoints.json", "AFDOrigins_Get.json", "RegistryGet.json"].map { Self.realRoot + "/" + $0 } + [k8s],
            options: LoadOptions(cluster: "shop-weu"))
        let to = RecoveryEnvironment(azure: AzureSite(subscription: "11111111-2222-3333-4444-555555555555", location: "eastus"))
        var plan = RecoveryPlan(Translator(settings: TranslationSettings(to: to, mode: .test)).translate(inventory.resources, in: inventory))
        plan.route(TrafficSources(inventory))
        let traffic = try #require(plan.traffic)
        // The external endpoint's target is the Ingress's host: AKS assigns the recovery address.
        let endpoint = try #require(traffic.notes.first { $0.message.contains("My external endpoint") })
        #expect(endpoint.phase == .after)
        #expect(endpoint.message.contains("Ingress shop/web of shop-weu") && endpoint.message.contains("disable it for the test"))
        #expect(traffic.endpoints.isEmpty)
        // The blob origin is not in front of the cluster: said, not silently skipped.
        #expect(traffic.notes.contains { $0.message.contains("origin group origingroup1") && $0.message.contains("host1.blob.core.windows.net")
            && $0.message.contains("left as it is") })
        // Standard: no geo-replication; the import list, and a warning before.
        let registry = try #require(traffic.registries.first)
        #expect(registry.sku == "Standard" && registry.replication == nil && traffic.prepare == nil)
        let evil = "shop/x:1;touch \(folder.path)/pwned 'q'"
        #expect(registry.images == ["shop/web:1.0", evil])
        #expect(traffic.imports.count == 2 && traffic.imports[0].contains("--source myregistry.azurecr-test.io/shop/web:1.0"))
        // The lines run in a shell: a hostile image name stays one argument and runs nothing.
        let script = try folder.write("import.sh", "az() { printf '%s\\n' \"$@\"; }\n" + traffic.imports.joined(separator: "\n") + "\n")
        let sh = Process()
        sh.executableURL = URL(fileURLWithPath: "/bin/sh")
        sh.arguments = [script]
        sh.currentDirectoryURL = URL(fileURLWithPath: folder.path)   // whatever a broken quoting ran stays in the folder
        let out = Pipe()
        sh.standardOutput = out
        try sh.run()
        let printed = String(decoding: out.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self).split(separator: "\n").map(String.init)
        sh.waitUntilExit()
        #expect(sh.terminationStatus == 0)
        #expect(printed.contains("myregistry.azurecr-test.io/" + evil) && printed.contains(evil))
        #expect(!FileManager.default.fileExists(atPath: folder.path + "/pwned"))
        #expect(traffic.notes.contains { $0.phase == .before && $0.message.contains("Standard, which has no geo-replication") })
    }
}
