/// Builds the ordered EKS API requests for each EKS cluster of a translation. (Stub.)
public enum EKSPlanBuilder {
    public static func build(_ translation: Translation) -> [EKSRecoveryPlan] { [] }
}
