import Foundation
import StandbyCore

/// Built with `-sanitize=fuzzer -DSTANDBY_FUZZ` (`scripts/fuzz.sh`): hands over to libFuzzer,
/// which takes its usual arguments and ignores `--target=NAME`.
///
/// Otherwise (a plain `swift build`): runs each file given, or each file of each folder given,
/// through the chosen target once, and exits 1 if any breaks an invariant.
///
///     standby-fuzz --target=json Tests/Fuzz/Corpus/json crash-1234
@main
struct StandbyFuzz {
    static func main() {
        #if STANDBY_FUZZ
        exit(runLibFuzzer())
        #else
        replay()
        #endif
    }

    static func replay() {
        let arguments = CommandLine.arguments
        let target: FuzzTarget
        switch TargetChoice.choose(arguments: arguments, environment: ProcessInfo.processInfo.environment) {
        case .success(let t): target = t
        case .failure(let error):
            FileHandle.standardError.write(Data("\(error)\n".utf8))
            exit(2)
        }
        let paths = arguments.dropFirst().filter { !$0.hasPrefix("-") }
        guard !paths.isEmpty else {
            FileHandle.standardError.write(Data("standby-fuzz: give files or folders of inputs to run once (built without -sanitize=fuzzer)\n".utf8))
            exit(2)
        }
        var accepted = 0, refused = 0, broken = 0
        for file in files(paths) {
            guard let data = FileManager.default.contents(atPath: file) else {
                FileHandle.standardError.write(Data("standby-fuzz: \(file) cannot be read\n".utf8))
                exit(2)
            }
            do {
                switch try target.run(Array(data)) {
                case .accepted: accepted += 1
                case .refused: refused += 1
                }
            } catch {
                broken += 1
                print("\(file): \(error)")
            }
        }
        print("standby-fuzz \(target.rawValue): \(accepted + refused + broken) inputs, \(accepted) accepted, \(refused) refused, \(broken) broke an invariant")
        exit(broken == 0 ? 0 : 1)
    }

    /// The files named, and the files inside the folders named (sorted, not recursive).
    static func files(_ paths: [String]) -> [String] {
        var out: [String] = []
        for path in paths {
            var isDirectory: ObjCBool = false
            guard FileManager.default.fileExists(atPath: path, isDirectory: &isDirectory), isDirectory.boolValue,
                  let names = try? FileManager.default.contentsOfDirectory(atPath: path) else {
                out.append(path)
                continue
            }
            out += names.sorted().filter { !$0.hasPrefix(".") }.map { path + "/" + $0 }
        }
        return out
    }
}
