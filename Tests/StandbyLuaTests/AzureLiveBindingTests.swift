import Foundation
import Testing
import StandbyCore
import StandbyLua
import StandbyTestSupport

/// `standby.azure.discover` and `plan:apply{ target = { azure = ... } }` from a script, against
/// the ARM wire-format test server (`Tests/Servers/arm_wire_server.py`: a local HTTP server
/// speaking ARM's wire format, not Azure).
@Suite("Lua: Azure discovery and apply against a wire-format test server", .serialized)
struct AzureLiveBindingTests {
    static let scripts = (LocalServer.root as NSString).appendingPathComponent("scripts")

    /// Five lines that build the drill's plan (test mode, the sample selection) as `plan`.
    static let planLines = """
        local standby = require "standby"
        local sample = require "lib.sample"
        local t = standby.translate{ selection = sample.select(standby.inventory.load("\(scripts)/estate")),
                                     mode = "test", to = require "rules.environment", rules = { require "rules.contoso" } }
        local plan = standby.plan{ translation = t }
        """

    /// A fresh server replaying `Tests/Fixtures/arm`, with `AZURE_ACCESS_TOKEN` set for the
    /// scripts (the binding reads credentials from the environment, as a runbook does).
    static func server() throws -> LocalServer? {
        guard let fixtures = Fixtures.path("arm") else { return nil }
        setenv("AZURE_ACCESS_TOKEN", "lua-binding-test-token", 1)
        do {
            return try LocalServer.startScript("arm_wire_server.py", arguments: [fixtures], probe: "/_test/requests")
        } catch {
            Issue.record("ARM wire-format test server: \(error.message)")
            return nil
        }
    }

    @Test func discoverReturnsAnInventoryWithTheClusterAndItsPools() throws {
        guard let server = try Self.server() else { return }
        let (results, _) = try Fixture.run("""
            local standby = require "standby"
            local inv = standby.azure.discover{ subscription = "00000000-0000-0000-0000-000000000000",
                                                resource_group = "rg1", endpoint = "\(server.endpoint)" }
            local names = {}
            for _, c in ipairs(inv:clusters()) do names[#names + 1] = c.name .. "=" .. c.cloud end
            return inv.count, table.concat(names, ","),
              #inv:find{ type = "Microsoft.ContainerService/managedClusters/agentPools" }
            """)
        #expect((results[0].intValue ?? 0) > 1)
        #expect(results[1].stringValue?.contains("clustername1=azure") == true)
        #expect((results[2].intValue ?? 0) >= 1)
    }

    @Test("apply deploys the drill's ARM template, reports the parts it has no target for, and re-applies as updates")
    func applyDeploysTheAzurePartAndSaysWhatItSkipped() throws {
        guard let server = try Self.server() else { return }
        let code = """
            \(Self.planLines)
            local first = plan:apply{ target = { azure = { endpoint = "\(server.endpoint)" } } }
            local again = plan:apply{ target = { azure = { endpoint = "\(server.endpoint)" } }, existing = "update" }
            return first, again, plan.summary.azure_resources
            """
        let runtime = try Fixture.runtime(luaPaths: [Self.scripts])
        let (results, _) = try Fixture.run(code, in: runtime)
        let first = results[0], again = results[1]
        let resources = Int(try #require(results[2].intValue))
        #expect(first["ok"] == true)
        let created = first["created"]?.arrayValue ?? []
        #expect(created.count == resources)
        #expect(created.allSatisfy { $0["target"] == "azure" })
        let skipped = first["skipped"]?.arrayValue ?? []
        #expect(skipped.contains { $0["target"] == "aws" && $0["message"] == "no target.aws given" })
        #expect(skipped.filter { $0["target"] == "kubernetes" }.count == 2, "both clusters' objects, not applied")
        #expect(first["summary"]?.stringValue == "\(resources) created, 0 updated, \(skipped.count) skipped, 0 failed")
        #expect(again["updated"]?.arrayValue?.count == resources)
        #expect(again["created"]?.arrayValue?.isEmpty == true)
    }

    @Test("a cluster whose context cannot be loaded fails as a record; the Azure deployment before it still runs")
    func anUnreachableClusterIsAFailedRecordNotAnError() throws {
        guard let server = try Self.server() else { return }
        let code = """
            \(Self.planLines)
            return plan:apply{ target = { azure = { endpoint = "\(server.endpoint)" },
                                          kube = { ["aks-prod-weu"] = { kubeconfig = "/nonexistent/kubeconfig" } } } }
            """
        let (results, _) = try Fixture.run(code, in: try Fixture.runtime(luaPaths: [Self.scripts]))
        let result = results[0]
        #expect(result["ok"] == false)
        #expect((result["created"]?.arrayValue ?? []).allSatisfy { $0["target"] == "azure" })
        #expect(result["created"]?.arrayValue?.isEmpty == false)
        let failed = try #require(result["failed"]?.arrayValue)
        #expect(failed.count == 1)
        #expect(failed.first?["id"] == "aks-prod-weu")
        #expect(failed.first?["message"]?.stringValue?.hasPrefix("not attempted (") == true)
        #expect(failed.first?["message"]?.stringValue?.contains("/nonexistent/kubeconfig") == true)
    }

    @Test func applyErrorsTeach() throws {
        let cases: [(String, String)] = [
            ("plan:apply{ target = { azrue = {} } }", "unknown field 'azrue' (did you mean 'azure'?)"),
            ("plan:apply{ target = { aws = true }, existing = \"overwrite\" }", "field 'existing' must be \"skip\" or \"update\""),
            ("plan:apply{ target = { kube = { context = \"dr\" } } }",
             "the plan restores several clusters: give target.kube per cluster, e.g. { [\"aks-prod-weu\"] = { context = \"...\" } }"),
            ("plan:apply{ target = { kube = { [\"aks-prod-weu\"] = { contxt = \"dr\" } } } }",
             "target.kube[\"aks-prod-weu\"]: unknown field 'contxt' (did you mean 'context'?)"),
            ("plan:apply{ }", "field 'target' is required"),
            ("plan:apply{ target = { kube = { [\"eks-prod-use1\"] = { eks = true } } } }",
             "target.kube for eks-prod-use1 is { eks = true }, which reaches an EKS cluster this plan creates with target.aws's credentials: give target.aws"),
            ("plan:apply{ target = { aws = true, kube = { [\"aks-prod-weu\"] = { eks = true } } } }",
             "the plan creates no EKS cluster aks-prod-weu"),
            ("plan:apply{ target = { aws = true, kube = { [\"eks-prod-use1\"] = { eks = true, context = \"dr\" } } } }",
             "give either eks = true or a kubeconfig context, not both"),
            ("plan:apply{ target = { aws = true, kube = { [\"eks-prod-use1\"] = { eks = \"yes\" } } } }",
             "eks must be true (or left out)"),
        ]
        for (call, message) in cases {
            let runtime = try Fixture.runtime(luaPaths: [Self.scripts])
            let (error, path) = try Fixture.failure("""
                \(Self.planLines)
                \(call)
                """, in: runtime)
            let description = try #require(error).description
            #expect(description.contains(message), "\(call): \(description)")
            #expect(description.contains("\(path):6:"), "\(call): names the line that called apply")
        }
    }
}
