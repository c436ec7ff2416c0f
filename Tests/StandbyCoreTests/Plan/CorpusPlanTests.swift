import Foundation
import Testing
@testable import StandbyCore
import StandbyTestSupport

/// Every capture vendored under `Tests/Fixtures/` (az CLI and REST examples, aws-cli examples,
/// kubectl manifests; provenance in the SOURCES.md files), file by file: it loads, plans in
/// `failover` mode without rule failures into something deployable, and an AKS capture also plans
/// in `test` mode with the sandbox attached.
@Suite("Every vendored capture plans")
struct CorpusPlanTests {
    static let root = LocalServer.root + "/Tests/Fixtures"
    static let folders = ["arm", "eks", "k8s", "real/azcli", "real/rest", "real/kubectl"]
    static let to = RecoveryEnvironment(
        azure: AzureSite(subscription: "11111111-2222-3333-4444-555555555555", location: "eastus2",
                         tenant: "99999999-8888-7777-6666-555555555555"),
        aws: AWSSite(account: "999988887777", region: "us-west-2"))

    static let files: [String] = folders.flatMap { folder in
        ((try? FileManager.default.contentsOfDirectory(atPath: root + "/" + folder)) ?? [])
            .filter { !$0.hasPrefix(".") && $0 != "SOURCES.md" }.sorted().map { folder + "/" + $0 }
    }

    @Test func theCorpusHasAtLeastThirtyFilesAcrossTheFourShapes() {
        #expect(Self.files.count >= 30, "\(Self.files.count) files")
        for shape in ["arm/", "eks/", "k8s/", "real/azcli/", "real/kubectl/"] {
            #expect(Self.files.contains { $0.hasPrefix(shape) }, "no \(shape) capture")
        }
    }

    @Test(arguments: files)
    func loadsAndPlans(_ file: String) throws {
        let inventory = try InventoryLoader.load(path: Self.root + "/" + file, options: LoadOptions(cluster: "corpus", region: "us-east-1"))
        #expect(inventory.count > 0, "\(file) loaded nothing")
        let failover = RecoveryPlan(Translator(settings: TranslationSettings(to: Self.to, mode: .failover))
            .translate(inventory.resources, in: inventory))
        #expect(failover.translation.failures.isEmpty, "\(file): \(failover.translation.failures)")
        let deployable = (failover.azure?.creates.count ?? 0) + failover.eks.reduce(0) { $0 + $1.requests.count }
            + failover.kubernetes.reduce(0) { $0 + $1.manifests.count }
        if deployable == 0 {
            // Nothing to deploy (EKS node groups without their cluster): every resource is named in a note.
            let subjects = Set(failover.notes.map(\.subject))
            for r in failover.translation.resources {
                #expect(subjects.contains(r.recoveryID ?? r.source.id), "\(file): \(r.source.id) is neither deployed nor noted")
            }
            #expect(!failover.notes.isEmpty, "\(file): the failover plan deploys nothing and says nothing")
        }
        #expect(!failover.files.isEmpty)
        guard inventory.resources.contains(where: { $0.type == ARMResourceTypes.managedClusters }) else { return }
        var test = RecoveryPlan(Translator(settings: TranslationSettings(to: Self.to, mode: .test)).translate(inventory.resources, in: inventory))
        test.attach(try SandboxFirewallBuilder.build(plan: test, allow: ["mcr.microsoft.com"]))
        #expect(test.sandbox?.routeTables.isEmpty == false, "\(file): the sandbox routes no subnet")
    }
}
