import Foundation
import Testing

@Suite("standby keys")
struct KeysCommandTests {
    static let names = ["signing.key", "signing.pub", "recovery.key", "recovery.pub"]

    static func mode(_ path: String) throws -> Int {
        let attributes = try FileManager.default.attributesOfItem(atPath: path)
        return (attributes[.posixPermissions] as? NSNumber)?.intValue ?? -1
    }

    @Test func writesFourKeysPrivately() throws {
        let parent = try StandbyBinary.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: parent) }
        let dir = parent.appendingPathComponent("keys")
        let result = try StandbyBinary.run(["keys", "new", dir.path])
        #expect(result.status == 0, "\(result.stderr)")
        #expect(try Self.mode(dir.path) == 0o700)
        for name in Self.names {
            let path = dir.appendingPathComponent(name).path
            #expect(FileManager.default.fileExists(atPath: path), "\(name)")
            #expect(try Self.mode(path) == 0o600, "\(name)")
            #expect(result.stdout.contains(name))
        }
        let signingKey = try String(contentsOf: dir.appendingPathComponent("signing.key"), encoding: .utf8)
        let recoveryPub = try String(contentsOf: dir.appendingPathComponent("recovery.pub"), encoding: .utf8)
        #expect(signingKey.hasPrefix("-----BEGIN PRIVATE KEY-----"))
        #expect(recoveryPub.hasPrefix("-----BEGIN PUBLIC KEY-----"))
        for output in [result.stdout, result.stderr] {
            #expect(!output.contains("PRIVATE KEY"))
            #expect(!output.contains("PUBLIC KEY"))
            #expect(!output.contains("-----BEGIN"))
        }
        #expect(result.stdout.contains("fingerprint"))
    }

    @Test func refusesToOverwriteUnlessForced() throws {
        let dir = try StandbyBinary.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: dir) }
        let first = try StandbyBinary.run(["keys", "new", dir.path])
        #expect(first.status == 0, "\(first.stderr)")
        let before = try Data(contentsOf: dir.appendingPathComponent("signing.key"))

        let second = try StandbyBinary.run(["keys", "new", dir.path])
        #expect(second.status != 0)
        #expect(second.stderr.contains("--force"))
        #expect(try Data(contentsOf: dir.appendingPathComponent("signing.key")) == before)

        // One leftover file is enough to refuse.
        let partial = try StandbyBinary.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: partial) }
        FileManager.default.createFile(atPath: partial.appendingPathComponent("recovery.pub").path, contents: Data("x".utf8))
        let third = try StandbyBinary.run(["keys", "new", partial.path])
        #expect(third.status != 0)
        #expect(!FileManager.default.fileExists(atPath: partial.appendingPathComponent("signing.key").path))

        let forced = try StandbyBinary.run(["keys", "new", "--force", dir.path])
        #expect(forced.status == 0, "\(forced.stderr)")
        #expect(try Data(contentsOf: dir.appendingPathComponent("signing.key")) != before)
        for name in Self.names {
            #expect(try Self.mode(dir.appendingPathComponent(name).path) == 0o600, "\(name)")
        }
        #expect(!forced.stdout.contains("PRIVATE KEY"))
    }
}
