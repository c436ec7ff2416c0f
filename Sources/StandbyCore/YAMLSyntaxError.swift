/// A YAML stream that could not be read, or that holds something JSON cannot express.
///
/// Prints as `source:line:column: message`, like ``JSONSyntaxError``. Lines and columns count
/// from 1 (columns in Unicode scalars, as libyaml counts them).
public struct YAMLSyntaxError: Error, Sendable, Equatable, CustomStringConvertible {
    /// Where the text came from: a file path, or a label such as `<stdin>`.
    public var source: String
    /// 1-based line of the problem.
    public var line: Int
    /// 1-based column of the problem.
    public var column: Int
    /// What is wrong, in lower case and without a trailing period.
    public var message: String

    public init(source: String, line: Int, column: Int, message: String) {
        self.source = source
        self.line = line
        self.column = column
        self.message = message
    }

    public var description: String { "\(source):\(line):\(column): \(message)" }
}
