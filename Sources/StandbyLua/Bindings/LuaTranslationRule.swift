import CLua
import StandbyCore

/// One alternative of a rule's `match`: every condition must hold.
///
/// `type` compares a cloud resource's type (case-insensitively, as ARM does); the other keys are
/// tag-rule conditions (``TagRule``): `k8s:kind`, `k8s:namespace`, `k8s:label`, `k8s:name`, and
/// cloud tags.
struct RuleMatch: CustomStringConvertible {
    var type: String?
    var tags: TagRule?

    func matches(_ r: Resource) -> Bool {
        if let type { guard let have = r.type, have.lowercased() == type.lowercased() else { return false } }
        if let tags { guard tags.matches(r) else { return false } }
        return true
    }

    var description: String {
        ([type.map { "type=\($0)" }, tags?.description].compactMap { $0 }).joined(separator: " and ")
    }

    /// Reads `match`: one table of conditions, or a list of them (any may match).
    static func parse(_ value: JSONValue, in context: String) throws -> [RuleMatch] {
        switch value {
        case .object(let o):
            return [try parse(conditions: o, at: "match", in: context)]
        case .array(let items) where !items.isEmpty:
            return try items.enumerated().map { i, item in
                guard case .object(let o) = item else {
                    throw LuaError("\(context): match[\(i + 1)] must be a table of conditions, got \(item.typeName)")
                }
                return try parse(conditions: o, at: "match[\(i + 1)]", in: context)
            }
        default:
            throw LuaError("\(context): match needs at least one condition, e.g. match = { [\"k8s:kind\"] = \"Deployment\" } or match = { type = \"AWS::EKS::Cluster\" }")
        }
    }

    /// Keys people write for Kubernetes facts without the `k8s:` prefix; as cloud tags they would
    /// silently match nothing.
    private static let bareKubernetesKeys = ["kind", "namespace", "label", "labels", "name"]

    private static func parse(conditions o: JSONObject, at path: String, in context: String) throws -> RuleMatch {
        var match = RuleMatch()
        var pairs: [(String, String)] = []
        for (key, value) in o.pairs.sorted(by: { $0.key < $1.key }) {
            if key == "type" {
                guard let s = value.stringValue, !s.isEmpty else {
                    throw LuaError("\(context): \(path).type must be one resource type (a string); for several, give a list of match tables")
                }
                match.type = s
                continue
            }
            if bareKubernetesKeys.contains(key) {
                let k = key == "labels" ? "label" : key
                throw LuaError("\(context): \(path): '\(key)' is not a condition; for the Kubernetes \(k) write [\"k8s:\(k)\"] = …")
            }
            switch value {
            case .string(let s): pairs.append((key, s))
            case .array(let list):
                for item in list {
                    guard let s = item.stringValue else {
                        throw LuaError("\(context): \(path)[\"\(key)\"] must be a string or a list of strings")
                    }
                    pairs.append((key, s))
                }
            default:
                throw LuaError("\(context): \(path)[\"\(key)\"] must be a string or a list of strings, got \(value.typeName)")
            }
        }
        if !pairs.isEmpty {
            do { match.tags = try TagRule(pairs: pairs) } catch let e as SelectionError {
                throw LuaError("\(context): \(path): \(e.message)")
            }
        }
        guard match.type != nil || match.tags != nil else {
            throw LuaError("\(context): \(path) needs at least one condition, e.g. { [\"k8s:kind\"] = \"Deployment\" } or { type = \"AWS::EKS::Cluster\" }")
        }
        return match
    }
}

/// A rule as Lua holds it (`standby.Rule`, made by `standby.rule{...}`).
final class RuleObject {
    let name: String
    let match: [RuleMatch]
    let apply: LuaRef
    /// Where the rule was defined (`rules/contoso.lua:3`), for messages.
    let origin: String

    init(name: String, match: [RuleMatch], apply: LuaRef, origin: String) {
        self.name = name; self.match = match; self.apply = apply; self.origin = origin
    }
}

/// An explicit id mapping as Lua holds it (`standby.IdMapping`, made by `standby.map_id(from, to)`).
final class IDMappingObject {
    let from: String
    let to: String
    init(from: String, to: String) { self.from = from; self.to = to }
}

/// What one `standby.translate` (or one `standby test` case) shares between its rules: the first
/// error that must stop the whole translation rather than be recorded against one object.
final class RuleSession {
    /// An instruction-budget or memory-ceiling error. Such an error is the script's, not one
    /// rule's: once it happens every later rule would fail the same way, so the rules stop entering
    /// Lua and the binding raises it when the translator returns (exit status 4 or 5 under
    /// `standby run`).
    var fatal: LuaScriptError?

    /// The table the last rule left `obj` as, for the object it ran on, while the translated
    /// document is exactly that table's value: the next rule on the same object is handed this
    /// table instead of a new one (several rules matching one object share one crossing into Lua).
    private var shared: (object: String, table: LuaRef, value: JSONValue)?

    /// The table of `object` when it still holds exactly `value`.
    func sharedTable(for object: String, holding value: JSONValue) -> LuaRef? {
        guard let s = shared, s.object == object, s.value == value else { shared = nil; return nil }
        return s.table
    }

    /// Remembers `table` as `object`'s document `value` (nil forgets).
    func share(_ table: LuaRef?, for object: String, holding value: JSONValue) {
        shared = table.map { (object, $0, value) }
    }
}

/// A consultant's rule in the translator (``TranslationStep``).
///
/// ``applies(to:)`` evaluates `match` in Swift, so an object no rule matches never crosses into
/// Lua. ``apply(to:in:)`` converts the document to a Lua table (or, when the rule before it on the
/// same object left `obj` holding exactly the document, hands over that table: ``RuleSession``), calls `apply(obj, ctx)` through
/// `lua_pcall` (``LuaRuntime/call(_:arguments:)``), takes the table it returns — or, when it
/// returns nothing, `obj` as it left it — and replaces the document, recording every difference as
/// a change `by` `rule: <name>`. Object keys keep the source's order; keys the rule added follow.
///
/// A Lua error throws ``LuaRuleError`` (naming the rule, the object and the script line): the
/// translator restores the document and records a ``RuleFailure``. Budget and memory errors are
/// different: see ``RuleSession/fatal``.
struct LuaTranslationRule: TranslationStep {
    let rule: RuleObject
    let session: RuleSession
    unowned let runtime: LuaRuntime

    var name: String { rule.name }

    func applies(to resource: Resource) -> Bool { rule.match.contains { $0.matches(resource) } }

    func apply(to document: inout TranslatedDocument, in context: TranslationContext) throws {
        if let fatal = session.fatal { throw fatal }
        let resource = document.resource
        let ctx = RuleContextObject(context: context, resource: resource)
        var objRef: LuaRef?
        let results: [JSONValue]
        let table = session.sharedTable(for: resource.id, holding: document.value)
        session.share(nil, for: resource.id, holding: .null)
        do {
            results = try runtime.call(rule.apply) { call in
                if let table { try call.push(table) } else { try call.push(document.value) }
                objRef = call.reference(1)
                try call.push(object: ctx)
                return 2
            }
        } catch let error as LuaScriptError where error.kind == .budget || error.kind == .memory {
            session.fatal = error
            throw error
        } catch let error as LuaScriptError {
            throw LuaRuleError(rule: rule.name, object: resource.display, error: error)
        } catch {
            throw LuaRuleError(rule: rule.name, object: resource.display, message: "\(error)", origin: rule.origin)
        }

        var value: JSONValue
        var kept: LuaRef?
        switch results.first {
        case nil, .null?:
            guard let objRef else { return }
            do { value = try runtime.json(of: objRef) } catch {
                throw LuaRuleError(rule: rule.name, object: resource.display,
                                   message: "apply left obj holding a value JSON cannot hold: \(error)", origin: rule.origin)
            }
            kept = objRef
        case .object?:
            value = results[0]
        case let other?:
            throw LuaRuleError(rule: rule.name, object: resource.display,
                               message: "apply must return the object (a table) or nothing, got \(other.typeName)", origin: rule.origin)
        }
        value = value.ordered(like: document.value)
        document.replace(with: value, by: "rule: " + rule.name)
        session.share(kept, for: resource.id, holding: value)
    }
}

/// A rule that failed on one object. The message reads
/// `rule 'contoso registry' on Deployment payments/api: rules/contoso.lua:12: attempt to index a nil value`.
struct LuaRuleError: Error, CustomStringConvertible {
    let rule: String
    let object: String
    let message: String
    let traceback: String

    init(rule: String, object: String, message: String, origin: String, traceback: String = "") {
        self.rule = rule; self.object = object; self.traceback = traceback
        self.message = Self.hasPosition(message) ? message : "\(message) (rule defined at \(origin))"
    }

    /// From a Lua error: an error raised without a position (`error(msg, 0)`, an error table) gets
    /// the line it was raised at, from the traceback.
    init(rule: String, object: String, error: LuaScriptError) {
        self.rule = rule; self.object = object; self.traceback = error.traceback
        if !Self.hasPosition(error.message), let at = Self.firstFrame(error.traceback) {
            message = "\(at): \(error.message)"
        } else {
            message = error.message
        }
    }

    var description: String { "rule '\(rule)' on \(object): \(message)" }

    /// Whether `message` starts with `chunk:line: `.
    static func hasPosition(_ message: String) -> Bool {
        let line = Array(message.prefix { $0 != "\n" }.utf8)
        var i = 0
        while i < line.count {
            if line[i] == UInt8(ascii: ":") {
                var j = i + 1
                while j < line.count, line[j] >= UInt8(ascii: "0"), line[j] <= UInt8(ascii: "9") { j += 1 }
                if j > i + 1, j + 1 < line.count, line[j] == UInt8(ascii: ":"), line[j + 1] == UInt8(ascii: " ") { return i > 0 }
            }
            i += 1
        }
        return false
    }

    /// `rules/contoso.lua:12` from the first frame of a traceback.
    static func firstFrame(_ traceback: String) -> String? {
        let lines = traceback.split(separator: "\n").map { $0.trimmingCharacters(in: .whitespaces) }
        guard let frame = lines.first(where: { $0 != "stack traceback:" && !$0.hasPrefix("[C]") }),
              let end = frame.range(of: ": in ") ?? frame.range(of: ": ") else { return nil }
        return String(frame[..<end.lowerBound])
    }
}

extension LuaRuntime {
    /// The value a reference holds, as JSON.
    func json(of reference: LuaRef) throws -> JSONValue {
        guard reference.runtime === self else { throw LuaError("the value belongs to another Lua runtime") }
        let L = currentThread ?? mainState
        return try hostSection {
            let top = lua_gettop(L)
            defer { lua_settop(L, top) }
            guard lua_checkstack(L, 2) != 0 else { throw LuaError("stack overflow") }
            lua_rawgeti(L, Self.registry, lua_Integer(reference.reference))
            return try toJSON(L, at: lua_gettop(L))
        }
    }
}

extension JSONValue {
    /// This value with object keys in `original`'s order where `original` has them (keys only in
    /// `self` follow, in their own order), recursively. Lua tables have no key order; this keeps a
    /// rule's output reading like its input.
    func ordered(like original: JSONValue) -> JSONValue {
        switch (self, original) {
        case (.object(let o), .object(let before)):
            var keys: [String] = [], values: [JSONValue] = []
            keys.reserveCapacity(o.count); values.reserveCapacity(o.count)
            for (k, v) in before.pairs {
                if let now = o[k] { keys.append(k); values.append(now.ordered(like: v)) }
            }
            for (k, v) in o.pairs where before[k] == nil { keys.append(k); values.append(v) }
            return .object(JSONObject(uniqueKeys: keys, values: values))
        case (.array(let a), .array(let before)):
            return .array(a.enumerated().map { i, v in i < before.count ? v.ordered(like: before[i]) : v })
        default:
            return self
        }
    }
}
