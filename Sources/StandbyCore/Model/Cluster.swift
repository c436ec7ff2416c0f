/// A Kubernetes cluster in the estate, and the cloud resource that is its control plane.
public struct Cluster: Sendable, Hashable {
    /// Which cloud runs the cluster.
    public enum Cloud: String, Sendable, Hashable, CaseIterable {
        case azure, aws, unknown
    }

    /// The name Kubernetes objects are filed under (``Resource/cluster``).
    public var name: String
    public var cloud: Cloud
    /// The control-plane resource: an AKS managed cluster's ARM ID or an EKS cluster's ARN.
    public var controlPlaneID: String?

    public init(name: String, cloud: Cloud = .unknown, controlPlaneID: String? = nil) {
        self.name = name
        self.cloud = cloud
        self.controlPlaneID = controlPlaneID
    }
}
