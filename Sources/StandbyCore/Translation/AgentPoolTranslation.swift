/// AKS agent pools (standalone `…/agentPools` resources; the cluster step applies the same limits
/// to its inline `agentPoolProfiles[]`): the recovered pool starts at its configured size, within
/// the autoscaler's bounds, on the current AKS node image.
///
/// The pool's references (node and pod subnets, ASGs, PPG, capacity reservation group, host group,
/// node public IP prefix, snapshot source) are left to ``ReferenceTranslation``; a node subnet of an
/// AKS-managed VNet moves to the promoted BYO subnet through the ID map. `orchestratorVersion` is
/// kept: the recovered pool runs the source's Kubernetes version.
public struct AgentPoolTranslation: TranslationStep {
    public let name = "built-in: AKS agent pool"

    public init() {}

    public func applies(to resource: Resource) -> Bool { resource.type == ARMResourceTypes.agentPools }

    public func apply(to document: inout TranslatedDocument, in context: TranslationContext) throws {
        Self.applyLimits(at: [.key("properties")], to: &document)
        ManagedNetwork.pointPools(&document, in: context)
    }

    /// Applies the pool limits to the pool properties at `base` (`properties` of a standalone
    /// pool, `properties.agentPoolProfiles[i]` of a cluster): `count` is the initial size, clamped
    /// into `[minCount, maxCount]` when the autoscaler is on; `nodeImageVersion` is removed (the
    /// recovered pool runs the current image). Anything that is not a pool object is left alone.
    static func applyLimits(at base: [JSONPathComponent], to document: inout TranslatedDocument) {
        guard case .object(let pool)? = document[base] else { return }
        if pool["enableAutoScaling"]?.boolValue == true, let count = pool["count"]?.intValue {
            let low = pool["minCount"]?.intValue, high = pool["maxCount"]?.intValue
            var clamped = count
            if let low { clamped = max(clamped, low) }
            if let high, low.map({ $0 <= high }) ?? true { clamped = min(clamped, high) }
            if clamped != count {
                document.set(base + [.key("count")], .int(clamped),
                             by: "built-in: initial node count (within the autoscaler's bounds)")
            }
        }
        if pool["nodeImageVersion"] != nil {
            document.set(base + [.key("nodeImageVersion")], nil, by: "built-in: node image not pinned")
        }
    }
}
