/// What a translation did, object by object, for a person (``text``) or a program (``jsonValue``).
///
/// For every translated resource: its source and recovery ids and how the recovery id was derived,
/// every changed path with its value before and after and who changed it (`built-in: …` or
/// `rule: …`), and every value still naming the source with the reason. Then the resources added
/// for the recovery environment, the issues a person must look at, and the rules that failed.
///
/// Deterministic: resources, changes and remarks appear in the order the translation produced them
/// (the selection's order), never in hash order.
public struct TranslationReport: Sendable {
    /// One translated resource.
    public struct Object: Sendable {
        /// Canonical source id.
        public var source: String
        /// Recovery id; `nil` when it cannot be derived (``unmappedReason`` says why).
        public var recovery: String?
        /// How the recovery id was derived (`derived`, `override`, `recovery cluster`…), or
        /// `unmapped: <reason>`.
        public var mapping: String
        /// `Deployment orders/orders-api`, `Microsoft.Network/virtualNetworks vnet-prod`.
        public var display: String
        public var changes: [TranslationChange]
        public var untranslated: [UntranslatedValue]

        /// Why there is no recovery id, when there is none.
        public var unmappedReason: String? {
            guard recovery == nil else { return nil }
            return mapping.hasPrefix("unmapped: ") ? String(mapping.dropFirst("unmapped: ".count)) : mapping
        }
    }

    public let objects: [Object]
    public let added: [AddedResource]
    public let issues: [TranslationIssue]
    public let failures: [RuleFailure]
    public let summary: TranslationSummary
    public let mode: TranslationMode
    public let to: RecoveryEnvironment
    /// Source id (lookup key) → display, for naming resources in issues and failures.
    private let displays: [String: String]

    public init(_ translation: Translation) {
        objects = translation.resources.map { r in
            Object(source: r.source.id, recovery: r.recoveryID, mapping: r.mapping, display: r.source.display,
                   changes: r.changes, untranslated: r.untranslated)
        }
        added = translation.added
        issues = translation.issues
        failures = translation.failures
        summary = translation.summary
        mode = translation.settings.mode
        to = translation.settings.to
        var d: [String: String] = [:]
        for o in objects { d[Resource.lookupKey(o.source)] = o.display }
        displays = d
    }

    /// How reports name the resource with source id `id` (its display name when it was translated).
    public func display(_ id: String) -> String { displays[Resource.lookupKey(id)] ?? id }

    // MARK: - JSON

    /// The report as JSON (snake_case keys, as the Lua API names things). A change's `before` is
    /// absent when the change added the value, its `after` absent when it removed it.
    ///
    ///     { "summary": { "resources", "changed", "changes", "untranslated", "unmapped", "added",
    ///                    "issues", "failures", "text" },
    ///       "mode": "test", "to": { "azure": {...}, "aws": {...} },
    ///       "objects": [ { "source", "recovery", "mapping", "display",
    ///                      "changes": [ { "path", "before", "after", "by" } ],
    ///                      "untranslated": [ { "path", "value", "reason" } ] } ],
    ///       "added": [ { "id", "type", "reason", "depends_on", "document" } ],
    ///       "issues": [ { "resource", "display", "feature", "message" } ],
    ///       "failures": [ { "rule", "resource", "display", "message" } ] }
    public var jsonValue: JSONValue { streamedJSON.materialized }

    /// ``jsonValue`` as it is written: the objects' entries made one at a time.
    public var streamedJSON: StreamedJSON {
        let objects = self.objects
        return .object([
            ("summary", .value(Self.json(summary))),
            ("mode", .value(.string(mode.rawValue))),
            ("to", .value(Self.json(to))),
            ("objects", .lazyArray(count: objects.count) { n in
                let o = objects[n]
                var fields: [(String, JSONValue)] = [("source", .string(o.source))]
                fields.append(("recovery", o.recovery.map(JSONValue.string) ?? .null))
                fields.append(("mapping", .string(o.mapping)))
                fields.append(("display", .string(o.display)))
                fields.append(("changes", .array(o.changes.map(Self.json))))
                fields.append(("untranslated", .array(o.untranslated.map(\.jsonValue))))
                return .object(JSONObject(uniqueEntries: fields.map { (key: $0.0, value: $0.1) }))
            }),
            ("added", .value(addedJSON)),
            ("issues", .value(issuesJSON)),
            ("failures", .value(failuresJSON)),
        ])
    }

    /// `[ { "id", "type", "reason", "depends_on", "document" } ]`.
    public var addedJSON: JSONValue {
        .array(added.map { a in
            .object(JSONObject([
                ("id", .string(a.id)), ("type", .string(a.type)), ("reason", .string(a.reason)),
                ("depends_on", .array(a.dependsOn.map(JSONValue.string))), ("document", a.document),
            ]))
        })
    }

    /// `[ { "resource", "display", "feature", "message" } ]`.
    public var issuesJSON: JSONValue {
        .array(issues.map { i in
            .object(JSONObject([
                ("resource", .string(i.resource)), ("display", .string(display(i.resource))),
                ("feature", .string(i.feature)), ("message", .string(i.message)),
            ]))
        })
    }

    /// `[ { "rule", "resource", "display", "message" } ]`.
    public var failuresJSON: JSONValue {
        .array(failures.map { f in
            .object(JSONObject([
                ("rule", .string(f.rule)), ("resource", .string(f.resource)), ("display", .string(display(f.resource))),
                ("message", .string(f.message)),
            ]))
        })
    }

    /// One change as JSON: `path`, `before` (absent when added), `after` (absent when removed), `by`.
    public static func json(_ c: TranslationChange) -> JSONValue {
        var fields: [(String, JSONValue)] = [("path", .string(c.path))]
        if let b = c.before { fields.append(("before", b)) }
        if let a = c.after { fields.append(("after", a)) }
        fields.append(("by", .string(c.by)))
        return .object(JSONObject(fields))
    }

    /// The counts, with the readable line as `text`.
    public static func json(_ s: TranslationSummary) -> JSONValue {
        .object(JSONObject([
            ("resources", .int(Int64(s.resources))), ("changed", .int(Int64(s.changed))),
            ("changes", .int(Int64(s.changes))), ("untranslated", .int(Int64(s.untranslated))),
            ("unmapped", .int(Int64(s.unmapped))), ("added", .int(Int64(s.added))),
            ("issues", .int(Int64(s.issues))), ("failures", .int(Int64(s.failures))),
            ("text", .string(s.description)),
        ]))
    }

    /// A recovery environment in the shape `standby.translate{ to = ... }` takes.
    public static func json(_ env: RecoveryEnvironment) -> JSONValue {
        var fields: [(String, JSONValue)] = []
        if let azure = env.azure {
            var a: [(String, JSONValue)] = [("subscription", .string(azure.subscription)), ("location", .string(azure.location))]
            if let t = azure.tenant { a.append(("tenant", .string(t))) }
            a.append(("resource_groups", .object(JSONObject(env.resourceGroups.sorted { $0.key < $1.key }.map { ($0.key, .string($0.value)) }))))
            if !env.resourceGroupSuffix.isEmpty { a.append(("resource_group_suffix", .string(env.resourceGroupSuffix))) }
            a.append(("unique_suffix", .string(env.uniqueNameSuffix)))
            fields.append(("azure", .object(JSONObject(a))))
        }
        if let aws = env.aws {
            fields.append(("aws", .object(JSONObject([
                ("account", .string(aws.account)), ("region", .string(aws.region)), ("partition", .string(aws.partition)),
            ]))))
        }
        return .object(JSONObject(fields))
    }

    // MARK: - Text

    /// The report as text:
    ///
    ///     Translation (test) to Azure 0b9d…/northeurope, AWS 999988887777/us-west-2
    ///     12 resources, 5 changed (9 values), 2 values kept, …
    ///
    ///     Deployment orders/orders-api → k8s://eks-prod-use1/apps/Deployment/orders/orders-api (recovery cluster)
    ///       spec.template.spec.containers[0].image: 1111….amazonaws.com/orders/api:1.4.2 → 9999…/orders/api:1.4.2 (built-in: ECR image of the primary account)
    ///
    ///     Kept as is
    ///       Deployment orders/orders-api
    ///         spec.template.spec.containers[1].image: 2222….amazonaws.com/shared/nginx:1.25 — another account's registry …
    ///
    /// followed by "Without a recovery id", "Added", "Issues" and "Rule failures" when they have
    /// entries. Strings are printed as they are (`""` when empty); other values as compact JSON;
    /// an absent value as `(absent)`.
    public var text: String {
        var lines: [String] = []
        var target: [String] = []
        if let a = to.azure { target.append("Azure \(a.subscription)/\(a.location)") }
        if let a = to.aws { target.append("AWS \(a.account)/\(a.region)") }
        lines.append("Translation (\(mode.rawValue))" + (target.isEmpty ? "" : " to " + target.joined(separator: ", ")))
        lines.append(summary.description)

        for o in objects where !o.changes.isEmpty {
            lines.append("")
            lines.append(Self.heading(o))
            for c in o.changes {
                lines.append("  \(c.path.isEmpty ? "(document)" : c.path): \(Self.render(c.before)) → \(Self.render(c.after)) (\(c.by))")
            }
        }

        let kept = objects.filter { !$0.untranslated.isEmpty }
        if !kept.isEmpty {
            lines.append("")
            lines.append("Kept as is")
            for o in kept {
                lines.append("  \(o.display)")
                for u in o.untranslated { lines.append("    \(u.path): \(Self.render(.string(u.value))) — \(u.reason)") }
            }
        }

        let unmapped = objects.filter { $0.recovery == nil }
        if !unmapped.isEmpty {
            lines.append("")
            lines.append("Without a recovery id")
            for o in unmapped { lines.append("  \(o.display) (\(o.source)): \(o.unmappedReason ?? "")") }
        }

        if !added.isEmpty {
            lines.append("")
            lines.append("Added")
            for a in added {
                let after = a.dependsOn.isEmpty ? "" : " (after \(a.dependsOn.joined(separator: ", ")))"
                lines.append("  \(a.type) \(a.id): \(a.reason)\(after)")
            }
        }

        if !issues.isEmpty {
            lines.append("")
            lines.append("Issues")
            for i in issues { lines.append("  \(display(i.resource)): \(i.feature): \(i.message)") }
        }

        if !failures.isEmpty {
            lines.append("")
            lines.append("Rule failures (the object was left as it was before the rule)")
            for f in failures {
                // Lua rules' messages already name the rule and the object.
                let named = f.message.hasPrefix("rule '\(f.rule)'")
                lines.append("  " + (named ? f.message : "rule '\(f.rule)' on \(display(f.resource)): \(f.message)"))
            }
        }
        return lines.joined(separator: "\n") + "\n"
    }

    /// `Deployment orders/orders-api → k8s://… (recovery cluster)`, or `→ (no recovery id: …)`.
    static func heading(_ o: Object) -> String {
        if let r = o.recovery { return "\(o.display) → \(r) (\(o.mapping))" }
        return "\(o.display) → (no recovery id: \(o.unmappedReason ?? ""))"
    }

    /// A value as the text report shows it.
    static func render(_ value: JSONValue?) -> String {
        switch value {
        case nil: return "(absent)"
        case .string(let s)?: return s.isEmpty ? "\"\"" : s
        case let v?: return JSONSerializer.serialize(v)
        }
    }
}

extension Translation {
    /// The report of this translation (see ``TranslationReport``).
    public var report: TranslationReport { TranslationReport(self) }
}
