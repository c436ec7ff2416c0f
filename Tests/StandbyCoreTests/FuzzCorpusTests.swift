import Foundation
@testable import StandbyCore
import Testing

/// Every seed and saved crasher of `Tests/Fuzz/Corpus/<target>/` through the same
/// ``FuzzTarget`` function libFuzzer drives (`scripts/fuzz.sh`), here without a sanitizer: an
/// input that once crashed a reader or broke an invariant stays fixed.
@Suite struct FuzzCorpusTests {
    /// `Tests/Fuzz/Corpus` of the checkout this file was compiled from.
    static let corpus: String = {
        let here = (#filePath as NSString).resolvingSymlinksInPath
        let tests = ((here as NSString).deletingLastPathComponent as NSString).deletingLastPathComponent
        return (tests as NSString).appendingPathComponent("Fuzz/Corpus")
    }()

    static func files(_ target: FuzzTarget) -> [String] {
        let folder = corpus + "/" + target.rawValue
        let names = (try? FileManager.default.contentsOfDirectory(atPath: folder)) ?? []
        return names.filter { !$0.hasPrefix(".") }.sorted().map { folder + "/" + $0 }
    }

    @Test(arguments: FuzzTarget.allCases)
    func everyCorpusFileKeepsItsInvariants(_ target: FuzzTarget) throws {
        let files = Self.files(target)
        #expect(files.count >= 3, "Tests/Fuzz/Corpus/\(target.rawValue) needs seeds: it has \(files.count) files")
        var outcomes: [FuzzTarget.Outcome] = []
        for file in files {
            let bytes = try [UInt8](Data(contentsOf: URL(fileURLWithPath: file)))
            do {
                outcomes.append(try target.run(bytes))
            } catch {
                Issue.record("\((file as NSString).lastPathComponent): \(error)")
            }
        }
        // Seeds that reach past the reader's refusals, and seeds it refuses.
        #expect(outcomes.contains(.accepted), "no seed of \(target.rawValue) is accepted")
        #expect(outcomes.contains(.refused), "no seed of \(target.rawValue) is refused")
    }

    /// The invariants are real checks: a value that does not round-trip is caught.
    @Test func aBrokenInvariantIsReported() {
        #expect(throws: FuzzInvariantViolation.self) {
            try FuzzTarget.json.expectRoundTrip(.double(.nan), pretty: false)
        }
    }

    @Test func targetsAreNamedAsTheirCorpusFolders() {
        #expect(FuzzTarget.allCases.map(\.rawValue)
                == ["json", "yaml", "arm-id", "arn", "image", "kubeconfig", "estate", "point-manifest"])
        #expect(FuzzTarget(named: "arm-id") == .armID)
        #expect(FuzzTarget(named: "nope") == nil)
    }
}
