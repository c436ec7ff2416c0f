/// The resource-specific built-in steps, in the order they run (``ReferenceTranslation`` runs
/// after them all).
public enum BuiltInTranslations {
    public static var steps: [any TranslationStep] { [
        AKSClusterTranslation(),
        AgentPoolTranslation(),
        PromotedNetworkTranslation(),
        EKSTranslation(),
        ClusterAccessTranslation(),
        KubernetesTranslation(),
        NamespaceTranslation(),
    ] }
}
