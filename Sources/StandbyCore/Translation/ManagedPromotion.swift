/// AKS-managed VNets and AGIC gateways promoted to BYO resources, with their role assignments. (Stub.)
public enum ManagedPromotion {
    /// The promotions the selected resources need.
    public static func promotions(_ resources: [Resource], ids: RecoveryIDMap) -> [Promotion] { [] }

    /// The Network Contributor role assignments the promotions need.
    public static func roleAssignments(for promotions: [Promotion], in context: TranslationContext) -> [AddedResource] { [] }
}
