/// One rewritten value: where, before, after, and who did it.
public struct TranslationChange: Sendable, Equatable {
    /// Dotted path in the document (`properties.agentPoolProfiles[1].vnetSubnetID`). A renamed
    /// object key is reported at the path of its parent with the key as before/after.
    public var path: String
    /// `nil` when the change added the value.
    public var before: JSONValue?
    /// `nil` when the change removed the value.
    public var after: JSONValue?
    /// `built-in: node subnet` or `rule: contoso registry`.
    public var by: String

    public init(path: String, before: JSONValue?, after: JSONValue?, by: String) {
        self.path = path; self.before = before; self.after = after; self.by = by
    }
}

/// A value that still points at the source environment, deliberately or because nothing
/// translates it, and why.
public struct UntranslatedValue: Sendable, Hashable {
    /// What becomes of the value: the one thing reports and runbooks sort kept values by.
    public enum Disposition: String, Sendable, Hashable {
        /// Nothing translates it yet: a rule, a `standby.map_id` or a person must.
        case needsPerson = "needs_person"
        /// Set by the cloud or the API server; never deployed.
        case serverSet = "server_set"
        /// Secret data: encrypted in the recovery point, never translated.
        case encrypted
        /// Carried over on purpose (another account's registry, attributes the reference
        /// replicates unchanged, a launch template found by name).
        case carriedAsIs = "carried_as_is"
    }

    public var path: String
    public var value: String
    public var reason: String
    public var disposition: Disposition

    public init(path: String, value: String, reason: String, disposition: Disposition = .needsPerson) {
        self.path = path; self.value = value; self.reason = reason; self.disposition = disposition
    }

    /// `{ "path", "value", "reason", "disposition" }`, as reports and the Lua API give it.
    public var jsonValue: JSONValue {
        .object(JSONObject([("path", .string(path)), ("value", .string(value)), ("reason", .string(reason)),
                            ("disposition", .string(disposition.rawValue))]))
    }
}

/// Something a person must look at: an unsupported feature, a mapping that cannot be derived.
public struct TranslationIssue: Sendable, Hashable, CustomStringConvertible {
    /// Canonical id of the resource concerned.
    public var resource: String
    /// The feature, as the source names it (`addonProfiles.aciConnectorLinux`).
    public var feature: String
    public var message: String

    public init(resource: String, feature: String, message: String) {
        self.resource = resource; self.feature = feature; self.message = message
    }

    public var description: String { "\(resource): \(feature): \(message)" }
}

/// A rule that failed on one object. The object is left as it was before that rule ran.
public struct RuleFailure: Sendable, Hashable, CustomStringConvertible {
    public var rule: String
    /// Canonical id of the object.
    public var resource: String
    /// The error, with the script file and line (`rules/contoso.lua:12: attempt to index a nil value`).
    public var message: String

    public init(rule: String, resource: String, message: String) {
        self.rule = rule; self.resource = resource; self.message = message
    }

    public var description: String { "rule '\(rule)' failed on \(resource): \(message)" }
}

/// One translated resource: its source and recovery ids, the recovery document, and the record of
/// how it got there.
public struct TranslatedResource: Sendable {
    /// The resource as captured.
    public var source: Resource
    /// Its id in the recovery environment; `nil` when it cannot be derived (see ``mapping``).
    public var recoveryID: String?
    /// The document to create in the recovery environment.
    public var document: JSONValue
    public var changes: [TranslationChange]
    public var untranslated: [UntranslatedValue]
    /// How the recovery id was derived (`derived`, `override`, `promoted to BYO`…).
    public var mapping: String

    public init(source: Resource, recoveryID: String?, document: JSONValue, changes: [TranslationChange] = [],
                untranslated: [UntranslatedValue] = [], mapping: String) {
        self.source = source; self.recoveryID = recoveryID; self.document = document
        self.changes = changes; self.untranslated = untranslated; self.mapping = mapping
    }
}

/// A resource the recovery environment needs that the source did not have: the Network
/// Contributor role assignments that come with promoted BYO resources.
public struct AddedResource: Sendable {
    public var id: String
    public var type: String
    public var document: JSONValue
    /// Why it is added, for the report.
    public var reason: String
    /// Recovery ids it must be created after.
    public var dependsOn: [String]

    public init(id: String, type: String, document: JSONValue, reason: String, dependsOn: [String] = []) {
        self.id = id; self.type = type; self.document = document; self.reason = reason; self.dependsOn = dependsOn
    }
}
