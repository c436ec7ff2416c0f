/// A JSON document as Standby holds it: ordered objects, integers kept apart from floats.
///
/// Every resource document (ARM, AWS, Kubernetes) is a `JSONValue`. Objects keep their key order
/// so that what Standby writes back reads like what it was given. Integers that fit in 64 bits are
/// `.int`; every other number is `.double`.
public enum JSONValue: Sendable, Equatable {
    case null
    case bool(Bool)
    case int(Int64)
    case double(Double)
    case string(String)
    case array([JSONValue])
    case object(JSONObject)
}

/// An ordered JSON object. Lookup is linear, which is fastest for the small objects resources are
/// made of; key order is the order of insertion.
///
/// Members are held in one array of (key, value) pairs: one heap allocation per object (parsed
/// trees hold millions of small objects). ``keys`` and ``values`` build arrays on demand.
public struct JSONObject: Sendable, Equatable {
    public typealias Entry = (key: String, value: JSONValue)

    /// The members, in key order.
    public private(set) var pairs: [Entry]

    public init() { pairs = [] }

    public init(_ pairs: [(String, JSONValue)]) {
        self.pairs = []
        self.pairs.reserveCapacity(pairs.count)
        for (k, v) in pairs { self[k] = v }
    }

    /// Builds an object from parallel arrays the caller guarantees hold unique keys (parsers).
    public init(uniqueKeys keys: [String], values: [JSONValue]) {
        precondition(keys.count == values.count)
        pairs = []
        pairs.reserveCapacity(keys.count)
        for i in keys.indices { pairs.append((keys[i], values[i])) }
    }

    /// Builds an object from members the caller guarantees have unique keys (parsers).
    init(uniqueEntries: [Entry]) { pairs = uniqueEntries }

    /// The keys, in order (a new array).
    public var keys: [String] { pairs.map(\.key) }
    /// The values, in key order (a new array).
    public var values: [JSONValue] { pairs.map(\.value) }

    public var count: Int { pairs.count }
    public var isEmpty: Bool { pairs.isEmpty }

    public func index(of key: String) -> Int? { pairs.firstIndex { $0.key == key } }

    public subscript(key: String) -> JSONValue? {
        get {
            for e in pairs where e.key == key { return e.value }
            return nil
        }
        set {
            if let i = index(of: key) {
                if let v = newValue { pairs[i].value = v } else { pairs.remove(at: i) }
            } else if let v = newValue {
                pairs.append((key, v))
            }
        }
    }

    /// Runs `body` on the value of member `i` in place (taken out of the object meanwhile, so a
    /// value only this object holds is not copied to be changed).
    mutating func updateValue<R>(at i: Int, _ body: (inout JSONValue) -> R) -> R {
        var v = pairs[i].value
        pairs[i].value = .null
        let result = body(&v)
        pairs[i].value = v
        return result
    }

    public static func == (a: JSONObject, b: JSONObject) -> Bool {
        // The same storage (a document compared with the copy it was made from) is equal at once.
        let same = a.pairs.withUnsafeBufferPointer { x in b.pairs.withUnsafeBufferPointer { y in x.baseAddress == y.baseAddress } }
        if same { return true }
        return a.pairs.count == b.pairs.count && zip(a.pairs, b.pairs).allSatisfy { $0.key == $1.key && $0.value == $1.value }
    }
}

extension JSONValue {
    public subscript(key: String) -> JSONValue? {
        if case .object(let o) = self { return o[key] }
        return nil
    }

    public subscript(index: Int) -> JSONValue? {
        if case .array(let a) = self, a.indices.contains(index) { return a[index] }
        return nil
    }

    /// Follows a path of keys (strings) and array indexes (ints).
    public subscript(path path: [JSONPathComponent]) -> JSONValue? {
        var cur: JSONValue? = self
        for c in path {
            switch c {
            case .key(let k): cur = cur?[k]
            case .index(let i): cur = cur?[i]
            }
        }
        return cur
    }

    public var stringValue: String? { if case .string(let s) = self { return s }; return nil }
    public var objectValue: JSONObject? { if case .object(let o) = self { return o }; return nil }
    public var arrayValue: [JSONValue]? { if case .array(let a) = self { return a }; return nil }
    public var boolValue: Bool? { if case .bool(let b) = self { return b }; return nil }
    public var intValue: Int64? {
        switch self {
        case .int(let i): return i
        case .double(let d) where d.rounded() == d && abs(d) < 9.2e18: return Int64(d)
        default: return nil
        }
    }
    public var isNull: Bool { if case .null = self { return true }; return false }

    /// The name of the JSON type, as used in error messages ("expected object, got array").
    public var typeName: String {
        switch self {
        case .null: return "null"
        case .bool: return "boolean"
        case .int, .double: return "number"
        case .string: return "string"
        case .array: return "array"
        case .object: return "object"
        }
    }
}

/// One step of a path into a JSON document.
public enum JSONPathComponent: Sendable, Hashable, CustomStringConvertible {
    case key(String)
    case index(Int)

    public var description: String {
        switch self {
        case .key(let k): return k
        case .index(let i): return "[\(i)]"
        }
    }
}

extension Array where Element == JSONPathComponent {
    /// `spec.template.spec.containers[0].image`
    public var dotted: String {
        var s = ""
        for c in self {
            switch c {
            case .key(let k): if !s.isEmpty { s += "." }; s += k
            case .index(let i): s += "[\(i)]"
            }
        }
        return s
    }
}

extension JSONValue: ExpressibleByStringLiteral, ExpressibleByIntegerLiteral, ExpressibleByBooleanLiteral,
    ExpressibleByFloatLiteral, ExpressibleByNilLiteral, ExpressibleByArrayLiteral, ExpressibleByDictionaryLiteral
{
    public init(stringLiteral value: String) { self = .string(value) }
    public init(integerLiteral value: Int64) { self = .int(value) }
    public init(booleanLiteral value: Bool) { self = .bool(value) }
    public init(floatLiteral value: Double) { self = .double(value) }
    public init(nilLiteral: ()) { self = .null }
    public init(arrayLiteral elements: JSONValue...) { self = .array(elements) }
    public init(dictionaryLiteral elements: (String, JSONValue)...) { self = .object(JSONObject(elements)) }
}
