/// AKS agent pools (standalone and inline): initial size, node image not pinned. (Stub.)
public struct AgentPoolTranslation: TranslationStep {
    public let name = "built-in: AKS agent pool"
    public init() {}
    public func applies(to resource: Resource) -> Bool { false }
    public func apply(to document: inout TranslatedDocument, in context: TranslationContext) throws {}
}
