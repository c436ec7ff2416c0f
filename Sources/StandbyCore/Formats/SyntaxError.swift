/// A JSON or YAML document that could not be parsed, with the position of the first problem.
///
/// Prints as `source:line:column: message`, for example
/// `estate/aks.json:12:5: expected ',' or '}' after object member`. Lines and columns count
/// from 1; columns count Unicode scalars, as editors (and libyaml) do.
public struct SyntaxError: Error, Sendable, Equatable, CustomStringConvertible {
    /// Where the text came from: a file path, or a label such as `<stdin>`.
    public var source: String
    /// 1-based line of the problem.
    public var line: Int
    /// 1-based column (in Unicode scalars) of the problem.
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

/// What `JSONParser` throws.
public typealias JSONSyntaxError = SyntaxError
/// What `YAMLDocuments` throws.
public typealias YAMLSyntaxError = SyntaxError
