extension InventorySummary {
    /// The summary as JSON, names sorted: `{ total, types, kinds, clusters = { name = { objects,
    /// kinds } }, notes }` — the table `inv:summary()` returns in Lua and what
    /// `standby inventory --json` prints.
    public var json: JSONValue {
        func counts(_ m: [String: Int]) -> JSONValue {
            .object(JSONObject(m.sorted { $0.key < $1.key }.map { ($0.key, .int(Int64($0.value))) }))
        }
        return .object(JSONObject([
            ("total", .int(Int64(total))),
            ("types", counts(byType)),
            ("kinds", counts(byKind)),
            ("clusters", .object(JSONObject(byCluster.sorted { $0.key < $1.key }.map { name, c in
                (name, .object(JSONObject([("objects", .int(Int64(c.objects))), ("kinds", counts(c.byKind))])))
            }))),
            ("notes", .int(Int64(notes))),
        ]))
    }
}
