/// AKS managed cluster: outbound type by mode, node resource group, AGIC gateway id, Windows admin
/// password secret URL, unsupported add-ons and workload autoscalers. (Stub: to be implemented.)
public struct AKSClusterTranslation: TranslationStep {
    public let name = "built-in: AKS cluster"
    public init() {}
    public func applies(to resource: Resource) -> Bool { resource.type == ARMResourceTypes.managedClusters }
    public func apply(to document: inout TranslatedDocument, in context: TranslationContext) throws {}
}
