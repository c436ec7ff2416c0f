import Foundation
import Testing
@testable import StandbyCore

@Suite struct FolderStoreTests {
    static func temp() -> String {
        FileManager.default.temporaryDirectory.appendingPathComponent("standby-store-\(UUID().uuidString)").path
    }

    @Test func putGetListDelete() throws {
        let root = Self.temp()
        defer { try? FileManager.default.removeItem(atPath: root) }
        let store = FolderStore(path: root)
        #expect(store.url == "file://" + root)
        #expect(try store.list(prefix: "") == [])                       // the folder need not exist yet
        try store.put("p1/objects/b.json", Array("b".utf8))
        try store.put("p1/objects/a.json", Array("a".utf8))
        try store.put("p1/manifest.json", Array("m".utf8))
        try store.put("p10/x", [1, 2, 3])
        try store.put("top", [])
        #expect(try store.get("p1/objects/a.json") == Array("a".utf8))
        #expect(try store.get("top") == [])
        #expect(try store.list(prefix: "") == ["p1/manifest.json", "p1/objects/a.json", "p1/objects/b.json", "p10/x", "top"])
        #expect(try store.list(prefix: "p1/") == ["p1/manifest.json", "p1/objects/a.json", "p1/objects/b.json"])
        #expect(try store.list(prefix: "p1") == ["p1/manifest.json", "p1/objects/a.json", "p1/objects/b.json", "p10/x"])
        #expect(try store.list(prefix: "p1/objects/a") == ["p1/objects/a.json"])
        #expect(try store.list(prefix: "nothing/") == [])

        // Replacing leaves no temporary file behind.
        try store.put("p1/objects/a.json", Array("A2".utf8))
        #expect(try store.get("p1/objects/a.json") == Array("A2".utf8))
        let names = try FileManager.default.contentsOfDirectory(atPath: root + "/p1/objects")
        #expect(names.sorted() == ["a.json", "b.json"])

        try store.delete("p1/objects/a.json")
        try store.delete("p1/objects/a.json")                            // missing: not an error
        #expect(throws: StoreError.notFound("p1/objects/a.json")) { try store.get("p1/objects/a.json") }
        try store.delete("p1/objects/b.json")
        #expect(!FileManager.default.fileExists(atPath: root + "/p1/objects"))   // emptied folders go
        #expect(FileManager.default.fileExists(atPath: root))
        #expect(throws: StoreError.notFound("p1")) { try store.get("p1") }        // a folder is not a key
    }

    @Test func keysCannotLeaveTheRoot() throws {
        let root = Self.temp()
        defer { try? FileManager.default.removeItem(atPath: root) }
        let store = FolderStore(path: root + "/store")
        try store.put("ok", [1])
        for key in ["../escape", "/etc/passwd", "a/../../b", "a//b", "a/./b", "", "a/..", "./a"] {
            #expect(throws: StoreError.self, "put \(key)") { try store.put(key, [1]) }
            #expect(throws: StoreError.self, "get \(key)") { try store.get(key) }
            #expect(throws: StoreError.self, "delete \(key)") { try store.delete(key) }
        }
        #expect(throws: StoreError.self) { try store.list(prefix: "../") }
        #expect(throws: StoreError.self) { try store.list(prefix: "/") }
        #expect(!FileManager.default.fileExists(atPath: root + "/escape"))
        #expect(try FileManager.default.contentsOfDirectory(atPath: root) == ["store"])
        do {
            try store.put("../escape", [1])
        } catch let e as StoreError {
            guard case .failed = e else { Issue.record("expected .failed, got \(e)"); return }
        }
    }

    @Test func relativePathsResolveAgainstTheCurrentDirectory() {
        let store = FolderStore(path: "backups/../points/")
        #expect(store.path == FileManager.default.currentDirectoryPath + "/points")
        #expect(store.url == "file://" + FileManager.default.currentDirectoryPath + "/points")
    }
}
