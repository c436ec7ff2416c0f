import Foundation
import Yams

/// Reads a multi-document YAML stream (Kubernetes manifests, estate files) into ``JSONValue``s.
///
/// Yams composes each document into a node tree; this type then resolves plain scalars the way
/// Kubernetes manifests are usually meant, so the result matches what `kubectl` would send:
///
/// | plain scalar | becomes |
/// |---|---|
/// | empty, `~`, `null`, `Null`, `NULL` | `null` |
/// | `true` `True` `TRUE` `false` `False` `FALSE` | boolean |
/// | `yes` `no` `on` `off` `y` `n` (any case) | **string** |
/// | `123`, `-7`, `+7`, `0x1F`, `0o17` | integer (overflow becomes a float) |
/// | `0644` (leading zero, octal digits) | integer **read as octal** (420) |
/// | `1.5`, `1e3`, `.5`, `.inf`, `-.inf`, `.nan` | float |
/// | anything else (dates and times included) | string |
///
/// Why this mix: YAML 1.1 (which `sigs.k8s.io/yaml` implements) also reads `yes`/`no`/`on`/`off`
/// as booleans, but that is the classic source of surprises (`country: no`), and Kubernetes' own
/// style guides say to write `true`/`false`; so Standby keeps those words as the strings they
/// look like. Leading-zero octal *is* kept from YAML 1.1 because manifests rely on it for file
/// modes (`defaultMode: 0644` means 420 to the API server).
///
/// Quoted and block (`|`, `>`) scalars are always strings. Explicit tags `!!str`, `!!int`,
/// `!!float`, `!!bool` and `!!null` are honoured; other tags are ignored. Mapping keys keep their
/// order and are always strings (a plain `1:` key becomes `"1"`). Anchors and aliases are
/// expanded, and `<<` merge keys are applied (explicit keys win). Empty documents are skipped.
///
/// Every text is checked against ``YAMLLimits`` (nesting depth, values added by aliases) before
/// anything is built.
public enum YAMLDocuments {
    /// One non-empty document of a stream.
    public struct Document: Sendable, Equatable {
        /// The document's content.
        public var value: JSONValue
        /// 0-based position of the document in the stream, counting empty documents too.
        public var index: Int
        /// 1-based line where the document's content starts.
        public var line: Int
    }

    /// The non-empty documents of `text`, in order.
    /// - Throws: ``YAMLSyntaxError`` naming `source`, line and column.
    public static func parse(_ text: String, source: String = "<input>") throws -> [JSONValue] {
        try documents(text, source: source).map(\.value)
    }

    /// The non-empty documents of `text` with their positions.
    /// - Throws: ``YAMLSyntaxError`` naming `source`, line and column.
    public static func documents(_ text: String, source: String = "<input>") throws -> [Document] {
        var result: [Document] = []
        do {
            let parser = try parser(text, source: source)
            var index = 0
            while let node = try parser.nextRoot() {
                var converter = YAMLNodeConverter(source: source)
                let value = try converter.convert(node)
                if !value.isNull {
                    result.append(Document(value: value, index: index, line: node.mark?.line ?? 1))
                }
                index += 1
            }
        } catch let error as YamlError {
            throw syntaxError(error, source: source)
        }
        return result
    }

    /// A Yams parser over `text`, once ``YAMLLimits`` has accepted it: the one way Standby
    /// starts reading YAML.
    /// - Throws: ``YAMLSyntaxError`` when a limit is crossed, `YamlError` when Yams cannot start.
    static func parser(_ text: String, source: String) throws -> Parser {
        try YAMLLimits.check(text, source: source)
        return try Parser(yaml: text, resolver: .basic, encoding: .utf8)
    }

    /// Translates a Yams error into a ``YAMLSyntaxError``.
    static func syntaxError(_ error: YamlError, source: String) -> YAMLSyntaxError {
        func message(_ problem: String, _ context: YamlError.Context?) -> String {
            guard let context else { return problem }
            return "\(problem) (\(context.text) at line \(context.mark.line), column \(context.mark.column))"
        }
        switch error {
        case .scanner(let context, let problem, let mark, _),
             .parser(let context, let problem, let mark, _),
             .composer(let context, let problem, let mark, _):
            return YAMLSyntaxError(source: source, line: mark.line, column: mark.column, message: message(problem, context))
        case .reader(let problem, let offset, _, let yaml):
            var line = 1, column = 1
            if let offset {
                for ch in yaml.prefix(offset) {
                    if ch == "\n" { line += 1; column = 1 } else { column += 1 }
                }
            }
            return YAMLSyntaxError(source: source, line: line, column: column, message: problem)
        default:
            return YAMLSyntaxError(source: source, line: 1, column: 1, message: "\(error)")
        }
    }
}

/// Converts one Yams node tree to ``JSONValue`` with the resolution rules of ``YAMLDocuments``.
struct YAMLNodeConverter {
    let source: String

    init(source: String) { self.source = source }

    private static let strTag = "tag:yaml.org,2002:str"
    private static let intTag = "tag:yaml.org,2002:int"
    private static let floatTag = "tag:yaml.org,2002:float"
    private static let boolTag = "tag:yaml.org,2002:bool"
    private static let nullTag = "tag:yaml.org,2002:null"

    /// The value of `node`. Recursion is bounded by ``YAMLLimits/maximumDepth`` and the values
    /// aliases add by ``YAMLLimits/aliasBudget(inputBytes:)``, both checked before composing.
    mutating func convert(_ node: Node) throws -> JSONValue {
        switch node {
        case .scalar(let scalar):
            return Self.value(of: scalar)
        case .sequence(let sequence):
            var items: [JSONValue] = []
            items.reserveCapacity(sequence.count)
            for item in sequence { items.append(try convert(item)) }
            return .array(items)
        case .mapping(let mapping):
            return .object(try mappingObject(of: mapping))
        }
    }

    private mutating func mappingObject(of mapping: Node.Mapping) throws -> JSONObject {
        var object = JSONObject()
        var explicitKeys: Set<String>? = nil
        for (keyNode, valueNode) in mapping {
            guard case .scalar(let keyScalar) = keyNode else {
                let mark = keyNode.mark
                throw YAMLSyntaxError(source: source, line: mark?.line ?? 1, column: mark?.column ?? 1,
                                      message: "mapping keys must be scalars to convert to JSON")
            }
            if keyScalar.string == "<<", keyScalar.style == .plain, keyScalar.tag.description.isEmpty {
                if explicitKeys == nil { explicitKeys = Set(object.keys) }
                try merge(valueNode, into: &object, keeping: explicitKeys!)
                continue
            }
            let key = keyScalar.string
            explicitKeys?.insert(key)
            object[key] = try convert(valueNode)
        }
        return object
    }

    /// Applies a `<<` merge: the merged mapping(s) fill in keys not written explicitly.
    private mutating func merge(_ node: Node, into object: inout JSONObject, keeping explicit: Set<String>) throws {
        let sources: [Node]
        switch node {
        case .mapping: sources = [node]
        case .sequence(let seq): sources = Array(seq)
        case .scalar:
            let mark = node.mark
            throw YAMLSyntaxError(source: source, line: mark?.line ?? 1, column: mark?.column ?? 1,
                                  message: "a '<<' merge key needs a mapping or a list of mappings")
        }
        for source in sources {
            guard case .mapping(let mapping) = source else {
                let mark = source.mark
                throw YAMLSyntaxError(source: self.source, line: mark?.line ?? 1, column: mark?.column ?? 1,
                                      message: "a '<<' merge key needs a mapping or a list of mappings")
            }
            let merged = try mappingObject(of: mapping)
            for (k, v) in merged.pairs where !explicit.contains(k) && object[k] == nil {
                object[k] = v
            }
        }
    }

    static func value(of scalar: Node.Scalar) -> JSONValue {
        let text = scalar.string
        let tag = scalar.tag.description
        switch tag {
        case "", "!":
            break
        case strTag:
            return .string(text)
        case intTag, floatTag:
            let v = resolvePlain(text)
            switch v {
            case .int, .double: return v
            default: return .string(text)
            }
        case boolTag:
            if case .bool = resolvePlain(text) { return resolvePlain(text) }
            return .string(text)
        case nullTag:
            return .null
        default:
            break
        }
        switch scalar.style {
        case .plain, .any: return resolvePlain(text)
        default: return .string(text)
        }
    }

    /// Resolves a plain (unquoted, untagged) scalar.
    static func resolvePlain(_ text: String) -> JSONValue {
        guard let first = text.utf8.first else { return .null }
        switch first {
        case UInt8(ascii: "~"):
            return text == "~" ? .null : .string(text)
        case UInt8(ascii: "n"), UInt8(ascii: "N"):
            return text == "null" || text == "Null" || text == "NULL" ? .null : .string(text)
        case UInt8(ascii: "t"), UInt8(ascii: "T"):
            return text == "true" || text == "True" || text == "TRUE" ? .bool(true) : .string(text)
        case UInt8(ascii: "f"), UInt8(ascii: "F"):
            return text == "false" || text == "False" || text == "FALSE" ? .bool(false) : .string(text)
        case UInt8(ascii: "0")...UInt8(ascii: "9"), UInt8(ascii: "-"), UInt8(ascii: "+"), UInt8(ascii: "."):
            return number(text) ?? .string(text)
        default:
            return .string(text)
        }
    }

    private static func number(_ text: String) -> JSONValue? {
        switch text {
        case ".inf", ".Inf", ".INF", "+.inf", "+.Inf", "+.INF": return .double(.infinity)
        case "-.inf", "-.Inf", "-.INF": return .double(-.infinity)
        case ".nan", ".NaN", ".NAN": return .double(.nan)
        default: break
        }
        var body = Substring(text)
        var negative = false
        if body.first == "-" || body.first == "+" {
            negative = body.first == "-"
            body = body.dropFirst()
        }
        guard !body.isEmpty else { return nil }
        let u = body.utf8
        let isDigits = { (s: Substring.UTF8View, radix: UInt8) -> Bool in
            !s.isEmpty && s.allSatisfy { c in
                switch radix {
                case 8: return c >= 48 && c <= 55
                case 16: return (c >= 48 && c <= 57) || (c >= 97 && c <= 102) || (c >= 65 && c <= 70)
                default: return c >= 48 && c <= 57
                }
            }
        }
        if body.hasPrefix("0x") || body.hasPrefix("0X") {
            let digits = body.dropFirst(2)
            guard isDigits(digits.utf8, 16) else { return nil }
            return integer(digits, radix: 16, negative: negative)
        }
        if body.hasPrefix("0o") || body.hasPrefix("0O") {
            let digits = body.dropFirst(2)
            guard isDigits(digits.utf8, 8) else { return nil }
            return integer(digits, radix: 8, negative: negative)
        }
        if isDigits(u, 10) {
            if u.count > 1, u.first == 48, isDigits(u, 8) {
                return integer(body, radix: 8, negative: negative)
            }
            return integer(body, radix: 10, negative: negative)
        }
        // [0-9]*(\.[0-9]*)?([eE][-+]?[0-9]+)? with at least one digit in the mantissa.
        var sawDigit = false, sawDot = false, sawExp = false
        var k = u.startIndex
        while k < u.endIndex {
            let c = u[k]
            if c >= 48 && c <= 57 { sawDigit = true }
            else if c == UInt8(ascii: ".") && !sawDot && !sawExp { sawDot = true }
            else if (c == UInt8(ascii: "e") || c == UInt8(ascii: "E")) && sawDigit && !sawExp {
                sawExp = true
                let next = u.index(after: k)
                if next < u.endIndex, u[next] == UInt8(ascii: "-") || u[next] == UInt8(ascii: "+") { k = next }
                let digitsStart = u.index(after: k)
                guard digitsStart < u.endIndex, u[digitsStart...].allSatisfy({ $0 >= 48 && $0 <= 57 }) else { return nil }
                break
            } else { return nil }
            k = u.index(after: k)
        }
        guard sawDigit, let d = Double(String(body)) else { return nil }
        return .double(negative ? -d : d)
    }

    private static func integer(_ digits: Substring, radix: Int, negative: Bool) -> JSONValue {
        if let v = Int64(negative ? "-" + digits : String(digits), radix: radix) { return .int(v) }
        if radix == 10, let d = Double(String(digits)) { return .double(negative ? -d : d) }
        var d = 0.0
        for c in digits.utf8 {
            let v: UInt8 = c >= 97 ? c - 87 : (c >= 65 ? c - 55 : c - 48)
            d = d * Double(radix) + Double(v)
        }
        return .double(negative ? -d : d)
    }
}
