import Foundation

/// An estate manifest (`estate.yaml` / `estate.json`): which cloud exports and which clusters'
/// Kubernetes manifests make up one estate.
///
/// ```yaml
/// name: contoso-sample
/// sources:                     # cloud control-plane exports, relative to the manifest
///   - path: azure/
///   - path: aws/
///     region: us-east-1
///     account: "111111111111"
/// clusters:
///   - name: aks-prod-weu
///     cloud: azure             # azure | aws (aks / eks accepted); inferred from id when omitted
///     id: /subscriptions/…/providers/Microsoft.ContainerService/managedClusters/aks-prod-weu
///     kubernetes: [kubernetes/aks-prod-weu/]
/// ```
/// A source may also be written as a bare path string.
public struct EstateManifest: Sendable, Equatable {
    /// A cloud export to load.
    public struct Source: Sendable, Equatable {
        /// Path relative to the manifest's folder (or absolute).
        public var path: String
        public var region: String?
        public var account: String?
        /// Cluster for any Kubernetes objects found under this source.
        public var cluster: String?
    }

    /// A Kubernetes cluster and where its objects are.
    public struct ClusterEntry: Sendable, Equatable {
        public var name: String
        public var cloud: Cluster.Cloud
        /// The control plane: an AKS managed cluster ID or an EKS cluster ARN.
        public var id: String?
        /// Paths of the cluster's Kubernetes manifests, relative to the manifest's folder.
        public var kubernetes: [String]
    }

    /// File names recognised as estate manifests.
    public static let fileNames = ["estate.yaml", "estate.yml", "estate.json"]

    /// The estate's name.
    public var name: String?
    public var sources: [Source]
    public var clusters: [ClusterEntry]
    /// The manifest's path.
    public var path: String

    /// The folder relative paths are resolved against.
    public var directory: String { (path as NSString).deletingLastPathComponent }

    /// Resolves a manifest-relative path.
    public func resolve(_ relative: String) -> String {
        if relative.hasPrefix("/") { return relative }
        var rel = relative
        while rel.hasPrefix("./") { rel.removeFirst(2) }
        let dir = directory
        if rel.isEmpty || rel == "." { return dir.isEmpty ? "." : dir }
        return dir.isEmpty ? rel : dir + "/" + rel
    }

    /// Reads and validates a manifest file.
    /// - Throws: ``InventoryLoadError/invalidEstate(path:message:)``, syntax errors, read errors.
    public static func load(path: String) throws -> EstateManifest {
        guard let data = FileManager.default.contents(atPath: path) else {
            throw InventoryLoadError.unreadable(path: path, reason: "the file cannot be opened")
        }
        return try EstateManifest(contents: data, path: path)
    }

    /// Reads and validates a manifest's bytes: JSON when `path` ends in `.json`, else YAML.
    /// - Throws: ``InventoryLoadError/invalidEstate(path:message:)``, syntax errors.
    public init(contents data: Data, path: String) throws {
        let document: JSONValue
        if path.hasSuffix(".json") {
            document = try JSONParser.parse(data, source: path)
        } else {
            let docs = try YAMLDocuments.parse(String(decoding: data, as: UTF8.self), source: path)
            guard docs.count == 1 else {
                throw InventoryLoadError.invalidEstate(path: path, message: "expected exactly one YAML document, found \(docs.count)")
            }
            document = docs[0]
        }
        try self.init(document: document, path: path)
    }

    /// Validates a manifest document.
    public init(document: JSONValue, path: String) throws {
        func fail(_ message: String) -> InventoryLoadError { .invalidEstate(path: path, message: message) }
        guard case .object(let root) = document else { throw fail("expected a mapping at the top level, found \(document.typeName)") }
        let known: Set<String> = ["name", "sources", "clusters", "description"]
        if let unknown = root.keys.first(where: { !known.contains($0) }) {
            throw fail("unknown key '\(unknown)' (expected name, sources, clusters)")
        }
        self.path = path
        if let n = root["name"], !n.isNull {
            guard let s = n.stringValue else { throw fail("name must be a string") }
            name = s
        }
        sources = []
        for (i, entry) in (root["sources"]?.arrayValue ?? []).enumerated() {
            switch entry {
            case .string(let p):
                sources.append(Source(path: p))
            case .object(let o):
                guard let p = o["path"]?.stringValue else { throw fail("sources[\(i)] needs a 'path'") }
                sources.append(Source(path: p, region: o["region"]?.stringValue, account: Self.text(o["account"]),
                                      cluster: o["cluster"]?.stringValue))
            default:
                throw fail("sources[\(i)] must be a path or a mapping with 'path'")
            }
        }
        if let s = root["sources"], !s.isNull, s.arrayValue == nil { throw fail("sources must be a list") }
        if let c = root["clusters"], !c.isNull, c.arrayValue == nil { throw fail("clusters must be a list") }
        clusters = []
        var seen: Set<String> = []
        for (i, entry) in (root["clusters"]?.arrayValue ?? []).enumerated() {
            guard case .object(let o) = entry else { throw fail("clusters[\(i)] must be a mapping") }
            guard let name = o["name"]?.stringValue, !name.isEmpty else { throw fail("clusters[\(i)] needs a 'name'") }
            guard seen.insert(name).inserted else { throw fail("cluster '\(name)' is listed twice") }
            let id = o["id"]?.stringValue
            var cloud: Cluster.Cloud
            switch o["cloud"]?.stringValue?.lowercased() {
            case "azure"?, "aks"?: cloud = .azure
            case "aws"?, "eks"?: cloud = .aws
            case nil:
                cloud = .unknown
                if let id { cloud = id.hasPrefix("arn:") ? .aws : (ARMDocumentShapes.looksLikeARMID(id) ? .azure : .unknown) }
            case let other?:
                throw fail("clusters[\(i)] (\(name)): cloud must be azure or aws, not '\(other)'")
            }
            var kube: [String] = []
            switch o["kubernetes"] {
            case nil, .null?: break
            case .string(let p)?: kube = [p]
            case .array(let list)?:
                for p in list {
                    guard let s = p.stringValue else { throw fail("clusters[\(i)] (\(name)): kubernetes must list paths") }
                    kube.append(s)
                }
            default: throw fail("clusters[\(i)] (\(name)): kubernetes must be a path or a list of paths")
            }
            clusters.append(ClusterEntry(name: name, cloud: cloud, id: id, kubernetes: kube))
        }
    }

    /// A string, or an integer written without quotes (`account: 111111111111`).
    private static func text(_ value: JSONValue?) -> String? {
        switch value {
        case .string(let s)?: return s
        case .int(let n)?: return String(n).leftPadded(to: 12)
        default: return nil
        }
    }
}
