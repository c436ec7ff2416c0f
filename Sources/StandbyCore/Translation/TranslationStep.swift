/// One step of a translation: a built-in (AKS cluster, agent pool, Kubernetes references…) or a
/// consultant's rule (the Lua binding wraps `standby.rule{...}` in a type conforming to this).
///
/// ``applies(to:)`` is cheap and runs in Swift for every resource, so a rule whose `match` a
/// resource fails never sees it — for Lua rules, the object never crosses into Lua.
public protocol TranslationStep {
    /// `built-in: AKS cluster` or the rule's own name, as it appears in reports.
    var name: String { get }
    func applies(to resource: Resource) -> Bool
    /// Edits `document`. A step that throws leaves the document exactly as it was before the step
    /// ran (the translator restores it) and the error is reported as a ``RuleFailure``.
    func apply(to document: inout TranslatedDocument, in context: TranslationContext) throws
}

/// What a translation step may consult: the settings, the source environment, the ID map, and
/// the inventory the resources came from.
public struct TranslationContext: Sendable {
    public let settings: TranslationSettings
    public let source: SourceEnvironment
    public let ids: RecoveryIDMap
    public let inventory: Inventory
    /// The string scanner over ``ids``, built once per translation.
    public let rewriter: ReferenceRewriter
    /// The search for source subscriptions, accounts and regions left after translation.
    let residue: ResidueScan
    /// Customer-owned VNets created for clusters whose AKS-managed VNet was not captured.
    public let managedNetworks: [ManagedNetwork]

    public init(settings: TranslationSettings, source: SourceEnvironment, ids: RecoveryIDMap, inventory: Inventory,
                managedNetworks: [ManagedNetwork] = []) {
        self.settings = settings; self.source = source; self.ids = ids; self.inventory = inventory
        self.managedNetworks = managedNetworks
        self.rewriter = ReferenceRewriter(ids: ids)
        self.residue = ResidueScan(source: source)
    }

    public var mode: TranslationMode { settings.mode }

    /// The recovery counterpart of any id (ARM ID, ARN, AWS ID, alias), or why there is none;
    /// `nil` when the id does not belong to the source environment (another subscription or
    /// account, an external registry): such ids are carried over unchanged.
    public func map(_ id: String) -> IDMapping? { ids.map(id) }

    /// Rewrites every reference inside a string (ids, ARNs, image registries, Key Vault hosts,
    /// regions). See ``ReferenceRewriter``.
    public func rewrite(_ text: String) -> RewrittenString { rewriter.rewrite(text) }

    /// A container image reference rewritten to the recovery registry when it is one the source
    /// environment owns (ECR of a source account, an ACR in the recovery point); otherwise as is.
    public func mapImage(_ image: String) -> String { rewrite(image).text }
}
