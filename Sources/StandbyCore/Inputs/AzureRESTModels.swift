/// The REST property names, read-only properties and api-version of the Azure resource types
/// Standby deploys, generated from the Azure SDK models the tests pin
/// (`scripts/validate/generate_rest_names.py` writes `AzureRESTModels+Table.swift`).
///
/// Two uses:
/// - **On load** (``normalizing(_:type:)``): a key that is not a REST name of its model but
///   matches one case-insensitively is renamed to it — the Azure CLI writes `tenantId`,
///   `podIpAllocationMode`, `enableVtpm`, `vnetSubnetId` where REST writes `tenantID`,
///   `podIPAllocationMode`, `enableVTPM`, `vnetSubnetID`. Keys of user-keyed maps (tags, labels,
///   add-on configs) are never touched.
/// - **In the template** (``pruning(_:type:)``): read-only properties, `null`s and keys the model
///   does not know are removed; the unknown ones are returned so the plan reports them.
///
/// The table holds one api-version per resource type, the one the SDK's create-or-update request
/// sends: the version whose property set the models describe. The template deploys the types the
/// table covers with that version (``apiVersion(forType:)``), so every property it keeps is known
/// to the api-version it names.
public enum AzureRESTModels {
    /// One property of a model.
    struct Field: Sendable {
        enum Kind: Sendable { case single, list, map }
        var name: String
        var kind: Kind
        /// The model of the value (of each element of a list or map); nil for a scalar or a
        /// free-form object.
        var model: String?
        var readOnly: Bool
    }

    /// A model's fields by REST name, and by lower-cased name when no two fields share it.
    struct Model: Sendable {
        var fields: [String: Field] = [:]
        var folded: [String: String] = [:]

        func field(_ key: String) -> Field? { fields[key] }

        /// The REST name `key` stands for when it differs only in case.
        func restName(_ key: String) -> String? { folded[key.lowercased()] }
    }

    struct Schema: Sendable {
        var roots: [String: (apiVersion: String, model: String)] = [:]
        var models: [String: Model] = [:]
    }

    static let schema: Schema = parse(table)

    static func parse(_ text: String) -> Schema {
        var schema = Schema()
        var current: String?
        var model = Model()
        var ambiguous: Set<String> = []
        func flush() {
            guard let name = current else { return }
            for a in ambiguous { model.folded[a] = nil }
            schema.models[name] = model
        }
        for line in text.split(separator: "\n") {
            let parts = line.split(separator: " ").map(String.init)
            if line.hasPrefix("api "), parts.count == 4 {
                schema.roots[parts[1].lowercased()] = (parts[2], parts[3])
            } else if line.hasPrefix("model "), parts.count == 2 {
                flush()
                current = parts[1]; model = Model(); ambiguous = []
            } else if line.hasPrefix(" "), parts.count >= 2 {
                var type = Substring(parts[1])
                var kind = Field.Kind.single
                if type.hasPrefix("[") { kind = .list; type = type.dropFirst() }
                else if type.hasPrefix("{") { kind = .map; type = type.dropFirst() }
                let field = Field(name: parts[0], kind: kind, model: type == "." ? nil : String(type),
                                  readOnly: parts.count > 2 && parts[2] == "r")
                model.fields[field.name] = field
                let lower = field.name.lowercased()
                if model.folded[lower] != nil { ambiguous.insert(lower) }
                model.folded[lower] = field.name
            }
        }
        flush()
        return schema
    }

    /// The api-version whose properties the table holds for `type` (any case); nil when the
    /// table does not cover the type.
    public static func apiVersion(forType type: String) -> String? { schema.roots[type.lowercased()]?.apiVersion }

    /// Whether the table covers `type` (any case).
    public static func covers(_ type: String) -> Bool { schema.roots[type.lowercased()] != nil }

    static func rootModel(_ type: String) -> Model? {
        schema.roots[type.lowercased()].flatMap { schema.models[$0.model] }
    }

    // MARK: - Load: CLI spellings to REST spellings

    /// `document` (a resource in REST shape) with every key renamed to the REST spelling its model
    /// gives it, when they differ only in case; unchanged when the table does not cover `type`.
    public static func normalizing(_ document: JSONValue, type: String) -> JSONValue {
        guard let model = rootModel(type) else { return document }
        return normalizing(document, model)
    }

    static func normalizing(_ value: JSONValue, _ model: Model) -> JSONValue {
        guard case .object(let o) = value else { return value }
        var out: [(String, JSONValue)] = []
        out.reserveCapacity(o.count)
        for (k, v) in o.pairs {
            let name = model.field(k) != nil ? k : (model.restName(k) ?? k)
            // A key already present in REST spelling wins over its CLI twin.
            if name != k, o[name] != nil { out.append((k, v)); continue }
            guard let field = model.field(name) else { out.append((name, v)); continue }
            out.append((name, normalizing(v, field)))
        }
        return .object(JSONObject(out))
    }

    static func normalizing(_ value: JSONValue, _ field: Field) -> JSONValue {
        guard let name = field.model, let model = schema.models[name] else { return value }
        switch (field.kind, value) {
        case (.single, _): return normalizing(value, model)
        case (.list, .array(let items)): return .array(items.map { normalizing($0, model) })
        case (.map, .object(let o)): return .object(JSONObject(o.pairs.map { ($0.key, normalizing($0.value, model)) }))
        default: return value
        }
    }

    // MARK: - Template: read-only, null and unknown properties

    /// Whether `path` (from the resource's root) ends at a property the model of `type` marks
    /// read-only; false when the table does not cover the type or the path leaves the model.
    static func isReadOnly(_ path: [JSONPathComponent], type: String) -> Bool {
        guard var model = rootModel(type) else { return false }
        var pending: Field?
        for component in path {
            if let f = pending {
                // Inside a list or map: this component picks the element.
                pending = nil
                guard let name = f.model, let m = schema.models[name] else { return false }
                model = m
                continue
            }
            guard case .key(let k) = component, let field = model.field(k) else { return false }
            if field.readOnly { return true }
            if field.kind != .single { pending = field; continue }
            guard let name = field.model, let m = schema.models[name] else { return false }
            model = m
        }
        return false
    }

    /// `value`, the top-level member `key` of a resource of `type`, without read-only properties,
    /// `null`s and keys the model does not know, and the dotted paths of the unknown keys it
    /// removed. `nil` when the table does not cover the type.
    static func pruning(_ value: JSONValue, member key: String, type: String) -> (value: JSONValue?, unknown: [String])? {
        guard let root = rootModel(type) else { return nil }
        var unknown: [String] = []
        guard let field = root.field(key) else { return (nil, [key]) }
        if field.readOnly || value.isNull { return (nil, []) }
        return (pruning(value, field, path: key, unknown: &unknown), unknown)
    }

    static func pruning(_ value: JSONValue, _ field: Field, path: String, unknown: inout [String]) -> JSONValue {
        guard let name = field.model, let model = schema.models[name] else { return value }
        switch (field.kind, value) {
        case (.single, _):
            return pruning(value, model, path: path, unknown: &unknown)
        case (.list, .array(let items)):
            return .array(items.enumerated().compactMap { i, item in
                item.isNull ? nil : pruning(item, model, path: "\(path)[\(i)]", unknown: &unknown)
            })
        case (.map, .object(let o)):
            return .object(JSONObject(o.pairs.compactMap { pair in
                pair.value.isNull ? nil : (pair.key, pruning(pair.value, model, path: "\(path).\(pair.key)", unknown: &unknown))
            }))
        default:
            return value
        }
    }

    static func pruning(_ value: JSONValue, _ model: Model, path: String, unknown: inout [String]) -> JSONValue {
        guard case .object(let o) = value else { return value }
        var out: [(String, JSONValue)] = []
        out.reserveCapacity(o.count)
        for (k, v) in o.pairs {
            let here = "\(path).\(k)"
            guard let field = model.field(k) else { unknown.append(here); continue }
            if field.readOnly || v.isNull { continue }
            out.append((k, pruning(v, field, path: here, unknown: &unknown)))
        }
        return .object(JSONObject(out))
    }
}
