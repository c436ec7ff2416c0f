/// The inputs Standby fuzzes, each a function from arbitrary bytes to "accepted", "refused" or a
/// broken invariant.
///
/// One function per reader that takes text from outside: the JSON parser, YAML documents (through
/// ``YAMLDocuments``, the inventory loader's entry, ``YAMLLimits`` included), ARM ids, ARNs, image
/// references (the ``ReferenceRewriter`` that rewrites registries and ids inside strings), a
/// kubeconfig, `estate.yaml` (``EstateManifest``) and a recovery point's `manifest.json`
/// (``PointManifest``). Beyond "no crash", each checks what is cheap to check: a parsed value
/// round-trips through its canonical text, a refusal is the reader's own error naming where.
///
/// The same functions run under libFuzzer (`standby-fuzz`, `scripts/fuzz.sh`) and, without a
/// sanitizer, over every file of `Tests/Fuzz/Corpus/<target>/` in the test suite, so an input
/// that once broke a reader stays fixed.
public enum FuzzTarget: String, CaseIterable, Sendable {
    case json
    case yaml
    case armID = "arm-id"
    case arn
    case image
    case kubeconfig
    case estate
    case pointManifest = "point-manifest"

    /// What one input did.
    public enum Outcome: Sendable, Equatable {
        /// The reader accepted the input and every invariant held.
        case accepted
        /// The reader refused the input with its own error.
        case refused
    }

    /// Runs one input through the target.
    /// - Returns: whether the reader accepted or refused it.
    /// - Throws: ``FuzzInvariantViolation`` when the reader accepted something it should not have,
    ///   refused with an error that is not its own or does not say where, or gave a value that
    ///   does not round-trip.
    public func run(_ bytes: UnsafeBufferPointer<UInt8>) throws -> Outcome {
        do {
            return try dispatch(bytes)
        } catch let violation as FuzzInvariantViolation {
            throw violation
        } catch {
            throw FuzzInvariantViolation(self, "refused with an error of an unexpected type, \(type(of: error)): \(error)")
        }
    }

    private func dispatch(_ bytes: UnsafeBufferPointer<UInt8>) throws -> Outcome {
        switch self {
        case .json: return try Self.json(bytes)
        case .yaml: return try Self.yaml(bytes)
        case .armID: return try Self.armID(String(decoding: bytes, as: UTF8.self))
        case .arn: return try Self.arn(String(decoding: bytes, as: UTF8.self))
        case .image: return try Self.image(String(decoding: bytes, as: UTF8.self))
        case .kubeconfig: return try Self.kubeconfig(String(decoding: bytes, as: UTF8.self))
        case .estate: return try Self.estate(bytes)
        case .pointManifest: return try Self.pointManifest(bytes)
        }
    }

    /// ``run(_:)`` over an array.
    public func run(_ bytes: [UInt8]) throws -> Outcome {
        try bytes.withUnsafeBufferPointer { try run($0) }
    }

    /// The target named `name` (`json`, `arm-id` …), or `nil`.
    public init?(named name: String) { self.init(rawValue: name) }

    /// Every target's name, for messages.
    public static var names: String { allCases.map(\.rawValue).joined(separator: ", ") }
}
