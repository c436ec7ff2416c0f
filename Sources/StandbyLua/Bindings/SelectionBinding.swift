import Foundation
import CLua
import CLuaShim
import StandbyCore

/// A selection as Lua holds it (`standby.Selection`): what a recovery point will contain.
final class SelectionObject {
    let selection: Selection
    let inventory: InventoryObject

    init(_ selection: Selection, inventory: InventoryObject) {
        self.selection = selection
        self.inventory = inventory
    }
}

extension LuaRuntime {
    /// `standby._select` (`standby.select`), `standby._refs` (`standby.refs.register`), and the
    /// class `standby.Selection`.
    func installSelectionBinding() throws {
        // The shared iterator behind every `:each()`: its state is { handle, handle, ..., n = i }.
        pushFunction(mainState, "each iterator") { call in
            try call.checkTable(1)
            return try call.runtime.iterate(call)
        }
        bindings.iterator = reference(mainState, at: -1)
        CLuaShim_pop(mainState, 1)

        defineClass("standby.Selection", for: SelectionObject.self) { cls in
            cls.field("count") { .int(Int64($0.selection.resources.count)) }
            cls.field("inventory", push: { sel, call in try call.push(object: sel.inventory) })
            cls.field("warnings") { .array($0.selection.unknownNamespaces.map { .string($0.description) }) }
            cls.method("contains") { sel, call in try call.push(sel.selection.contains(try call.string(1))) }
            cls.method("each") { sel, call in
                let query = try LuaRuntime.query(call, 1, function: "each")
                let matches = sel.selection.resources.filter(query.matches)
                return try call.runtime.pushIteration(call, over: sel.inventory.handles(for: matches))
            }
            cls.method("why") { sel, call in
                let id = try call.string(1)
                guard let steps = sel.selection.why(id), let text = sel.selection.explain(id) else {
                    return try call.pushNil()
                }
                try call.push(text)
                try call.push(.array(steps.map { step in
                    .object(JSONObject([
                        ("from", .string(step.from)), ("relation", .string(step.relation)),
                        ("to", .string(step.to)), ("path", .string(step.path)),
                    ]))
                }))
                return 2
            }
            cls.method("dangling") { sel, call in
                try call.push(.array(sel.selection.dangling.map { d in
                    .object(JSONObject([
                        ("from", .string(d.from)), ("path", .string(d.path)), ("relation", .string(d.relation)),
                        ("target", .string(d.target)), ("expected_type", d.expectedType.map(JSONValue.string) ?? .null),
                        ("reason", d.reason.map(JSONValue.string) ?? .null),
                    ]))
                }))
            }
            cls.method("excluded") { sel, call in
                try call.push(.array(sel.selection.excluded.map { e in
                    .object(JSONObject([
                        ("id", .string(e.id)), ("reason", .string(e.reason)),
                        ("wanted_by", .array(e.wantedBy.map { w in
                            .object(JSONObject([
                                ("from", w.from.map(JSONValue.string) ?? .null),
                                ("relation", .string(w.relation)), ("path", .string(w.path)),
                            ]))
                        })),
                    ]))
                }))
            }
            cls.method("summary") { sel, call in
                let s = sel.selection.summary
                return try call.push(.object(JSONObject([
                    ("selected", .int(Int64(s.selected))), ("pulled_in", .int(Int64(s.pulledIn))),
                    ("total", .int(Int64(s.total))), ("dangling", .int(Int64(s.dangling))),
                    ("excluded", .int(Int64(s.excluded))),
                    ("by_type", .array(s.byType.map { row in
                        .object(JSONObject([
                            ("type", .string(row.type)), ("selected", .int(Int64(row.selected))),
                            ("pulled_in", .int(Int64(row.pulledIn))),
                        ]))
                    })),
                    ("text", .string(s.description)),
                ])))
            }
            cls.toString { "standby.Selection(\($0.selection.resources.count) resources)" }
        }

        try registerNativeModule("standby._select", functions: [
            "select": { call in
                let opts = try OptionsTable(call, 1, function: "select",
                                            allowed: ["roots", "namespaces", "tags", "exclude", "policy_objects", "strict"],
                                            opaque: ["inventory"])
                guard let inventory = try call.optionalObject(1, field: "inventory", as: InventoryObject.self) else {
                    throw LuaArgumentError(argument: 1, function: "select",
                                           problem: "field 'inventory' must be a standby.Inventory (from standby.inventory.load)")
                }
                let request = SelectionRequest(
                    roots: try opts.strings("roots") ?? [],
                    namespaces: try opts.strings("namespaces") ?? [],
                    tags: try Self.tagRules(opts, "tags"),
                    exclude: try Self.tagRules(opts, "exclude"),
                    excludePolicyObjects: opts.object["policy_objects"]?.boolValue != true)
                let runtime = call.runtime
                for extractor in runtime.bindings.luaExtractors { extractor.reset() }
                let selection = Selection(request, in: inventory.inventory, extractors: runtime.bindings.extractors)
                if let failure = runtime.bindings.luaExtractors.lazy.compactMap(\.failure).first {
                    throw LuaError(failure)
                }
                if let unknown = selection.unknownRoots.first {
                    throw LuaError("select: root '\(unknown)' is not in the inventory (give an id, an alias, or a cluster name)")
                }
                // A namespace that selects nothing is a warning (sel.warnings, the plan's report), or
                // an error with strict = true.
                if try opts.bool("strict") == true, let unknown = selection.unknownNamespaces.first {
                    throw LuaError("select: \(unknown); strict = true refuses a selection that names what is not there")
                }
                // Said where the operator reads as the script runs, not only in a report it may not write.
                for unknown in selection.unknownNamespaces {
                    FileHandle.standardError.write(Data("standby: warning: select: \(unknown)\n".utf8))
                }
                return try call.push(object: SelectionObject(selection, inventory: inventory))
            },
        ])

        try registerNativeModule("standby._refs", functions: [
            "register": { call in
                let opts = try OptionsTable(call, 1, function: "register", allowed: ["kind", "group", "type", "name"], opaque: ["extract"])
                let kind = try opts.string("kind"), type = try opts.string("type")
                guard (kind == nil) != (type == nil) else {
                    throw LuaArgumentError(argument: 1, function: "register",
                                           problem: "give either 'kind' (a Kubernetes kind) or 'type' (a cloud resource type)")
                }
                guard let function = try call.optionalFunction(1, field: "extract") else {
                    throw LuaArgumentError(argument: 1, function: "register", problem: "field 'extract' must be a function(obj, ctx)")
                }
                let runtime = call.runtime
                let name = try opts.string("name") ?? "lua: \(kind ?? type!)"
                let extractor = LuaReferenceExtractor(name: name, function: function, runtime: runtime)
                if let kind {
                    runtime.bindings.extractors.register(kind: kind, group: try opts.string("group"), extractor)
                } else if let type {
                    runtime.bindings.extractors.register(cloudType: type, extractor)
                }
                runtime.bindings.luaExtractors.append(extractor)
                return 0
            },
        ])
    }

    /// Tag rules from a list of tables: `{ { ["k8s:kind"] = "Deployment", ["k8s:label"] = {"a=1", "b"} }, ... }`.
    static func tagRules(_ opts: OptionsTable, _ key: String) throws -> [TagRule] {
        guard let value = opts.object[key], !value.isNull else { return [] }
        guard case .array(let rules) = value else {
            throw LuaError("\(opts.function): field '\(key)' must be a list of rules, e.g. { { [\"k8s:kind\"] = \"Deployment\" } }")
        }
        return try rules.enumerated().map { i, rule in
            guard case .object(let conditions) = rule else {
                throw LuaError("\(opts.function): \(key)[\(i + 1)] must be a table of conditions, got \(rule.typeName)")
            }
            var pairs: [(String, String)] = []
            for (k, v) in conditions.pairs.sorted(by: { $0.0 < $1.0 }) {
                switch v {
                case .string(let s): pairs.append((k, s))
                case .array(let list):
                    for item in list {
                        guard let s = item.stringValue else {
                            throw LuaError("\(opts.function): \(key)[\(i + 1)]['\(k)'] must hold strings")
                        }
                        pairs.append((k, s))
                    }
                default: throw LuaError("\(opts.function): \(key)[\(i + 1)]['\(k)'] must be a string or a list of strings")
                }
            }
            do { return try TagRule(pairs: pairs) } catch let e as SelectionError {
                throw LuaError("\(opts.function): \(key)[\(i + 1)]: \(e.message)")
            }
        }
    }

    /// Pushes `iterator, state, nil` for a generic `for` over `handles`.
    func pushIteration(_ call: LuaCall, over handles: [ResourceObject]) throws -> Int {
        guard let iterator = bindings.iterator else { throw LuaError("iterator not installed") }
        try call.push(iterator)
        try call.push(objects: handles)
        try call.pushNil()
        return 3
    }

    /// One step of the shared iterator: state[state.n + 1], advancing state.n (raw accesses only).
    func iterate(_ call: LuaCall) throws -> Int {
        let L = call.L
        let state = call.slot(1)
        try call.reserve(3)
        pushString(L, "n")
        lua_rawget(L, state)
        let n = lua_type(L, -1) == LUA_TNUMBER ? lua_tointegerx(L, -1, nil) : 0
        CLuaShim_pop(L, 1)
        lua_rawgeti(L, state, n + 1)
        guard lua_type(L, -1) != LUA_TNIL else { return 1 }
        pushString(L, "n")
        lua_pushinteger(L, n + 1)
        lua_rawset(L, state)
        return 1
    }
}
