extension JSONValue {
    /// Sets (or, with `nil`, removes) the value at `path`, creating objects along the way.
    /// Array indexes must exist. Returns false when the path cannot be reached (a scalar or a
    /// missing index on the way).
    @discardableResult
    public mutating func set(_ path: [JSONPathComponent], _ value: JSONValue?) -> Bool {
        set(path[...], value)
    }

    // Each level takes its container out of `self` before changing it (`self = .null`), so a
    // container this document alone holds is changed in place, not copied at every level; one
    // shared with another document is copied once, as value semantics require.
    private mutating func set(_ path: ArraySlice<JSONPathComponent>, _ value: JSONValue?) -> Bool {
        guard let first = path.first else {
            self = value ?? .null
            return true
        }
        let rest = path.dropFirst()
        switch first {
        case .key(let k):
            if case .object(var o) = self {
                if !rest.isEmpty, value == nil, o[k] == nil { return true }
                self = .null
                var ok = true
                if rest.isEmpty {
                    o[k] = value
                } else if let i = o.index(of: k) {
                    ok = o.updateValue(at: i) { $0.set(rest, value) }
                } else {
                    var child = JSONValue.object(JSONObject())
                    ok = child.set(rest, value)
                    if ok { o[k] = child }
                }
                self = .object(o)
                return ok
            }
            guard case .null = self, value != nil else { return false }
            var child = JSONValue.object(JSONObject())
            guard child.set(rest, value) else { return false }
            self = .object(JSONObject([(k, child)]))
            return true
        case .index(let i):
            guard case .array(var a) = self, a.indices.contains(i) else { return false }
            self = .null
            var ok = true
            if rest.isEmpty, value == nil {
                a.remove(at: i)
            } else {
                var child = a[i]
                a[i] = .null
                ok = child.set(rest, value)
                a[i] = child
            }
            self = .array(a)
            return ok
        }
    }

    /// Every string in the document (values and object keys), with its path. Keys are reported
    /// with `isKey` true and the path of the object holding them plus the key.
    public func forEachString(_ body: (_ path: [JSONPathComponent], _ value: String, _ isKey: Bool) -> Void) {
        var path: [JSONPathComponent] = []
        walkStrings(&path, body)
    }

    private func walkStrings(_ path: inout [JSONPathComponent], _ body: ([JSONPathComponent], String, Bool) -> Void) {
        switch self {
        case .string(let s): body(path, s, false)
        case .array(let a):
            for (i, v) in a.enumerated() {
                path.append(.index(i)); v.walkStrings(&path, body); path.removeLast()
            }
        case .object(let o):
            for (k, v) in o.pairs {
                path.append(.key(k))
                body(path, k, true)
                v.walkStrings(&path, body)
                path.removeLast()
            }
        default: break
        }
    }

    /// Like ``forEachString(_:)``, but the path is given as indexes (an object member's position,
    /// an array element's index), which costs nothing to keep; ``path(at:)`` turns the few that
    /// matter into a real path.
    public func forEachStringIndexed(_ body: (_ indexes: [Int], _ value: String, _ isKey: Bool) -> Void) {
        var indexes: [Int] = []
        indexes.reserveCapacity(16)
        walkIndexed(&indexes, body)
    }

    private func walkIndexed(_ indexes: inout [Int], _ body: ([Int], String, Bool) -> Void) {
        switch self {
        case .string(let s): body(indexes, s, false)
        case .array(let a):
            a.withUnsafeBufferPointer { buf in
                for i in 0..<buf.count {
                    indexes.append(i); buf[i].walkIndexed(&indexes, body); indexes.removeLast()
                }
            }
        case .object(let o):
            o.pairs.withUnsafeBufferPointer { buf in
                for i in 0..<buf.count {
                    indexes.append(i)
                    body(indexes, buf[i].key, true)
                    buf[i].value.walkIndexed(&indexes, body)
                    indexes.removeLast()
                }
            }
        default: break
        }
    }

    /// The path that `indexes` (from ``forEachStringIndexed(_:)``) denote in this document.
    public func path(at indexes: [Int]) -> [JSONPathComponent] {
        var out: [JSONPathComponent] = []
        var cur = self
        for i in indexes {
            switch cur {
            case .object(let o): out.append(.key(o.pairs[i].key)); cur = o.pairs[i].value
            case .array(let a): out.append(.index(i)); cur = a[i]
            default: return out
            }
        }
        return out
    }

    /// The changes that turn `self` into `other`, path by path: objects are compared member by
    /// member, arrays of equal length element by element; anything else that differs is one change.
    public func differences(to other: JSONValue, by: String) -> [TranslationChange] {
        var out: [TranslationChange] = []
        var path: [JSONPathComponent] = []
        Self.diff(self, other, &path, by, &out)
        return out
    }

    private static func diff(_ a: JSONValue?, _ b: JSONValue?, _ path: inout [JSONPathComponent], _ by: String,
                             _ out: inout [TranslationChange]) {
        switch (a, b) {
        case (.object(let x)?, .object(let y)?):
            for (k, v) in x.pairs {
                path.append(.key(k)); diff(v, y[k], &path, by, &out); path.removeLast()
            }
            for (k, v) in y.pairs where x[k] == nil {
                path.append(.key(k)); diff(nil, v, &path, by, &out); path.removeLast()
            }
        case (.array(let x)?, .array(let y)?) where x.count == y.count:
            for i in x.indices {
                path.append(.index(i)); diff(x[i], y[i], &path, by, &out); path.removeLast()
            }
        default:
            if a != b { out.append(TranslationChange(path: path.dotted, before: a, after: b, by: by)) }
        }
    }
}
