/// Where a resource was read from: a file, the document within it, and the item within a list.
public struct SourceRef: Sendable, Hashable, CustomStringConvertible {
    /// The file path as it was given (or reached while walking a folder).
    public var path: String
    /// 0-based document index within the file (YAML documents, `Output::` blocks of an .rst file).
    public var document: Int
    /// 0-based position within a List, array or page, when the document held several resources.
    public var item: Int?
    /// 1-based line where the document (or item) starts, when known.
    public var line: Int?

    public init(path: String, document: Int = 0, item: Int? = nil, line: Int? = nil) {
        self.path = path
        self.document = document
        self.item = item
        self.line = line
    }

    /// `kubernetes/app.yaml:12 (document 3)`, `aws/subnets.json (document 1, item 4)`.
    public var description: String {
        var s = path
        if let line { s += ":\(line)" }
        var parts = ["document \(document + 1)"]
        if let item { parts.append("item \(item + 1)") }
        return s + " (" + parts.joined(separator: ", ") + ")"
    }
}
