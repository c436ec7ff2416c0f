import Foundation

/// Writes ``JSONValue``s as JSON text.
///
/// - Integers print exactly; doubles print in the shortest form that reads back to the same
///   value, and always with a `.` or an exponent so that `1.0` stays a float (`1.0`, `1e+20`).
///   NaN and infinities, which JSON cannot express, print as `null`.
/// - Strings escape `"` `\` and control characters (`\n`, `\t`, … or `\u00XX`); everything else,
///   including `/` and non-ASCII text, is written as UTF-8.
/// - `pretty` output indents by two spaces and writes `"key": value`, like `JSON.stringify(v, null, 2)`;
///   empty objects and arrays print as `{}` and `[]`. No trailing newline either way.
public enum JSONSerializer {
    /// The JSON text of `value`.
    public static func serialize(_ value: JSONValue, pretty: Bool = false) -> String {
        var bytes: [UInt8] = []
        serialize(value, pretty: pretty, into: &bytes)
        return String(decoding: bytes, as: UTF8.self)
    }

    /// Appends the JSON text of `value` to `bytes`.
    public static func serialize(_ value: JSONValue, pretty: Bool = false, into bytes: inout [UInt8]) {
        var writer = JSONWriter(pretty: pretty, out: bytes)
        bytes = []
        writer.write(value, indent: 0)
        bytes = writer.out
    }

    /// Appends the JSON text of `value` to `data`.
    public static func serialize(_ value: JSONValue, pretty: Bool = false, into data: inout Data) {
        var bytes: [UInt8] = []
        serialize(value, pretty: pretty, into: &bytes)
        data.append(contentsOf: bytes)
    }

    /// Writes the JSON text of `value` in pieces of about `chunk` bytes, each handed to `emit` as
    /// soon as it is made, so a large document never exists as one buffer. The pieces joined are
    /// exactly ``serialize(_:pretty:)``. `emit` may throw; the first error stops the writing.
    public static func write(_ value: JSONValue, pretty: Bool = false, chunk: Int = 1 << 20,
                             to emit: (UnsafeBufferPointer<UInt8>) throws -> Void) throws {
        try write(StreamedJSON.value(value), pretty: pretty, chunk: chunk, to: emit)
    }

    /// The JSON text of `value` as UTF-8 `Data`.
    public static func data(_ value: JSONValue, pretty: Bool = false) -> Data {
        var bytes: [UInt8] = []
        serialize(value, pretty: pretty, into: &bytes)
        return Data(bytes)
    }
}

extension JSONValue: CustomStringConvertible {
    /// Compact JSON text.
    public var description: String { JSONSerializer.serialize(self) }
}

/// The byte-level writer behind ``JSONSerializer``.
struct JSONWriter {
    let pretty: Bool
    var out: [UInt8]
    /// When set, called with ``out`` (then emptied) each time it holds ``flushAt`` bytes or more,
    /// between the elements of arrays and objects.
    var flush: (([UInt8]) -> Void)?
    var flushAt = Int.max

    init(pretty: Bool, out: [UInt8]) {
        self.pretty = pretty
        self.out = out
    }

    mutating func write(_ value: JSONValue, indent: Int) {
        switch value {
        case .null: appendASCII("null")
        case .bool(let b): appendASCII(b ? "true" : "false")
        case .int(let n): writeInt(n)
        case .double(let d): writeDouble(d)
        case .string(let s): writeString(s)
        case .array(let items):
            if items.isEmpty { appendASCII("[]"); return }
            openContainer(UInt8(ascii: "["))
            for (k, item) in items.enumerated() {
                beginMember(k, indent: indent, key: nil)
                write(item, indent: indent + 1)
            }
            closeContainer(UInt8(ascii: "]"), indent: indent)
        case .object(let object):
            if object.isEmpty { appendASCII("{}"); return }
            openContainer(UInt8(ascii: "{"))
            for (k, (key, value)) in object.pairs.enumerated() {
                beginMember(k, indent: indent, key: key)
                write(value, indent: indent + 1)
            }
            closeContainer(UInt8(ascii: "}"), indent: indent)
        }
    }

    mutating func openContainer(_ bracket: UInt8) { out.append(bracket) }

    /// What comes before member `k` of a container at `indent`: the comma, a flush point, the
    /// line break and, in an object, the key.
    @inline(__always)
    mutating func beginMember(_ k: Int, indent: Int, key: String?) {
        if k > 0 { out.append(UInt8(ascii: ",")) }
        if out.count >= flushAt { flushOut() }
        newline(indent + 1)
        if let key {
            writeString(key)
            out.append(UInt8(ascii: ":"))
            if pretty { out.append(UInt8(ascii: " ")) }
        }
    }

    mutating func closeContainer(_ bracket: UInt8, indent: Int) {
        newline(indent)
        out.append(bracket)
    }

    private mutating func flushOut() {
        guard let flush else { return }
        flush(out)
        out.removeAll(keepingCapacity: true)
    }

    @inline(__always)
    private mutating func newline(_ indent: Int) {
        guard pretty else { return }
        out.append(0x0A)
        for _ in 0..<(indent * 2) { out.append(0x20) }
    }

    private mutating func appendASCII(_ s: StaticString) {
        out.append(contentsOf: UnsafeBufferPointer(start: s.utf8Start, count: s.utf8CodeUnitCount))
    }

    private mutating func writeInt(_ n: Int64) {
        if n < 0 { out.append(UInt8(ascii: "-")) }
        var v = n.magnitude
        if v < 10 { out.append(UInt8(48 + v)); return }
        withUnsafeTemporaryAllocation(of: UInt8.self, capacity: 20) { buf in
            var k = 20
            while v > 0 {
                k -= 1
                buf[k] = UInt8(48 + v % 10)
                v /= 10
            }
            out.append(contentsOf: UnsafeBufferPointer(rebasing: buf[k..<20]))
        }
    }

    private mutating func writeDouble(_ d: Double) {
        guard d.isFinite else { appendASCII("null"); return }
        let text = d.description
        out.append(contentsOf: text.utf8)
        if !text.utf8.contains(where: { $0 == UInt8(ascii: ".") || $0 == UInt8(ascii: "e") || $0 == UInt8(ascii: "E") }) {
            appendASCII(".0")
        }
    }

    private static let hex: [UInt8] = Array("0123456789abcdef".utf8)

    mutating func writeString(_ s: String) {
        out.append(UInt8(ascii: "\""))
        var s = s
        s.withUTF8 { buf in
            var runStart = 0
            for k in 0..<buf.count {
                let c = buf[k]
                guard c < 0x20 || c == 0x22 || c == 0x5C else { continue }
                if runStart < k { out.append(contentsOf: UnsafeBufferPointer(rebasing: buf[runStart..<k])) }
                runStart = k + 1
                out.append(UInt8(ascii: "\\"))
                switch c {
                case 0x22: out.append(0x22)
                case 0x5C: out.append(0x5C)
                case 0x0A: out.append(UInt8(ascii: "n"))
                case 0x0D: out.append(UInt8(ascii: "r"))
                case 0x09: out.append(UInt8(ascii: "t"))
                case 0x08: out.append(UInt8(ascii: "b"))
                case 0x0C: out.append(UInt8(ascii: "f"))
                default:
                    out.append(contentsOf: [UInt8(ascii: "u"), 0x30, 0x30, Self.hex[Int(c >> 4)], Self.hex[Int(c & 0xF)]])
                }
            }
            if runStart < buf.count { out.append(contentsOf: UnsafeBufferPointer(rebasing: buf[runStart...])) }
        }
        out.append(UInt8(ascii: "\""))
    }
}
