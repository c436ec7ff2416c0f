/// One captured resource: an Azure or AWS control-plane resource, or a Kubernetes object.
///
/// A value type holding the document exactly as captured (after shape normalisation, see
/// ``InventoryLoader``) plus the facts Standby indexes it by.
///
/// The fields live in one shared, copy-on-write storage object: a copy of a resource (a
/// selection's, a translation's, a plan's) costs one reference count, not one per field, and
/// takes 8 bytes in an array, however many fields it has. Mutating a copy copies its storage first.
public struct Resource: Sendable, Equatable {
    private final class Storage: @unchecked Sendable {
        // Written only while uniquely referenced (``Resource/unique()``): safe to share.
        var id: String
        var identity: ResourceIdentity
        var type: String?
        var kind: String?
        var group: String?
        var apiVersion: String?
        var name: String?
        var namespace: String?
        var cluster: String?
        var region: String?
        var labels: [String: String]
        var tags: [String: String]
        var aliases: [String]
        var document: JSONValue
        var source: SourceRef

        init(id: String, identity: ResourceIdentity, type: String?, kind: String?, group: String?, apiVersion: String?,
             name: String?, namespace: String?, cluster: String?, region: String?, labels: [String: String],
             tags: [String: String], aliases: [String], document: JSONValue, source: SourceRef) {
            self.id = id; self.identity = identity; self.type = type; self.kind = kind; self.group = group
            self.apiVersion = apiVersion; self.name = name; self.namespace = namespace; self.cluster = cluster
            self.region = region; self.labels = labels; self.tags = tags; self.aliases = aliases
            self.document = document; self.source = source
        }

        func copy() -> Storage {
            Storage(id: id, identity: identity, type: type, kind: kind, group: group, apiVersion: apiVersion, name: name,
                    namespace: namespace, cluster: cluster, region: region, labels: labels, tags: tags, aliases: aliases,
                    document: document, source: source)
        }
    }

    private var storage: Storage

    /// The storage, copied first when another resource shares it.
    private mutating func unique() -> Storage {
        if !isKnownUniquelyReferenced(&storage) { storage = storage.copy() }
        return storage
    }

    /// Canonical id: a normalised ARM resource ID, an ARN (or an AWS native ID when no ARN is
    /// known), or a `k8s://` id (``KubeRef/id``).
    public var id: String {
        get { storage.id }
        _modify { yield &unique().id }
    }
    /// The parsed form of ``id``.
    public var identity: ResourceIdentity {
        get { storage.identity }
        _modify { yield &unique().identity }
    }
    /// Cloud type: an ARM type in canonical case (`Microsoft.ContainerService/managedClusters`) or a
    /// CloudFormation-style AWS type (`AWS::EKS::Cluster`); `nil` for Kubernetes objects.
    public var type: String? {
        get { storage.type }
        _modify { yield &unique().type }
    }
    /// Kubernetes kind; `nil` for cloud resources.
    public var kind: String? {
        get { storage.kind }
        _modify { yield &unique().kind }
    }
    /// Kubernetes API group (`""` for core); `nil` for cloud resources.
    public var group: String? {
        get { storage.group }
        _modify { yield &unique().group }
    }
    /// Kubernetes `apiVersion`, or the ARM API version the document was captured with, if known.
    public var apiVersion: String? {
        get { storage.apiVersion }
        _modify { yield &unique().apiVersion }
    }
    /// The resource's name; `nil` only when the document names nothing.
    public var name: String? {
        get { storage.name }
        _modify { yield &unique().name }
    }
    /// Kubernetes namespace; `nil` for cluster-scoped objects and cloud resources.
    public var namespace: String? {
        get { storage.namespace }
        _modify { yield &unique().namespace }
    }
    /// The cluster a Kubernetes object belongs to (every Kubernetes object belongs to exactly one);
    /// `nil` for cloud resources.
    public var cluster: String? {
        get { storage.cluster }
        _modify { yield &unique().cluster }
    }
    /// Azure location or AWS region, when known.
    public var region: String? {
        get { storage.region }
        _modify { yield &unique().region }
    }
    /// Kubernetes labels.
    public var labels: [String: String] {
        get { storage.labels }
        _modify { yield &unique().labels }
    }
    /// ARM or AWS tags.
    public var tags: [String: String] {
        get { storage.tags }
        _modify { yield &unique().tags }
    }
    /// Other names the resource is known by: AWS native IDs (`subnet-…`, `sg-…`, `vpc-…`, `fs-…`,
    /// `lt-…`), ARNs, the EKS cluster name, ECR repository URIs.
    public var aliases: [String] {
        get { storage.aliases }
        _modify { yield &unique().aliases }
    }
    /// The resource as captured.
    public var document: JSONValue {
        get { storage.document }
        _modify { yield &unique().document }
    }
    /// Where it was read from.
    public var source: SourceRef {
        get { storage.source }
        _modify { yield &unique().source }
    }

    public init(id: String, identity: ResourceIdentity, type: String? = nil, kind: String? = nil,
                group: String? = nil, apiVersion: String? = nil, name: String?, namespace: String? = nil,
                cluster: String? = nil, region: String? = nil, labels: [String: String] = [:],
                tags: [String: String] = [:], aliases: [String] = [], document: JSONValue, source: SourceRef) {
        storage = Storage(id: id, identity: identity, type: type, kind: kind, group: group, apiVersion: apiVersion, name: name,
                          namespace: namespace, cluster: cluster, region: region, labels: labels, tags: tags, aliases: aliases,
                          document: document, source: source)
    }

    public static func == (a: Resource, b: Resource) -> Bool {
        if a.storage === b.storage { return true }
        let x = a.storage, y = b.storage
        return x.id == y.id && x.identity == y.identity && x.type == y.type && x.kind == y.kind && x.group == y.group
            && x.apiVersion == y.apiVersion && x.name == y.name && x.namespace == y.namespace && x.cluster == y.cluster
            && x.region == y.region && x.labels == y.labels && x.tags == y.tags && x.aliases == y.aliases
            && x.document == y.document && x.source == y.source
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
