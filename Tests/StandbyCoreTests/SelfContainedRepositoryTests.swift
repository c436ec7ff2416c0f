import Foundation
import Testing
import StandbyTestSupport

/// Everything the tests, the scripts and CI read lives in the repository: nothing under `Tests/`,
/// `scripts/` or `.ci/` may name the folder beside the checkout that the fixtures and the bench
/// inputs used to come from, or the variable that pointed at it.
@Suite struct SelfContainedRepositoryTests {
    /// Built from pieces so that this file does not name them itself.
    static let needles = [".." + "/shared", "STANDBY" + "_SHARED", "shared" + "/fixtures", "/work" + "/shared"]

    /// `file:line: text` of every line naming a needle, in the text files under `folders`.
    static func mentions(under folders: [String], in root: String) -> [String] {
        var found: [String] = []
        let fm = FileManager.default
        for folder in folders {
            let base = (root as NSString).appendingPathComponent(folder)
            guard let walker = fm.enumerator(atPath: base) else { continue }
            for case let relative as String in walker {
                let path = (base as NSString).appendingPathComponent(relative)
                var isDirectory: ObjCBool = false
                guard fm.fileExists(atPath: path, isDirectory: &isDirectory), !isDirectory.boolValue,
                      let data = fm.contents(atPath: path), let text = String(data: data, encoding: .utf8) else { continue }
                for (number, line) in text.split(separator: "\n", omittingEmptySubsequences: false).enumerated()
                    where needles.contains(where: { line.contains($0) }) {
                    found.append("\(folder)/\(relative):\(number + 1): \(line.trimmingCharacters(in: .whitespaces))")
                }
            }
        }
        return found
    }

    @Test func noTestScriptOrCIFileNamesAFolderOutsideTheCheckout() throws {
        let found = Self.mentions(under: ["Tests", "scripts", ".ci"], in: LocalServer.root)
        #expect(found.isEmpty, "outside the checkout (vendor what is needed under Tests/Fixtures or generate it):\n\(found.joined(separator: "\n"))")
    }

    @Test func theCheckFindsAMentionAndSaysWhere() throws {
        let tmp = try TemporaryFolder()
        defer { tmp.remove() }
        try tmp.write("Tests/Fine.swift", "let a = 1\n")
        try tmp.write("scripts/bad.sh", "#!/bin/sh\n\necho \"${STANDBY" + "_SHARED:-..}\"\n")
        try tmp.write("Tests/Bad.swift", "let fixtures = \"../" + "shared/" + "fixtures\"\n")
        let found = Self.mentions(under: ["Tests", "scripts"], in: tmp.path).sorted()
        #expect(found == ["Tests/Bad.swift:1: let fixtures = \"../" + "shared/" + "fixtures\"",
                          "scripts/bad.sh:3: echo \"${STANDBY" + "_SHARED:-..}\""])
    }
}
