/// A path into a JSON document with wildcards, as written in the reference tables:
/// `properties.agentPoolProfiles[].vnetSubnetID` (`[]` visits every array element) and
/// `identity.userAssignedIdentities{}` (`{}` yields the object's keys instead of values) and
/// `properties.addonProfiles.*.identity` (`*` visits every value of an object).
public struct PathPattern: Sendable, Hashable, CustomStringConvertible {
    enum Step: Sendable, Hashable {
        case key(String)
        case each
        case keys
        case values
    }

    let steps: [Step]
    /// The pattern as written.
    public let description: String

    public init(_ text: String) {
        description = text
        var steps: [Step] = []
        for var part in text.split(separator: ".", omittingEmptySubsequences: true).map(String.init) {
            var suffix: [Step] = []
            while true {
                if part.hasSuffix("[]") { part.removeLast(2); suffix.insert(.each, at: 0) }
                else if part.hasSuffix("{}") { part.removeLast(2); suffix.insert(.keys, at: 0) }
                else { break }
            }
            if part == "*" { steps.append(.values) } else if !part.isEmpty { steps.append(.key(part)) }
            steps.append(contentsOf: suffix)
        }
        self.steps = steps
    }

    /// Every non-empty string the pattern reaches, with its concrete dotted path.
    /// - Parameters:
    ///   - value: the JSON value the pattern starts from.
    ///   - base: the concrete path of `value` in its document (prefixed to every result).
    /// - Complexity: proportional to the part of `value` the pattern visits.
    public func strings(in value: JSONValue, base: [JSONPathComponent] = []) -> [(value: String, path: String)] {
        var out: [(value: String, path: String)] = []
        var path = base
        visit(value, 0, &path) { v, path in
            if case .string(let s) = v, !s.isEmpty { out.append((s, path.dotted)) }
        }
        return out
    }

    /// Every value the pattern reaches (any JSON type), with its concrete path.
    public func values(in value: JSONValue, base: [JSONPathComponent] = []) -> [(value: JSONValue, path: [JSONPathComponent])] {
        var out: [(value: JSONValue, path: [JSONPathComponent])] = []
        var path = base
        visit(value, 0, &path) { v, path in out.append((v, path)) }
        return out
    }

    /// The one traversal behind `strings` and `values`: calls `emit` with every value the steps
    /// from `i` on reach, and its path. A `{}` step ends the pattern: it emits the keys as strings.
    private func visit(_ v: JSONValue, _ i: Int, _ path: inout [JSONPathComponent],
                       _ emit: (JSONValue, [JSONPathComponent]) -> Void) {
        if i == steps.count { emit(v, path); return }
        switch steps[i] {
        case .key(let k):
            guard let next = v[k] else { return }
            path.append(.key(k)); visit(next, i + 1, &path, emit); path.removeLast()
        case .each:
            guard case .array(let a) = v else { return }
            for (n, e) in a.enumerated() { path.append(.index(n)); visit(e, i + 1, &path, emit); path.removeLast() }
        case .values:
            guard case .object(let o) = v else { return }
            for (k, e) in o.pairs { path.append(.key(k)); visit(e, i + 1, &path, emit); path.removeLast() }
        case .keys:
            guard case .object(let o) = v, i + 1 == steps.count else { return }
            for k in o.keys { path.append(.key(k)); emit(.string(k), path); path.removeLast() }
        }
    }
}

/// Several ``PathPattern``s compiled into one trie, so a document is traversed once for all of
/// them (the pod-spec rules: two dozen patterns sharing `volumes[]`, `containers[]`…).
///
/// ``forEachString(in:base:_:)`` reports exactly what ``PathPattern/strings(in:base:)`` of each
/// pattern would, but in document order rather than pattern by pattern; callers that need the
/// per-pattern order sort the hits by pattern index (stable within a pattern).
struct PathPatternSet: Sendable {
    private struct Node: Sendable {
        var keyChildren: [(key: String, node: Int)] = []
        var each: Int?
        var values: Int?
        var keys: Int?
        /// Patterns ending here.
        var terminal: [Int] = []
        /// Patterns whose last step is the `.keys` step leaving this node.
        var keysTerminal: [Int] = []
    }

    private var nodes: [Node] = [Node()]
    let count: Int

    init(_ patterns: [PathPattern]) {
        count = patterns.count
        for (p, pattern) in patterns.enumerated() {
            var n = 0
            for (s, step) in pattern.steps.enumerated() {
                let next: Int
                switch step {
                case .key(let k):
                    if let c = nodes[n].keyChildren.first(where: { $0.key == k }) { next = c.node }
                    else { next = nodes.count; nodes.append(Node()); nodes[n].keyChildren.append((k, next)) }
                case .each:
                    if let c = nodes[n].each { next = c } else { next = nodes.count; nodes.append(Node()); nodes[n].each = next }
                case .values:
                    if let c = nodes[n].values { next = c } else { next = nodes.count; nodes.append(Node()); nodes[n].values = next }
                case .keys:
                    if let c = nodes[n].keys { next = c } else { next = nodes.count; nodes.append(Node()); nodes[n].keys = next }
                    if s + 1 == pattern.steps.count { nodes[n].keysTerminal.append(p) }
                }
                n = next
            }
            // A pattern ending in `.keys` yields keys, not the values below them.
            if case .keys? = pattern.steps.last {} else { nodes[n].terminal.append(p) }
        }
    }

    /// Calls `body(pattern, string, path)` for every non-empty string a pattern reaches; `path` is
    /// the concrete path (with `base` in front).
    func forEachString(in value: JSONValue, base: [JSONPathComponent],
                       _ body: (Int, String, [JSONPathComponent]) -> Void) {
        var path = base
        nodes.withUnsafeBufferPointer { nodes in
            Self.visit(nodes, 0, value, &path, body)
        }
    }

    private static func visit(_ nodes: UnsafeBufferPointer<Node>, _ n: Int, _ v: JSONValue, _ path: inout [JSONPathComponent],
                              _ body: (Int, String, [JSONPathComponent]) -> Void) {
        let node = nodes[n]
        if !node.terminal.isEmpty, case .string(let s) = v, !s.isEmpty {
            for p in node.terminal { body(p, s, path) }
        }
        switch v {
        case .object(let o):
            if !node.keyChildren.isEmpty {
                // Object keys are unique: visit each child the object has, in the object's order.
                for (k, e) in o.pairs {
                    for c in node.keyChildren where c.key == k {
                        path.append(.key(k)); visit(nodes, c.node, e, &path, body); path.removeLast()
                    }
                }
            }
            if let c = node.values {
                for (k, e) in o.pairs { path.append(.key(k)); visit(nodes, c, e, &path, body); path.removeLast() }
            }
            if !node.keysTerminal.isEmpty {
                for k in o.keys where !k.isEmpty {
                    path.append(.key(k))
                    for p in node.keysTerminal { body(p, k, path) }
                    path.removeLast()
                }
            }
        case .array(let a):
            if let c = node.each {
                for (i, e) in a.enumerated() { path.append(.index(i)); visit(nodes, c, e, &path, body); path.removeLast() }
            }
        default:
            break
        }
    }
}
