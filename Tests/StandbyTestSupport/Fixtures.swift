import Foundation
import Testing

/// The public fixtures vendored in the repository, `Tests/Fixtures/` (`arm/`, `eks/`, `k8s/`;
/// provenance and licences in `Tests/Fixtures/SOURCES.md`), found from this file's own path.
public enum Fixtures {
    /// `Tests/Fixtures` of the checkout this file was compiled from.
    public static let root: String = {
        let here = (#filePath as NSString).resolvingSymlinksInPath
        let tests = ((here as NSString).deletingLastPathComponent as NSString).deletingLastPathComponent
        return (tests as NSString).appendingPathComponent("Fixtures")
    }()

    /// The path of a fixture (`"arm/RouteTableGet.json"`, or a folder such as `"arm"`), or `nil`
    /// after recording a failing issue that names it: a missing fixture never lets a test pass.
    public static func path(_ relative: String, sourceLocation: SourceLocation = #_sourceLocation) -> String? {
        let p = (root as NSString).appendingPathComponent(relative)
        guard FileManager.default.fileExists(atPath: p) else {
            Issue.record("fixture \(relative) is absent: \(p) does not exist", sourceLocation: sourceLocation)
            return nil
        }
        return p
    }

    /// The text of a fixture, or `nil` after recording a failing issue.
    public static func text(_ relative: String, sourceLocation: SourceLocation = #_sourceLocation) throws -> String? {
        guard let p = path(relative, sourceLocation: sourceLocation) else { return nil }
        return try String(contentsOfFile: p, encoding: .utf8)
    }
}
