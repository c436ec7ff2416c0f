import Foundation
import StandbyCore
import Testing

/// ``TranslationReport`` on a small translation made in Swift: exact text, JSON shape, determinism.
@Suite("TranslationReport")
struct TranslationReportTests {
    static let src = TranslationBindingTests.src
    static let dst = TranslationBindingTests.dst

    /// A Swift step standing in for a rule.
    struct OneReplica: TranslationStep {
        let name = "one replica"
        func applies(to resource: Resource) -> Bool { resource.kind == "Deployment" && resource.name == "api" }
        func apply(to document: inout TranslatedDocument, in context: TranslationContext) throws {
            document.set([.key("spec"), .key("replicas")], .int(1), by: "rule: one replica")
            document.set([.key("spec"), .key("paused")], .bool(true), by: "rule: one replica")
        }
    }

    struct Failing: TranslationStep {
        struct Boom: Error, CustomStringConvertible { var description: String { "rules/x.lua:3: boom" } }
        let name = "failing"
        func applies(to resource: Resource) -> Bool { resource.kind == "ConfigMap" }
        func apply(to document: inout TranslatedDocument, in context: TranslationContext) throws {
            document.set([.key("data"), .key("X")], .string("half"), by: "rule: failing")
            throw Boom()
        }
    }

    static func translation() throws -> Translation {
        let folder = try TranslationBindingTests.folder()
        let inventory = try InventoryLoader.load(paths: ["\(folder)/objects.yaml", "\(folder)/azure.json"],
                                                 options: LoadOptions(cluster: "c1"))
        let ids = [TranslationBindingTests.identity, TranslationBindingTests.api, TranslationBindingTests.config]
        let resources = ids.compactMap { inventory.get($0) }
        let settings = TranslationSettings(
            to: RecoveryEnvironment(azure: AzureSite(subscription: dst, location: "northeurope"), resourceGroups: ["rg-app": "rg-app-dr"]),
            from: SourceEnvironment(accounts: ["111111111111"]))
        return Translator(settings: settings, rules: [OneReplica(), Failing()]).translate(resources, in: inventory)
    }

    @Test("text: summary, each changed object with path: before → after (by), kept values, failures")
    func text() throws {
        let report = try Self.translation().report
        let identity = TranslationBindingTests.identity, recovered = TranslationBindingTests.recoveredIdentity
        let text = report.text
        let lines = text.split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
        #expect(lines[0] == "Translation (test) to Azure \(Self.dst)/northeurope")
        #expect(lines[1] == report.summary.description)
        #expect(text.contains("""

            Microsoft.ManagedIdentity/userAssignedIdentities id-api → \(recovered) (derived)
              id: \(identity) → \(recovered) (built-in: 
            """), "\(text)")
        #expect(text.contains("  location: westeurope → northeurope (built-in: location)\n"), "\(text)")
        #expect(text.contains("""

            Deployment payments/api → k8s://c1/apps/Deployment/payments/api (same cluster name)
              spec.replicas: 3 → 1 (rule: one replica)
              spec.paused: (absent) → true (rule: one replica)

            """), "\(text)")
        #expect(text.contains("\nConfigMap payments/api-config → k8s://c1/core/ConfigMap/payments/api-config (same cluster name)\n  data.IDENTITY: \(identity) → \(recovered) (built-in: "))
        #expect(!text.contains("half"), "the failed step's edit was rolled back")
        #expect(text.hasSuffix("""

            Rule failures (the object was left as it was before the rule)
              rule 'failing' on ConfigMap payments/api-config: rules/x.lua:3: boom

            """), "\(text)")
        // Sections come in this order.
        let order = ["Deployment payments/api →", "Rule failures"].compactMap { text.range(of: $0)?.lowerBound }
        #expect(order.count == 2 && order[0] < order[1])
    }

    @Test("JSON: objects in input order with changes (before absent when added), failures, summary")
    func json() throws {
        let report = try Self.translation().report
        let json = report.jsonValue
        let objects = try #require(json["objects"]?.arrayValue)
        #expect(objects.map { $0["source"] } == [.string(TranslationBindingTests.identity), .string(TranslationBindingTests.api),
                                                 .string(TranslationBindingTests.config)])
        #expect(objects[0]["recovery"] == .string(TranslationBindingTests.recoveredIdentity))
        #expect(objects[0]["mapping"] == "derived")
        let apiChanges = try #require(objects[1]["changes"]?.arrayValue)
        #expect(apiChanges == [
            ["path": "spec.replicas", "before": 3, "after": 1, "by": "rule: one replica"],
            ["path": "spec.paused", "after": true, "by": "rule: one replica"],
        ])
        #expect(json["failures"] == [["rule": "failing", "resource": .string(TranslationBindingTests.config),
                                      "display": "ConfigMap payments/api-config", "message": "rules/x.lua:3: boom"]])
        #expect(json["summary"]?["resources"] == 3)
        #expect(json["summary"]?["failures"] == 1)
        #expect(json["summary"]?["text"] == .string(report.summary.description))
        #expect(json["to"] == ["azure": ["subscription": .string(Self.dst), "location": "northeurope",
                                         "resource_groups": ["rg-app": "rg-app-dr"], "unique_suffix": "dr"]])
        #expect(json["mode"] == "test")
    }

    @Test("the same translation gives the same text and JSON every time")
    func deterministic() throws {
        let a = try Self.translation().report, b = try Self.translation().report
        #expect(a.text == b.text)
        #expect(JSONSerializer.serialize(a.jsonValue) == JSONSerializer.serialize(b.jsonValue))
    }

    @Test("kept values, ids without a recovery counterpart and issues get their own sections")
    func keptAndUnmapped() throws {
        let folder = try Fixture.folder(["subnets.json": """
            {"Subnets": [{"SubnetId": "subnet-0b1c2d3e4f5a60718", "VpcId": "vpc-0a3c5e7f9b1d24680", "CidrBlock": "10.0.0.0/24",
              "AvailabilityZone": "us-east-1a", "OwnerId": "111111111111",
              "SubnetArn": "arn:aws:ec2:us-east-1:111111111111:subnet/subnet-0b1c2d3e4f5a60718"}]}
            """])
        let inventory = try InventoryLoader.load(path: "\(folder)/subnets.json", options: LoadOptions(region: "us-east-1", account: "111111111111"))
        let t = Translator(settings: TranslationSettings(to: RecoveryEnvironment(aws: AWSSite(account: "999988887777", region: "us-west-2"))))
            .translate(inventory.resources, in: inventory)
        let text = t.report.text
        #expect(text.contains("\nWithout a recovery id\n  AWS::EC2::Subnet "), "\(text)")
        #expect(text.contains("standby.map_id"), "\(text)")
        #expect(text.contains("\nKept as is\n"), "\(text)")
    }
}
