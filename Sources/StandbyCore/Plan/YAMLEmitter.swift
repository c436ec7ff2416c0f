/// Writes ``JSONValue``s as block-style YAML that reads back as exactly the same JSON values, with
/// Standby's reader (``YAMLDocuments``), with YAML 1.1 readers (`sigs.k8s.io/yaml` in `kubectl` and
/// the API server, PyYAML) and with YAML 1.2 core-schema readers.
///
/// The text is written directly as UTF-8 bytes (no intermediate tree, no string appends: a
/// 100k-object plan writes its manifests in a fraction of the time libyaml took through Yams); each
/// scalar's style is chosen as follows:
///
/// - A string is double-quoted when some reader would take it for another type if it were plain:
///   empty; `null`, `~`, `true`, `false`, `yes`, `no`, `on`, `off`, `y`, `n` in any case; `=` and
///   `<<`; `.inf`, `.nan` and their signed forms; and anything that starts like a number (a digit,
///   or `+`, `-`, `.`) and uses only the characters of numbers, sexagesimals and timestamps
///   (`1.0`, `0755`, `1_000`, `0x1F`, `1e3`, `12:30`, `2024-06-02`, `2024-06-02T10:15:31Z`). Words
///   such as `10Gi`, `500m` or `v1` stay plain. Object keys follow the same rule.
/// - A string with a line break is written as a literal block (`|`, `|-`, `|+` by its trailing
///   breaks) unless a block could not read back exactly (a leading space or break, trailing spaces,
///   tabs, carriage returns, control characters, Unicode line breaks, `---`/`...` at a line start),
///   when it is double-quoted.
/// - Every other string is plain unless YAML syntax needs quotes (`- x`, `a: b`, `#x`, leading or
///   trailing spaces, control characters…; see `isPlainSafe`), when it is double-quoted with
///   JSON-compatible escapes.
/// - Integers print in decimal; doubles in the shortest form that reads back to the same value,
///   always with a `.` and, with an exponent, a signed one (`1.0`, `1.0e+20`), because YAML 1.1
///   reads `1e+20` as a string; infinities and NaN as `.inf`, `-.inf`, `.nan`.
/// - Lines are never folded, indentation is two spaces, non-ASCII text is written as is, and object
///   keys keep their order, so the output is deterministic.
public enum YAMLEmitter {
    /// The YAML text of one document, ending with a newline.
    public static func emit(_ value: JSONValue) -> String {
        String(decoding: bytes(value), as: UTF8.self)
    }

    /// The YAML of one document as UTF-8 bytes (what ``emit(_:)`` returns as a string).
    public static func bytes(_ value: JSONValue) -> [UInt8] {
        var out: [UInt8] = []
        out.reserveCapacity(2048)
        write(value, into: &out)
        return out
    }

    /// Appends the YAML of one document to `out`.
    public static func write(_ value: JSONValue, into out: inout [UInt8]) {
        switch value {
        case .object(let o) where !o.isEmpty: mapping(o, indent: 0, into: &out)
        case .array(let a) where !a.isEmpty: sequence(a, indent: 0, into: &out)
        default: scalar(value, indent: 2, into: &out); out.append(newline)
        }
    }

    /// A multi-document stream: each document as ``emit(_:)`` writes it, separated by `---` lines.
    /// An empty list gives an empty string.
    public static func emit(documents: [JSONValue]) -> String {
        var out: [UInt8] = []
        for (n, d) in documents.enumerated() {
            if n > 0 { out.append(contentsOf: separator) }
            write(d, into: &out)
        }
        return String(decoding: out, as: UTF8.self)
    }

    /// The line between two documents of a stream.
    static let separator: [UInt8] = Array("---\n".utf8)

    // MARK: - Writing
    //
    // Block style, two-space indentation, sequences inside mappings not indented (as kubectl
    // writes them). Scalars: see the type's documentation; anything not safe as a plain scalar is
    // double-quoted with JSON-compatible escapes, which YAML 1.1 and 1.2 readers read the same.

    private static let newline = UInt8(ascii: "\n")
    private static let space = UInt8(ascii: " ")

    private static func spaces(_ n: Int, _ out: inout [UInt8]) {
        if n > 0 { out.append(contentsOf: repeatElement(space, count: n)) }
    }

    private static func append(_ s: String, _ out: inout [UInt8]) {
        utf8(s) { out.append(contentsOf: $0) }
    }

    /// Runs `body` on the UTF-8 bytes of `s` (in place for native strings).
    private static func utf8<R>(_ s: String, _ body: (UnsafeBufferPointer<UInt8>) -> R) -> R {
        if let r = s.utf8.withContiguousStorageIfAvailable(body) { return r }
        return Array(s.utf8).withUnsafeBufferPointer(body)
    }

    private static func mapping(_ o: JSONObject, indent: Int, into out: inout [UInt8], firstInline: Bool = false) {
        var first = firstInline
        for (k, v) in o.pairs {
            if first { first = false } else { spaces(indent, &out) }
            key(k, into: &out)
            out.append(UInt8(ascii: ":"))
            value(v, indent: indent, into: &out, inSequence: false)
        }
    }

    private static func sequence(_ a: [JSONValue], indent: Int, into out: inout [UInt8], firstInline: Bool = false) {
        var first = firstInline
        for v in a {
            if first { first = false } else { spaces(indent, &out) }
            out.append(UInt8(ascii: "-"))
            value(v, indent: indent, into: &out, inSequence: true)
        }
    }

    /// Writes what follows `key:` or `-`, including the line break(s).
    private static func value(_ v: JSONValue, indent: Int, into out: inout [UInt8], inSequence: Bool) {
        switch v {
        case .object(let o) where !o.isEmpty:
            if inSequence {
                out.append(space)
                mapping(o, indent: indent + 2, into: &out, firstInline: true)
            } else {
                out.append(newline)
                mapping(o, indent: indent + 2, into: &out)
            }
        case .array(let a) where !a.isEmpty:
            if inSequence {
                out.append(space)
                sequence(a, indent: indent + 2, into: &out, firstInline: true)
            } else {
                out.append(newline)
                sequence(a, indent: indent, into: &out)
            }
        default:
            out.append(space)
            scalar(v, indent: indent + 2, into: &out)
            out.append(newline)
        }
    }

    private static func scalar(_ v: JSONValue, indent: Int, into out: inout [UInt8]) {
        switch v {
        case .null: append("null", &out)
        case .bool(let b): append(b ? "true" : "false", &out)
        case .int(let i): append(String(i), &out)
        case .double(let d): append(doubleText(d), &out)
        case .string(let s): string(s, indent: indent, into: &out)
        case .object: append("{}", &out)
        case .array: append("[]", &out)
        }
    }

    private static func key(_ k: String, into out: inout [UInt8]) {
        let plain = utf8(k) { b -> Bool in
            guard isPlainSafe(b, k) else { return false }
            out.append(contentsOf: b)
            return true
        }
        if !plain { quoted(k, into: &out) }
    }

    private static func string(_ s: String, indent: Int, into out: inout [UInt8]) {
        let plain = utf8(s) { b -> Bool in
            guard isPlainSafe(b, s) else { return false }
            out.append(contentsOf: b)
            return true
        }
        if plain { return }
        if let lines = literalLines(s) {
            let trailing = s.utf8.reversed().prefix { $0 == 10 }.count
            append(trailing == 0 ? "|-" : trailing == 1 ? "|" : "|+", &out)
            out.append(newline)
            for (n, line) in lines.enumerated() {
                if line.isEmpty {
                    if n < lines.count { out.append(newline) }
                } else {
                    spaces(indent, &out); out.append(contentsOf: line.utf8); out.append(newline)
                }
            }
            // The caller ends the line: drop the block's own last break.
            if out.last == newline { out.removeLast() }
            return
        }
        quoted(s, into: &out)
    }

    /// The lines of `s` for a literal block, or nil when a block would not read back exactly
    /// (leading space or break, trailing spaces, tabs, carriage returns, control characters,
    /// Unicode line breaks, a byte order mark, document markers at a line start).
    private static func literalLines(_ s: String) -> [Substring]? {
        guard s.utf8.contains(10) else { return nil }
        guard let first = s.utf8.first, first != 32, first != 10 else { return nil }
        for u in s.unicodeScalars {
            switch u.value {
            case 9, 13, 0x85, 0x2028, 0x2029, 0xFEFF: return nil
            case 0..<32 where u.value != 10: return nil
            case 0x7F...0x9F: return nil
            default: continue
            }
        }
        var lines = s.split(separator: "\n", omittingEmptySubsequences: false)
        while lines.last?.isEmpty == true { lines.removeLast() }
        for line in lines {
            if line.hasSuffix(" ") { return nil }
            if line.hasPrefix("---") || line.hasPrefix("...") { return nil }
        }
        // Leading empty lines inside are fine; a block whose first line is empty needs an
        // indentation indicator: quote instead.
        if lines.first?.isEmpty ?? true { return nil }
        let trailing = s.utf8.reversed().prefix { $0 == 10 }.count
        for _ in 0..<max(0, trailing - 1) { lines.append("") }
        return lines
    }

    /// Safe as a plain scalar in both block and key position, and reads back as this string.
    static func isPlainSafe(_ s: String) -> Bool {
        utf8(s) { isPlainSafe($0, s) }
    }

    /// ``isPlainSafe(_:)`` on the string's UTF-8 bytes `b` (`s` is the same string, for the rare
    /// checks that need its Unicode scalars).
    private static func isPlainSafe(_ b: UnsafeBufferPointer<UInt8>, _ s: String) -> Bool {
        guard let first = b.first, let last = b.last else { return false }
        if needsQuotes(b, s) { return false }
        switch first {
        case UInt8(ascii: "-"), UInt8(ascii: "?"), UInt8(ascii: ":"), UInt8(ascii: ","), UInt8(ascii: "["),
             UInt8(ascii: "]"), UInt8(ascii: "{"), UInt8(ascii: "}"), UInt8(ascii: "#"), UInt8(ascii: "&"),
             UInt8(ascii: "*"), UInt8(ascii: "!"), UInt8(ascii: "|"), UInt8(ascii: ">"), UInt8(ascii: "'"),
             UInt8(ascii: "\""), UInt8(ascii: "%"), UInt8(ascii: "@"), UInt8(ascii: "`"), UInt8(ascii: " "):
            return false
        default: break
        }
        if last == UInt8(ascii: " ") || last == UInt8(ascii: ":") { return false }
        var nonASCII = false
        var previous: UInt8 = 0
        for c in b {
            if c < 32 || c == 127 { return false }
            if c >= 0x80 {
                // Non-ASCII: plain is fine except the Unicode breaks, NEL and BOM, checked below.
                nonASCII = true
            } else if c == UInt8(ascii: " ") {
                if previous == UInt8(ascii: ":") { return false }
            } else if c == UInt8(ascii: "#") {
                if previous == UInt8(ascii: " ") { return false }
            }
            previous = c
        }
        if nonASCII {
            for u in s.unicodeScalars where u.value == 0x85 || u.value == 0x2028 || u.value == 0x2029 || u.value == 0xFEFF
                || (u.value >= 0x80 && u.value <= 0x9F) {
                return false
            }
        }
        return true
    }

    private static let hex = Array("0123456789ABCDEF".utf8)

    /// A double-quoted scalar with JSON-compatible escapes.
    private static func quoted(_ s: String, into out: inout [UInt8]) {
        out.append(UInt8(ascii: "\""))
        for u in s.unicodeScalars {
            switch u.value {
            case 0x22: out += [92, 0x22]
            case 0x5C: out += [92, 92]
            case 0x0A: out += [92, UInt8(ascii: "n")]
            case 0x0D: out += [92, UInt8(ascii: "r")]
            case 0x09: out += [92, UInt8(ascii: "t")]
            case 0..<0x20, 0x7F...0x9F, 0x2028, 0x2029, 0xFEFF:
                let v = u.value
                out += [92, UInt8(ascii: "u"), hex[Int((v >> 12) & 0xF)], hex[Int((v >> 8) & 0xF)],
                        hex[Int((v >> 4) & 0xF)], hex[Int(v & 0xF)]]
            default:
                UTF8.encode(u) { out.append($0) }
            }
        }
        out.append(UInt8(ascii: "\""))
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

    private static let reservedWords: Set<String> = ["null", "~", "true", "false", "yes", "no", "on", "off", "y", "n", "=", "<<",
                                                      ".inf", "+.inf", "-.inf", ".nan"]

    /// Characters of YAML 1.1 and 1.2 numbers, sexagesimals and timestamps.
    private static let numberish: Set<Unicode.Scalar> = Set("0123456789abcdefABCDEFxXoObB_.:+-eEtTzZ ".unicodeScalars)
    /// The same characters as a byte table.
    private static let numberishBytes: [Bool] = (0..<256).map { b in numberish.contains(Unicode.Scalar(UInt8(b))) && b < 128 }

    /// Whether `s`, written plain, could read back as something other than this string.
    public static func needsQuotes(_ s: String) -> Bool {
        utf8(s) { needsQuotes($0, s) }
    }

    /// ``needsQuotes(_:)`` on the string's UTF-8 bytes `b` (`s` is the same string).
    private static func needsQuotes(_ b: UnsafeBufferPointer<UInt8>, _ s: String) -> Bool {
        guard let first = b.first else { return true }
        if b.count <= 5 {
            // Reserved words are ASCII: compare lower-cased bytes. (A longer or non-ASCII string
            // takes the general path, which lower-cases with Unicode's rules.)
            if b.allSatisfy({ $0 < 0x80 }) {
                if isReserved(b) { return true }
            } else if s.count <= 5, reservedWords.contains(s.lowercased()) {
                return true
            }
        } else if b.contains(where: { $0 >= 0x80 }), s.count <= 5, reservedWords.contains(s.lowercased()) {
            return true
        }
        switch first {
        case UInt8(ascii: "0")...UInt8(ascii: "9"), UInt8(ascii: "+"), UInt8(ascii: "-"), UInt8(ascii: "."):
            return b.allSatisfy { numberishBytes[Int($0)] }
        default:
            return false
        }
    }

    /// Whether the ASCII bytes `b` (at most 5) are a reserved word in any case.
    private static func isReserved(_ b: UnsafeBufferPointer<UInt8>) -> Bool {
        // Packed into an integer: one lower-cased byte each (at most 5), the length above them.
        var packed = UInt64(b.count) << 40
        for (i, c) in b.enumerated() { packed |= UInt64(c >= 65 && c <= 90 ? c + 32 : c) << (8 * UInt64(i)) }
        return reservedPacked.contains(packed)
    }

    private static let reservedPacked: Set<UInt64> = Set(reservedWords.map { w in
        w.utf8.enumerated().reduce(UInt64(w.utf8.count) << 40) { $0 | UInt64($1.element) << (8 * UInt64($1.offset)) }
    })
}
