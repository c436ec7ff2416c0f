import Foundation
import Testing

@Suite("standby test")
struct TestCommandTests {
    static let rule = """
        local standby = require "standby"
        return {
          standby.rule{
            name = "one replica",
            match = { ["k8s:kind"] = "Deployment", ["k8s:namespace"] = "payments" },
            apply = function(obj) obj.spec.replicas = 1 end,
          },
        }
        """

    static func cases(expectedReplicas: Int) -> String {
        """
        name: scales payments down
        to: { aws: { account: "999988887777", region: us-west-2 } }
        input:
          apiVersion: apps/v1
          kind: Deployment
          metadata: { name: api, namespace: payments }
          spec: { replicas: 3 }
        expect:
          apiVersion: apps/v1
          kind: Deployment
          metadata: { name: api, namespace: payments }
          spec: { replicas: \(expectedReplicas) }
        ---
        name: leaves other namespaces alone
        to: { aws: { account: "999988887777", region: us-west-2 } }
        input: { apiVersion: apps/v1, kind: Deployment, metadata: { name: web, namespace: web }, spec: { replicas: 3 } }
        expect: { apiVersion: apps/v1, kind: Deployment, metadata: { name: web, namespace: web }, spec: { replicas: 3 } }
        """
    }

    static func rulesFolder(expectedReplicas: Int) throws -> URL {
        let dir = try StandbyBinary.temporaryDirectory()
        let rules = dir.appendingPathComponent("rules")
        try FileManager.default.createDirectory(at: rules, withIntermediateDirectories: true)
        try rule.write(to: rules.appendingPathComponent("scale.lua"), atomically: true, encoding: .utf8)
        try cases(expectedReplicas: expectedReplicas).write(to: rules.appendingPathComponent("scale.test.yaml"), atomically: true, encoding: .utf8)
        return dir
    }

    @Test("passing rule tests print PASS per case and exit 0")
    func passing() throws {
        let dir = try Self.rulesFolder(expectedReplicas: 1)
        let r = try StandbyBinary.run(["test", "rules"], in: dir)
        #expect(r.status == 0, "stdout: \(r.stdout) stderr: \(r.stderr)")
        #expect(r.stdout == """
            rules/scale.test.yaml (rules from scale)
            PASS scales payments down
            PASS leaves other namespaces alone
            2 passed, 0 failed

            """)
    }

    @Test("a failing case prints FAIL with the differing path and exits 1")
    func failing() throws {
        let dir = try Self.rulesFolder(expectedReplicas: 3)
        let r = try StandbyBinary.run(["test", "rules"], in: dir)
        #expect(r.status == 1)
        #expect(r.stdout.contains("FAIL scales payments down\n    spec.replicas: expected 3, got 1\nPASS leaves other namespaces alone\n"), "\(r.stdout)")
        #expect(r.stdout.hasSuffix("1 passed, 1 failed\n"))
    }

    @Test("--verbose prints each case's translation report")
    func verbose() throws {
        let dir = try Self.rulesFolder(expectedReplicas: 1)
        let r = try StandbyBinary.run(["test", "--verbose", "rules"], in: dir)
        #expect(r.status == 0)
        #expect(r.stdout.contains("    |   spec.replicas: 3 → 1 (rule: one replica)\n"), "\(r.stdout)")
    }

    @Test("a missing folder is a usage error that names it; a folder without tests exits 1")
    func badFolders() throws {
        let dir = try StandbyBinary.temporaryDirectory()
        let missing = try StandbyBinary.run(["test", "nope"], in: dir)
        #expect(missing.status == 64)
        #expect(missing.stderr.contains("Error: Rules folder 'nope' not found."))
        try FileManager.default.createDirectory(at: dir.appendingPathComponent("empty"), withIntermediateDirectories: true)
        let empty = try StandbyBinary.run(["test", "empty"], in: dir)
        #expect(empty.status == 1)
        #expect(empty.stdout.contains("no rule tests in empty: write <rule>.test.yaml next to each <rule>.lua"))
    }
}
