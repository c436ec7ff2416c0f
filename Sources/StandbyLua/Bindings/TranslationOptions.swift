import StandbyCore

/// Reads the options a translation takes — `to`, `from`, `mode`, `ids` — from JSON, as
/// `standby.translate{...}` receives them from Lua and `standby test` from a test case's YAML.
///
/// Every level is checked against the fields it knows, so a typo names the field and the likely
/// intent ("to.azure: unknown field 'subscripton' (did you mean 'subscription'?)") instead of
/// silently translating nowhere.
enum TranslationOptions {
    /// `{ azure = { subscription, location, tenant?, resource_groups?, resource_group_suffix?,
    /// unique_suffix? }, aws = { account, region, partition? } }`.
    static func environment(_ value: JSONValue?, in context: String) throws -> RecoveryEnvironment {
        guard let value, !value.isNull else {
            throw LuaError("\(context): 'to' is required: the recovery environment, e.g. to = { azure = { subscription = \"…\", location = \"northeurope\" }, aws = { account = \"…\", region = \"us-west-2\" } }")
        }
        let to = try object(value, at: "to", in: context)
        try checkFields(to, ["azure", "aws"], at: "to", in: context)
        var env = RecoveryEnvironment()
        if let azureValue = to["azure"], !azureValue.isNull {
            let a = try object(azureValue, at: "to.azure", in: context)
            try checkFields(a, ["subscription", "location", "tenant", "resource_groups", "resource_group_suffix", "unique_suffix"],
                            at: "to.azure", in: context)
            env.azure = AzureSite(subscription: try required(a, "subscription", at: "to.azure", in: context),
                                  location: try required(a, "location", at: "to.azure", in: context),
                                  tenant: try string(a, "tenant", at: "to.azure", in: context))
            if let groups = a["resource_groups"], !groups.isNull {
                env.resourceGroups = try stringMap(groups, at: "to.azure.resource_groups", in: context)
            }
            env.resourceGroupSuffix = try string(a, "resource_group_suffix", at: "to.azure", in: context) ?? ""
            env.uniqueNameSuffix = try string(a, "unique_suffix", at: "to.azure", in: context) ?? "dr"
        }
        if let awsValue = to["aws"], !awsValue.isNull {
            let a = try object(awsValue, at: "to.aws", in: context)
            try checkFields(a, ["account", "region", "partition"], at: "to.aws", in: context)
            env.aws = AWSSite(partition: try string(a, "partition", at: "to.aws", in: context) ?? "aws",
                              account: try required(a, "account", at: "to.aws", in: context),
                              region: try required(a, "region", at: "to.aws", in: context))
        }
        guard env.azure != nil || env.aws != nil else {
            throw LuaError("\(context): 'to' names no recovery site: give to.azure = { subscription = …, location = … } and/or to.aws = { account = …, region = … }")
        }
        return env
    }

    /// `{ subscriptions, locations, tenants, accounts, regions }`, each a string or a list of strings.
    static func source(_ value: JSONValue?, in context: String) throws -> SourceEnvironment {
        guard let value, !value.isNull else { return SourceEnvironment() }
        let from = try object(value, at: "from", in: context)
        let keys = ["subscriptions", "locations", "tenants", "accounts", "regions"]
        try checkFields(from, keys, at: "from", in: context)
        func list(_ key: String) throws -> Set<String> {
            switch from[key] {
            case nil, .null?: return []
            case .string(let s)?: return [s]
            case .array(let items)?:
                return Set(try items.enumerated().map { i, item in
                    guard let s = item.stringValue else {
                        throw LuaError("\(context): from.\(key)[\(i + 1)] must be a string, got \(item.typeName)")
                    }
                    return s
                })
            case let other?:
                throw LuaError("\(context): from.\(key) must be a string or a list of strings, got \(other.typeName)")
            }
        }
        return SourceEnvironment(subscriptions: try list("subscriptions"), locations: try list("locations"),
                                 tenants: try list("tenants"), accounts: try list("accounts"), regions: try list("regions"))
    }

    /// `"test"` (the default) or `"failover"`.
    static func mode(_ value: JSONValue?, in context: String) throws -> TranslationMode {
        switch value {
        case nil, .null?: return .test
        case .string(let s)?:
            if let mode = TranslationMode(rawValue: s) { return mode }
            let names = TranslationMode.allCases.map(\.rawValue)
            let hint = Suggestion.hint(s, in: names)
            throw LuaError("\(context): mode must be \"test\" or \"failover\", not \"\(s)\"\(hint)")
        case let other?:
            throw LuaError("\(context): mode must be \"test\" or \"failover\", got \(other.typeName)")
        }
    }

    /// What a rule failure does to the run: `"fail"` (the default), `"report"` or `"error"`.
    static func ruleFailurePolicy(_ value: JSONValue?, in context: String) throws -> RuleFailurePolicy {
        let names = RuleFailurePolicy.allCases.map(\.rawValue)
        switch value {
        case nil, .null?: return .fail
        case .string(let s)?:
            if let policy = RuleFailurePolicy(rawValue: s) { return policy }
            let hint = Suggestion.hint(s, in: names)
            throw LuaError("\(context): on_rule_failure must be \"fail\", \"report\" or \"error\", not \"\(s)\"\(hint)")
        case let other?:
            throw LuaError("\(context): on_rule_failure must be \"fail\", \"report\" or \"error\", got \(other.typeName)")
        }
    }

    /// `{ [source id] = recovery id }`, in key order.
    static func ids(_ value: JSONValue?, in context: String) throws -> [(String, String)] {
        guard let value, !value.isNull else { return [] }
        return try stringMap(value, at: "ids", in: context).sorted { $0.key < $1.key }.map { ($0.key, $0.value) }
    }

    /// `{ [source namespace] = recovery namespace }`: every Kubernetes object of a source namespace
    /// moves to its recovery namespace (checked against the inventory by ``NamespaceMap/check(against:)``).
    static func namespaces(_ value: JSONValue?, in context: String) throws -> NamespaceMap {
        guard let value, !value.isNull else { return NamespaceMap() }
        return NamespaceMap(try stringMap(value, at: "namespaces", in: context))
    }

    // MARK: - Helpers

    static func object(_ value: JSONValue, at path: String, in context: String) throws -> JSONObject {
        if case .object(let o) = value { return o }
        if case .array(let a) = value, a.isEmpty { return JSONObject() }
        throw LuaError("\(context): \(path) must be a table of named fields, got \(value.typeName)")
    }

    static func checkFields(_ o: JSONObject, _ known: [String], at path: String, in context: String) throws {
        for key in o.keys where !known.contains(key) {
            let hint = Suggestion.hint(key, in: known)
            throw LuaError("\(context): \(path): unknown field '\(key)'\(hint); known fields: \(known.joined(separator: ", "))")
        }
    }

    static func string(_ o: JSONObject, _ key: String, at path: String, in context: String) throws -> String? {
        switch o[key] {
        case nil, .null?: return nil
        case .string(let s)?: return s
        case .int?, .double?:
            throw LuaError("\(context): \(path).\(key) must be a string, got a number (quote it: \(key) = \"…\"; in YAML a bare account number loses its leading zeros)")
        case let other?: throw LuaError("\(context): \(path).\(key) must be a string, got \(other.typeName)")
        }
    }

    static func required(_ o: JSONObject, _ key: String, at path: String, in context: String) throws -> String {
        guard let s = try string(o, key, at: path, in: context), !s.isEmpty else {
            throw LuaError("\(context): \(path).\(key) is required")
        }
        return s
    }

    static func stringMap(_ value: JSONValue, at path: String, in context: String) throws -> [String: String] {
        let o = try object(value, at: path, in: context)
        var out: [String: String] = [:]
        for (k, v) in o.pairs {
            guard let s = v.stringValue else {
                throw LuaError("\(context): \(path)[\"\(k)\"] must be a string, got \(v.typeName)")
            }
            out[k] = s
        }
        return out
    }
}
