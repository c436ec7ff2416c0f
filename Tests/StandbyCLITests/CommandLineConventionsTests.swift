import Foundation
import Testing

/// What people expect of a command line: --version, --json for scripts, completion of paths,
/// `standby init`, and exit statuses a pipeline can trust.
@Suite("command-line conventions")
struct CommandLineConventionsTests {
    @Test("--version prints the release number and the commit the binary was built from")
    func version() throws {
        let r = try StandbyBinary.run(["--version"])
        #expect(r.status == 0)
        let head = try ChildProcess.run("/usr/bin/git", ["rev-parse", "--short=12", "HEAD"], in: StandbyBinary.root,
                                        environment: ["PATH": "/usr/bin:/bin"]).stdout.trimmingCharacters(in: .whitespacesAndNewlines)
        #expect(r.stdout.range(of: #"^standby \d+\.\d+\.\d+ \([0-9a-f]{12}(-dirty)?\)\n$"#, options: .regularExpression) != nil, "\(r.stdout)")
        #expect(r.stdout.contains(head), "\(r.stdout) is not built from HEAD \(head)")
    }

    @Test("inventory --json is the summary inv:summary() gives, with the notes; --ids --json lists ids")
    func inventoryJSON() throws {
        let r = try StandbyBinary.run(["inventory", "--json", "scripts/estate"])
        #expect(r.status == 0, "\(r.stderr)")
        let doc = try JSONSerialization.jsonObject(with: Data(r.stdout.utf8)) as? [String: Any]
        let summary = doc?["summary"] as? [String: Any]
        let clusters = summary?["clusters"] as? [String: Any]
        #expect(Set(clusters?.keys.map { $0 } ?? []) == ["aks-prod-weu", "eks-prod-use1"])
        #expect((summary?["total"] as? Int ?? 0) > 50)
        #expect(doc?["notes"] is [Any])

        let lua = try StandbyBinary.temporaryDirectory()
        try "local inv = require('standby').inventory.load('\(StandbyBinary.root.path)/scripts/estate')\nprint(require('standby').json.encode(inv:summary()))\n"
            .write(to: lua.appendingPathComponent("s.lua"), atomically: true, encoding: .utf8)
        let fromLua = try StandbyBinary.run(["run", "s.lua"], in: lua)
        let luaSummary = try JSONSerialization.jsonObject(with: Data(fromLua.stdout.utf8)) as? NSDictionary
        #expect(luaSummary == summary.map { NSDictionary(dictionary: $0) }, "the CLI and Lua summaries differ")

        let ids = try StandbyBinary.run(["inventory", "--json", "--ids", "scripts/estate"])
        let list = (try JSONSerialization.jsonObject(with: Data(ids.stdout.utf8)) as? [String: Any])?["ids"] as? [String]
        #expect(list?.count == summary?["total"] as? Int)
        #expect(list?.contains("arn:aws:eks:us-east-1:111111111111:cluster/eks-prod-use1") == true)
    }

    @Test("bash completion completes .lua files for runbooks and folders for stores and keys")
    func completion() throws {
        let r = try StandbyBinary.run(["--generate-completion-script", "bash"])
        #expect(r.status == 0)
        func body(_ function: String) -> String {
            guard let start = r.stdout.range(of: "\(function)() {") else { return "" }
            let rest = r.stdout[start.upperBound...]
            return String(rest[..<(rest.range(of: "\n}\n")?.lowerBound ?? rest.endIndex)])
        }
        #expect(body("_standby_run").contains("'!*.@(lua)'"), "run does not complete .lua files")
        #expect(body("_standby_plan").contains("'!*.@(lua)'"))
        #expect(body("_standby_capture").contains("-o plusdirs"))
        #expect(body("_standby_init").contains("-d"), "init does not complete folders: \(body("_standby_init"))")
    }

    @Test("standby init scaffolds a folder whose rule tests pass and whose runbook writes a plan, from anywhere")
    func initScaffold() throws {
        let dir = try StandbyBinary.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: dir) }
        let made = try StandbyBinary.run(["init", "acme"], in: dir)
        #expect(made.status == 0, "\(made.stderr)")
        let acme = dir.appendingPathComponent("acme")
        for file in ["estate.yaml", "rules/customer.lua", "rules/customer.test.yaml", "runbook.lua", ".luarc.json"] {
            #expect(FileManager.default.fileExists(atPath: acme.appendingPathComponent(file).path), "\(file) missing")
        }
        let luarc = try JSONSerialization.jsonObject(with: Data(contentsOf: acme.appendingPathComponent(".luarc.json"))) as? [String: Any]
        let library = (luarc?["workspace.library"] as? [String])?.first ?? ""
        #expect(FileManager.default.fileExists(atPath: library + "/standby/_meta.lua"), ".luarc.json points at \(library)")

        let tests = try StandbyBinary.run(["test", "acme/rules"], in: dir)
        #expect(tests.status == 0, "\(tests.stdout)\(tests.stderr)")
        #expect(tests.stdout.contains("1 passed, 0 failed"))

        let elsewhere = try StandbyBinary.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: elsewhere) }
        let run = try StandbyBinary.run(["run", acme.appendingPathComponent("runbook.lua").path, "plan"], in: elsewhere)
        #expect(run.status == 0, "\(run.stderr)")
        #expect(run.stdout.contains("shop-uploads-111111111111 → shop-uploads-222222222222"), "\(run.stdout)")
        #expect(FileManager.default.fileExists(atPath: elsewhere.appendingPathComponent("plan/report.json").path))
        let inventory = try StandbyBinary.run(["inventory", "acme/estate.yaml"], in: dir)
        #expect(inventory.stdout.contains("cluster acme-never-named") == false)
        #expect(inventory.stdout.hasPrefix("3 resources"), "\(inventory.stdout)")

        let again = try StandbyBinary.run(["init", "acme"], in: dir)
        #expect(again.status != 0)
        #expect(again.stderr.contains("exists and is not empty"))
    }

    /// A runbook whose one rule fails on the selected ConfigMap, with `on_rule_failure = arg[1]`.
    static func failingRuleRunbook(in dir: URL) throws -> String {
        let path = dir.appendingPathComponent("rules-fail.lua").path
        try """
            local standby = require "standby"
            local inv = standby.inventory.load("\(StandbyBinary.root.path)/scripts/estate")
            local sel = standby.select{ inventory = inv, namespaces = { "orders" } }
            local t = standby.translate{ selection = sel, mode = "failover", on_rule_failure = arg[1],
              to = { aws = { account = "222222222222", region = "us-west-2" } },
              rules = { standby.rule{ name = "broken", match = { ["k8s:kind"] = "ConfigMap" },
                                      apply = function(obj) return obj.data.nothing.here end } } }
            print("failures: " .. t.summary.failures)
            standby.plan{ translation = t }
            """.write(toFile: path, atomically: true, encoding: .utf8)
        return path
    }

    @Test("rule failures fail run and plan with exit 6 after the plan is written, unless the runbook accepts them")
    func ruleFailureExitStatus() throws {
        let dir = try StandbyBinary.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: dir) }
        let runbook = try Self.failingRuleRunbook(in: dir)

        let failing = try StandbyBinary.run(["run", runbook], in: dir)
        #expect(failing.status == 6)
        #expect(failing.stdout.contains("failures: "))
        #expect(failing.stderr.contains("translation rule failure"), "\(failing.stderr)")
        #expect(failing.stderr.contains("rule 'broken' failed on k8s://eks-prod-use1/core/ConfigMap/orders/"))
        #expect(failing.stderr.contains("on_rule_failure = \"report\""))

        let plan = try StandbyBinary.run(["plan", "--out", dir.appendingPathComponent("plan").path, runbook], in: dir)
        #expect(plan.status == 6)
        #expect(FileManager.default.fileExists(atPath: dir.appendingPathComponent("plan/report.json").path), "the plan was not written")

        let accepted = try StandbyBinary.run(["run", runbook, "report"], in: dir)
        #expect(accepted.status == 0, "\(accepted.stderr)")
        #expect(!accepted.stderr.contains("rule failure"))

        let raised = try StandbyBinary.run(["run", runbook, "error"], in: dir)
        #expect(raised.status == 1)
        #expect(raised.stderr.contains("rules-fail.lua:4: translate: rule 'broken' failed on"), "\(raised.stderr)")

        let typo = try StandbyBinary.run(["run", runbook, "reprot"], in: dir)
        #expect(typo.stderr.contains("(did you mean 'report'?)"))
    }

    @Test("points list, points verify and verify --json: the same facts and exit statuses as the text")
    func pointsJSON() throws {
        let dir = try StandbyBinary.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: dir) }
        let keys = dir.appendingPathComponent("keys").path, points = dir.appendingPathComponent("points").path
        _ = try StandbyBinary.run(["keys", "new", keys])
        var r = try StandbyBinary.run(["capture", "scripts/capture.lua", points, keys])
        let id = String(try #require(r.stdout.split(separator: "\n").first { $0.hasPrefix("captured ") }?.dropFirst("captured ".count)))
        func json(_ r: ChildProcess.Result) -> [String: Any] {
            (try? JSONSerialization.jsonObject(with: Data(r.stdout.utf8))) as? [String: Any] ?? [:]
        }

        r = try StandbyBinary.run(["points", "list", points, "--keys", keys, "--json"])
        #expect(r.status == 0, "\(r.stderr)")
        let listed = json(r)
        #expect((listed["newest"] as? [String: Any])?["status"] as? Int == 0)
        let first = (listed["points"] as? [[String: Any]])?.first
        #expect(first?["id"] as? String == id && first?["verified"] as? Bool == true && first?["partial"] as? Bool == false)
        #expect((first?["objects"] as? Int ?? 0) > 0)

        r = try StandbyBinary.run(["points", "verify", points, id, "--keys", keys, "--json"])
        #expect(r.status == 0 && json(r)["verified"] as? Bool == true && json(r)["objects"] as? Int == first?["objects"] as? Int)

        let manifest = points + "/" + id + "/manifest.json"
        var bytes = try #require(FileManager.default.contents(atPath: manifest))
        bytes[bytes.count / 2] ^= 0x01
        try bytes.write(to: URL(fileURLWithPath: manifest))
        r = try StandbyBinary.run(["verify", points + "/" + id, "--keys", keys, "--json"])
        #expect(r.status == 1)
        #expect(json(r)["verified"] as? Bool == false && (json(r)["error"] as? String ?? "").contains(id), "\(r.stdout)")
        r = try StandbyBinary.run(["points", "list", points, "--keys", keys, "--json"])
        #expect(r.status == 6)
        #expect(((json(r)["newest"] as? [String: Any])?["line"] as? String ?? "").contains("FAILS VERIFICATION"))
    }
}
