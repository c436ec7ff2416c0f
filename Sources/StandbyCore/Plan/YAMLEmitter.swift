import Yams

/// Writes ``JSONValue``s as block-style YAML that reads back as exactly the same JSON values, with
/// Standby's reader (``YAMLDocuments``), with YAML 1.1 readers (`sigs.k8s.io/yaml` in `kubectl` and
/// the API server, PyYAML) and with YAML 1.2 core-schema readers.
///
/// The text is produced by libyaml through Yams (a ``JSONValue`` becomes a `Yams.Node`); this type
/// chooses each scalar's style:
///
/// - A string is double-quoted when some reader would take it for another type if it were plain:
///   empty; `null`, `~`, `true`, `false`, `yes`, `no`, `on`, `off`, `y`, `n` in any case; `=` and
///   `<<`; `.inf`, `.nan` and their signed forms; and anything that starts like a number (a digit,
///   or `+`, `-`, `.`) and uses only the characters of numbers, sexagesimals and timestamps
///   (`1.0`, `0755`, `1_000`, `0x1F`, `1e3`, `12:30`, `2024-06-02`, `2024-06-02T10:15:31Z`). Words
///   such as `10Gi`, `500m` or `v1` stay plain. Object keys follow the same rule.
/// - A string with a line break (and no carriage return or Unicode line separator, which a block
///   scalar would normalise) is written as a literal block (`|`), unless libyaml finds that
///   impossible (trailing spaces before a break, control characters), when it is double-quoted.
/// - Every other string is plain unless YAML syntax needs quotes (`- x`, `a: b`, `#x`, leading or
///   trailing spaces…), which libyaml decides.
/// - Integers print in decimal; doubles in the shortest form that reads back to the same value,
///   always with a `.` and, with an exponent, a signed one (`1.0`, `1.0e+20`), because YAML 1.1
///   reads `1e+20` as a string; infinities and NaN as `.inf`, `-.inf`, `.nan`.
/// - Lines are never folded, indentation is two spaces, non-ASCII text is written as is, and object
///   keys keep their order, so the output is deterministic.
public enum YAMLEmitter {
    /// The YAML text of one document, ending with a newline.
    ///
    /// Never fails: if libyaml refused the tree (it has no known reason to), the document is written
    /// as JSON, which every YAML reader also accepts.
    public static func emit(_ value: JSONValue) -> String {
        do {
            var text = try Yams.serialize(node: node(value), indent: 2, width: -1, allowUnicode: true, lineBreak: .ln)
            if !text.hasSuffix("\n") { text += "\n" }
            return text
        } catch {
            return JSONSerializer.serialize(value, pretty: true) + "\n"
        }
    }

    /// A multi-document stream: each document as ``emit(_:)`` writes it, separated by `---` lines.
    /// An empty list gives an empty string.
    public static func emit(documents: [JSONValue]) -> String {
        documents.map(emit).joined(separator: "---\n")
    }

    /// The Yams node of `value`, with the scalar styles described on the type.
    public static func node(_ value: JSONValue) -> Node {
        switch value {
        case .null: return Node("null", Tag(.null), .plain)
        case .bool(let b): return Node(b ? "true" : "false", Tag(.bool), .plain)
        case .int(let i): return Node(String(i), Tag(.int), .plain)
        case .double(let d): return Node(doubleText(d), Tag(.float), .plain)
        case .string(let s): return stringNode(s)
        case .array(let a): return Node(a.map(node), Tag(.seq), .block)
        case .object(let o): return Node(o.pairs.map { (stringNode($0.key), node($0.value)) }, Tag(.map), .block)
        }
    }

    /// A YAML float literal every reader resolves to `d`.
    static func doubleText(_ d: Double) -> String {
        if d.isNaN { return ".nan" }
        if d.isInfinite { return d < 0 ? "-.inf" : ".inf" }
        var text = d.description
        if let e = text.firstIndex(where: { $0 == "e" || $0 == "E" }) {
            var mantissa = String(text[..<e])
            var exponent = String(text[text.index(after: e)...])
            if !mantissa.utf8.contains(UInt8(ascii: ".")) { mantissa += ".0" }
            if !exponent.hasPrefix("-") && !exponent.hasPrefix("+") { exponent = "+" + exponent }
            text = mantissa + "e" + exponent
        } else if !text.utf8.contains(UInt8(ascii: ".")) {
            text += ".0"
        }
        return text
    }

    private static func stringNode(_ s: String) -> Node {
        if needsQuotes(s) { return Node(s, Tag(.str), .doubleQuoted) }
        if s.utf8.contains(10), !s.unicodeScalars.contains(where: { $0 == "\r" || $0 == "\u{85}" || $0 == "\u{2028}" || $0 == "\u{2029}" }) {
            return Node(s, Tag(.str), .literal)
        }
        return Node(s, Tag(.str), .plain)
    }

    private static let reservedWords: Set<String> = ["null", "~", "true", "false", "yes", "no", "on", "off", "y", "n", "=", "<<",
                                                      ".inf", "+.inf", "-.inf", ".nan"]

    /// Characters of YAML 1.1 and 1.2 numbers, sexagesimals and timestamps.
    private static let numberish: Set<Unicode.Scalar> = Set("0123456789abcdefABCDEFxXoObB_.:+-eEtTzZ ".unicodeScalars)

    /// Whether `s`, written plain, could read back as something other than this string.
    public static func needsQuotes(_ s: String) -> Bool {
        guard let first = s.unicodeScalars.first else { return true }
        if s.count <= 5, reservedWords.contains(s.lowercased()) { return true }
        switch first {
        case "0"..."9", "+", "-", ".":
            return s.unicodeScalars.allSatisfy { numberish.contains($0) }
        default:
            return false
        }
    }
}
