import Foundation
import StandbyCore
@testable import StandbyLua
import Testing

/// `standby.sandbox.firewall` and `standby.allowlists` from Lua, on the sample estate translated for
/// a failover test into northeurope.
@Suite("standby.sandbox and standby.allowlists")
struct SandboxBindingTests {
    static let root = URL(fileURLWithPath: Fixture.stdlib).deletingLastPathComponent().path

    /// Loads the sample estate, selects the AKS cluster with two namespaces, translates it in
    /// `mode` and builds `plan` (7 lines, so the body starts at line 8).
    static func prelude(mode: String = "test") -> String {
        """
        local standby = require "standby"
        local allow = require "standby.allowlists"
        local inv = standby.inventory.load("\(root)/scripts/estate")
        local sel = standby.select{ inventory = inv, roots = { "/subscriptions/8f3c2a1e-5b7d-4c9a-9e21-3d6f0a4b7c15/resourceGroups/rg-payments-prod/providers/Microsoft.ContainerService/managedClusters/aks-prod-weu" }, namespaces = { "payments", "checkout" } }
        local t = standby.translate{ selection = sel, mode = "\(mode)", to = { azure = { subscription = "0b9d4c3e-7a61-4f2b-8c5d-1e2f3a4b5c6d",
          location = "northeurope", resource_groups = { ["rg-payments-prod"] = "rg-payments-dr" } } } }
        local plan = standby.plan{ translation = t }

        """
    }

    func run(_ body: String, mode: String = "test") throws -> [JSONValue] {
        try Fixture.run(Self.prelude(mode: mode) + body).results
    }

    func failure(_ body: String, mode: String = "test") throws -> (error: LuaScriptError?, path: String) {
        try Fixture.failure(Self.prelude(mode: mode) + body)
    }

    @Test("firewall{plan, allow} attaches the sandbox to the plan and lists the frontends, the allowlist and the notes")
    func firewallAttaches() throws {
        let r = try run("""
            local before = plan.summary.sandbox_frontends
            local fw = standby.sandbox.firewall{ plan = plan, allow = allow.aks("northeurope") + { "api.stripe.com", ".blob.core.windows.net" } }
            local notes = {}
            for _, n in ipairs(fw.notes) do notes[#notes + 1] = n.message end
            return fw.frontends, fw.allow, before, plan.summary.sandbox_frontends, table.concat(notes, "\\n"), tostring(fw),
                   fw.plan == plan, #fw.resources
            """)
        let frontends = try #require(r[0].arrayValue)
        #expect(frontends.count == 2)
        let api = try #require(frontends.first { $0["service"] == "payments/api" })
        #expect(api["cluster"] == "aks-prod-weu")
        #expect(api["public_ip"] == "pip-fw-aks-prod-weu-payments-api")
        #expect(api["ports"] == [443])
        #expect(api["protocol"] == "TCP")
        #expect(api["address"]?.stringValue?.hasPrefix("10.224.255.") == true)
        let allowed = (r[1].arrayValue ?? []).compactMap { $0.stringValue }
        #expect(allowed.count == 12, "the 11 AKS domains and api.stripe.com; .blob.core.windows.net is already there")
        #expect(allowed.contains("*.hcp.northeurope.azmk8s.io"))
        #expect(allowed.filter { $0 == "*.blob.core.windows.net" }.count == 1)
        #expect(r[2] == .int(0))
        #expect(r[3] == .int(2))
        #expect(r[4].stringValue?.contains("send traffic for Service payments/api (443/TCP) to the firewall public IP pip-fw-aks-prod-weu-payments-api") == true)
        #expect(r[5].stringValue?.hasPrefix("standby.Firewall(2 frontends, 12 allowed domains") == true, "\(r[5])")
        #expect(r[6] == true)
        #expect((r[7].intValue ?? 0) > 10)
    }

    @Test("allowlists.aks(region): the reference's 11 domains with the recovery region's azmk8s entry")
    func aksAllowlist() throws {
        let r = try run("""
            local list = allow.aks("westus2")
            local copy = {}
            for i, d in ipairs(list) do copy[i] = d end
            return copy, allow.aks(plan)[9], allow.is(list), allow.is({}), tostring(list)
            """)
        #expect(r[0] == [
            "acs-mirror.azureedge.net", "packages.aks.azure.com", "packages.microsoft.com", "*.blob.storage.azure.net",
            "*.blob.core.windows.net", "mcr.microsoft.com", "*.data.mcr.microsoft.com", "dc.services.visualstudio.com",
            "*.hcp.westus2.azmk8s.io", "login.microsoftonline.com", "management.azure.com",
        ])
        #expect(r[1] == "*.hcp.northeurope.azmk8s.io", "a plan gives its recovery location")
        #expect(r[2] == true)
        #expect(r[3] == false)
        #expect(r[4] == "standby.Allowlist(11 domains)")
    }

    @Test("standby.allowlists and standby.sandbox on the standby module; the allowlists module is read-only")
    func moduleWiring() throws {
        let r = try Fixture.run("""
            local standby = require "standby"
            local ok = pcall(function() standby.allowlists.aks = nil end)
            local ok2 = pcall(function() (require "standby.allowlists").aks = nil end)
            return standby.allowlists.aks("eastus")[9], type(standby.sandbox.firewall), ok, ok2,
                   rawequal(standby.allowlists.aks, (require "standby.allowlists").aks)
            """).results
        #expect(r == ["*.hcp.eastus.azmk8s.io", "function", false, false, true])
    }

    @Test("allowlists.aks refuses what is not a region name, at the caller's line")
    func badRegion() throws {
        let (error, path) = try failure("""
            local list = allow.aks("West Europe")
            """)
        #expect(error?.message == "\(path):8: allowlists.aks: \"West Europe\" is not an Azure region name: use the programmatic name (\"westeurope\")")
        let (error2, path2) = try failure("local list = allow.aks(42)")
        #expect(error2?.message.hasPrefix("\(path2):8: allowlists.aks: region expected") == true, "\(error2?.message ?? "")")
        let (error3, _) = try failure("local list = allow.aks(t)")
        #expect(error3?.message.hasSuffix("a standby.Plan), got standby.Translation") == true, "\(error3?.message ?? "")")
        let (error4, _) = try failure("local list = allow.aks(\"east-us\")")
        #expect(error4?.message.contains("\"east-us\" is not an Azure region name") == true, "\(error4?.message ?? "")")
    }

    @Test("lists combine with +: order of first appearance, duplicates dropped as the firewall compares them")
    func addition() throws {
        let r = try run("""
            local a = allow.list{ "b.example.com", "A.example.com" }
            local sum = a + { "a.example.com", ".c.example.com", "*.C.example.com", "d.example.com." } + allow.list{ "d.example.com" }
            local left = { "x.example.com" } + a
            local copy = {}
            for i, d in ipairs(sum) do copy[i] = d end
            return copy, allow.is(sum), left[1], #left
            """)
        #expect(r[0] == ["b.example.com", "A.example.com", ".c.example.com", "d.example.com."])
        #expect(r[1] == true)
        #expect(r[2] == "x.example.com")
        #expect(r[3] == .int(3))
        let (error, path) = try failure("""
            local x = allow.aks("westus2") + { "ok.example.com", 42 }
            """)
        #expect(error?.message == "\(path):8: right operand[2] must be a string (a domain), got number")
        let (error2, path2) = try failure("""
            local x = allow.aks("westus2") + "api.stripe.com"
            """)
        #expect(error2?.message == "\(path2):8: cannot add string to an allowlist: the right operand must be a list of domains")
    }

    @Test("allowlists.addons(plan): the extras of the add-ons enabled on the plan's clusters, and of Windows pools")
    func addons() throws {
        let r = try run("""
            local list = allow.addons(plan)
            local copy = {}
            for i, d in ipairs(list) do copy[i] = d end
            return copy
            """)
        let list = (r[0].arrayValue ?? []).compactMap { $0.stringValue }
        // Container Insights (omsagent), in the recovery region.
        for d in ["*.ods.opinsights.azure.com", "*.oms.opinsights.azure.com", "*.monitoring.azure.com",
                  "northeurope.ingest.monitor.azure.com", "northeurope.handler.control.monitor.azure.com"] {
            #expect(list.contains(d), "\(d)")
        }
        // Azure Policy, Key Vault CSI, AGIC, Windows node pools.
        for d in ["data.policy.core.windows.net", "store.policy.core.windows.net", "vault.azure.net", "*.vault.azure.net",
                  "management.azure.com", "login.microsoftonline.com", "go.microsoft.com", "*.mp.microsoft.com"] {
            #expect(list.contains(d), "\(d)")
        }
        #expect(!list.contains("nvidia.github.io"), "no GPU pools in the sample")
        #expect(Set(list).count == list.count)
        #expect(!list.contains { $0.contains("westeurope") }, "the recovery region, not the source's")
        let (error, path) = try failure("local list = allow.addons(t)")
        #expect(error?.message == "\(path):8: allowlists.addons: standby.Plan expected (from standby.plan{...}), got standby.Translation")
    }

    @Test("an invalid FQDN or misplaced wildcard is refused with each entry named; the plan is left as it was")
    func invalidEntries() throws {
        let (error, path) = try failure("""
            local ok = pcall(standby.sandbox.firewall, { plan = plan, allow = { "ok.example.com", "foo.*.com", "exa mple.com", "*" } })
            assert(plan.summary.sandbox_frontends == 0, "nothing attached")
            standby.sandbox.firewall{ plan = plan, allow = { "ok.example.com", "foo.*.com", "exa mple.com", "*" } }
            """)
        let message = try #require(error?.message)
        #expect(message.hasPrefix("\(path):10: firewall: 3 invalid allowlist entries: "), "\(message)")
        #expect(message.contains("allow[2] \"foo.*.com\": a wildcard is allowed only as the first label"), "\(message)")
        #expect(message.contains("allow[3] \"exa mple.com\": contains whitespace"), "\(message)")
        #expect(message.contains("allow[4] \"*\": '*' would allow every destination"), "\(message)")
        #expect(!message.contains("ok.example.com"))
    }

    @Test("plan:write(dir, { files = \"all\" }) writes all.yaml and the reports without a file per object; an unknown value is refused")
    func writeAllYAMLOnly() throws {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("standby-plan-\(UUID().uuidString)").path
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let r = try run("""
            local each = plan:write("\(dir)/each")
            local all = plan:write("\(dir)/all", { files = "all" })
            local same = plan:write("\(dir)/default", { files = "each" })
            return each, all, #same == #each
            """)
        let each = try #require(r[0].arrayValue).compactMap(\.stringValue)
        let all = try #require(r[1].arrayValue).compactMap(\.stringValue)
        #expect(r[2] == true)
        #expect(all.contains("report.json") && all.contains("report.md"))
        #expect(all.contains { $0.hasPrefix("kubernetes/") && $0.hasSuffix("/all.yaml") })
        #expect(!all.contains { $0.hasPrefix("kubernetes/") && !$0.hasSuffix("/all.yaml") })
        #expect(each.count > all.count)
        #expect(Set(all).isSubset(of: Set(each)))
        let (error, path) = try failure("plan:write(\"\(dir)/bad\", { files = \"some\" })")
        #expect(error?.message.hasPrefix("\(path):8: bad argument #2 to 'write' (files must be \"each\"") == true, "\(error?.message ?? "")")
    }

    @Test("plan and allow are required, of the right types")
    func argumentErrors() throws {
        let cases: [(String, String)] = [
            ("standby.sandbox.firewall{ allow = {} }", "bad argument #1 to 'firewall' (field 'plan' is required: a standby.Plan"),
            ("standby.sandbox.firewall{ plan = t, allow = {} }", "bad argument #1 to 'firewall' (field 'plan': standby.Plan expected, got standby.Translation)"),
            ("standby.sandbox.firewall{ plan = {}, allow = {} }", "bad argument #1 to 'firewall' (field 'plan': standby.Plan expected, got table)"),
            ("standby.sandbox.firewall{ plan = plan }", "bad argument #1 to 'firewall' (field 'allow' is required"),
            ("standby.sandbox.firewall{ plan = plan, allow = { 1 } }", "firewall: allow[1] must be a string (a domain), got number"),
            ("standby.sandbox.firewall{ plan = plan, allow = {}, alow = {} }", "bad argument #1 to 'firewall' (unknown field 'alow' (did you mean 'allow'?)"),
            ("standby.sandbox.firewall(plan)", "bad argument #1 to 'firewall' (table expected, got standby.Plan)"),
        ]
        for (code, expected) in cases {
            let (error, path) = try failure(code)
            #expect(error?.message.hasPrefix("\(path):8: \(expected)") == true, "\(code): \(error?.message ?? "no error")")
        }
    }

    @Test("a failover translation cannot be sandboxed")
    func failoverMode() throws {
        let (error, path) = try failure("""
            standby.sandbox.firewall{ plan = plan, allow = allow.aks("northeurope") }
            """, mode: "failover")
        #expect(error?.message == "\(path):8: firewall: \(SandboxFirewallBuilder.failoverMessage)")
    }

    @Test("an empty allowlist denies all egress and says so")
    func emptyAllowlist() throws {
        let r = try run("""
            local fw = standby.sandbox.firewall{ plan = plan, allow = {} }
            for _, n in ipairs(fw.notes) do
              if n.message:find("egress allowlist is empty", 1, true) then return #fw.allow, true end
            end
            return #fw.allow, false
            """)
        #expect(r[0] == .int(0))
        #expect(r[1] == true)
    }
}
