/// A `fleet.yaml` that cannot be used: says where (`file:line:column`) and what to write instead.
public struct FleetError: Error, Sendable, Equatable, CustomStringConvertible {
    /// `fleet.yaml:12:5`, or just the file when the problem has no position.
    public var location: String
    public var message: String

    public init(_ location: String, _ message: String) {
        self.location = location
        self.message = message
    }

    public var description: String { "\(location): \(message)" }
}
