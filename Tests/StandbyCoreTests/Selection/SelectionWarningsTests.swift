import Foundation
import Testing
import StandbyTestSupport
@testable import StandbyCore

/// Nothing silent about a selection: a namespace that selects nothing, a binding subject left out,
/// a resource-group mapping a built-in overrides. Each reaches the plan's "Needs a person".
@Suite struct SelectionWarningsTests {
    static let clusterID = SampleEstate.aksID

    @Test("a misspelt namespace is an issue with a suggestion, first in the plan report")
    func misspeltNamespace() throws {
        let inv = try SampleEstate.inventory()
        let sel = inv.select(SelectionRequest(roots: [Self.clusterID], namespaces: ["payments", "chekout", "aks-prod-weu/paymnets"]))
        #expect(sel.unknownNamespaces.map(\.entry) == ["chekout", "aks-prod-weu/paymnets"])
        #expect(sel.unknownNamespaces.map(\.suggestion) == ["checkout", "aks-prod-weu/payments"])
        let t = Translator(settings: TranslationSettings(to: SampleEstate.recovery, mode: .failover)).translate(sel)
        let md = PlanReport(RecoveryPlan(t)).markdown
        let needs = try #require(md.range(of: "## Needs a person")), created = try #require(md.range(of: "## What will be created"))
        let first = String(md[needs.upperBound..<created.lowerBound])
        #expect(first.contains("namespace 'chekout' is in no cluster of the inventory, so it selected nothing (did you mean 'checkout'?)"))
        #expect(first.contains("(did you mean 'aks-prod-weu/payments'?)"))
        #expect(inv.select(SelectionRequest(roots: [Self.clusterID], namespaces: ["payments"])).unknownNamespaces.isEmpty)
    }

    @Test("a binding's ServiceAccount subject outside the selection is in the plan report and keeps its reason in the point's issues")
    func externalBindingSubject() throws {
        let yaml = KubeObjects.bindingWithSubjectInReports
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("standby-sel-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: dir) }
        try yaml.write(to: dir.appendingPathComponent("rbac.yaml"), atomically: true, encoding: .utf8)
        let inv = try InventoryLoader.load(path: dir.path + "/rbac.yaml", options: LoadOptions(cluster: "c1"))
        let sel = inv.select(SelectionRequest(namespaces: ["payments"]))
        let t = Translator(settings: TranslationSettings(to: SampleEstate.recovery, mode: .failover)).translate(sel)
        let notes = RecoveryPlan(t).notes
        let note = try #require(notes.first { $0.subject == "k8s://c1/rbac.authorization.k8s.io/RoleBinding/payments/read-reports" })
        #expect(note.message.contains("subjects[0]"))
        #expect(note.message.contains("ServiceAccount reports/reporter is in namespace reports, which this selection does not select"))
        let issues = try PointFormat.issues(PointFormat.issuesJSON(sel))
        let external = try #require(issues.dangling.first { $0.target == "ServiceAccount reports/reporter" })
        #expect(external.reason?.contains("which this selection does not select") == true)
    }

    @Test("a resource_groups entry for an AKS node resource group is overridden by the built-in, and the report names both")
    func overriddenNodeResourceGroup() throws {
        var to = SampleEstate.recovery
        to.resourceGroups["MC_rg-payments-prod_aks-prod-weu_westeurope"] = "rg-nodes-dr"
        let t = Translator(settings: TranslationSettings(to: to, mode: .failover)).translate(try SampleEstate.selection())
        let issue = try #require(t.issues.first { $0.feature == "to.azure.resource_groups" })
        #expect(issue.resource == Self.clusterID)
        #expect(issue.message.contains("maps MC_rg-payments-prod_aks-prod-weu_westeurope to rg-nodes-dr"))
        #expect(issue.message.contains("names it MC_rg-payments-dr_aks-prod-weu_northeurope"))
        let plain = Translator(settings: TranslationSettings(to: SampleEstate.recovery, mode: .failover)).translate(try SampleEstate.selection())
        #expect(!plain.issues.contains { $0.feature == "to.azure.resource_groups" })
    }
}
