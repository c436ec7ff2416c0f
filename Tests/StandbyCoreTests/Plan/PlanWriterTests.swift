import Foundation
import Testing
@testable import StandbyCore

/// Writing a plan: every file, atomically, and nothing lost when it cannot be written.
@Suite struct PlanWriterTests {
    static func plan() throws -> RecoveryPlan { RecoveryPlan(try SampleEstate.translate()) }

    static func temp() -> String {
        FileManager.default.temporaryDirectory.appendingPathComponent("standby-plan-\(UUID().uuidString)").path
    }

    @Test func writesEveryFileAndTheReports() throws {
        let plan = try Self.plan()
        let dir = Self.temp() + "/out/drill"
        defer { try? FileManager.default.removeItem(atPath: (dir as NSString).deletingLastPathComponent) }
        let written = try plan.write(to: dir)
        #expect(written == plan.files.map(\.path))
        #expect(written.contains("report.json") && written.contains("report.md"))
        for path in written { #expect(FileManager.default.fileExists(atPath: dir + "/" + path), "\(path) missing") }
        let reportData = try #require(FileManager.default.contents(atPath: dir + "/report.json"))
        let report = try JSONParser.parse(reportData, source: "report.json")
        #expect(report["summary"]?["mode"] == "test")
        #expect(report["translation"]?["objects"]?.arrayValue?.count == plan.translation.resources.count)
        let mdData = try #require(FileManager.default.contents(atPath: dir + "/report.md"))
        let md = try #require(String(data: mdData, encoding: .utf8))
        #expect(md.hasPrefix("# Recovery plan (failover test)"))
        #expect(md.contains("## Needs a person"))
        #expect(md.contains("orders-uploads-111111111111") || md.contains("UPLOAD_BUCKET"))
        // Nothing left behind beside the plan.
        let siblings = try FileManager.default.contentsOfDirectory(atPath: (dir as NSString).deletingLastPathComponent)
        #expect(siblings == ["drill"])
    }

    @Test func withoutManifestFilesOnlyAllYAMLAndTheSameOtherFiles() throws {
        let plan = try Self.plan()
        let root = Self.temp()
        defer { try? FileManager.default.removeItem(atPath: root) }
        let every = try plan.write(to: root + "/every")
        let all = try plan.write(to: root + "/all", manifestFiles: false)
        let manifests = Set(plan.kubernetes.flatMap { set in set.manifests.map { "kubernetes/\(PlanFile.safe(set.cluster))/\($0.path)" } })
        #expect(!manifests.isEmpty)
        #expect(all == every.filter { !manifests.contains($0) })
        #expect(all.contains { $0.hasSuffix("/all.yaml") })
        for path in all {
            #expect(FileManager.default.contents(atPath: root + "/all/" + path) == FileManager.default.contents(atPath: root + "/every/" + path),
                    "\(path) differs")
        }
        for path in manifests { #expect(!FileManager.default.fileExists(atPath: root + "/all/" + path), "\(path) written") }
    }

    @Test func rewritingReplacesThePreviousPlanWhole() throws {
        let plan = try Self.plan()
        let root = Self.temp()
        defer { try? FileManager.default.removeItem(atPath: root) }
        let dir = root + "/plan"
        try FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true)
        try "stale".write(toFile: dir + "/stale.txt", atomically: true, encoding: .utf8)
        try plan.write(to: dir)
        #expect(!FileManager.default.fileExists(atPath: dir + "/stale.txt"))
        #expect(FileManager.default.fileExists(atPath: dir + "/report.md"))
        #expect(try FileManager.default.contentsOfDirectory(atPath: root) == ["plan"])
    }

    @Test func aFailedWriteLosesNothing() throws {
        let plan = try Self.plan()
        let root = Self.temp()
        defer { try? FileManager.default.removeItem(atPath: root) }
        try FileManager.default.createDirectory(atPath: root, withIntermediateDirectories: true)
        // The target is a file: refused, and the file is untouched.
        try "keep me".write(toFile: root + "/plan", atomically: true, encoding: .utf8)
        #expect(throws: PlanWriteError.self) { try plan.write(to: root + "/plan") }
        #expect(try String(contentsOfFile: root + "/plan", encoding: .utf8) == "keep me")
        // Its parent is a file: refused with the path named.
        do {
            try plan.write(to: root + "/plan/inner")
            Issue.record("writing under a file succeeded")
        } catch let e as PlanWriteError {
            #expect(e.description.contains(root + "/plan/inner"))
        }
        #expect(try FileManager.default.contentsOfDirectory(atPath: root) == ["plan"])
    }
}

/// No Secret value of the sample estate is written into a plan's files.
@Suite struct PlanSecretRedactionTests {
    @Test func planFilesHoldNoSecretValue() throws {
        let plan = RecoveryPlan(try SampleEstate.translate())
        var secrets: [String] = []
        for r in plan.translation.resources where r.source.kind == "Secret" {
            for field in ["data", "stringData"] {
                for (_, v) in r.source.document[field]?.objectValue?.pairs ?? [] {
                    guard let s = v.stringValue, s.count >= 8 else { continue }
                    secrets.append(s)
                    if field == "data", let d = Data(base64Encoded: s), let text = String(data: d, encoding: .utf8), text.count >= 8 {
                        secrets.append(text)
                    }
                }
            }
        }
        #expect(secrets.count > 20)
        let files = plan.files
        let secretManifests = files.filter { $0.path.contains("/Secret/") }
        #expect(!secretManifests.isEmpty)
        for f in secretManifests { #expect(f.contents.contains("standby.io/secret-values"), "\(f.path)") }
        // A value that the estate also holds outside Secrets (a storage account name used as a
        // share's account key name, a workspace id) is not secret: leave those out.
        var public_: Set<String> = []
        for r in plan.translation.resources where r.source.kind != "Secret" {
            r.source.document.forEachString { _, v, _ in public_.insert(v) }
        }
        let checked = secrets.filter { s in !public_.contains { $0.contains(s) } }
        #expect(checked.count > 20)
        for s in checked {
            let holders = files.filter { $0.contents.contains(s) }.map(\.path)
            #expect(holders.isEmpty, "secret value found in \(holders)")
        }
    }
}
