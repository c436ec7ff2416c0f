extension InventoryGap {
    /// `{ source, what, reason }`: as Lua's `inv.gaps` and `standby points list --json` give it.
    public var json: JSONValue {
        .object(JSONObject([("source", .string(source)), ("what", .string(what)), ("reason", .string(reason))]))
    }
}
