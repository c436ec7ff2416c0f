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
    /// What the selection leaves for a person (namespaces that selected nothing, external binding
    /// subjects) is among the translation's issues.
    public func translate(_ selection: Selection) -> Translation {
        translate(selection.resources, in: selection.inventory, noted: selection.issues)
    }

    /// Translates `resources` (looked up, when needed, in `inventory`); `noted` are issues found
    /// before translating (the selection's), listed first.
    public func translate(_ resources: [Resource], in inventory: Inventory, noted: [TranslationIssue] = []) -> Translation {
        // Volume snapshots a capture made are the point's data: the volume plan reads them, nothing recreates them.
        let resources = resources.filter { !SnapshotCopy.isCaptureData($0) }
        let source = SourceEnvironment.infer(from: resources).union(settings.from)
        // Promotions need only the clusters' recovery ids: a map of the clusters alone gives them,
        // and the map of every resource is derived once, promotions included.
        let clusters = resources.filter { $0.type == ARMResourceTypes.managedClusters }
        let clusterIDs = RecoveryIDMap(resources: clusters, inventory: inventory, to: settings.to, source: source,
                                       overrides: settings.overrides, namespaces: settings.namespaces)
        let promotions = ManagedPromotion.promotions(resources, ids: clusterIDs)
        var ids = RecoveryIDMap(resources: resources, inventory: inventory, to: settings.to, source: source,
                                overrides: settings.overrides, promotions: promotions, namespaces: settings.namespaces)
        let networks = ManagedNetwork.plan(resources, ids: ids, promotions: promotions, mode: settings.mode)
        let context = TranslationContext(settings: settings, source: source, ids: ids, inventory: inventory,
                                         managedNetworks: networks)

        // Built-ins and the residue scan only read the shared context, so they run on every core;
        // rules (Lua among them) run on this thread, resource by resource, in order.
        let builtIns = self.builtIns
        var work = resources.map { Pending(document: TranslatedDocument($0)) }
        ParallelWork.update(&work) { item in
            for step in builtIns where step.applies(to: item.document.resource) { Self.run(step, &item, context) }
        }
        for n in work.indices {
            for step in rules where step.applies(to: resources[n]) { Self.run(step, &work[n], context) }
        }
        // Objects moved to another namespace (by the map or a rule): references follow, ids move.
        var namespaceMoves: [NamespaceMove] = []
        var moveIssues: [TranslationIssue] = []
        let follow = NamespaceReferences(resources: resources, documents: work.map(\.document.value), map: settings.namespaces,
                                         inventory: inventory)
        if !follow.isEmpty {
            ParallelWork.update(&work) { follow.rewrite(&$0.document) }
            (namespaceMoves, moveIssues) = NamespaceMoves.settle(work.map(\.document), ids: &ids)
        }
        moveIssues += NamespaceMoves.namespacedClusterObjects(work.map(\.document))
        ParallelWork.update(&work) { context.residue.scan(&$0.document) }

        var translated: [TranslatedResource] = []
        translated.reserveCapacity(resources.count)
        var issues: [TranslationIssue] = noted + Self.overriddenGroups(settings, ids: ids, resources: resources)
        var failures: [RuleFailure] = []
        // The changes' paths repeat from object to object (every Deployment's image path): one copy each.
        var paths = StringInterning()
        for (n, item) in work.enumerated() {
            let doc = item.document
            var changes = doc.changes
            for i in changes.indices { changes[i].path = paths.intern(changes[i].path) }
            failures += item.failures
            issues += doc.issues
            let mapping = ids.entries[n].mapping
            let how: String
            switch mapping {
            case .mapped(_, let h): how = h
            case .unmapped(let reason): how = "unmapped: \(reason)"
            }
            translated.append(TranslatedResource(source: doc.resource, recoveryID: mapping.recoveryID, document: doc.value,
                                                 changes: changes, untranslated: doc.untranslated, mapping: how))
        }
        issues += moveIssues
        issues += Self.withoutProperties(resources)
        let assumed = AssumedTargets.find(translated, inventory: inventory, ids: ids)
        let added = networks.map { $0.resource(location: settings.to.azure?.location) }
            + ManagedPromotion.roleAssignments(for: ids.promoted + networks.map(\.promotion), in: context)
        let volumes = VolumeRestorePlan.build(translated, inventory: inventory, settings: settings)
        volumes.settle(&translated)
        return Translation(settings: settings, source: source, ids: ids, resources: translated, added: added,
                           issues: issues, failures: failures, managedNetworks: networks, assumed: assumed, volumes: volumes,
                           namespaceMoves: namespaceMoves)
    }

    /// An issue for every `to.azure.resource_groups` entry a built-in overrides: an AKS node
    /// resource group (`MC_…`) is named by the node-resource-group rule, whatever the map says.
    static func overriddenGroups(_ settings: TranslationSettings, ids: RecoveryIDMap, resources: [Resource]) -> [TranslationIssue] {
        settings.to.resourceGroups.sorted { $0.key < $1.key }.compactMap { source, wanted in
            let actual = ids.mapResourceGroup(source)
            guard actual != wanted else { return nil }
            let cluster = resources.first {
                $0.type == ARMResourceTypes.managedClusters
                    && $0.document["properties"]?["nodeResourceGroup"]?.stringValue?.lowercased() == source.lowercased()
            }
            return TranslationIssue(resource: cluster?.id ?? "to.azure.resource_groups", feature: "to.azure.resource_groups",
                message: "resource_groups maps \(source) to \(wanted), but \(source) is the node resource group of "
                    + "\(cluster?.armID?.name ?? "an AKS cluster"): the built-in node-resource-group rule names it \(actual) "
                    + "(MC_{recovery group}_{cluster}_{location}) and wins; to choose the name, set the cluster's "
                    + "properties.nodeResourceGroup with a rule")
        }
    }

    /// An issue for every ARM resource exported without properties (`az resource list` gives
    /// `"properties": null`): the plan would create it with none.
    static func withoutProperties(_ resources: [Resource]) -> [TranslationIssue] {
        resources.compactMap { r in
            guard r.armID != nil, r.document["properties"].map({ $0.isNull }) ?? true else { return nil }
            return TranslationIssue(resource: r.id, feature: "properties", message: "exported without properties: "
                + "`az resource show --ids \(r.id)` gives them; until they are captured the plan creates it with none")
        }
    }

    /// A document being translated and the failures of the steps that ran on it.
    private struct Pending {
        var document: TranslatedDocument
        var failures: [RuleFailure] = []
    }

    private static func run(_ step: any TranslationStep, _ item: inout Pending, _ context: TranslationContext) {
        let before = item.document
        do {
            try step.apply(to: &item.document, in: context)
        } catch {
            item.document = before
            item.failures.append(RuleFailure(rule: step.name, resource: item.document.resource.id, message: "\(error)"))
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
    /// Customer-owned VNets created for clusters whose AKS-managed VNet was not captured (their
    /// VNet documents are in ``added``).
    public let managedNetworks: [ManagedNetwork]
    /// Resources the plan names but neither creates nor finds in the recovery point: they must
    /// exist in the recovery environment.
    public let assumed: [AssumedTarget]
    /// The PersistentVolumes' cloud volumes and how the plan restores each (``VolumeRestorePlan``).
    public let volumes: VolumeRestorePlan
    /// Kubernetes objects moved to another namespace (by ``TranslationSettings/namespaces`` or a
    /// rule), per recovery cluster and namespace.
    public let namespaceMoves: [NamespaceMove]
    private let bySource: [String: Int]

    init(settings: TranslationSettings, source: SourceEnvironment, ids: RecoveryIDMap, resources: [TranslatedResource],
         added: [AddedResource], issues: [TranslationIssue], failures: [RuleFailure], managedNetworks: [ManagedNetwork] = [],
         assumed: [AssumedTarget] = [], volumes: VolumeRestorePlan = VolumeRestorePlan(), namespaceMoves: [NamespaceMove] = []) {
        self.settings = settings; self.source = source; self.ids = ids; self.resources = resources
        self.volumes = volumes
        self.added = added; self.issues = issues; self.failures = failures; self.managedNetworks = managedNetworks
        self.assumed = assumed
        self.namespaceMoves = namespaceMoves
        var by: [String: Int] = [:]
        var changed = 0, changes = 0, untranslated = 0, unmapped = 0
        for n in resources.indices {
            by[Resource.lookupKey(resources[n].source.id)] = n
            let c = resources[n].changes.count
            if c > 0 { changed += 1 }
            changes += c
            untranslated += resources[n].untranslated.count
            if resources[n].recoveryID == nil { unmapped += 1 }
        }
        bySource = by
        summary = TranslationSummary(resources: resources.count, changed: changed, changes: changes, untranslated: untranslated,
                                     unmapped: unmapped, added: added.count, issues: issues.count, failures: failures.count)
    }

    /// The translated resource whose source id (or recovery id) is `id`.
    public func resource(_ id: String) -> TranslatedResource? {
        if let n = bySource[Resource.lookupKey(id)] { return resources[n] }
        if let s = ids.source(of: id), let n = bySource[Resource.lookupKey(s)] { return resources[n] }
        return nil
    }

    /// Counts for a summary line (counted once, when the translation is made).
    public let summary: TranslationSummary
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
