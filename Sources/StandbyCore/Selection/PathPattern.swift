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
        var out: [(String, String)] = []
        var path = base
        visit(value, 0, &path, &out)
        return out
    }

    /// Every value the pattern reaches (any JSON type), with its concrete path.
    public func values(in value: JSONValue, base: [JSONPathComponent] = []) -> [(value: JSONValue, path: [JSONPathComponent])] {
        var out: [(JSONValue, [JSONPathComponent])] = []
        var path = base
        visitValues(value, 0, &path, &out)
        return out
    }

    private func visit(_ v: JSONValue, _ i: Int, _ path: inout [JSONPathComponent], _ out: inout [(String, String)]) {
        if i == steps.count {
            if case .string(let s) = v, !s.isEmpty { out.append((s, path.dotted)) }
            return
        }
        switch steps[i] {
        case .key(let k):
            guard let next = v[k] else { return }
            path.append(.key(k)); visit(next, i + 1, &path, &out); path.removeLast()
        case .each:
            guard case .array(let a) = v else { return }
            for (n, e) in a.enumerated() { path.append(.index(n)); visit(e, i + 1, &path, &out); path.removeLast() }
        case .values:
            guard case .object(let o) = v else { return }
            for (k, e) in o.pairs { path.append(.key(k)); visit(e, i + 1, &path, &out); path.removeLast() }
        case .keys:
            guard case .object(let o) = v else { return }
            for k in o.keys where !k.isEmpty {
                path.append(.key(k))
                if i + 1 == steps.count { out.append((k, path.dotted)) }
                path.removeLast()
            }
        }
    }

    private func visitValues(_ v: JSONValue, _ i: Int, _ path: inout [JSONPathComponent],
                             _ out: inout [(JSONValue, [JSONPathComponent])]) {
        if i == steps.count { out.append((v, path)); return }
        switch steps[i] {
        case .key(let k):
            guard let next = v[k] else { return }
            path.append(.key(k)); visitValues(next, i + 1, &path, &out); path.removeLast()
        case .each:
            guard case .array(let a) = v else { return }
            for (n, e) in a.enumerated() { path.append(.index(n)); visitValues(e, i + 1, &path, &out); path.removeLast() }
        case .values:
            guard case .object(let o) = v else { return }
            for (k, e) in o.pairs { path.append(.key(k)); visitValues(e, i + 1, &path, &out); path.removeLast() }
        case .keys:
            guard case .object(let o) = v else { return }
            for k in o.keys { path.append(.key(k)); out.append((.string(k), path)); path.removeLast() }
        }
    }
}
