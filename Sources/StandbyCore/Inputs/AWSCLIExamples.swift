/// Extracts the JSON output blocks of aws-cli documentation examples (`awscli/examples/**/*.rst`).
///
/// A block is the indented literal block that follows a line ending in `Output::`. Its text is
/// de-indented and parsed as JSON; syntax errors are reported at their line and column in the
/// .rst file itself.
public enum AWSCLIExamples {
    /// One output block: its JSON and the 1-based line of its first line in the file.
    public struct Block: Sendable, Equatable {
        public var value: JSONValue
        public var line: Int
    }

    /// The JSON output blocks of an .rst text, in order.
    /// - Throws: ``JSONSyntaxError`` positioned in the .rst file.
    public static func blocks(in text: String, source: String) throws -> [Block] {
        let lines = text.split(separator: "\n", omittingEmptySubsequences: false).map { line -> Substring in
            line.hasSuffix("\r") ? line.dropLast() : line
        }
        var blocks: [Block] = []
        var i = 0
        while i < lines.count {
            guard lines[i].trimmingTrailingWhitespace().hasSuffix("Output::") else { i += 1; continue }
            i += 1
            while i < lines.count, lines[i].allSatisfy(\.isWhitespace) { i += 1 }
            let start = i
            while i < lines.count, lines[i].allSatisfy(\.isWhitespace) || lines[i].first == " " || lines[i].first == "\t" {
                i += 1
            }
            var end = i
            while end > start, lines[end - 1].allSatisfy(\.isWhitespace) { end -= 1 }
            guard end > start else { continue }
            let body = lines[start..<end]
            let indent = body.filter { !$0.allSatisfy(\.isWhitespace) }
                .map { $0.prefix(while: { $0 == " " || $0 == "\t" }).count }.min() ?? 0
            let json = body.map { $0.count >= indent ? String($0.dropFirst(indent)) : "" }.joined(separator: "\n")
            do {
                blocks.append(Block(value: try JSONParser.parse(json, source: source), line: start + 1))
            } catch var error as JSONSyntaxError {
                error.line += start
                error.column += indent
                throw error
            }
        }
        return blocks
    }
}

extension Substring {
    func trimmingTrailingWhitespace() -> Substring {
        var s = self
        while let last = s.last, last.isWhitespace { s = s.dropLast() }
        return s
    }
}
