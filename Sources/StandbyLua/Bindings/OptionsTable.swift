import StandbyCore

/// An options table passed from Lua (`inv:find{ kind = "Deployment" }`), read as JSON and checked
/// against the fields the function knows, so a typo is an error that names the field rather than
/// a filter that silently matches everything.
struct OptionsTable {
    let object: JSONObject
    let function: String

    /// Reads argument `n` of `call`; nil or absent gives an empty table. Fields listed in `opaque`
    /// (objects, functions) are checked for presence only and read with the `LuaCall` field readers.
    init(_ call: LuaCall, _ n: Int, function: String, allowed: [String], opaque: [String] = []) throws {
        self.function = function
        if call.isNil(n) {
            object = JSONObject()
            return
        }
        try call.checkTable(n)
        var o = JSONObject()
        for key in try call.tableKeys(n) {
            guard allowed.contains(key) || opaque.contains(key) else {
                let known = allowed + opaque
                if key.hasPrefix("[") {
                    throw LuaArgumentError(argument: n, function: function,
                                           problem: "options table expected, got a list; use named fields: \(known.joined(separator: ", "))")
                }
                let hint = Suggestion.hint(key, in: known)
                throw LuaArgumentError(argument: n, function: function,
                                       problem: "unknown field '\(key)'\(hint); known fields: \(known.joined(separator: ", "))")
            }
            if !opaque.contains(key), let value = try call.json(n, field: key) { o[key] = value }
        }
        object = o
    }

    /// A table already read as JSON (a nested options table), checked against `allowed` (any
    /// field when nil); `function` names it in errors (`apply: target.aws`).
    init(object: JSONObject, function: String, allowed: [String]? = nil) throws {
        self.function = function
        if let allowed {
            for key in object.keys where !allowed.contains(key) {
                let hint = Suggestion.hint(key, in: allowed)
                throw LuaError("\(function): unknown field '\(key)'\(hint); known fields: \(allowed.joined(separator: ", "))")
            }
        }
        self.object = object
    }

    /// A string field; a non-string value is an error naming the field.
    func string(_ key: String) throws -> String? {
        try object.string(key, in: function)
    }

    /// A boolean field: nil when absent or null, an error naming the field when it holds
    /// anything else (`partial = "yes"` is not taken for true).
    func bool(_ key: String) throws -> Bool? {
        switch object[key] {
        case nil, .null?: return nil
        case .bool(let b)?: return b
        case let other?: throw LuaError("\(function): field '\(key)' must be a boolean, got \(other.typeName)")
        }
    }

    /// A field holding one string or a list of strings.
    func strings(_ key: String) throws -> [String]? {
        switch object[key] {
        case nil, .null?: return nil
        case .string(let s)?: return [s]
        case .array(let items)?:
            return try items.enumerated().map { i, item in
                guard case .string(let s) = item else {
                    throw LuaError("\(function): field '\(key)'[\(i + 1)] must be a string, got \(item.typeName)")
                }
                return s
            }
        case let other?: throw LuaError("\(function): field '\(key)' must be a string or a list of strings, got \(other.typeName)")
        }
    }
}

extension JSONObject {
    /// Field `key` as a string: nil when absent or null, an error naming `context` and the field
    /// when it holds anything else ("select: field 'name' must be a string, got number").
    func string(_ key: String, in context: String) throws -> String? {
        switch self[key] {
        case nil, .null?: return nil
        case .string(let s)?: return s
        case let other?: throw LuaError("\(context): field '\(key)' must be a string, got \(other.typeName)")
        }
    }
}
