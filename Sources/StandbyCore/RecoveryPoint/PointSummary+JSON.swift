extension PointSummary {
    /// `{ id, clusters, created, size, objects, complete, immutable, partial, gaps, verified? }`:
    /// as Lua's `points:list()` and `standby points list --json` give it (`verified` only when a
    /// key was given to check with).
    public var json: JSONValue {
        var pairs: [(String, JSONValue)] = [
            ("id", .string(id)), ("clusters", .array(clusters.map { .string($0) })), ("created", .string(created)),
            ("size", .int(Int64(size))), ("objects", .int(Int64(objects))), ("complete", .bool(complete)),
            ("immutable", .bool(immutable)), ("partial", .bool(isPartial)), ("gaps", .array(gaps.map(\.json))),
        ]
        if let verified { pairs.append(("verified", .bool(verified))) }
        return .object(JSONObject(pairs))
    }
}
