/// One condition of a tag rule, over the virtual tags Standby gives Kubernetes objects (or, for
/// keys without the `k8s:` prefix, over a cloud resource's real tags).
public enum TagCondition: Sendable, Hashable, CustomStringConvertible {
    /// `k8s:kind`: the object's kind, exactly (`Deployment`).
    case kind(String)
    /// `k8s:namespace`: the object's namespace, exactly.
    case namespace(String)
    /// `k8s:label`: `key=value` (the label has that value) or `key` (the label exists).
    case label(key: String, value: String?)
    /// `k8s:name`: the object's name, exactly or as a glob (`*` any run, `?` one character).
    case name(String)
    /// Any other key: a cloud tag with that value (`env=prod`), or present when the value is `*`.
    case tag(key: String, value: String)

    public var description: String {
        switch self {
        case .kind(let k): return "k8s:kind=\(k)"
        case .namespace(let n): return "k8s:namespace=\(n)"
        case .label(let k, let v): return v.map { "k8s:label=\(k)=\($0)" } ?? "k8s:label=\(k)"
        case .name(let n): return "k8s:name=\(n)"
        case .tag(let k, let v): return "\(k)=\(v)"
        }
    }

    /// Parses one `key: value` pair of a rule table.
    /// - Throws: ``SelectionError`` for an unknown `k8s:` key or an empty value.
    public static func parse(key: String, value: String) throws -> TagCondition {
        guard !value.isEmpty else { throw SelectionError("Tag condition '\(key)' has an empty value.") }
        switch key {
        case "k8s:kind": return .kind(value)
        case "k8s:namespace": return .namespace(value)
        case "k8s:name": return .name(value)
        case "k8s:label":
            if let eq = value.firstIndex(of: "=") {
                let k = String(value[..<eq]), v = String(value[value.index(after: eq)...])
                guard !k.isEmpty else { throw SelectionError("Tag condition 'k8s:label' value '\(value)' has no label key.") }
                return .label(key: k, value: v)
            }
            return .label(key: value, value: nil)
        default:
            if key.hasPrefix("k8s:") {
                throw SelectionError("Unknown tag '\(key)': expected k8s:kind, k8s:namespace, k8s:label or k8s:name.")
            }
            return .tag(key: key, value: value)
        }
    }

    func matches(_ r: Resource) -> Bool {
        switch self {
        case .kind(let k): return r.isKubernetesObject && r.kind == k
        case .namespace(let n): return r.isKubernetesObject && r.namespace == n
        case .label(let k, let v):
            guard r.isKubernetesObject, let have = r.labels[k] else { return false }
            return v == nil || have == v
        case .name(let pattern):
            guard r.isKubernetesObject, let name = r.name else { return false }
            return Glob.matches(pattern, name)
        case .tag(let k, let v):
            guard let have = r.tags[k] else { return false }
            return v == "*" || have == v
        }
    }
}

/// Conditions that must all hold (AND). Rules in a list are alternatives (OR).
public struct TagRule: Sendable, Hashable, CustomStringConvertible {
    public var conditions: [TagCondition]

    public init(conditions: [TagCondition]) { self.conditions = conditions }

    /// From a table such as `["k8s:kind": "Deployment", "k8s:label": "tier=web"]`. Conditions are
    /// kept in key order, so the rule reads the same every time.
    /// - Throws: ``SelectionError`` for an empty rule, an unknown `k8s:` key or an empty value.
    public init(_ table: [String: String]) throws {
        try self.init(pairs: table.sorted { $0.key < $1.key }.map { ($0.key, $0.value) })
    }

    /// From ordered pairs (lets one rule hold two labels: `[("k8s:label","a=1"), ("k8s:label","b=2")]`).
    public init(pairs: [(String, String)]) throws {
        guard !pairs.isEmpty else { throw SelectionError("A tag rule needs at least one condition.") }
        conditions = try pairs.map { try TagCondition.parse(key: $0.0, value: $0.1) }
    }

    /// Whether every condition holds for `resource`. An empty rule matches nothing.
    public func matches(_ resource: Resource) -> Bool {
        !conditions.isEmpty && conditions.allSatisfy { $0.matches(resource) }
    }

    public var description: String { conditions.map(\.description).joined(separator: " and ") }
}

/// A selection request that cannot be honoured, phrased as a sentence for the operator.
public struct SelectionError: Error, Sendable, Equatable, CustomStringConvertible {
    public var message: String
    public init(_ message: String) { self.message = message }
    public var description: String { message }
}

/// `*` and `?` globs, on Characters.
enum Glob {
    static func matches(_ pattern: String, _ text: String) -> Bool {
        if !pattern.contains("*") && !pattern.contains("?") { return pattern == text }
        let p = Array(pattern), t = Array(text)
        var pi = 0, ti = 0, star = -1, mark = 0
        while ti < t.count {
            if pi < p.count && (p[pi] == "?" || p[pi] == t[ti]) { pi += 1; ti += 1 }
            else if pi < p.count && p[pi] == "*" { star = pi; mark = ti; pi += 1 }
            else if star >= 0 { pi = star + 1; mark += 1; ti = mark }
            else { return false }
        }
        while pi < p.count && p[pi] == "*" { pi += 1 }
        return pi == p.count
    }
}
