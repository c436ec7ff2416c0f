import StandbyCore

/// Which ``FuzzTarget`` a run exercises, from (first match wins) a `--target=NAME` argument
/// (libFuzzer ignores arguments that start with `--`), the `STANDBY_FUZZ_TARGET` environment
/// variable, or the program's name (`standby-fuzz-json`, through a link).
enum TargetChoice {
    static let environmentVariable = "STANDBY_FUZZ_TARGET"
    static let argumentPrefix = "--target="

    /// The target, or a message saying how to choose one.
    static func choose(arguments: [String], environment: [String: String]) -> Result<FuzzTarget, ChoiceError> {
        if let argument = arguments.dropFirst().first(where: { $0.hasPrefix(argumentPrefix) }) {
            return named(String(argument.dropFirst(argumentPrefix.count)), from: "\(argumentPrefix)")
        }
        if let name = environment[environmentVariable], !name.isEmpty {
            return named(name, from: environmentVariable)
        }
        if let program = arguments.first?.split(separator: "/").last, program.hasPrefix("standby-fuzz-") {
            return named(String(program.dropFirst("standby-fuzz-".count)), from: "the program name")
        }
        return .failure(ChoiceError(message: "standby-fuzz: no target chosen: pass \(argumentPrefix)NAME or set \(environmentVariable)=NAME, with NAME one of \(FuzzTarget.names)"))
    }

    private static func named(_ name: String, from origin: String) -> Result<FuzzTarget, ChoiceError> {
        guard let target = FuzzTarget(named: name) else {
            return .failure(ChoiceError(message: "standby-fuzz: unknown target '\(name)' (from \(origin)): the targets are \(FuzzTarget.names)"))
        }
        return .success(target)
    }

    struct ChoiceError: Error, CustomStringConvertible {
        var message: String
        var description: String { message }
    }
}
