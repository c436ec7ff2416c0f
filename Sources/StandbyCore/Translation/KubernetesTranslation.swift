/// Kubernetes objects: SecretProviderClass Key Vault names and tenant. (Stub.)
public struct KubernetesTranslation: TranslationStep {
    public let name = "built-in: Kubernetes"
    public init() {}
    public func applies(to resource: Resource) -> Bool { false }
    public func apply(to document: inout TranslatedDocument, in context: TranslationContext) throws {}
}
