/// A Kubernetes label selector: `matchLabels` and `matchExpressions` (`In`, `NotIn`, `Exists`,
/// `DoesNotExist`), or the flat map a Service's `spec.selector` is.
struct LabelSelector: Sendable {
    struct Expression: Sendable {
        var key: String
        var op: String
        var values: [String]
    }

    var matchLabels: [(String, String)]
    var expressions: [Expression]
    /// An empty NetworkPolicy `podSelector` selects every pod in the namespace; an empty (or
    /// missing) Service selector or PDB selector selects nothing.
    var matchesEverythingWhenEmpty: Bool

    var isEmpty: Bool { matchLabels.isEmpty && expressions.isEmpty }

    /// From a `LabelSelector` object (`{matchLabels, matchExpressions}`). Nil when `value` is not
    /// an object (no selector at all).
    init?(_ value: JSONValue?, emptyMatchesAll: Bool) {
        guard case .object(let o)? = value else { return nil }
        matchLabels = []
        expressions = []
        matchesEverythingWhenEmpty = emptyMatchesAll
        if case .object(let ml)? = o["matchLabels"] {
            for (k, v) in ml.pairs { if let s = v.scalarString { matchLabels.append((k, s)) } }
        }
        for e in o["matchExpressions"]?.arrayValue ?? [] {
            guard let key = e["key"]?.stringValue, let op = e["operator"]?.stringValue else { continue }
            expressions.append(Expression(key: key, op: op, values: (e["values"]?.arrayValue ?? []).compactMap(\.scalarString)))
        }
    }

    /// From a flat `key: value` map (Service `spec.selector`).
    init(flat: JSONObject) {
        matchLabels = flat.pairs.compactMap { k, v in v.scalarString.map { (k, $0) } }
        expressions = []
        matchesEverythingWhenEmpty = false
    }

    func matches(_ labels: [String: String]) -> Bool {
        for (k, v) in matchLabels where labels[k] != v { return false }
        for e in expressions {
            switch e.op {
            case "In": guard let v = labels[e.key], e.values.contains(v) else { return false }
            case "NotIn": if let v = labels[e.key], e.values.contains(v) { return false }
            case "Exists": if labels[e.key] == nil { return false }
            case "DoesNotExist": if labels[e.key] != nil { return false }
            default: return false
            }
        }
        return true
    }
}

extension JSONValue {
    /// Strings as they are, numbers and booleans as YAML would have written them (labels and
    /// annotation values read from loose YAML).
    var scalarString: String? {
        switch self {
        case .string(let s): return s
        case .int(let i): return String(i)
        case .bool(let b): return b ? "true" : "false"
        case .double(let d): return String(d)
        default: return nil
        }
    }

    /// The `key: value` string pairs of an object (labels, annotations, tags).
    var stringMap: [String: String] {
        guard case .object(let o) = self else { return [:] }
        var out: [String: String] = [:]
        for (k, v) in o.pairs { if let s = v.scalarString { out[k] = s } }
        return out
    }
}
