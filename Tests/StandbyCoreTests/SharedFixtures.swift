import Foundation
import Testing

/// Locates `shared/fixtures`: `$STANDBY_SHARED/fixtures`, or a `shared/fixtures` folder beside
/// one of this file's ancestor folders (the repository is checked out next to `shared/`).
enum SharedFixtures {
    static let root: String? = {
        let fm = FileManager.default
        if let env = ProcessInfo.processInfo.environment["STANDBY_SHARED"], !env.isEmpty {
            let candidate = (env as NSString).appendingPathComponent("fixtures")
            if fm.fileExists(atPath: candidate) { return candidate }
        }
        var dir = ((#filePath as NSString).resolvingSymlinksInPath as NSString).deletingLastPathComponent
        while dir != "/" && !dir.isEmpty {
            let candidate = (dir as NSString).appendingPathComponent("shared/fixtures")
            if fm.fileExists(atPath: candidate) { return candidate }
            dir = (dir as NSString).deletingLastPathComponent
        }
        return nil
    }()

    /// The path of a fixture (`"arm/RouteTableGet.json"`), or `nil` after recording a failing
    /// issue: a missing `shared/` must never let a test pass silently.
    static func path(_ relative: String, sourceLocation: SourceLocation = #_sourceLocation) -> String? {
        guard let root else {
            Issue.record("../shared/fixtures is absent: set STANDBY_SHARED or check out shared/ beside the repository", sourceLocation: sourceLocation)
            return nil
        }
        let p = (root as NSString).appendingPathComponent(relative)
        guard FileManager.default.fileExists(atPath: p) else {
            Issue.record("fixture \(p) is absent", sourceLocation: sourceLocation)
            return nil
        }
        return p
    }
}

/// A temporary folder for tests that write files, removed by `remove()`.
struct TemporaryFolder {
    let path: String

    init() throws {
        path = NSTemporaryDirectory() + "standby-core-tests-" + UUID().uuidString
        try FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true)
    }

    /// Writes `text` to `relative`, creating folders, and returns the full path.
    @discardableResult
    func write(_ relative: String, _ text: String) throws -> String {
        let full = (path as NSString).appendingPathComponent(relative)
        try FileManager.default.createDirectory(atPath: (full as NSString).deletingLastPathComponent, withIntermediateDirectories: true)
        try text.write(toFile: full, atomically: true, encoding: .utf8)
        return full
    }

    func remove() { try? FileManager.default.removeItem(atPath: path) }
}
