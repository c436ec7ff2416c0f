import Foundation
import Testing

/// Locates `shared/fixtures`: `$STANDBY_SHARED/fixtures`, or a `shared/fixtures` folder beside
/// one of this file's ancestor folders (the repository is checked out next to `shared/`).
public enum SharedFixtures {
    public static let root: String? = {
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
    public static func path(_ relative: String, sourceLocation: SourceLocation = #_sourceLocation) -> String? {
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
