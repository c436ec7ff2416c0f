/// EKS cluster, node groups and Fargate profiles. (Stub.)
public struct EKSTranslation: TranslationStep {
    public let name = "built-in: EKS"
    public init() {}
    public func applies(to resource: Resource) -> Bool { false }
    public func apply(to document: inout TranslatedDocument, in context: TranslationContext) throws {}
}
