/// Finds the references one resource makes to others.
///
/// Built-in extractors cover the AKS, EKS and Kubernetes references Standby knows (see
/// ``ReferenceTables``). Consultants add more from Lua (`standby.refs.register{ kind = …,
/// extract = function(obj, ctx) … end }`); the Lua binding wraps the Lua function in a type
/// conforming to this protocol and registers it in a ``ReferenceExtractorRegistry``.
///
/// Extractors are pure functions of the resource and the (read-only) context. They return targets
/// (``ReferenceTarget``): the walker resolves them, reports the ones that resolve to nothing as
/// dangling, and never calls an extractor twice for the same resource in one walk.
public protocol ReferenceExtractor: Sendable {
    /// A short name for diagnostics (`"aks managed cluster"`, `"lua: SessionJob"`).
    var name: String { get }
    /// The references `resource` makes.
    func references(of resource: Resource, in context: ExtractionContext) -> [Reference]
}

/// An extractor made from a closure.
public struct ClosureReferenceExtractor: ReferenceExtractor {
    public let name: String
    private let body: @Sendable (Resource, ExtractionContext) -> [Reference]

    public init(name: String, _ body: @escaping @Sendable (Resource, ExtractionContext) -> [Reference]) {
        self.name = name; self.body = body
    }

    public func references(of resource: Resource, in context: ExtractionContext) -> [Reference] {
        body(resource, context)
    }
}

/// Extractors keyed by what they apply to: a Kubernetes kind (optionally in one API group), a cloud
/// resource type (case-insensitive), or every Kubernetes object / every cloud resource.
///
/// Every extractor that applies runs, in registration order (generic ones first); duplicate
/// references (same relation and target) are merged by the walker.
public struct ReferenceExtractorRegistry: Sendable {
    private var byKind: [String: [(group: String?, extractor: any ReferenceExtractor)]] = [:]
    private var byCloudType: [String: [any ReferenceExtractor]] = [:]
    private var allKube: [any ReferenceExtractor] = []
    private var allCloud: [any ReferenceExtractor] = []

    /// A registry with no extractors.
    public init() {}

    /// The registry with every built-in extractor (AKS, EKS, Kubernetes).
    public static var builtIn: ReferenceExtractorRegistry { builtInRegistry }

    /// Adds an extractor for a Kubernetes kind. `group` nil applies it in every API group;
    /// `"core"` and `""` both mean the core group.
    public mutating func register(kind: String, group: String? = nil, _ extractor: any ReferenceExtractor) {
        byKind[kind, default: []].append((group.map(normalizedGroup), extractor))
    }

    /// Adds a closure extractor for a Kubernetes kind.
    public mutating func register(kind: String, group: String? = nil, name: String? = nil,
                                  _ body: @escaping @Sendable (Resource, ExtractionContext) -> [Reference]) {
        register(kind: kind, group: group, ClosureReferenceExtractor(name: name ?? kind, body))
    }

    /// Adds an extractor for a cloud resource type (`Microsoft.Network/applicationGateways`,
    /// `AWS::EKS::Cluster`); matched case-insensitively.
    public mutating func register(cloudType: String, _ extractor: any ReferenceExtractor) {
        byCloudType[cloudType.lowercased(), default: []].append(extractor)
    }

    /// Adds a closure extractor for a cloud resource type.
    public mutating func register(cloudType: String, name: String? = nil,
                                  _ body: @escaping @Sendable (Resource, ExtractionContext) -> [Reference]) {
        register(cloudType: cloudType, ClosureReferenceExtractor(name: name ?? cloudType, body))
    }

    /// Adds an extractor run on every Kubernetes object.
    public mutating func registerForEveryKubernetesObject(_ extractor: any ReferenceExtractor) {
        allKube.append(extractor)
    }

    /// Adds an extractor run on every cloud (non-Kubernetes) resource.
    public mutating func registerForEveryCloudResource(_ extractor: any ReferenceExtractor) {
        allCloud.append(extractor)
    }

    /// The extractors that apply to `resource`, in the order they run.
    public func extractors(for resource: Resource) -> [any ReferenceExtractor] {
        if let kind = resource.kind, resource.isKubernetesObject {
            var out = allKube
            if let list = byKind[kind] {
                let g = normalizedGroup(resource.group ?? "")
                for (group, e) in list where group == nil || group == g { out.append(e) }
            }
            return out
        }
        var out = allCloud
        if let t = resource.type, let list = byCloudType[t.lowercased()] { out.append(contentsOf: list) }
        return out
    }

    /// Whether every extractor is a ``ClosureReferenceExtractor`` (a `@Sendable` function of the
    /// resource and the context), so the walk may extract on several threads at once. Extractors
    /// of other types (Lua's among them) run on the walk's thread only.
    var runsOnAnyThread: Bool {
        func closures(_ list: [any ReferenceExtractor]) -> Bool { list.allSatisfy { $0 is ClosureReferenceExtractor } }
        return closures(allKube) && closures(allCloud) && byCloudType.values.allSatisfy(closures)
            && byKind.values.allSatisfy { closures($0.map(\.extractor)) }
    }

    /// Kinds and cloud types with a specific extractor, for listings (`standby refs list`).
    public var registeredKeys: [String] {
        var keys: [String] = []
        for (kind, list) in byKind {
            for (g, _) in list { keys.append(g.map { $0.isEmpty ? "\(kind) (core)" : "\(kind) (\($0))" } ?? kind) }
        }
        keys.append(contentsOf: byCloudType.keys)
        return Array(Set(keys)).sorted()
    }
}

/// `""` for the core API group whatever way it is written (`nil`, `""`, `"core"`, `"v1"`).
func normalizedGroup(_ group: String) -> String {
    group == "core" || group == "v1" ? "" : group
}

private let builtInRegistry: ReferenceExtractorRegistry = {
    var r = ReferenceExtractorRegistry()
    CloudReferences.register(into: &r)
    KubeReferences.register(into: &r)
    return r
}()
