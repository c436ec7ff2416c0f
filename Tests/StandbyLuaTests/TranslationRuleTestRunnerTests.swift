import Foundation
import StandbyCore
import StandbyLua
import Testing

/// ``RuleTestRunner``: rule tests kept as YAML beside the rule (`standby test`), without the CLI.
@Suite("RuleTestRunner")
struct TranslationRuleTestRunnerTests {
    static let rule = """
        local standby = require "standby"
        return {
          standby.map_id("/subscriptions/\(TranslationBindingTests.src)/resourceGroups/rg-app/providers/Microsoft.ManagedIdentity/userAssignedIdentities/id-api",
                         "/subscriptions/\(TranslationBindingTests.dst)/resourceGroups/rg-shared/providers/Microsoft.ManagedIdentity/userAssignedIdentities/id-api"),
          standby.rule{
            name = "contoso registry",
            match = { ["k8s:kind"] = "Deployment" },
            apply = function(obj, ctx)
              for _, c in ipairs(obj.spec.template.spec.containers) do
                c.image = c.image:gsub("^registry%.contoso%.com/", "registry-dr.contoso.com/")
              end
              if obj.metadata.name == "boom" then error("boom is not allowed") end
            end,
          },
        }
        """

    static func deployment(_ name: String, image: String, replicas: Int = 3) -> String {
        """
          apiVersion: apps/v1
          kind: Deployment
          metadata: {name: \(name), namespace: payments}
          spec:
            replicas: \(replicas)
            template: {spec: {containers: [{name: app, image: "\(image)"}]}}
        """
    }

    static let to = "{ azure: { subscription: \"\(TranslationBindingTests.dst)\", location: northeurope } }"

    static let passing = """
        name: rewrites the registry
        to: \(to)
        input:
        \(deployment("api", image: "registry.contoso.com/api:1"))
        expect:
        \(deployment("api", image: "registry-dr.contoso.com/api:1"))
        ---
        name: a failing rule is expected
        to: \(to)
        input:
        \(deployment("boom", image: "x:1"))
        expect_error: boom is not allowed
        ---
        name: map_id in the module and the built-ins on a cloud document
        to: { azure: { subscription: "\(TranslationBindingTests.dst)", location: northeurope, resource_groups: { rg-app: rg-app-dr } } }
        input: {id: "\(TranslationBindingTests.identity)", name: id-api, type: Microsoft.ManagedIdentity/userAssignedIdentities, location: westeurope}
        expect: {id: "/subscriptions/\(TranslationBindingTests.dst)/resourceGroups/rg-shared/providers/Microsoft.ManagedIdentity/userAssignedIdentities/id-api",
                 name: id-api, type: Microsoft.ManagedIdentity/userAssignedIdentities, location: northeurope}
        """

    static let failing = """
        - name: wrong replicas
          to: \(to)
          input:
          \(deployment("api", image: "registry.contoso.com/api:1").replacingOccurrences(of: "\n", with: "\n  "))
          expect:
          \(deployment("api", image: "registry.contoso.com/api:1", replicas: 2).replacingOccurrences(of: "\n", with: "\n  "))
        - name: expects an error that does not happen
          to: \(to)
          input:
          \(deployment("api", image: "x:1").replacingOccurrences(of: "\n", with: "\n  "))
          expect_error: kaboom
        - name: misspelt field
          to: \(to)
          inptu: {}
        """

    func run(_ files: [String: String], verbose: Bool = false) throws -> (summary: RuleTestRunner.Summary, lines: [String]) {
        let folder = try Fixture.folder(files)
        var lines: [String] = []
        let summary = RuleTestRunner(rulesDirectory: folder + "/rules", stdlibPath: Fixture.stdlib, verbose: verbose)
            .run { lines.append($0) }
        return (summary, lines)
    }

    @Test("passing cases print PASS and count as passed")
    func passingCases() throws {
        let (summary, lines) = try run(["rules/contoso.lua": Self.rule, "rules/contoso.test.yaml": Self.passing])
        #expect(lines.contains("PASS rewrites the registry"), "\(lines)")
        #expect(lines.contains("PASS a failing rule is expected"), "\(lines)")
        #expect(lines.contains("PASS map_id in the module and the built-ins on a cloud document"), "\(lines)")
        #expect(lines.last == "3 passed, 0 failed")
        #expect(summary.succeeded)
    }

    @Test("failing cases print FAIL with each differing path, a missed error, or the misspelt field")
    func failingCases() throws {
        let (summary, lines) = try run(["rules/contoso.lua": Self.rule, "rules/contoso.test.yaml": Self.failing])
        let text = lines.joined(separator: "\n")
        #expect(text.contains("""
            FAIL wrong replicas
                spec.replicas: expected 2, got 3
                spec.template.spec.containers[0].image: expected "registry.contoso.com/api:1", got "registry-dr.contoso.com/api:1"
            """), "\(text)")
        #expect(text.contains("FAIL expects an error that does not happen\n    expected a rule failure containing 'kaboom', but every rule succeeded"), "\(text)")
        #expect(text.contains("FAIL misspelt field\n    ") && text.contains("unknown field 'inptu' (did you mean 'input'?)"), "\(text)")
        #expect(lines.last == "0 passed, 3 failed")
        #expect(!summary.succeeded)
        #expect(summary.failed == 3)
    }

    @Test("a rule error where none is expected fails the case with the rule, object and line")
    func unexpectedRuleError() throws {
        let yaml = """
            name: boom
            to: \(Self.to)
            input:
            \(Self.deployment("boom", image: "x:1"))
            expect:
            \(Self.deployment("boom", image: "x:1"))
            """
        let (summary, lines) = try run(["rules/contoso.lua": Self.rule, "rules/contoso.test.yaml": yaml])
        #expect(summary.failed == 1)
        let detail = lines.first { $0.hasPrefix("    rule 'contoso registry' on Deployment payments/boom: ") } ?? ""
        #expect(detail.contains("/rules/contoso.lua:12: boom is not allowed"), "\(lines)")
    }

    @Test("--verbose prints the translation report under each case")
    func verbose() throws {
        let (_, lines) = try run(["rules/contoso.lua": Self.rule, "rules/contoso.test.yaml": Self.passing], verbose: true)
        #expect(lines.contains("    |   spec.template.spec.containers[0].image: registry.contoso.com/api:1 → registry-dr.contoso.com/api:1 (rule: contoso registry)"), "\(lines)")
    }

    @Test("broken modules, missing modules and empty folders fail with a reason")
    func brokenSetups() throws {
        let (s1, l1) = try run(["rules/bad.lua": "return {\n  standby.rule{\n", "rules/bad.test.yaml": Self.passing])
        #expect(s1.failed == 3)
        #expect(l1.contains { $0.contains("/rules/bad.lua:") }, "\(l1)")
        let (s2, l2) = try run(["rules/orphan.test.yaml": Self.passing])
        #expect(!s2.succeeded)
        #expect(l2.contains { $0.contains("no rule module") && $0.contains("orphan.lua") }, "\(l2)")
        let (s3, l3) = try run(["rules/contoso.lua": Self.rule])
        #expect(!s3.succeeded)
        #expect(l3.count == 1 && l3[0].hasPrefix("no rule tests in ") && l3[0].hasSuffix(": write <rule>.test.yaml next to each <rule>.lua"), "\(l3)")
    }
}
