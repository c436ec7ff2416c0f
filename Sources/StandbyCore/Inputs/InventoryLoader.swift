import Foundation

/// Loads files and folders of captured resources into an ``Inventory``.
///
/// Paths may be files or folders. Folders are walked recursively in sorted order, skipping hidden
/// entries, and read `*.json`, `*.yaml`, `*.yml` and `*.rst` files and tar archives (`*.tar.gz`,
/// `*.tgz`, … ``ArchiveReader/extensions``) as Velero backups; a folder holding an
/// `estate.yaml` / `estate.json` is loaded as that estate instead (see ``EstateManifest``), and a
/// folder a Velero backup was extracted into (`resources/`, `metadata/version`) as that backup, and a
/// backup's object-storage folder (`velero-backup.json` beside `<name>.tar.gz`) as its tarball.
/// Files named explicitly are read whatever their extension; a tar archive (`.tar.gz`, `.tgz`,
/// `.tar`, or gzip/tar by content) is read as a Velero backup (``VeleroBackup``), within
/// ``LoadOptions/archiveLimits``.
///
/// Documents are recognised by shape (``InventoryLoadError/acceptedShapes``): ARM resources and
/// lists, Azure REST API examples, aws-cli output and .rst examples, Kubernetes objects and Lists.
/// Kubernetes objects are filed under ``LoadOptions/cluster`` or under the estate cluster whose
/// `kubernetes` paths hold them; without either, loading fails with a message saying so.
///
/// Duplicate ids are shallow-merged (the later document's top-level keys win) with a note naming
/// both sources. Malformed JSON/YAML fails with `file:line:column`; a document of no recognised
/// shape fails naming the file and document.
public enum InventoryLoader {
    /// Extensions read while walking folders.
    public static let fileExtensions: Set<String> = ["json", "yaml", "yml", "rst"]

    /// Loads `paths` (files or folders) into one inventory.
    /// - Throws: ``InventoryLoadError``, ``JSONSyntaxError``, ``YAMLSyntaxError``.
    public static func load(paths: [String], options: LoadOptions = LoadOptions()) throws -> Inventory {
        var session = LoadSession()
        if let cluster = options.cluster { session.addCluster(Cluster(name: cluster)) }
        for path in paths { try session.load(path: path, options: options) }
        return session.finish()
    }

    /// Loads one file or folder.
    public static func load(path: String, options: LoadOptions = LoadOptions()) throws -> Inventory {
        try load(paths: [path], options: options)
    }
}

/// The state of one ``InventoryLoader/load(paths:options:)`` call.
struct LoadSession {
    /// A document read but not yet turned into a resource. Kubernetes objects wait until every
    /// file is read, so that CustomResourceDefinitions anywhere in the load decide custom kinds' scope.
    enum Pending {
        case cloud(Resource, synthesized: Bool)
        case kube(JSONValue, cluster: String, source: SourceRef)
    }

    private var pending: [Pending] = []
    private var clusters: [Cluster] = []
    private var notes: [String] = []
    private var activeEstates: Set<String> = []

    mutating func addCluster(_ cluster: Cluster) {
        if let i = clusters.firstIndex(where: { $0.name == cluster.name }) {
            if clusters[i].controlPlaneID == nil && clusters[i].cloud == .unknown { clusters[i] = cluster }
        } else {
            clusters.append(cluster)
        }
    }

    mutating func addNote(_ note: String) { notes.append(note) }

    // MARK: - Walking

    mutating func load(path: String, options: LoadOptions) throws {
        var isDirectory: ObjCBool = false
        guard FileManager.default.fileExists(atPath: path, isDirectory: &isDirectory) else {
            throw InventoryLoadError.missingPath(path)
        }
        if isDirectory.boolValue {
            var visited: Set<String> = []
            try loadDirectory(path, options: options, visited: &visited)
        } else if EstateManifest.fileNames.contains((path as NSString).lastPathComponent) {
            try loadEstate(path, options: options)
        } else if ArchiveReader.isArchive(path: path) {
            try loadVeleroArchive(path, options: options)
        } else {
            try loadFile(path, options: options)
        }
    }

    private static func join(_ dir: String, _ name: String) -> String {
        dir.hasSuffix("/") ? dir + name : dir + "/" + name
    }

    private mutating func loadDirectory(_ dir: String, options: LoadOptions, visited: inout Set<String>) throws {
        let real = (dir as NSString).resolvingSymlinksInPath
        guard visited.insert(real).inserted else { return }
        let names: [String]
        do {
            names = try FileManager.default.contentsOfDirectory(atPath: dir).filter { !$0.hasPrefix(".") }.sorted()
        } catch {
            throw InventoryLoadError.unreadable(path: dir, reason: "the folder cannot be listed")
        }
        if let manifest = EstateManifest.fileNames.first(where: names.contains) {
            let manifestPath = Self.join(dir, manifest)
            if !activeEstates.contains(Self.canonical(manifestPath)) {
                try loadEstate(manifestPath, options: options)
                return
            }
        }
        if Self.isVeleroFolder(dir, names: names) {
            try loadVeleroFolder(dir, options: options)
            return
        }
        if names.contains("velero-backup.json") {
            try loadVeleroStorageFolder(dir, names: names, options: options)
            return
        }
        for name in names where !EstateManifest.fileNames.contains(name) {
            let path = Self.join(dir, name)
            var isDirectory: ObjCBool = false
            guard FileManager.default.fileExists(atPath: path, isDirectory: &isDirectory) else { continue }
            if isDirectory.boolValue {
                try loadDirectory(path, options: options, visited: &visited)
            } else if InventoryLoader.fileExtensions.contains((name as NSString).pathExtension.lowercased()) {
                try loadFile(path, options: options)
            } else if ArchiveReader.extensions.contains(where: { name.lowercased().hasSuffix($0) }) {
                // A backup tarball met while walking is read like one named explicitly (its note says so).
                try loadVeleroArchive(path, options: options)
            }
        }
    }

    private static func canonical(_ path: String) -> String {
        ((path as NSString).standardizingPath as NSString).resolvingSymlinksInPath
    }

    // MARK: - Estates

    private mutating func loadEstate(_ path: String, options: LoadOptions) throws {
        let key = Self.canonical(path)
        guard activeEstates.insert(key).inserted else { return }
        defer { activeEstates.remove(key) }
        let manifest = try EstateManifest.load(path: path)
        for entry in manifest.clusters {
            var id = entry.id
            if let text = id, let arm = ARMResourceID(text) { id = arm.description }
            addCluster(Cluster(name: entry.name, cloud: entry.cloud, controlPlaneID: id))
        }
        for source in manifest.sources {
            var o = options
            o.cluster = source.cluster ?? options.cluster
            o.region = source.region ?? options.region
            o.account = source.account ?? options.account
            if let c = source.cluster { addCluster(Cluster(name: c)) }
            try load(path: manifest.resolve(source.path), options: o)
        }
        for entry in manifest.clusters {
            var o = options
            o.cluster = entry.name
            for p in entry.kubernetes { try load(path: manifest.resolve(p), options: o) }
        }
    }

    // MARK: - Files

    private mutating func loadFile(_ path: String, options: LoadOptions) throws {
        guard let data = FileManager.default.contents(atPath: path) else {
            throw InventoryLoadError.unreadable(path: path, reason: "the file cannot be opened")
        }
        switch (path as NSString).pathExtension.lowercased() {
        case "json":
            let value = try JSONParser.parse(data, source: path)
            try dispatch(value, source: SourceRef(path: path, line: 1), options: options)
        case "rst":
            let blocks = try AWSCLIExamples.blocks(in: String(decoding: data, as: UTF8.self), source: path)
            if blocks.isEmpty { notes.append("\(path): no 'Output::' JSON blocks found") }
            for (n, block) in blocks.enumerated() {
                try dispatch(block.value, source: SourceRef(path: path, document: n, line: block.line), options: options)
            }
        default:
            if Self.startsLikeJSON(data), let value = try? JSONParser.parse(data, source: path) {
                try dispatch(value, source: SourceRef(path: path, line: 1), options: options)
                return
            }
            let docs = try YAMLDocuments.documents(String(decoding: data, as: UTF8.self), source: path)
            for doc in docs {
                try dispatch(doc.value, source: SourceRef(path: path, document: doc.index, line: doc.line), options: options)
            }
        }
    }

    /// Refuses a Kubernetes object whose `metadata.name` or `metadata.namespace` holds a control
    /// character (a NUL, a newline): no API server accepts one, and it would corrupt the object's id.
    private static func checkNames(of object: JSONObject, source: SourceRef) throws {
        for key in ["namespace", "name"] {
            guard let text = object["metadata"]?[key]?.stringValue,
                  let reason = ResourceIDCheck.controlCharacter(in: text) else { continue }
            throw InventoryLoadError.invalidIdentifier(source: source, id: text, reason: "(metadata.\(key)) \(reason)")
        }
    }

    private static func startsLikeJSON(_ data: Data) -> Bool {
        for byte in data.prefix(4096) {
            switch byte {
            case 0x20, 0x0A, 0x0D, 0x09: continue
            case UInt8(ascii: "{"), UInt8(ascii: "["): return true
            default: return false
            }
        }
        return false
    }

    // MARK: - Shapes

    mutating func dispatch(_ value: JSONValue, source: SourceRef, options: LoadOptions) throws {
        switch value {
        case .object(let object):
            try dispatch(object: object, source: source, options: options)
        case .array(let items):
            for (n, item) in items.enumerated() {
                var src = source
                src.item = n
                guard case .object(let object) = item else {
                    throw InventoryLoadError.unrecognizedShape(source: src, detail: "a list item that is a \(item.typeName), not an object")
                }
                try dispatch(object: object, source: src, options: options)
            }
        default:
            throw InventoryLoadError.unrecognizedShape(source: source, detail: "a \(value.typeName) at the top level")
        }
    }

    private mutating func dispatch(object: JSONObject, source: SourceRef, options: LoadOptions) throws {
        if ARMDocumentShapes.isRESTExample(object) {
            guard let (body, apiVersion) = ARMDocumentShapes.restExampleBody(object) else {
                notes.append("\(source): Azure REST API example without a successful response body skipped")
                return
            }
            if body["id"] == nil, ARMDocumentShapes.isPage(body) {
                // A list operation's example (`RoleAssignments_ListForResourceGroup`): each item of its page.
                for (n, item) in (body["value"]?.arrayValue ?? []).enumerated() {
                    var src = source
                    src.item = n
                    if let o = item.objectValue { try addARM(o, source: src, apiVersion: apiVersion) }
                }
                return
            }
            guard body["id"]?.stringValue != nil else {
                throw InventoryLoadError.unrecognizedShape(
                    source: source, detail: "an Azure REST API example whose response body has no id, and none could be built from its parameters")
            }
            try addARM(body, source: source, apiVersion: apiVersion)
        } else if ARMDocumentShapes.isResource(object) {
            try addARM(object, source: source, apiVersion: nil)
        } else if KubernetesDocuments.isObject(object) {
            guard let cluster = options.cluster else { throw InventoryLoadError.kubernetesWithoutCluster(source: source) }
            if KubernetesDocuments.isList(object) {
                let items = KubernetesDocuments.items(ofList: object)
                pending.reserveCapacity(pending.count + items.count)
                for (n, item) in items.enumerated() {
                    var src = source
                    src.item = n
                    guard case .object(let o) = item, KubernetesDocuments.isObject(o) else {
                        throw InventoryLoadError.unrecognizedShape(source: src, detail: "a List item without apiVersion and kind")
                    }
                    try Self.checkNames(of: o, source: src)
                    pending.append(.kube(item, cluster: cluster, source: src))
                }
            } else {
                try Self.checkNames(of: object, source: source)
                pending.append(.kube(.object(object), cluster: cluster, source: source))
            }
        } else if ARMDocumentShapes.isPage(object) {
            for (n, item) in (object["value"]?.arrayValue ?? []).enumerated() {
                var src = source
                src.item = n
                if let o = item.objectValue { try addARM(o, source: src, apiVersion: nil) }
            }
        } else if AWSCLIShapes.recognises(object) {
            for r in try AWSCLIShapes.resources(from: object, source: source, options: options) {
                if let reason = ResourceIDCheck.problem(awsID: r.id) {
                    throw InventoryLoadError.invalidIdentifier(source: r.source, id: r.id, reason: reason)
                }
                pending.append(.cloud(r, synthesized: false))
            }
        } else {
            let keys = object.keys.prefix(8).joined(separator: ", ") + (object.count > 8 ? ", …" : "")
            throw InventoryLoadError.unrecognizedShape(
                source: source, detail: object.isEmpty ? "an empty object" : "an object with keys [\(keys)]")
        }
    }

    /// Keeps the resources of an ARM document; an id that is not a well-formed ARM resource id is
    /// refused (``InventoryLoadError/invalidIdentifier(source:id:reason:)``).
    private mutating func addARM(_ object: JSONObject, source: SourceRef, apiVersion: String?) throws {
        for (r, synthesized) in ARMDocumentShapes.resources(from: object, source: source, apiVersion: apiVersion) {
            if let reason = ResourceIDCheck.problem(armID: r.id) {
                throw InventoryLoadError.invalidIdentifier(source: r.source, id: r.id, reason: reason)
            }
            pending.append(.cloud(r, synthesized: synthesized))
        }
    }

    // MARK: - Finishing

    mutating func finish() -> Inventory {
        var scope = KubeScope()
        for case .kube(let doc, _, _) in pending where doc["kind"]?.stringValue == "CustomResourceDefinition" {
            scope.learn(fromCRD: doc)
        }
        var loadedKeys: Set<String> = []
        for case .cloud(let r, false) in pending { loadedKeys.insert(Resource.lookupKey(r.id)) }
        var synthesizedTwins: [String: Resource] = [:]
        for case .cloud(let r, true) in pending {
            let key = Resource.lookupKey(r.id)
            if loadedKeys.contains(key) { synthesizedTwins[key] = r }
        }

        var resources: [Resource] = []
        resources.reserveCapacity(pending.count)
        let items = pending
        pending = []
        for item in items {
            switch item {
            case .cloud(let r, let synthesized):
                let key = Resource.lookupKey(r.id)
                if synthesized {
                    if !loadedKeys.contains(key) { resources.append(r) }
                } else if let twin = synthesizedTwins[key] {
                    resources.append(ARMDocumentShapes.fold(synthesized: twin, into: r))
                } else {
                    resources.append(r)
                }
            case .kube(let doc, let cluster, let source):
                if let r = KubernetesDocuments.resource(doc, cluster: cluster, scope: scope, source: source) {
                    resources.append(r)
                } else {
                    let kind = doc["kind"]?.stringValue ?? "object"
                    notes.append("\(source): \(kind) without metadata.name skipped")
                }
            }
        }

        var inventory = Inventory(resources: resources, clusters: clusters, notes: notes)
        inventory.linkClusters()
        return inventory
    }
}

extension Inventory {
    /// Links each cluster to its control-plane resource: the one its id names (canonicalised), or
    /// the only AKS or EKS cluster resource of its name; the cloud follows the resource.
    mutating func linkClusters() {
        for cluster in clusters {
            var linked = cluster
            if let id = cluster.controlPlaneID {
                if let r = get(id) {
                    linked.controlPlaneID = r.id
                    if linked.cloud == .unknown { linked.cloud = Self.cloud(of: r) }
                } else {
                    addNote("cluster \(cluster.name): control plane \(id) is not in the inventory")
                }
            } else {
                let candidates = find(ResourceQuery(type: ARMResourceTypes.managedClusters, name: cluster.name))
                    + find(ResourceQuery(type: "AWS::EKS::Cluster", name: cluster.name))
                if candidates.count == 1 {
                    linked.controlPlaneID = candidates[0].id
                    if linked.cloud == .unknown { linked.cloud = Self.cloud(of: candidates[0]) }
                }
            }
            if linked != cluster { addCluster(linked) }
        }
    }

    private static func cloud(of resource: Resource) -> Cluster.Cloud {
        switch resource.identity {
        case .arm: return .azure
        case .aws: return .aws
        default: return .unknown
        }
    }
}
