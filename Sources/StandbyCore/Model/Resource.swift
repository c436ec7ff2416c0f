/// One captured resource: an Azure or AWS control-plane resource, or a Kubernetes object.
///
/// A value type holding the document exactly as captured (after shape normalisation, see
/// ``InventoryLoader``) plus the facts Standby indexes it by.
public struct Resource: Sendable, Equatable {
    /// Canonical id: a normalised ARM resource ID, an ARN (or an AWS native ID when no ARN is
    /// known), or a `k8s://` id (``KubeRef/id``).
    public var id: String
    /// The parsed form of ``id``.
    public var identity: ResourceIdentity
    /// Cloud type: an ARM type in canonical case (`Microsoft.ContainerService/managedClusters`) or a
    /// CloudFormation-style AWS type (`AWS::EKS::Cluster`); `nil` for Kubernetes objects.
    public var type: String?
    /// Kubernetes kind; `nil` for cloud resources.
    public var kind: String?
    /// Kubernetes API group (`""` for core); `nil` for cloud resources.
    public var group: String?
    /// Kubernetes `apiVersion`, or the ARM API version the document was captured with, if known.
    public var apiVersion: String?
    /// The resource's name; `nil` only when the document names nothing.
    public var name: String?
    /// Kubernetes namespace; `nil` for cluster-scoped objects and cloud resources.
    public var namespace: String?
    /// The cluster a Kubernetes object belongs to (every Kubernetes object belongs to exactly one);
    /// `nil` for cloud resources.
    public var cluster: String?
    /// Azure location or AWS region, when known.
    public var region: String?
    /// Kubernetes labels.
    public var labels: [String: String]
    /// ARM or AWS tags.
    public var tags: [String: String]
    /// Other names the resource is known by: AWS native IDs (`subnet-…`, `sg-…`, `vpc-…`, `fs-…`,
    /// `lt-…`), ARNs, the EKS cluster name, ECR repository URIs.
    public var aliases: [String]
    /// The resource as captured.
    public var document: JSONValue
    /// Where it was read from.
    public var source: SourceRef

    public init(id: String, identity: ResourceIdentity, type: String? = nil, kind: String? = nil,
                group: String? = nil, apiVersion: String? = nil, name: String?, namespace: String? = nil,
                cluster: String? = nil, region: String? = nil, labels: [String: String] = [:],
                tags: [String: String] = [:], aliases: [String] = [], document: JSONValue, source: SourceRef) {
        self.id = id
        self.identity = identity
        self.type = type
        self.kind = kind
        self.group = group
        self.apiVersion = apiVersion
        self.name = name
        self.namespace = namespace
        self.cluster = cluster
        self.region = region
        self.labels = labels
        self.tags = tags
        self.aliases = aliases
        self.document = document
        self.source = source
    }

    /// True for Kubernetes objects.
    public var isKubernetesObject: Bool {
        if case .kube = identity { return true }
        return false
    }

    /// The Kubernetes reference, for Kubernetes objects.
    public var kubeRef: KubeRef? {
        if case .kube(let ref) = identity { return ref }
        return nil
    }

    /// The ARM resource ID, for Azure resources.
    public var armID: ARMResourceID? {
        if case .arm(let id) = identity { return id }
        return nil
    }

    /// The ARN, for AWS resources that have one.
    public var arn: ARN? {
        if case .aws(let arn) = identity { return arn }
        return nil
    }

    /// `Deployment payments/api` for Kubernetes objects; `{type} {name}` for cloud resources.
    public var display: String {
        if let ref = kubeRef { return ref.display }
        return "\(type ?? "resource") \(name ?? id)"
    }

    /// The key ids are indexed under: ARM IDs (and anything starting with `/`) lower-cased, since
    /// ARM compares IDs case-insensitively; everything else exactly as written.
    public static func lookupKey(_ id: String) -> String {
        id.hasPrefix("/") ? id.lowercased() : id
    }

    /// Reads string-valued entries of a JSON object (`metadata.labels`, ARM `tags`).
    static func stringMap(_ value: JSONValue?) -> [String: String] {
        guard case .object(let o)? = value, !o.isEmpty else { return [:] }
        var map: [String: String] = [:]
        map.reserveCapacity(o.count)
        for (k, v) in o.pairs {
            switch v {
            case .string(let s): map[k] = s
            case .null: continue
            default: map[k] = v.description
            }
        }
        return map
    }
}
