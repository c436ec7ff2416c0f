import Foundation
import Testing
@testable import StandbyCore

/// Builds small estates from YAML/JSON strings, loaded through the real `InventoryLoader` (an
/// estate folder written to a temporary directory).
struct TestEstate {
    struct ClusterSpec {
        var name: String
        var cloud: String
        var id: String?
        var kubernetes: [String]
    }

    var azure: [String] = []
    var aws: [String] = []
    var clusters: [ClusterSpec] = []

    static let sub = "/subscriptions/s1/resourceGroups/rg"
    static let aksID = "\(sub)/providers/Microsoft.ContainerService/managedClusters/aks1"

    /// One AKS cluster `aks1` whose control plane is `aksID`, with the given manifests.
    static func aks(_ kubernetes: String..., azure: [String] = []) -> TestEstate {
        var e = TestEstate()
        e.azure = azure
        e.clusters = [ClusterSpec(name: "aks1", cloud: "azure", id: azure.isEmpty ? nil : aksID, kubernetes: kubernetes)]
        return e
    }

    func load() throws -> Inventory {
        let dir = FileManager.default.temporaryDirectory
            .appendingPathComponent("standby-selection-\(UUID().uuidString)").path
        let fm = FileManager.default
        try fm.createDirectory(atPath: dir, withIntermediateDirectories: true)
        defer { try? fm.removeItem(atPath: dir) }
        var manifest = "name: test\nsources:\n"
        var anySource = false
        for (folder, docs) in [("azure", azure), ("aws", aws)] where !docs.isEmpty {
            try fm.createDirectory(atPath: "\(dir)/\(folder)", withIntermediateDirectories: true)
            for (i, d) in docs.enumerated() { try d.write(toFile: "\(dir)/\(folder)/\(i).json", atomically: true, encoding: .utf8) }
            manifest += "  - path: \(folder)/\n"
            if folder == "aws" { manifest += "    region: us-east-1\n    account: \"111111111111\"\n" }
            anySource = true
        }
        if !anySource { manifest = "name: test\nsources: []\n" }
        manifest += "clusters:\n"
        for c in clusters {
            let kdir = "kubernetes/\(c.name)"
            try fm.createDirectory(atPath: "\(dir)/\(kdir)", withIntermediateDirectories: true)
            for (i, y) in c.kubernetes.enumerated() { try y.write(toFile: "\(dir)/\(kdir)/\(i).yaml", atomically: true, encoding: .utf8) }
            manifest += "  - name: \(c.name)\n    cloud: \(c.cloud)\n"
            if let id = c.id { manifest += "    id: \"\(id)\"\n" }
            manifest += "    kubernetes: [\(kdir)/]\n"
        }
        try manifest.write(toFile: "\(dir)/estate.yaml", atomically: true, encoding: .utf8)
        return try InventoryLoader.load(path: dir)
    }
}

/// `relation → Target` for each resolved target, `relation ✗ text` for dangling references
/// (optional references that resolve to nothing are left out), sorted.
func referenceLines(_ inventory: Inventory, _ id: String, extractors: ReferenceExtractorRegistry = .builtIn,
                    sourceLocation: SourceLocation = #_sourceLocation) -> [String] {
    let resolver = ReferenceResolver(inventory: inventory, extractors: extractors)
    guard let refs = resolver.references(of: id) else {
        Issue.record("no resource \(id) in the inventory", sourceLocation: sourceLocation)
        return []
    }
    var out: [String] = []
    for rr in refs {
        if rr.targets.isEmpty {
            if !rr.reference.isOptional { out.append("\(rr.reference.relation) ✗ \(rr.reference.target.text)") }
        } else {
            for t in rr.targets { out.append("\(rr.reference.relation) → \(Selection.display(inventory.get(t)!))") }
        }
    }
    return out.sorted()
}

/// `k8s://aks1/apps/Deployment/default/api` from the short form `apps/Deployment/default/api`.
func k(_ path: String, cluster: String = "aks1") -> String { "k8s://\(cluster)/\(path)" }

/// Displays of the included resources, sorted.
func displays(_ s: Selection) -> [String] { s.resources.map(Selection.display).sorted() }

/// The repository root (the folder holding Package.swift), found walking up from this file.
func repositoryRoot() -> String? {
    var dir = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
    while dir.path != "/" {
        if FileManager.default.fileExists(atPath: dir.appendingPathComponent("Package.swift").path) { return dir.path }
        dir = dir.deletingLastPathComponent()
    }
    return nil
}

/// An ARM resource document: `path` is everything after `providers/`
/// (`Microsoft.Network/virtualNetworks/vnet1/subnets/nodes`); the type is derived from it.
func arm(_ path: String, properties: String = "{}", extra: String = "") -> String {
    let parts = path.split(separator: "/").map(String.init)
    var type = parts[0]
    for i in stride(from: 1, to: parts.count, by: 2) { type += "/" + parts[i] }
    return #"{"id": "\#(armID(path))", "name": "\#(parts.last!)", "type": "\#(type)", "properties": \#(properties)\#(extra)}"#
}

func armID(_ path: String) -> String { "\(TestEstate.sub)/providers/\(path)" }
