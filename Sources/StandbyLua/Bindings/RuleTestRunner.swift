import CLua
import Foundation
import StandbyCore

/// Runs the tests kept as data beside translation rules (`standby test <rules-dir>`).
///
/// For a rule module `rules/contoso.lua`, the cases are in `rules/contoso.test.yaml` (or `.yml`):
/// YAML documents, or one document holding a list, each case a map of
///
/// | field | |
/// |---|---|
/// | `name` | what the case checks (default `case N`) |
/// | `input` | one Kubernetes object or one cloud resource document, as exported (loaded the way `standby.inventory.load` loads files, so ids are the real ones) |
/// | `cluster` | the cluster a Kubernetes `input` belongs to (default `test`) |
/// | `to`, `from`, `mode`, `ids` | as in `standby.translate{...}` (`mode` defaults to `test`) |
/// | `expect` | the whole translated document |
/// | `expect_error` | instead of `expect`: a substring of the rule failure |
///
/// Each case runs in a fresh sandboxed runtime: the module is loaded with `require` (searching the
/// rules folder, its parent, then `luaPaths`), and the input is translated by the built-ins plus
/// the module's rules and id mappings. Documents are compared member by member (key order does
/// not matter); a failing case lists each differing path.
public struct RuleTestRunner {
    public var rulesDirectory: String
    public var limits: LuaLimits
    public var stdlibPath: String?
    public var luaPaths: [String]
    /// Print each case's translation report.
    public var verbose: Bool

    public init(rulesDirectory: String, limits: LuaLimits = LuaLimits(), stdlibPath: String?, luaPaths: [String] = [],
                verbose: Bool = false) {
        self.rulesDirectory = rulesDirectory; self.limits = limits; self.stdlibPath = stdlibPath
        self.luaPaths = luaPaths; self.verbose = verbose
    }

    /// The outcome of one case.
    public struct CaseResult: Sendable {
        /// The test file.
        public var file: String
        public var name: String
        public var passed: Bool
        /// Why it failed: one line per differing path, failure or error.
        public var details: [String]
        /// The translation report (text), when a translation ran.
        public var report: String?
    }

    /// Every case's outcome, in file and case order.
    public struct Summary: Sendable {
        public var results: [CaseResult] = []
        public var passed: Int { results.filter(\.passed).count }
        public var failed: Int { results.count - passed }
        /// True when at least one case ran and none failed.
        public var succeeded: Bool { !results.isEmpty && failed == 0 }
    }

    /// Runs every test file under the rules folder, writing `PASS name` / `FAIL name` lines (with
    /// the differences indented beneath) to `output`, then a count line.
    @discardableResult
    public func run(output: (String) -> Void) -> Summary {
        var summary = Summary()
        let files = testFiles()
        if files.isEmpty {
            output("no rule tests in \(rulesDirectory): write <rule>.test.yaml next to each <rule>.lua")
            return summary
        }
        for file in files {
            output("\(file.test) (rules from \(file.module))")
            for result in run(file) {
                output("\(result.passed ? "PASS" : "FAIL") \(result.name)")
                for line in result.details { output("    " + line) }
                if verbose, let report = result.report {
                    for line in report.split(separator: "\n", omittingEmptySubsequences: false).dropLast() {
                        output("    | " + line)
                    }
                }
                summary.results.append(result)
            }
        }
        output("\(summary.passed) passed, \(summary.failed) failed")
        return summary
    }

    // MARK: - Discovery

    struct TestFile {
        /// The YAML file (a path under the rules folder).
        var test: String
        /// The rule module's file.
        var rule: String
        /// Its module name (`contoso`, `team.contoso`).
        var module: String
    }

    func testFiles() -> [TestFile] {
        let base = rulesDirectory.hasSuffix("/") ? String(rulesDirectory.dropLast()) : rulesDirectory
        guard let walker = FileManager.default.enumerator(atPath: base) else { return [] }
        var out: [TestFile] = []
        for case let relative as String in walker {
            let suffix = [".test.yaml", ".test.yml"].first { relative.hasSuffix($0) }
            guard let suffix, !relative.split(separator: "/").contains(where: { $0.hasPrefix(".") }) else { continue }
            let stem = String(relative.dropLast(suffix.count))
            out.append(TestFile(test: base + "/" + relative, rule: base + "/" + stem + ".lua",
                                module: stem.replacingOccurrences(of: "/", with: ".")))
        }
        return out.sorted { $0.test < $1.test }
    }

    // MARK: - Running

    static let caseFields = ["name", "input", "cluster", "to", "from", "mode", "ids", "expect", "expect_error"]

    func run(_ file: TestFile) -> [CaseResult] {
        func failed(_ name: String, _ details: [String]) -> CaseResult {
            CaseResult(file: file.test, name: name, passed: false, details: details, report: nil)
        }
        guard FileManager.default.fileExists(atPath: file.rule) else {
            return [failed(file.test, ["no rule module \(file.rule) next to the test file"])]
        }
        if let last = file.module.split(separator: ".").last, file.rule.hasSuffix("/\(last).lua") == false {
            return [failed(file.test, ["rule file names cannot contain dots ('require' reads them as folders): rename \(file.rule)"])]
        }
        let cases: [JSONValue]
        do {
            let text = try String(contentsOfFile: file.test, encoding: .utf8)
            cases = try YAMLDocuments.parse(text, source: file.test).flatMap { doc -> [JSONValue] in
                if case .array(let items) = doc { return items }
                return doc.isNull ? [] : [doc]
            }
        } catch {
            return [failed(file.test, ["\(error)"])]
        }
        if cases.isEmpty { return [failed(file.test, ["the file holds no test cases"])] }
        return cases.enumerated().map { n, value in
            let fallback = "case \(n + 1)"
            guard case .object(let c) = value else {
                return failed(fallback, ["a test case must be a map with name, input and expect (or expect_error), got \(value.typeName)"])
            }
            let name = c["name"]?.stringValue ?? fallback
            do {
                return try run(c, named: name, file: file)
            } catch let error as LuaScriptError {
                return failed(name, [error.message] + (error.traceback.isEmpty ? [] : error.traceback.split(separator: "\n").map(String.init)))
            } catch {
                return failed(name, ["\(error)"])
            }
        }
    }

    private func run(_ c: JSONObject, named name: String, file: TestFile) throws -> CaseResult {
        let context = "\(file.test): '\(name)'"
        try TranslationOptions.checkFields(c, Self.caseFields, at: "test case", in: context)
        guard let input = c["input"], case .object = input else {
            throw LuaError("\(context): 'input' is required: the object to translate (a Kubernetes object or a cloud resource document)")
        }
        let expect = c["expect"], expectError = c["expect_error"]
        guard (expect == nil) != (expectError == nil) else {
            throw LuaError("\(context): give either 'expect' (the whole translated document) or 'expect_error' (part of the rule failure message)")
        }
        if let expectError, expectError.stringValue == nil {
            throw LuaError("\(context): 'expect_error' must be a string, got \(expectError.typeName)")
        }
        let from = try TranslationOptions.source(c["from"], in: context)
        let to = try TranslationOptions.environment(c["to"], in: context)
        let mode = try TranslationOptions.mode(c["mode"], in: context)
        let ids = try TranslationOptions.ids(c["ids"], in: context)
        let cluster = try TranslationOptions.string(c, "cluster", at: "test case", in: context) ?? "test"

        let resource = try load(input, cluster: cluster, from: from, context: context)

        let parent = (rulesDirectory as NSString).deletingLastPathComponent
        let runtime = try LuaRuntime(limits: limits, stdlibPath: stdlibPath,
                                     luaPaths: [rulesDirectory] + (parent.isEmpty ? [] : [parent]) + luaPaths)
        let collected = try loadRules(module: file.module, in: runtime)
        let session = RuleSession()
        let settings = TranslationSettings(
            to: to, from: from, mode: mode,
            overrides: LuaRuntime.overrides(collected.overrides + ids.map { (from: $0.0, to: $0.1) }))
        let steps = collected.rules.map { LuaTranslationRule(rule: $0, session: session, runtime: runtime) }
        let translation = Translator(settings: settings, rules: steps).translate([resource.resource], in: resource.inventory)
        let report = translation.report.text
        func result(_ passed: Bool, _ details: [String]) -> CaseResult {
            CaseResult(file: file.test, name: name, passed: passed, details: details, report: report)
        }
        if let fatal = session.fatal { return result(false, [fatal.message]) }
        let failures = translation.failures.map { "\($0.message)" }
        if let wanted = expectError?.stringValue {
            if failures.contains(where: { $0.contains(wanted) }) { return result(true, []) }
            return result(false, ["expected a rule failure containing '\(wanted)', "
                                  + (failures.isEmpty ? "but every rule succeeded" : "got:")] + failures)
        }
        if !failures.isEmpty { return result(false, failures) }
        guard let expect, let actual = translation.resources.first?.document else { return result(false, ["nothing was translated"]) }
        let differences = expect.differences(to: actual, by: "")
        if differences.isEmpty { return result(true, []) }
        return result(false, differences.map { d in
            "\(d.path.isEmpty ? "(document)" : d.path): expected \(Self.render(d.before)), got \(Self.render(d.after))"
        })
    }

    static func render(_ value: JSONValue?) -> String {
        guard let value else { return "(absent)" }
        return JSONSerializer.serialize(value)
    }

    /// Loads `input` through the inventory loader (from a temporary file), so its id, kind and
    /// cluster are exactly what a real load gives.
    private func load(_ input: JSONValue, cluster: String, from: SourceEnvironment,
                      context: String) throws -> (resource: Resource, inventory: Inventory) {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("standby-test-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: dir) }
        let path = dir.appendingPathComponent("input.json").path
        try JSONSerializer.data(input, pretty: true).write(to: URL(fileURLWithPath: path))
        let options = LoadOptions(cluster: cluster, region: from.regions.sorted().first, account: from.accounts.sorted().first)
        let inventory: Inventory
        do { inventory = try InventoryLoader.load(path: path, options: options) } catch {
            throw LuaError("\(context): 'input' is not a document Standby can load: \("\(error)".replacingOccurrences(of: path, with: "input"))")
        }
        guard let first = inventory.resources.first else {
            throw LuaError("\(context): 'input' holds no resource (a Kubernetes object needs metadata.name)")
        }
        return (first, inventory)
    }

    /// `require`s the rule module in `runtime` and reads the rules list it returns.
    private func loadRules(module: String, in runtime: LuaRuntime) throws -> CollectedRules {
        final class Box { var value: LuaRef? }
        let box = Box()
        try runtime.registerNativeModule("standby._test", functions: [
            "keep": { call in box.value = call.reference(1); return 0 },
        ])
        _ = try runtime.run(string: "require(\"standby._test\").keep(require(...))", chunkName: "=standby test",
                            arguments: [module])
        guard let rules = box.value else { return CollectedRules() }
        var collected = CollectedRules()
        try runtime.hostSection {
            let L = runtime.mainState
            let top = lua_gettop(L)
            defer { lua_settop(L, top) }
            guard lua_checkstack(L, 2) != 0 else { throw LuaError("stack overflow") }
            lua_rawgeti(L, LuaRuntime.registry, lua_Integer(rules.reference))
            if lua_type(L, -1) == LUA_TBOOLEAN {
                throw LuaError("rule module '\(module)' returns nothing: end it with return { standby.rule{...}, ... }")
            }
            try runtime.collectRules(L, at: lua_gettop(L), path: "module '\(module)'", depth: 0, into: &collected)
        }
        return collected
    }
}
