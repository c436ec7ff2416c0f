import Foundation
import Testing
@testable import StandbyCore
import StandbyTestSupport

/// Publishing folders in one step and cleaning what killed runs left (issue 12, defect 7).
@Suite struct StagingTests {
    /// The id of a process that has exited (and been reaped), so no longer exists.
    static func deadPID() throws -> Int32 {
        let p = Process()
        p.executableURL = URL(fileURLWithPath: "/bin/true")
        try p.run()
        p.waitUntilExit()
        return p.processIdentifier
    }

    /// A staging name as a run with process `pid` on this host would have made it.
    static func stagingName(pid: Int32, label: String? = nil) -> String {
        "\(StagingArea.prefix)\(pid).\(StagingArea.host).0123456789abcdef" + (label.map { ".\($0)" } ?? "")
    }

    static func inode(_ path: String) -> UInt64? {
        var info = stat()
        return lstat(path, &info) == 0 ? UInt64(info.st_ino) : nil
    }

    static func setAge(_ path: String, hours: Double) throws {
        let date = Date().addingTimeInterval(-hours * 3600)
        try FileManager.default.setAttributes([.modificationDate: date], ofItemAtPath: path)
    }

    static func folder(_ path: String, files: [String: String]) throws {
        try FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true)
        for (name, text) in files { try text.write(toFile: path + "/" + name, atomically: false, encoding: .utf8) }
    }

    // MARK: - FolderPublish

    @Test func aFolderIsSwappedInOneStepAndTheOldOneRemoved() throws {
        let tmp = try TemporaryFolder()
        defer { tmp.remove() }
        let target = tmp.path + "/plan", staging = tmp.path + "/" + StagingArea.name(label: "plan")
        try Self.folder(target, files: ["old.txt": "old"])
        try Self.folder(staging, files: ["new.txt": "new"])
        let stagingInode = Self.inode(staging)
        #expect(try FolderPublish.publish(staging, to: target) == .exchanged)
        // The new folder itself (its inode) now sits at the target: swapped, not copied.
        #expect(Self.inode(target) == stagingInode)
        #expect(try FileManager.default.contentsOfDirectory(atPath: target) == ["new.txt"])
        #expect(try FileManager.default.contentsOfDirectory(atPath: tmp.path) == ["plan"])
    }

    @Test func withoutExchangeTheOldFolderGoesAsideUntilTheNewOneIsIn() throws {
        let tmp = try TemporaryFolder()
        defer { tmp.remove() }
        let target = tmp.path + "/plan", staging = tmp.path + "/" + StagingArea.name(label: "plan")
        try Self.folder(target, files: ["old.txt": "old"])
        try Self.folder(staging, files: ["new.txt": "new"])
        #expect(try FolderPublish.publish(staging, to: target, allowExchange: false) == .renamedAside)
        #expect(try FileManager.default.contentsOfDirectory(atPath: target) == ["new.txt"])
        #expect(try FileManager.default.contentsOfDirectory(atPath: tmp.path) == ["plan"])
        // Nothing there yet: a plain rename.
        let other = tmp.path + "/" + StagingArea.name(label: "fresh")
        try Self.folder(other, files: ["a": "a"])
        #expect(try FolderPublish.publish(other, to: tmp.path + "/fresh") == .renamed)
    }

    @Test func aFileAtTheTargetIsRefusedAndKept() throws {
        let tmp = try TemporaryFolder()
        defer { tmp.remove() }
        let staging = tmp.path + "/" + StagingArea.name(label: "plan")
        try Self.folder(staging, files: ["new.txt": "new"])
        try tmp.write("plan", "keep me")
        #expect(throws: FolderPublishError.self) { try FolderPublish.publish(staging, to: tmp.path + "/plan") }
        #expect(try String(contentsOfFile: tmp.path + "/plan", encoding: .utf8) == "keep me")
    }

    // MARK: - Stale staging

    @Test func stalenessFollowsTheOwningProcessThenTheAge() throws {
        let tmp = try TemporaryFolder()
        defer { tmp.remove() }
        let dead = try Self.stagingName(pid: Self.deadPID(), label: "plan")
        let mine = StagingArea.name(label: "plan")
        let otherHost = "\(StagingArea.prefix)1.some-other-host.0123456789abcdef"
        let legacy = "\(StagingArea.prefix)\(UUID().uuidString)"
        for name in [dead, mine, otherHost, legacy] { try tmp.write(name, "x") }
        #expect(StagingArea.isStale(name: dead, path: tmp.path + "/" + dead))
        #expect(!StagingArea.isStale(name: mine, path: tmp.path + "/" + mine))
        #expect(!StagingArea.isStale(name: otherHost, path: tmp.path + "/" + otherHost))
        #expect(!StagingArea.isStale(name: legacy, path: tmp.path + "/" + legacy))
        for name in [mine, otherHost, legacy] { try Self.setAge(tmp.path + "/" + name, hours: 2) }
        #expect(!StagingArea.isStale(name: mine, path: tmp.path + "/" + mine))     // a live owner keeps it
        #expect(StagingArea.isStale(name: otherHost, path: tmp.path + "/" + otherHost))
        #expect(StagingArea.isStale(name: legacy, path: tmp.path + "/" + legacy))
    }

    @Test func aPlanWriteRemovesTheStagingOfKilledRunsAndReplacesTheOldPlanWhole() throws {
        let plan = RecoveryPlan(try SampleEstate.translate())
        let tmp = try TemporaryFolder()
        defer { tmp.remove() }
        let target = tmp.path + "/drill"
        try Self.folder(target, files: ["stale.txt": "from the previous plan"])
        // What killed runs left: a half-written plan of a process that is gone, and an old
        // two-rename leftover of an earlier version, two hours old.
        let killed = try tmp.path + "/" + Self.stagingName(pid: Self.deadPID(), label: "drill")
        try Self.folder(killed + "/kubernetes", files: ["half.yaml": "kind: Half"])
        let legacy = tmp.path + "/.drill.writing-12345-1700000000000"
        try Self.folder(legacy, files: ["report.md": "old"])
        try Self.setAge(legacy, hours: 2)
        // A run still going (this process) is left alone.
        let live = tmp.path + "/" + StagingArea.name(label: "other")
        try Self.folder(live, files: ["a": "a"])
        let written = try plan.write(to: target)
        let left = try FileManager.default.contentsOfDirectory(atPath: tmp.path).sorted()
        #expect(left == ["drill", (live as NSString).lastPathComponent].sorted())
        #expect(!FileManager.default.fileExists(atPath: target + "/stale.txt"))
        let files = try #require(FileManager.default.enumerator(atPath: target)?.allObjects as? [String])
        let regular = files.filter { p in
            var d: ObjCBool = false
            return FileManager.default.fileExists(atPath: target + "/" + p, isDirectory: &d) && !d.boolValue
        }
        #expect(regular.sorted() == written.sorted())
    }

    // MARK: - Folder point stores

    @Test func theFirstPutRemovesStaleTemporaryFilesAnywhereInTheStore() throws {
        let tmp = try TemporaryFolder()
        defer { tmp.remove() }
        let root = tmp.path + "/points"
        let killed = try root + "/p1/objects/" + Self.stagingName(pid: Self.deadPID())
        let legacy = root + "/p0/" + StagingArea.prefix + UUID().uuidString
        let young = root + "/p0/" + StagingArea.prefix + UUID().uuidString
        for path in [killed, legacy, young] {
            try FileManager.default.createDirectory(atPath: (path as NSString).deletingLastPathComponent, withIntermediateDirectories: true)
            try "partial".write(toFile: path, atomically: false, encoding: .utf8)
        }
        try Self.setAge(legacy, hours: 2)
        try FolderStore(path: root).put("p2/manifest.json", Array("m".utf8))
        #expect(!FileManager.default.fileExists(atPath: killed))
        #expect(!FileManager.default.fileExists(atPath: legacy))
        #expect(FileManager.default.fileExists(atPath: young))     // may belong to a run on another host
    }

    @Test func pointFilesAreForTheirOwnerOnly() throws {
        let tmp = try TemporaryFolder()
        defer { tmp.remove() }
        let root = tmp.path + "/points"
        try FolderStore(path: root).put("p1/objects/a.json", Array("a".utf8))
        func mode(_ path: String) throws -> Int {
            try #require(FileManager.default.attributesOfItem(atPath: path)[.posixPermissions] as? Int)
        }
        #expect(try mode(root + "/p1/objects/a.json") == 0o600)
        #expect(try mode(root + "/p1/objects") == 0o700)
        #expect(try mode(root + "/p1") == 0o700)
    }
}
