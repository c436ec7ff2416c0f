import StandbyCore

/// A reference extractor written in Lua (`standby.refs.register{ kind = ..., extract = fn }`).
///
/// The walker calls it for objects of its kind only, so objects no Lua extractor is registered for
/// never cross into Lua. `extract(obj, ctx)` gets the object's document as a table and a context
/// `{ id, cluster, namespace, kind, name }`, and returns a list of targets:
///
///     { relation = "deployment", kind = "Deployment", name = "api" [, namespace = ..., group = ...] }
///     { relation = "vault", id = "/subscriptions/.../vaults/kv" }
///
/// with optional `path` (where in the object the reference is) and `optional = true` (skip silently
/// when it resolves to nothing). The protocol is non-throwing, so the first error is kept and the
/// `standby.select` binding raises it once the walk is over. Runs on the runtime's thread only.
final class LuaReferenceExtractor: ReferenceExtractor, @unchecked Sendable {
    let name: String
    let function: LuaRef
    unowned let runtime: LuaRuntime
    private(set) var failure: String?

    init(name: String, function: LuaRef, runtime: LuaRuntime) {
        self.name = name
        self.function = function
        self.runtime = runtime
    }

    func reset() { failure = nil }

    func references(of resource: Resource, in context: ExtractionContext) -> [Reference] {
        guard failure == nil else { return [] }
        let ctx: JSONValue = .object(JSONObject([
            ("id", .string(resource.id)),
            ("cluster", resource.cluster.map(JSONValue.string) ?? .null),
            ("namespace", resource.namespace.map(JSONValue.string) ?? .null),
            ("kind", resource.kind.map(JSONValue.string) ?? .null),
            ("name", resource.name.map(JSONValue.string) ?? .null),
        ]))
        do {
            let results = try runtime.call(function, [resource.document, ctx])
            return try Self.references(from: results.first ?? .null, of: resource, extractor: name)
        } catch let error as LuaScriptError {
            failure = "refs extractor '\(name)' failed on \(resource.display): \(error.message)"
        } catch {
            failure = "refs extractor '\(name)' returned a bad value for \(resource.display): \(error)"
        }
        return []
    }

    /// Reads the list an `extract` function returned.
    static func references(from value: JSONValue, of resource: Resource, extractor: String) throws -> [Reference] {
        let items: [JSONValue]
        switch value {
        case .null: return []
        case .array(let a): items = a
        case .object(let o) where o.isEmpty: return []
        default: throw LuaError("expected a list of references, got \(value.typeName)")
        }
        return try items.enumerated().map { i, item in
            guard case .object(let o) = item else {
                throw LuaError("reference #\(i + 1): expected a table, got \(item.typeName)")
            }
            func string(_ key: String) throws -> String? { try o.string(key, in: "reference #\(i + 1)") }
            let known: Set = ["relation", "kind", "name", "namespace", "group", "cluster", "id", "path", "optional", "expected_type"]
            if let unknown = o.keys.first(where: { !known.contains($0) }) {
                throw LuaError("reference #\(i + 1): unknown field '\(unknown)'")
            }
            let relation = try string("relation") ?? extractor
            let path = try string("path") ?? "(\(extractor))"
            let optional = o["optional"]?.boolValue ?? false
            let target: ReferenceTarget
            if let id = try string("id") {
                target = .id(id)
            } else if let kind = try string("kind"), let name = try string("name") {
                // Same namespace as the referring object unless the reference says otherwise;
                // a cluster-scoped target is written with namespace = false.
                let namespace: String?
                if o["namespace"]?.boolValue == false { namespace = nil } else { namespace = try string("namespace") ?? resource.namespace }
                target = .kube(KubeTarget(kind: kind, namespace: namespace, name: name, group: try string("group"),
                                          cluster: try string("cluster")))
            } else {
                throw LuaError("reference #\(i + 1): give either id, or kind and name")
            }
            return Reference(relation: relation, path: path, target: target, expectedType: try string("expected_type"),
                             isOptional: optional)
        }
    }
}
