import Foundation

/// A strict, fast JSON parser producing ``JSONValue``.
///
/// Built for the hot path of loading large `kubectl get -o json` Lists: it works directly on the
/// UTF-8 bytes, turns strings without escapes into `String`s with one copy, parses integers
/// digit by digit (falling back to `Double` when they overflow 64 bits) and hands only real
/// floats to `strtod`.
///
/// Behaviour worth knowing:
/// - Strict RFC 8259 grammar: no comments, no trailing commas, no leading zeros, no `NaN`.
///   A UTF-8 byte-order mark at the start is skipped.
/// - Anything but whitespace after the value is an error ("trailing characters").
/// - Duplicate object keys: the last value wins, at the position of the first occurrence.
/// - `\u` escapes must form valid scalars; surrogate pairs are combined, lone surrogates are errors.
/// - Invalid UTF-8 inside strings is repaired to U+FFFD rather than rejected.
/// - Nesting deeper than ``maximumDepth`` is an error, so hostile input cannot overflow the stack.
/// - A number whose magnitude is beyond `Double`'s range (`1e400`, a 400-digit integer) is an
///   error, not infinity; one too small to represent (`1e-400`) becomes 0, as `strtod` rounds it.
public enum JSONParser {
    /// The deepest nesting of arrays and objects accepted.
    public static let maximumDepth = 512

    /// Parses one JSON value from UTF-8 bytes (`[UInt8]`, `Data`, `ArraySlice`, …).
    /// - Parameters:
    ///   - bytes: the UTF-8 text.
    ///   - source: names the input in error messages (usually the file path).
    /// - Throws: ``JSONSyntaxError``.
    public static func parse<Bytes: Collection>(_ bytes: Bytes, source: String = "<input>") throws -> JSONValue
    where Bytes.Element == UInt8 {
        if let result = try bytes.withContiguousStorageIfAvailable({ try parse(buffer: $0, source: source) }) {
            return result
        }
        let copy = Array(bytes)
        return try copy.withUnsafeBufferPointer { try parse(buffer: $0, source: source) }
    }

    /// Parses one JSON value from a string.
    /// - Throws: ``JSONSyntaxError``.
    public static func parse(_ text: String, source: String = "<input>") throws -> JSONValue {
        var text = text
        return try text.withUTF8 { try parse(buffer: $0, source: source) }
    }

    /// Parses one JSON value from a buffer of UTF-8 bytes the caller keeps alive.
    /// - Throws: ``JSONSyntaxError``.
    public static func parse(buffer: UnsafeBufferPointer<UInt8>, source: String = "<input>") throws -> JSONValue {
        var reader = JSONReader(buffer)
        do {
            return try reader.readDocument()
        } catch let failure as JSONReader.Failure {
            let (line, column) = position(of: failure.offset, in: buffer)
            throw JSONSyntaxError(source: source, line: line, column: column, message: failure.message)
        }
    }

    /// The 1-based line and column (in Unicode scalars) of a byte offset.
    static func position(of offset: Int, in buffer: UnsafeBufferPointer<UInt8>) -> (line: Int, column: Int) {
        let end = min(offset, buffer.count)
        var line = 1
        var lineStart = 0
        for i in 0..<end where buffer[i] == 0x0A {
            line += 1
            lineStart = i + 1
        }
        var column = 1
        for i in lineStart..<end where buffer[i] & 0xC0 != 0x80 { column += 1 }
        return (line, column)
    }
}

/// The parsing state machine behind ``JSONParser``: a cursor over a byte buffer, plus scratch
/// stacks reused by every object and array so that each one is allocated exactly once.
struct JSONReader {
    /// A parse failure at a byte offset; turned into ``JSONSyntaxError`` by the caller.
    struct Failure: Error {
        var offset: Int
        var message: String
    }

    private let bytes: UnsafeBufferPointer<UInt8>
    private let end: Int
    private var i = 0
    private var depth = 0
    private let entryStack = MovingStack<JSONObject.Entry>(capacity: 64)
    private let valueStack = MovingStack<JSONValue>(capacity: 256)
    private var scratch: [UInt8] = []
    /// Recently seen object keys longer than the 15 bytes Swift stores inline, by hash slot, so
    /// that the thousands of repeats of `serviceAccountName` in a List share one string.
    private var keyCache = [String?](repeating: nil, count: 1024)

    init(_ bytes: UnsafeBufferPointer<UInt8>) {
        self.bytes = bytes
        self.end = bytes.count
    }

    mutating func readDocument() throws -> JSONValue {
        if end >= 3, bytes[0] == 0xEF, bytes[1] == 0xBB, bytes[2] == 0xBF { i = 3 }
        let value = try readValue()
        skipWhitespace()
        if i < end { throw Failure(offset: i, message: "trailing characters after the JSON value: \(describe(bytes[i]))") }
        return value
    }

    // MARK: - Values

    @inline(__always)
    private mutating func skipWhitespace() {
        while i < end {
            let c = bytes[i]
            if c == 0x20 || c == 0x0A || c == 0x0D || c == 0x09 { i += 1 } else { return }
        }
    }

    private mutating func readValue() throws -> JSONValue {
        skipWhitespace()
        guard i < end else { throw Failure(offset: i, message: "unexpected end of input, expected a value") }
        switch bytes[i] {
        case UInt8(ascii: "{"): return try readObject()
        case UInt8(ascii: "["): return try readArray()
        case UInt8(ascii: "\""): return .string(try readString())
        case UInt8(ascii: "t"): try expectLiteral("true"); return .bool(true)
        case UInt8(ascii: "f"): try expectLiteral("false"); return .bool(false)
        case UInt8(ascii: "n"): try expectLiteral("null"); return .null
        case UInt8(ascii: "-"), UInt8(ascii: "0")...UInt8(ascii: "9"): return try readNumber()
        default:
            throw Failure(offset: i, message: "unexpected \(describe(bytes[i])), expected a value")
        }
    }

    private mutating func expectLiteral(_ word: StaticString) throws {
        let n = word.utf8CodeUnitCount
        let w = word.utf8Start
        let start = i
        for k in 0..<n {
            guard start + k < end, bytes[start + k] == w[k] else {
                throw Failure(offset: start, message: "invalid literal, expected '\(word)'")
            }
        }
        i += n
        if i < end, Self.isIdentifierByte(bytes[i]) {
            throw Failure(offset: start, message: "invalid literal, expected '\(word)'")
        }
    }

    private static func isIdentifierByte(_ c: UInt8) -> Bool {
        (c >= 0x61 && c <= 0x7A) || (c >= 0x41 && c <= 0x5A) || (c >= 0x30 && c <= 0x39) || c == 0x5F
    }

    private mutating func enter() throws {
        depth += 1
        if depth > JSONParser.maximumDepth {
            throw Failure(offset: i, message: "nesting deeper than \(JSONParser.maximumDepth) levels")
        }
    }

    private mutating func readObject() throws -> JSONValue {
        try enter()
        defer { depth -= 1 }
        i += 1
        skipWhitespace()
        if i < end, bytes[i] == UInt8(ascii: "}") { i += 1; return .object(JSONObject()) }
        let base = entryStack.count
        while true {
            guard i < end else { throw Failure(offset: i, message: "unexpected end of input in object, expected a string key") }
            guard bytes[i] == UInt8(ascii: "\"") else {
                throw Failure(offset: i, message: "expected a string key, found \(describe(bytes[i]))")
            }
            let key = try readKey()
            skipWhitespace()
            guard i < end, bytes[i] == UInt8(ascii: ":") else {
                throw Failure(offset: i, message: "expected ':' after object key")
            }
            i += 1
            let value = try readValue()
            entryStack.push((key, value))
            skipWhitespace()
            guard i < end else { throw Failure(offset: i, message: "unexpected end of input, expected ',' or '}' after object member") }
            let c = bytes[i]
            if c == UInt8(ascii: ",") { i += 1; skipWhitespace(); continue }
            if c == UInt8(ascii: "}") { i += 1; break }
            throw Failure(offset: i, message: "expected ',' or '}' after object member")
        }
        let entries = entryStack.popArray(from: base)
        if Self.hasDuplicates(entries) {
            var object = JSONObject()
            for (k, v) in entries { object[k] = v }
            return .object(object)
        }
        return .object(JSONObject(uniqueEntries: entries))
    }

    private static func hasDuplicates(_ entries: [JSONObject.Entry]) -> Bool {
        let n = entries.count
        if n < 2 { return false }
        if n <= 12 {
            for a in 0..<(n - 1) {
                for b in (a + 1)..<n where entries[a].key == entries[b].key { return true }
            }
            return false
        }
        return Set(entries.lazy.map(\.key)).count != n
    }

    private mutating func readArray() throws -> JSONValue {
        try enter()
        defer { depth -= 1 }
        i += 1
        skipWhitespace()
        if i < end, bytes[i] == UInt8(ascii: "]") { i += 1; return .array([]) }
        let base = valueStack.count
        while true {
            let value = try readValue()
            valueStack.push(value)
            skipWhitespace()
            guard i < end else { throw Failure(offset: i, message: "unexpected end of input, expected ',' or ']' after array element") }
            let c = bytes[i]
            if c == UInt8(ascii: ",") { i += 1; continue }
            if c == UInt8(ascii: "]") { i += 1; break }
            throw Failure(offset: i, message: "expected ',' or ']' after array element")
        }
        return .array(valueStack.popArray(from: base))
    }

    // MARK: - Strings

    /// Reads an object key, sharing storage with an identical recent key when it is long.
    private mutating func readKey() throws -> String {
        let start = i + 1
        var k = start
        var hash: UInt32 = 2_166_136_261
        while k < end {
            let c = bytes[k]
            if c == UInt8(ascii: "\"") { break }
            if c == UInt8(ascii: "\\") || c < 0x20 { return try readString() }
            hash = (hash ^ UInt32(c)) &* 16_777_619
            k += 1
        }
        let n = k - start
        guard k < end, n > 15 else { return try readString() }
        let slot = Int(hash & 1023)
        let raw = UnsafeBufferPointer(rebasing: bytes[start..<k])
        if let cached = keyCache[slot], cached.utf8.count == n,
           cached.utf8.withContiguousStorageIfAvailable({ memcmp($0.baseAddress!, raw.baseAddress!, n) == 0 }) == true {
            i = k + 1
            return cached
        }
        let s = String(decoding: raw, as: UTF8.self)
        keyCache[slot] = s
        i = k + 1
        return s
    }

    private mutating func readString() throws -> String {
        let open = i
        i += 1
        let start = i
        while i < end {
            let c = bytes[i]
            if c == UInt8(ascii: "\"") {
                let s = String(decoding: UnsafeBufferPointer(rebasing: bytes[start..<i]), as: UTF8.self)
                i += 1
                return s
            }
            if c == UInt8(ascii: "\\") { return try readEscapedString(from: start, open: open) }
            if c < 0x20 { throw Failure(offset: i, message: "unescaped control character \(describe(c)) in string") }
            i += 1
        }
        throw Failure(offset: open, message: "unterminated string")
    }

    /// The slow path: the string holds at least one escape, which `i` points at.
    private mutating func readEscapedString(from start: Int, open: Int) throws -> String {
        scratch.removeAll(keepingCapacity: true)
        scratch.append(contentsOf: UnsafeBufferPointer(rebasing: bytes[start..<i]))
        while i < end {
            let c = bytes[i]
            if c == UInt8(ascii: "\"") {
                i += 1
                return String(decoding: scratch, as: UTF8.self)
            }
            if c < 0x20 { throw Failure(offset: i, message: "unescaped control character \(describe(c)) in string") }
            if c != UInt8(ascii: "\\") { scratch.append(c); i += 1; continue }
            let escapeStart = i
            i += 1
            guard i < end else { break }
            let e = bytes[i]
            i += 1
            switch e {
            case UInt8(ascii: "\""): scratch.append(0x22)
            case UInt8(ascii: "\\"): scratch.append(0x5C)
            case UInt8(ascii: "/"): scratch.append(0x2F)
            case UInt8(ascii: "b"): scratch.append(0x08)
            case UInt8(ascii: "f"): scratch.append(0x0C)
            case UInt8(ascii: "n"): scratch.append(0x0A)
            case UInt8(ascii: "r"): scratch.append(0x0D)
            case UInt8(ascii: "t"): scratch.append(0x09)
            case UInt8(ascii: "u"):
                var code = try readHex4(escapeStart: escapeStart)
                if code >= 0xD800 && code <= 0xDBFF {
                    guard i + 1 < end, bytes[i] == UInt8(ascii: "\\"), bytes[i + 1] == UInt8(ascii: "u") else {
                        throw Failure(offset: escapeStart, message: "unpaired high surrogate in \\u escape")
                    }
                    let lowStart = i
                    i += 2
                    let low = try readHex4(escapeStart: lowStart)
                    guard low >= 0xDC00 && low <= 0xDFFF else {
                        throw Failure(offset: lowStart, message: "expected a low surrogate after a high surrogate")
                    }
                    code = 0x10000 + ((code - 0xD800) << 10) + (low - 0xDC00)
                } else if code >= 0xDC00 && code <= 0xDFFF {
                    throw Failure(offset: escapeStart, message: "unpaired low surrogate in \\u escape")
                }
                appendUTF8(code)
            default:
                throw Failure(offset: escapeStart, message: "invalid escape sequence '\\\(Character(Unicode.Scalar(e)))'")
            }
        }
        throw Failure(offset: open, message: "unterminated string")
    }

    private mutating func readHex4(escapeStart: Int) throws -> UInt32 {
        guard i + 4 <= end else { throw Failure(offset: escapeStart, message: "incomplete \\u escape") }
        var v: UInt32 = 0
        for _ in 0..<4 {
            let c = bytes[i]
            let d: UInt8
            switch c {
            case UInt8(ascii: "0")...UInt8(ascii: "9"): d = c - 48
            case UInt8(ascii: "a")...UInt8(ascii: "f"): d = c - 87
            case UInt8(ascii: "A")...UInt8(ascii: "F"): d = c - 55
            default: throw Failure(offset: escapeStart, message: "invalid \\u escape, expected 4 hex digits")
            }
            v = v << 4 | UInt32(d)
            i += 1
        }
        return v
    }

    private mutating func appendUTF8(_ code: UInt32) {
        switch code {
        case ..<0x80:
            scratch.append(UInt8(code))
        case ..<0x800:
            scratch.append(UInt8(0xC0 | (code >> 6)))
            scratch.append(UInt8(0x80 | (code & 0x3F)))
        case ..<0x10000:
            scratch.append(UInt8(0xE0 | (code >> 12)))
            scratch.append(UInt8(0x80 | ((code >> 6) & 0x3F)))
            scratch.append(UInt8(0x80 | (code & 0x3F)))
        default:
            scratch.append(UInt8(0xF0 | (code >> 18)))
            scratch.append(UInt8(0x80 | ((code >> 12) & 0x3F)))
            scratch.append(UInt8(0x80 | ((code >> 6) & 0x3F)))
            scratch.append(UInt8(0x80 | (code & 0x3F)))
        }
    }

    // MARK: - Numbers

    @inline(__always)
    private func isDigit(at k: Int) -> Bool {
        k < end && bytes[k] >= UInt8(ascii: "0") && bytes[k] <= UInt8(ascii: "9")
    }

    private mutating func readNumber() throws -> JSONValue {
        let start = i
        var negative = false
        if bytes[i] == UInt8(ascii: "-") {
            negative = true
            i += 1
            guard isDigit(at: i) else { throw Failure(offset: start, message: "invalid number: expected a digit after '-'") }
        }
        // Accumulate negatively so that Int64.min parses without overflow.
        var value: Int64 = 0
        var overflow = false
        if bytes[i] == UInt8(ascii: "0") {
            i += 1
            if isDigit(at: i) { throw Failure(offset: start, message: "invalid number: leading zeros are not allowed") }
        } else {
            while isDigit(at: i) {
                let d = Int64(bytes[i] &- 48)
                if !overflow {
                    let (m, o1) = value.multipliedReportingOverflow(by: 10)
                    let (s, o2) = m.subtractingReportingOverflow(d)
                    if o1 || o2 { overflow = true } else { value = s }
                }
                i += 1
            }
        }
        var isFloat = false
        if i < end, bytes[i] == UInt8(ascii: ".") {
            isFloat = true
            i += 1
            guard isDigit(at: i) else { throw Failure(offset: i, message: "invalid number: expected a digit after '.'") }
            while isDigit(at: i) { i += 1 }
        }
        if i < end, bytes[i] == UInt8(ascii: "e") || bytes[i] == UInt8(ascii: "E") {
            isFloat = true
            i += 1
            if i < end, bytes[i] == UInt8(ascii: "+") || bytes[i] == UInt8(ascii: "-") { i += 1 }
            guard isDigit(at: i) else { throw Failure(offset: i, message: "invalid number: expected a digit in the exponent") }
            while isDigit(at: i) { i += 1 }
        }
        if !isFloat && !overflow {
            if negative { return .int(value) }
            if value != Int64.min { return .int(-value) }
        }
        let double = parseDouble(from: start, to: i)
        // strtod turns a magnitude beyond Double's range into ±inf, which JSON cannot hold (and
        // json.encode would refuse later, far from the input): refuse it here, where it is written.
        guard double.isFinite else {
            throw Failure(offset: start, message: "number out of range: \(excerpt(start, i)) is beyond ±1.8e308, the largest magnitude a 64-bit float holds")
        }
        return .double(double)
    }

    /// The number text from `start` to `stop`, cut to 24 bytes.
    private func excerpt(_ start: Int, _ stop: Int) -> String {
        let text = String(decoding: UnsafeBufferPointer(rebasing: bytes[start..<min(stop, start + 24)]), as: UTF8.self)
        return stop - start > 24 ? text + "…" : text
    }

    private func parseDouble(from start: Int, to stop: Int) -> Double {
        let n = stop - start
        return withUnsafeTemporaryAllocation(of: CChar.self, capacity: n + 1) { buf in
            for k in 0..<n { buf[k] = CChar(bitPattern: bytes[start + k]) }
            buf[n] = 0
            return strtod(buf.baseAddress!, nil)
        }
    }

    // MARK: - Messages

    private func describe(_ c: UInt8) -> String {
        if c >= 0x21 && c < 0x7F { return "'\(Character(Unicode.Scalar(c)))'" }
        if c < 0x20 || c == 0x7F { return "U+\(String(c, radix: 16, uppercase: true).leftPadded(to: 4))" }
        if c == 0x20 { return "' '" }
        return "byte 0x\(String(c, radix: 16, uppercase: true))"
    }
}

extension String {
    /// Pads with leading zeros to at least `width` characters.
    func leftPadded(to width: Int) -> String {
        count >= width ? self : String(repeating: "0", count: width - count) + self
    }
}
