/// How a resource is identified, with its parsed identifier.
public enum ResourceIdentity: Sendable, Hashable {
    /// An Azure resource, by ARM resource ID.
    case arm(ARMResourceID)
    /// An AWS resource, by ARN when one is known (otherwise the native ID is the resource's id).
    case aws(ARN?)
    /// A Kubernetes object.
    case kube(KubeRef)
    /// Anything else Standby keeps but cannot place.
    case other

    /// `arm`, `aws`, `kube` or `other`.
    public var label: String {
        switch self {
        case .arm: return "arm"
        case .aws: return "aws"
        case .kube: return "kube"
        case .other: return "other"
        }
    }
}
