/// A document being translated, with the record of every change made to it.
///
/// Built-in steps edit it through ``set(_:_:by:)``, ``renameKey(at:from:to:by:)`` and
/// ``keep(_:value:reason:)``, so every change is attributed; a rule replaces it wholesale
/// (``replace(with:by:)``) and the changes are found by comparing the two documents.
public struct TranslatedDocument: Sendable {
    public private(set) var value: JSONValue
    public private(set) var changes: [TranslationChange] = []
    public private(set) var untranslated: [UntranslatedValue] = []
    public private(set) var issues: [TranslationIssue] = []
    /// The resource being translated.
    public let resource: Resource
    /// Strings that still named the source when ``ReferenceTranslation`` had visited every string,
    /// and how many changes there were then: while no later change is made, the residue scan uses
    /// these instead of walking the document again.
    var residue: (hits: [(path: [JSONPathComponent], value: String, what: String)], changes: Int)?

    public init(_ resource: Resource) {
        self.resource = resource
        self.value = resource.document
    }

    public subscript(path: [JSONPathComponent]) -> JSONValue? { value[path: path] }

    /// Sets (or removes, with `nil`) the value at `path`, recording the change. Setting a value to
    /// what it already is records nothing.
    public mutating func set(_ path: [JSONPathComponent], _ newValue: JSONValue?, by: String) {
        let old = value[path: path]
        guard old != newValue else { return }
        guard value.set(path, newValue) else { return }
        changes.append(TranslationChange(path: path.dotted, before: old, after: newValue, by: by))
    }

    /// Renames the key `from` of the object at `path` to `to`, keeping its value and position.
    public mutating func renameKey(at path: [JSONPathComponent], from: String, to: String, by: String) {
        guard from != to, case .object(let o)? = value[path: path], o[from] != nil else { return }
        let renamed = JSONObject(o.pairs.map { ($0.key == from ? to : $0.key, $0.value) })
        value.set(path, .object(renamed))
        changes.append(TranslationChange(path: (path + [.key(from)]).dotted, before: .string(from),
                                         after: .string(to), by: by + " (key)"))
    }

    /// Replaces the whole document, recording the differences as changes by `by`.
    public mutating func replace(with newValue: JSONValue, by: String) {
        changes += value.differences(to: newValue, by: by)
        value = newValue
    }

    /// Records that the value at `path` deliberately (or necessarily) still points at the source.
    public mutating func keep(_ path: String, value text: String, reason: String,
                              disposition: UntranslatedValue.Disposition = .needsPerson) {
        guard !untranslated.contains(where: { $0.path == path && $0.value == text }) else { return }
        untranslated.append(UntranslatedValue(path: path, value: text, reason: reason, disposition: disposition))
    }

    /// Records an issue on this resource.
    public mutating func issue(_ feature: String, _ message: String) {
        issues.append(TranslationIssue(resource: resource.id, feature: feature, message: message))
    }

    /// Whether some untranslated value was already recorded at `path`.
    public func isKept(_ path: String) -> Bool { untranslated.contains { $0.path == path } }
}
