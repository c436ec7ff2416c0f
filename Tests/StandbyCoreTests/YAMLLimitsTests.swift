import Foundation
import Testing
import StandbyTestSupport
@testable import StandbyCore

/// ``YAMLLimits``: hostile YAML (deep nesting, alias bombs) is refused with a position before it
/// reaches Yams' recursive composer, on every path that reads YAML. The crashers of issue 12 are
/// generated here rather than committed.
@Suite struct YAMLLimitsTests {
    /// `[` × n then `]` × n: a flow sequence nested n deep.
    static func nestedSequences(_ n: Int) -> String {
        String(repeating: "[", count: n) + String(repeating: "]", count: n) + "\n"
    }

    /// `{a: ` × n, `x`, `}` × n: flow mappings nested n deep.
    static func nestedMappings(_ n: Int) -> String {
        String(repeating: "{a: ", count: n) + "x" + String(repeating: "}", count: n) + "\n"
    }

    /// The classic "billion laughs": nine lists of nine aliases to the one before, 9^9 values.
    static let aliasBomb: String = {
        var text = "a: &a [\"lol\",\"lol\",\"lol\",\"lol\",\"lol\",\"lol\",\"lol\",\"lol\",\"lol\"]\n"
        let names = ["a", "b", "c", "d", "e", "f", "g", "h", "i"]
        for k in 1..<names.count {
            let previous = "*" + names[k - 1]
            text += "\(names[k]): &\(names[k]) [" + Array(repeating: previous, count: 9).joined(separator: ",") + "]\n"
        }
        return text
    }()

    func error(_ text: String, source: String = "h.yaml") -> String? {
        do {
            _ = try YAMLDocuments.documents(text, source: source)
            return nil
        } catch {
            return "\(error)"
        }
    }

    @Test func deepSequencesAreRefusedAtTheFirstLevelTooMany() {
        let message = error(Self.nestedSequences(5_000))
        #expect(message?.hasPrefix("h.yaml:1:257: nesting deeper than 256 levels") == true, "\(message ?? "accepted")")
    }

    @Test func deepMappingsAreRefusedAtTheFirstLevelTooMany() {
        let message = error(Self.nestedMappings(5_000))
        // Each level is four characters, `{a: `: level 257 starts at column 4 * 256 + 1.
        #expect(message?.hasPrefix("h.yaml:1:1025: nesting deeper than 256 levels") == true, "\(message ?? "accepted")")
    }

    @Test func theDeepestAcceptedNestingLoadsAndConverts() throws {
        let docs = try YAMLDocuments.parse(Self.nestedSequences(YAMLLimits.maximumDepth))
        var value = try #require(docs.first)
        var depth = 0
        while let inner = value.arrayValue {
            depth += 1
            guard let first = inner.first else { break }
            value = first
        }
        #expect(depth == YAMLLimits.maximumDepth)
        #expect(error(Self.nestedSequences(YAMLLimits.maximumDepth + 1)) != nil)
    }

    @Test func theAliasBombIsRefusedBeforeExpanding() {
        let message = error(Self.aliasBomb)
        // Lines b to f add 672,588 values; the first `*f` of line g (597,871 more) crosses the
        // budget, so the refusal comes there, before anything near 9^9 values is built.
        #expect(message?.hasPrefix("h.yaml:7:8: aliases expand to more than 1000000 values") == true, "\(message ?? "accepted")")
        #expect(message?.contains("aliases expand to more than 1000000 values") == true, "\(message ?? "accepted")")
    }

    /// Found by fuzzing (`yaml`): few values, but each alias copies a long scalar. 59,049 copies of
    /// a 1,000-byte string (59 MB of text) from a 1.1 KB input stay under the value budget.
    @Test func aliasesThatCopyTooMuchTextAreRefusedBeforeExpanding() {
        var text = "a: &a \"" + String(repeating: "x", count: 1000) + "\"\n"
        let names = ["a", "b", "c", "d", "e", "f"]
        for k in 1..<names.count {
            text += "\(names[k]): &\(names[k]) [" + Array(repeating: "*" + names[k - 1], count: 9).joined(separator: ",") + "]\n"
        }
        let error = #expect(throws: YAMLSyntaxError.self) { _ = try YAMLDocuments.parse(text, source: "text.yaml") }
        #expect(error?.message.contains("bytes of text") == true)
        #expect(error?.source == "text.yaml" && error?.line == 6)
        // The same shape with short strings stays well inside both budgets.
        let small = text.replacingOccurrences(of: String(repeating: "x", count: 1000), with: "x")
        #expect((try? YAMLDocuments.parse(small, source: "small.yaml"))?.count == 1)
    }

    @Test func aliasesThatNestTooDeepOnceExpandedAreRefused() {
        // An anchor 200 deep, used 100 levels down: 300 levels once expanded.
        let anchor = "base: &deep " + Self.nestedSequences(200)
        let use = "use: " + String(repeating: "[", count: 100) + "*deep" + String(repeating: "]", count: 100) + "\n"
        let message = error(anchor + use)
        #expect(message?.hasPrefix("h.yaml:2:106: alias *deep nests deeper than 256 levels once expanded") == true,
                "\(message ?? "accepted")")
    }

    @Test func ordinaryAliasesAndMergesStillWork() throws {
        let docs = try YAMLDocuments.parse("""
            base: &b {x: 1, y: [1, 2]}
            a: *b
            c: {<<: *b, y: 3}
            """)
        #expect(docs.first?["a"] == ["x": 1, "y": [1, 2]])
        #expect(docs.first?["c"] == ["x": 1, "y": 3])
    }

    @Test func aLargeInputGetsABudgetAsLargeAsItself() throws {
        // 1,200 aliases of a 1,000-value list add 1.2M values: too many for a small text, but
        // this text is padded to more bytes than that, so the budget grows with it.
        var text = "l: &l [" + Array(repeating: "0", count: 999).joined(separator: ",") + "]\n"
        text += "u: [" + Array(repeating: "*l", count: 1_200).joined(separator: ",") + "]\n"
        #expect(error(text)?.contains("aliases expand to more than 1000000 values") == true)
        text += "pad: \"" + String(repeating: "p", count: 1_300_000) + "\"\n"
        #expect(error(text) == nil)
    }

    @Test func syntaxErrorsAreStillYamsErrors() {
        #expect(error("x: *missing\n") == "h.yaml:1:4: found undefined alias")
        #expect(error("a: [1, 2\n")?.hasPrefix("h.yaml:") == true)
    }

    // MARK: - Every path that reads YAML

    @Test func inventoryFilesRefuseDeepNesting() throws {
        let folder = try TemporaryFolder()
        defer { folder.remove() }
        let path = try folder.write("deep.yaml", Self.nestedMappings(5_000))
        #expect {
            _ = try InventoryLoader.load(path: path)
        } throws: { error in
            "\(error)".hasPrefix("\(path):1:1025: nesting deeper than 256 levels")
        }
        let bomb = try folder.write("bomb.yaml", Self.aliasBomb)
        #expect {
            _ = try InventoryLoader.load(path: bomb)
        } throws: { error in
            "\(error)".hasPrefix("\(bomb):7:8: aliases expand to more than")
        }
    }

    @Test func estateManifestsRefuseDeepNesting() throws {
        let folder = try TemporaryFolder()
        defer { folder.remove() }
        // The top-level mapping is level 1, so the 256th `[` (column 9 + 256) is level 257.
        let path = try folder.write("estate.yaml", "name: x\nsources: " + Self.nestedSequences(5_000))
        #expect {
            _ = try EstateManifest.load(path: path)
        } throws: { error in
            "\(error)".contains("\(path):2:265: nesting deeper than 256 levels")
        }
    }

    @Test func kubeconfigsRefuseDeepNesting() throws {
        var config = Kubeconfig()
        #expect {
            try config.merge(text: "clusters: " + Self.nestedSequences(5_000), file: "/k/config")
        } throws: { error in
            "\(error)".hasPrefix("kubeconfig /k/config:1:266: nesting deeper than 256 levels")
        }
        #expect(Kubeconfig.entryLines(Self.nestedSequences(5_000)).isEmpty)
    }

    @Test func awsAuthWithDeepNestingInMapRolesIsReportedNotFollowed() throws {
        let deep = String(repeating: "[", count: 6_000) + String(repeating: "]", count: 6_000)
        let yaml = """
            apiVersion: v1
            kind: ConfigMap
            metadata: {name: aws-auth, namespace: kube-system}
            data:
              mapRoles: "\(deep)"
            """
        var e = TestEstate()
        e.clusters = [.init(name: "eks1", cloud: "aws", id: nil, kubernetes: [yaml])]
        let inv = try e.load()
        let lines = referenceLines(inv, k("core/ConfigMap/kube-system/aws-auth", cluster: "eks1"))
        #expect(lines.count == 1, "\(lines)")
        #expect(lines.first?.hasPrefix(
            "aws-auth role ✗ data.mapRoles could not be read (ConfigMap kube-system/aws-auth data.mapRoles:1:257: nesting deeper than 256 levels") == true,
            "\(lines)")
    }
}
