/// A fuzz input that broke one of a reader's invariants: not a crash, but a wrong answer (a value
/// that does not round-trip, an error that does not say where).
public struct FuzzInvariantViolation: Error, Sendable, CustomStringConvertible {
    /// The target's name (`json`, `arm-id` …).
    public var target: String
    /// What did not hold, with the values involved.
    public var message: String

    public init(_ target: FuzzTarget, _ message: String) {
        self.target = target.rawValue
        self.message = message
    }

    public var description: String { "fuzz target \(target): invariant broken: \(message)" }
}

extension FuzzTarget {
    /// Throws a ``FuzzInvariantViolation`` of this target unless `condition` holds.
    func expect(_ condition: Bool, _ message: @autoclosure () -> String) throws {
        if !condition { throw FuzzInvariantViolation(self, message()) }
    }

    /// Refusals must be ``SyntaxError``s with a position (1-based line and column).
    func expectPositioned(_ error: SyntaxError, _ what: String) throws {
        try expect(error.line >= 1 && error.column >= 1,
                   "\(what) refused with an error that does not say where: \(error.line):\(error.column): \(error.message)")
        try expect(!error.message.isEmpty, "\(what) refused with an empty message at \(error.line):\(error.column)")
    }

    /// The deepest nesting of arrays and objects in `value` (0 for a scalar), without recursion.
    static func depth(_ value: JSONValue) -> Int {
        var deepest = 0
        var stack: [(JSONValue, Int)] = [(value, 0)]
        while let (v, d) = stack.popLast() {
            switch v {
            case .array(let items):
                deepest = max(deepest, d + 1)
                for item in items { stack.append((item, d + 1)) }
            case .object(let object):
                deepest = max(deepest, d + 1)
                for value in object.values { stack.append((value, d + 1)) }
            default:
                break
            }
        }
        return deepest
    }
}
