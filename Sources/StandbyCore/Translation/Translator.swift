/// Translates a selection into the recovery environment: derives the ID map once, runs the
/// built-in steps, then the rules in order, then accounts for every source string left.
///
/// Order for each resource: the resource-specific built-ins (AKS cluster, agent pool, EKS,
/// Kubernetes), then ``ReferenceTranslation`` over the whole document, then each rule that
/// applies, in the order given. A rule that throws leaves the document as it was before that rule.
public struct Translator {
    public var settings: TranslationSettings
    public var rules: [any TranslationStep]
    /// The built-in steps, in order. ``ReferenceTranslation`` comes last: it skips the paths the
    /// specific steps changed or kept.
    public var builtIns: [any TranslationStep]

    public init(settings: TranslationSettings, rules: [any TranslationStep] = []) {
        self.settings = settings
        self.rules = rules
        self.builtIns = BuiltInTranslations.steps + [ReferenceTranslation()]
    }

    /// Translates the resources of a selection.
    public func translate(_ selection: Selection) -> Translation {
        translate(selection.resources, in: selection.inventory)
    }

    /// Translates `resources` (looked up, when needed, in `inventory`).
    public func translate(_ resources: [Resource], in inventory: Inventory) -> Translation {
        let source = SourceEnvironment.infer(from: resources).union(settings.from)
        // Promotions need only the clusters' recovery ids: a map of the clusters alone gives them,
        // and the map of every resource is derived once, promotions included.
        let clusters = resources.filter { $0.type == ARMResourceTypes.managedClusters }
        let clusterIDs = RecoveryIDMap(resources: clusters, inventory: inventory, to: settings.to, source: source,
                                       overrides: settings.overrides)
        let promotions = ManagedPromotion.promotions(resources, ids: clusterIDs)
        let ids = RecoveryIDMap(resources: resources, inventory: inventory, to: settings.to, source: source,
                                overrides: settings.overrides, promotions: promotions)
        let context = TranslationContext(settings: settings, source: source, ids: ids, inventory: inventory)

        var translated: [TranslatedResource] = []
        translated.reserveCapacity(resources.count)
        var issues: [TranslationIssue] = []
        var failures: [RuleFailure] = []
        for (n, r) in resources.enumerated() {
            var doc = TranslatedDocument(r)
            for step in builtIns where step.applies(to: r) {
                run(step, &doc, context, &failures)
            }
            for step in rules where step.applies(to: r) {
                run(step, &doc, context, &failures)
            }
            context.residue.scan(&doc)
            issues += doc.issues
            let mapping = ids.entries[n].mapping
            let how: String
            switch mapping {
            case .mapped(_, let h): how = h
            case .unmapped(let reason): how = "unmapped: \(reason)"
            }
            translated.append(TranslatedResource(source: r, recoveryID: mapping.recoveryID, document: doc.value,
                                                 changes: doc.changes, untranslated: doc.untranslated, mapping: how))
        }
        let added = ManagedPromotion.roleAssignments(for: ids.promoted, in: context)
        return Translation(settings: settings, source: source, ids: ids, resources: translated, added: added,
                           issues: issues, failures: failures)
    }

    private func run(_ step: any TranslationStep, _ doc: inout TranslatedDocument, _ context: TranslationContext,
                     _ failures: inout [RuleFailure]) {
        let before = doc
        do {
            try step.apply(to: &doc, in: context)
        } catch {
            doc = before
            failures.append(RuleFailure(rule: step.name, resource: doc.resource.id, message: "\(error)"))
        }
    }
}

/// The result of a translation: every resource with its recovery id and document, what was added
/// (role assignments for promoted resources), the issues and the rule failures.
public struct Translation: Sendable {
    public let settings: TranslationSettings
    public let source: SourceEnvironment
    public let ids: RecoveryIDMap
    public let resources: [TranslatedResource]
    public let added: [AddedResource]
    public let issues: [TranslationIssue]
    public let failures: [RuleFailure]
    private let bySource: [String: Int]

    init(settings: TranslationSettings, source: SourceEnvironment, ids: RecoveryIDMap, resources: [TranslatedResource],
         added: [AddedResource], issues: [TranslationIssue], failures: [RuleFailure]) {
        self.settings = settings; self.source = source; self.ids = ids; self.resources = resources
        self.added = added; self.issues = issues; self.failures = failures
        var by: [String: Int] = [:]
        for (n, r) in resources.enumerated() { by[Resource.lookupKey(r.source.id)] = n }
        bySource = by
    }

    /// The translated resource whose source id (or recovery id) is `id`.
    public func resource(_ id: String) -> TranslatedResource? {
        if let n = bySource[Resource.lookupKey(id)] { return resources[n] }
        if let s = ids.source(of: id), let n = bySource[Resource.lookupKey(s)] { return resources[n] }
        return nil
    }

    /// Counts for a summary line.
    public var summary: TranslationSummary {
        TranslationSummary(resources: resources.count,
                           changed: resources.filter { !$0.changes.isEmpty }.count,
                           changes: resources.reduce(0) { $0 + $1.changes.count },
                           untranslated: resources.reduce(0) { $0 + $1.untranslated.count },
                           unmapped: resources.filter { $0.recoveryID == nil }.count,
                           added: added.count, issues: issues.count, failures: failures.count)
    }
}

/// Counts of a translation.
public struct TranslationSummary: Sendable, Hashable, CustomStringConvertible {
    public var resources: Int
    public var changed: Int
    public var changes: Int
    public var untranslated: Int
    public var unmapped: Int
    public var added: Int
    public var issues: Int
    public var failures: Int

    public var description: String {
        "\(resources) resources, \(changed) changed (\(changes) values), \(untranslated) values kept, "
            + "\(unmapped) without a recovery id, \(added) added, \(issues) issues, \(failures) rule failures"
    }
}
