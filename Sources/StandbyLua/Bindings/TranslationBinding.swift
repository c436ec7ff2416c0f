import CLua
import CLuaShim
import StandbyCore

/// A translation as Lua holds it (`standby.Translation`).
final class TranslationObject {
    let translation: Translation
    /// The selection it translated (gives `r.source` its inventory handle).
    let selection: SelectionObject?
    private var cachedReport: TranslationReport?
    private var handles: [Int: Weak<TranslatedResourceObject>] = [:]
    /// Documents Lua has read, by position: the same table on every read.
    var documents: [Int: LuaRef] = [:]
    private let positions: [String: Int]
    /// What the translation holds, for the memory account (walked once: plans built from it share it).
    private(set) lazy var estimatedBytes = HostMemoryEstimate.bytes(of: translation)

    init(_ translation: Translation, selection: SelectionObject?) {
        self.translation = translation
        self.selection = selection
        var p: [String: Int] = [:]
        for (n, r) in translation.resources.enumerated() { p[Resource.lookupKey(r.source.id)] = n }
        positions = p
    }

    var report: TranslationReport {
        if let cachedReport { return cachedReport }
        let r = TranslationReport(translation)
        cachedReport = r
        return r
    }

    /// The position of the resource whose source id, alias or recovery id is `id`.
    func position(of id: String) -> Int? {
        if let n = positions[Resource.lookupKey(id)] { return n }
        if let s = translation.ids.source(of: id), let n = positions[Resource.lookupKey(s)] { return n }
        if let r = selection?.inventory.inventory.get(id), let n = positions[Resource.lookupKey(r.id)] { return n }
        return nil
    }

    func handle(at position: Int) -> TranslatedResourceObject {
        if let existing = handles[position]?.value { return existing }
        let handle = TranslatedResourceObject(owner: self, position: position)
        handles[position] = Weak(handle)
        return handle
    }
}

/// One translated resource as Lua holds it (`standby.TranslatedResource`). Its document becomes
/// a Lua table on first read of `r.doc`.
final class TranslatedResourceObject {
    let owner: TranslationObject
    let position: Int

    init(owner: TranslationObject, position: Int) {
        self.owner = owner
        self.position = position
    }

    var resource: TranslatedResource { owner.translation.resources[position] }
}

/// The `ctx` a rule's `apply(obj, ctx)` receives (`standby.RuleContext`): the object being
/// translated and the translation's id map. One per call.
final class RuleContextObject {
    let context: TranslationContext
    let resource: Resource

    init(context: TranslationContext, resource: Resource) {
        self.context = context
        self.resource = resource
    }
}

/// Rules and id mappings read from a `rules` list, flattened in order.
struct CollectedRules {
    var rules: [RuleObject] = []
    var overrides: [(from: String, to: String)] = []
}

extension LuaRuntime {
    /// `standby._translate` (`standby.rule`, `standby.map_id`, `standby.translate`) and the classes
    /// `standby.Rule`, `standby.IdMapping`, `standby.RuleContext`, `standby.Translation`,
    /// `standby.TranslatedResource`.
    func installTranslationBinding() throws {
        defineClass("standby.Rule", for: RuleObject.self) { cls in
            cls.field("name") { .string($0.name) }
            cls.field("match") { .array($0.match.map { .string($0.description) }) }
            cls.field("origin") { .string($0.origin) }
            cls.toString { "standby.Rule(\($0.name))" }
        }
        defineClass("standby.IdMapping", for: IDMappingObject.self) { cls in
            cls.field("from") { .string($0.from) }
            cls.field("to") { .string($0.to) }
            cls.toString { "standby.IdMapping(\($0.from) → \($0.to))" }
        }
        installRuleContextClass()
        installTranslationClasses()

        try registerNativeModule("standby._translate", functions: [
            "rule": { call in try LuaRuntime.makeRule(call) },
            "map_id": { call in
                let from = try call.string(1), to = try call.string(2)
                guard !from.isEmpty else { throw LuaArgumentError(argument: 1, function: "map_id", problem: "the source id is empty") }
                guard !to.isEmpty else { throw LuaArgumentError(argument: 2, function: "map_id", problem: "the recovery id is empty") }
                return try call.push(object: IDMappingObject(from: from, to: to))
            },
            "translate": { call in try LuaRuntime.translate(call) },
        ])
    }

    // MARK: - standby.rule

    static let ruleFields = ["name", "match", "apply"]

    static func makeRule(_ call: LuaCall) throws -> Int {
        try call.checkTable(1)
        let opts = try OptionsTable(call, 1, function: "rule", allowed: ["name"], opaque: ["match", "apply"])
        guard let name = try opts.string("name"), !name.isEmpty else {
            throw LuaArgumentError(argument: 1, function: "rule",
                                   problem: "field 'name' is required: a short label; reports show changes as 'rule: <name>'")
        }
        let context = "rule '\(name)'"
        switch call.fieldType(1, "match") {
        case .table: break
        case .nil, .none:
            throw LuaArgumentError(argument: 1, function: "rule", problem: "field 'match' is required: which objects the rule sees, e.g. match = { [\"k8s:kind\"] = \"Deployment\" }")
        case .function:
            throw LuaArgumentError(argument: 1, function: "rule", problem: "field 'match' must be a table of conditions, not a function: match is decided in Swift so that objects no rule matches never reach Lua. Narrow it with k8s:kind, k8s:namespace, k8s:label, k8s:name or type, and return nothing from apply for objects to leave as they are")
        case let other:
            throw LuaArgumentError(argument: 1, function: "rule", problem: "field 'match' must be a table of conditions, got \(other.rawValue)")
        }
        let match = try RuleMatch.parse(try call.json(1, field: "match") ?? .null, in: context)
        guard let apply = try call.optionalFunction(1, field: "apply") else {
            throw LuaArgumentError(argument: 1, function: "rule",
                                   problem: "field 'apply' is required: function(obj, ctx) that edits obj, or returns the new object")
        }
        let rule = RuleObject(name: name, match: match, apply: apply, origin: call.callerPosition())
        return try call.push(object: rule)
    }

    // MARK: - standby.translate

    static func translate(_ call: LuaCall) throws -> Int {
        try call.checkTable(1)
        let opts = try OptionsTable(call, 1, function: "translate", allowed: ["to", "from", "mode", "ids", "namespaces", "on_rule_failure"],
                                    opaque: ["selection", "rules"])
        guard let selection = try call.optionalObject(1, field: "selection", as: SelectionObject.self) else {
            throw LuaArgumentError(argument: 1, function: "translate",
                                   problem: "field 'selection' is required: a standby.Selection (from standby.select{...})")
        }
        let context = "translate"
        var collected = CollectedRules()
        try call.collectRules(field: "rules", into: &collected)
        let settings = TranslationSettings(
            to: try TranslationOptions.environment(opts.object["to"], in: context),
            from: try TranslationOptions.source(opts.object["from"], in: context),
            mode: try TranslationOptions.mode(opts.object["mode"], in: context),
            overrides: overrides(collected.overrides + (try TranslationOptions.ids(opts.object["ids"], in: context)).map { (from: $0.0, to: $0.1) }),
            namespaces: try TranslationOptions.namespaces(opts.object["namespaces"], in: context))
        do {
            try settings.namespaces.check(against: selection.selection.inventory)
        } catch let e as NamespaceMapError {
            throw LuaError("\(context): \(e.description)")
        }
        let onFailure = try TranslationOptions.ruleFailurePolicy(opts.object["on_rule_failure"], in: context)
        let runtime = call.runtime
        let session = RuleSession()
        let steps = collected.rules.map { LuaTranslationRule(rule: $0, session: session, runtime: runtime) }
        let translation = Translator(settings: settings, rules: steps).translate(selection.selection)
        if let fatal = session.fatal { throw fatal }
        if let first = translation.failures.first {
            switch onFailure {
            case .fail: runtime.bindings.unacceptedRuleFailures += translation.failures
            case .report: break
            case .error:
                let more = translation.failures.count > 1 ? " (and \(translation.failures.count - 1) more)" : ""
                throw LuaError("translate: \(first)\(more); on_rule_failure = \"report\" accepts rule failures and lists them in the report")
            }
        }
        return try call.push(object: TranslationObject(translation, selection: selection))
    }

    /// Explicit mappings in order, the later winning (`ids` comes after the rules' `map_id`s).
    static func overrides(_ pairs: [(from: String, to: String)]) -> [String: String] {
        var byKey: [String: (String, String)] = [:]
        for (from, to) in pairs { byKey[Resource.lookupKey(from)] = (from, to) }
        var out: [String: String] = [:]
        for (from, to) in byKey.values { out[from] = to }
        return out
    }

    /// Reads the rules list at absolute stack index `index` (rules, id mappings and nested lists).
    func collectRules(_ L: OpaquePointer, at index: Int32, path: String, depth: Int, into out: inout CollectedRules) throws {
        if let rule = object(L, at: index, as: RuleObject.self) {
            out.rules.append(rule)
            return
        }
        if let mapping = object(L, at: index, as: IDMappingObject.self) {
            out.overrides.append((mapping.from, mapping.to))
            return
        }
        guard lua_type(L, index) == LUA_TTABLE else {
            throw LuaError("\(path) must be a rule (standby.rule{...}), an id mapping (standby.map_id(from, to)) or a list of them, got \(typeName(L, at: index))")
        }
        guard depth < 32 else { throw LuaError("\(path): rules nested more than 32 lists deep (does a list contain itself?)") }
        guard lua_checkstack(L, 4) != 0 else { throw LuaError("stack overflow") }
        var count: lua_Integer = 0
        lua_pushnil(L)
        while lua_next(L, index) != 0 {
            CLuaShim_pop(L, 1)
            if lua_type(L, -1) == LUA_TNUMBER, lua_isinteger(L, -1) != 0 {
                count = max(count, lua_tointegerx(L, -1, nil))
                continue
            }
            let key = string(L, at: -1) ?? "[\(typeName(L, at: -1))]"
            CLuaShim_pop(L, 1)
            if Self.ruleFields.contains(key) {
                throw LuaError("\(path) is a plain table with '\(key)'; make it a rule with standby.rule{ name = …, match = …, apply = … }")
            }
            throw LuaError("\(path) must be a list of rules, but has the key '\(key)'")
        }
        guard count <= 1_000_000 else { throw LuaError("\(path): a list of \(count) rules is not plausible") }
        var i: lua_Integer = 1
        while i <= count {
            lua_rawgeti(L, index, i)
            defer { CLuaShim_pop(L, 1) }
            if lua_type(L, -1) == LUA_TNIL { throw LuaError("\(path)[\(i)] is nil (a hole in the list)") }
            try collectRules(L, at: lua_gettop(L), path: "\(path)[\(i)]", depth: depth + 1, into: &out)
            i += 1
        }
    }

    // MARK: - Classes

    private func installRuleContextClass() {
        defineClass("standby.RuleContext", for: RuleContextObject.self) { cls in
            cls.field("mode") { .string($0.context.mode.rawValue) }
            cls.field("to") { TranslationReport.json($0.context.settings.to) }
            cls.field("from") { Self.json($0.context.source) }
            cls.field("resource") { ctx in
                let r = ctx.resource
                var fields: [(String, JSONValue)] = [("id", .string(r.id))]
                func add(_ key: String, _ value: String?) { if let value { fields.append((key, .string(value))) } }
                add("type", r.type); add("kind", r.kind); add("group", r.group); add("api_version", r.apiVersion)
                add("name", r.name); add("namespace", r.namespace); add("cluster", r.cluster); add("region", r.region)
                add("display", r.display)
                add("recovery_id", ctx.context.ids.recoveryID(of: r).recoveryID)
                return .object(JSONObject(fields))
            }
            cls.method("map_id") { ctx, call in
                let id = try call.string(1)
                return try call.pushMapping(id, ctx.context.map(id))
            }
            cls.method("map_arn") { ctx, call in
                let arn = try call.string(1)
                guard ARN(arn) != nil else {
                    throw LuaArgumentError(argument: 1, function: "map_arn",
                                           problem: "'\(arn)' is not an ARN (arn:partition:service:region:account:resource); use ctx:map_id for other ids")
                }
                return try call.pushMapping(arn, ctx.context.map(arn))
            }
            cls.method("map_image") { ctx, call in try call.push(ctx.context.mapImage(try call.string(1))) }
            cls.method("recovery_id") { ctx, call in
                let ids = ctx.context.ids
                switch call.type(1) {
                case .none, .nil:
                    return try call.pushMapping(ctx.resource.id, ids.recoveryID(of: ctx.resource))
                case .string:
                    let id = try call.string(1)
                    if let r = ctx.context.inventory.get(id) { return try call.pushMapping(id, ids.recoveryID(of: r)) }
                    return try call.pushMapping(id, ids.map(id))
                case .userdata:
                    let res = try call.object(1, as: ResourceObject.self)
                    return try call.pushMapping(res.resource.id, ids.recoveryID(of: res.resource))
                case .table:
                    let doc = try call.json(1)
                    guard let id = Self.id(of: doc, cluster: ctx.resource.cluster) else {
                        throw LuaArgumentError(argument: 1, function: "recovery_id",
                                               problem: "cannot tell which resource this table is (no 'id', and no kind with metadata.name); pass its id")
                    }
                    if let r = ctx.context.inventory.get(id) { return try call.pushMapping(id, ids.recoveryID(of: r)) }
                    return try call.pushMapping(id, ids.map(id))
                default:
                    throw LuaArgumentError(argument: 1, function: "recovery_id",
                                           problem: "id, object table or standby.Resource expected, got \(call.type(1).rawValue)")
                }
            }
            cls.toString { "standby.RuleContext(\($0.resource.display))" }
        }
    }

    /// The id a document names: an ARM `id`, or a Kubernetes object in `cluster`.
    static func id(of doc: JSONValue, cluster: String?) -> String? {
        if let id = doc["id"]?.stringValue, id.hasPrefix("/") || id.hasPrefix("arn:") || id.hasPrefix("k8s://") { return id }
        if let arn = doc["arn"]?.stringValue ?? doc["Arn"]?.stringValue { return arn }
        if let kind = doc["kind"]?.stringValue, let apiVersion = doc["apiVersion"]?.stringValue,
           let name = doc["metadata"]?["name"]?.stringValue, let cluster {
            return KubeRef(cluster: cluster, apiVersion: apiVersion, kind: kind,
                           namespace: doc["metadata"]?["namespace"]?.stringValue, name: name).id
        }
        return nil
    }

    static func json(_ s: SourceEnvironment) -> JSONValue {
        func list(_ set: Set<String>) -> JSONValue { .array(set.sorted().map(JSONValue.string)) }
        return .object(JSONObject([
            ("subscriptions", list(s.subscriptions)), ("locations", list(s.locations)), ("tenants", list(s.tenants)),
            ("accounts", list(s.accounts)), ("regions", list(s.regions)),
        ]))
    }

    private func installTranslationClasses() {
        defineClass("standby.TranslatedResource", for: TranslatedResourceObject.self) { cls in
            cls.field("id", push: { o, call in try call.push(optional: o.resource.recoveryID) })
            cls.field("source_id") { .string($0.resource.source.id) }
            cls.field("source", push: { o, call in
                guard let inv = o.owner.selection?.inventory, let at = inv.inventory.position(of: o.resource.source.id) else {
                    return try call.pushNil()
                }
                return try call.push(object: inv.handle(at: at))
            })
            cls.field("mapping") { .string($0.resource.mapping) }
            cls.field("display") { .string($0.resource.source.display) }
            cls.field("type", push: { o, call in try call.push(optional: o.resource.source.type) })
            cls.field("kind", push: { o, call in try call.push(optional: o.resource.source.kind) })
            cls.field("namespace", push: { o, call in try call.push(optional: o.resource.source.namespace) })
            cls.field("cluster", push: { o, call in
                try call.push(optional: o.resource.source.cluster.map(o.owner.translation.ids.clusterName))
            })
            cls.field("changes") { .array($0.resource.changes.map(TranslationReport.json)) }
            cls.field("untranslated") { .array($0.resource.untranslated.map(\.jsonValue)) }
            cls.field("doc", push: { o, call in try call.pushDocument(of: o) })
            cls.toString { "standby.TranslatedResource(\($0.resource.recoveryID ?? $0.resource.source.id))" }
        }

        defineClass("standby.Translation", for: TranslationObject.self) { cls in
            cls.field("count") { .int(Int64($0.translation.resources.count)) }
            cls.field("summary") { TranslationReport.json($0.translation.summary) }
            cls.field("issues") { $0.report.issuesJSON }
            cls.field("failures") { $0.report.failuresJSON }
            cls.field("added") { $0.report.addedJSON }
            cls.field("mode") { .string($0.translation.settings.mode.rawValue) }
            cls.field("to") { TranslationReport.json($0.translation.settings.to) }
            cls.field("from") { Self.json($0.translation.source) }
            cls.method("get") { t, call in
                guard let at = t.position(of: try call.string(1)) else { return try call.pushNil() }
                return try call.pushDocument(of: t.handle(at: at))
            }
            cls.method("resource") { t, call in
                guard let at = t.position(of: try call.string(1)) else { return try call.pushNil() }
                return try call.push(object: t.handle(at: at))
            }
            cls.method("recovery_id") { t, call in
                let id = try call.string(1)
                if let at = t.position(of: id) {
                    // The settled mapping: a rule may have moved the object to another namespace.
                    return try call.pushMapping(id, t.translation.ids.entries[at].mapping)
                }
                return try call.pushMapping(id, t.translation.ids.map(id))
            }
            cls.method("source_id") { t, call in
                let id = try call.string(1)
                if let s = t.translation.ids.source(of: id) { return try call.push(s) }
                if let at = t.position(of: id), Resource.lookupKey(t.translation.resources[at].source.id) == Resource.lookupKey(id) {
                    return try call.push(t.translation.resources[at].source.id)
                }
                return try call.pushNil()
            }
            cls.method("each") { t, call in
                let query = try LuaRuntime.query(call, 1, function: "each")
                var handles: [TranslatedResourceObject] = []
                for (n, r) in t.translation.resources.enumerated() where query.matches(r.source) { handles.append(t.handle(at: n)) }
                guard let iterator = call.runtime.bindings.iterator else { throw LuaError("iterator not installed") }
                try call.push(iterator)
                try call.push(objects: handles)
                try call.pushNil()
                return 3
            }
            cls.method("report") { t, call in try call.push(t.report.jsonValue) }
            cls.method("json") { t, call in
                try call.checkTable(1, optional: true)
                let pretty = try call.optionalBool(1, field: "pretty") ?? false
                return try call.push(JSONSerializer.serialize(t.report.jsonValue, pretty: pretty))
            }
            cls.method("text") { t, call in try call.push(t.report.text) }
            cls.toString { "standby.Translation(\($0.translation.resources.count) resources)" }
        }
    }
}

extension LuaCall {
    /// Pushes what an id maps to: `recovery_id, how`; `nil, reason` when it has no recovery
    /// counterpart; `id, "not the source environment's; kept as is"` when it is not the source's.
    func pushMapping(_ id: String, _ mapping: IDMapping?) throws -> Int {
        switch mapping {
        case .mapped(let rid, let how)?:
            try push(rid); try push(how)
        case .unmapped(let reason)?:
            try pushNil(); try push(reason)
        case nil:
            try push(id); try push("not the source environment's; kept as is")
        }
        return 2
    }

    /// Pushes a translated resource's document, built on first read and the same table afterwards.
    func pushDocument(of o: TranslatedResourceObject) throws -> Int {
        if let cached = o.owner.documents[o.position] { return try push(cached) }
        try push(o.resource.document)
        o.owner.documents[o.position] = runtime.reference(L, at: -1)
        return 1
    }

    /// The Lua type of field `key` of table argument `n` (raw access).
    func fieldType(_ n: Int, _ key: String) -> LuaType {
        let table = slot(n)
        guard rawType(table) == LUA_TTABLE, lua_checkstack(L, 2) != 0 else { return .none }
        runtime.pushString(L, key)
        lua_rawget(L, table)
        defer { CLuaShim_pop(L, 1) }
        return LuaType(code: lua_type(L, -1))
    }

    /// Reads field `key` of table argument 1 as a rules list (absent or nil: no rules).
    func collectRules(field key: String, into out: inout CollectedRules) throws {
        let table = slot(1)
        try reserve(2)
        runtime.pushString(L, key)
        lua_rawget(L, table)
        defer { CLuaShim_pop(L, 1) }
        guard lua_type(L, -1) != LUA_TNIL else { return }
        try runtime.collectRules(L, at: lua_gettop(L), path: key, depth: 0, into: &out)
    }

    /// `file:line` of the Lua code that called the running Swift function (`?` when unknown).
    func callerPosition() -> String {
        var ar = lua_Debug()
        guard lua_getstack(L, 1, &ar) != 0, lua_getinfo(L, "Sl", &ar) != 0 else { return "?" }
        let source = withUnsafeBytes(of: ar.short_src) { String(decoding: $0.prefix(while: { $0 != 0 }), as: UTF8.self) }
        return ar.currentline > 0 ? "\(source):\(ar.currentline)" : source
    }
}
