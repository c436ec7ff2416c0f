import Foundation

/// What `standby fleet render` writes: one file per cluster (and one per Argo schedule), each a
/// stream of Kubernetes objects, plus `README.txt` saying what was assumed.
public struct FleetRendering: Sendable {
    public enum Scheduler: String, Sendable, CaseIterable {
        case cronjobs, argo
    }

    /// File name → documents, in the order written.
    public var files: [(name: String, documents: [JSONValue])]
    /// What the rendering assumed or could not do, one line each (also in `README.txt`).
    public var notes: [String]

    /// Renders `fleet` for `scheduler`.
    public static func render(_ fleet: FleetSpec, as scheduler: Scheduler) -> FleetRendering {
        switch scheduler {
        case .cronjobs: return FleetCronJobs.render(fleet)
        case .argo: return FleetArgo.render(fleet)
        }
    }

    /// Every document of every file.
    public var documents: [JSONValue] { files.flatMap(\.documents) }

    /// Writes the files into `directory`, atomically: into a staging folder beside it that then
    /// takes its place (``FolderPublish``); a failure leaves `directory` as it was.
    /// - Returns: the file names written.
    @discardableResult
    public func write(to directory: String) throws -> [String] {
        let fm = FileManager.default
        let target = (directory as NSString).standardizingPath
        let parent = (target as NSString).deletingLastPathComponent.isEmpty ? "." : (target as NSString).deletingLastPathComponent
        let label = (target as NSString).lastPathComponent
        try fm.createDirectory(atPath: parent, withIntermediateDirectories: true)
        StagingArea.removeStale(in: parent, legacyLabel: label)
        let staging = (parent as NSString).appendingPathComponent(StagingArea.name(label: label))
        do {
            try fm.createDirectory(atPath: staging, withIntermediateDirectories: false)
            var written: [String] = []
            for (name, documents) in files {
                try Data(YAMLEmitter.emit(documents: documents).utf8).write(to: URL(fileURLWithPath: staging + "/" + name))
                written.append(name)
            }
            try Data(readme.utf8).write(to: URL(fileURLWithPath: staging + "/README.txt"))
            try FolderPublish.publish(staging, to: target)
            return written + ["README.txt"]
        } catch {
            try? fm.removeItem(atPath: staging)
            throw FleetError(directory, "cannot write the rendered objects: \(error)")
        }
    }

    var readme: String {
        var lines = ["Rendered by `standby fleet render`. Apply with `kubectl apply -f .` (Argo: in the namespace Argo watches).", ""]
        lines += files.map { "- \($0.name): " + $0.documents.compactMap { d in d["kind"]?.stringValue.map { k in "\(k) \(d["metadata"]?["name"]?.stringValue ?? "")" } }.joined(separator: ", ") }
        if !notes.isEmpty { lines += ["", "Notes:"] + notes.map { "- " + $0 } }
        return lines.joined(separator: "\n") + "\n"
    }

    /// What every rendering says about a cluster's settings.
    static func notes(_ cluster: FleetCluster) -> [String] {
        var notes: [String] = []
        if cluster.immutability == nil {
            notes.append("\(cluster.name): immutability is none: its points can be pruned or deleted by anyone who can write the store")
        } else if !cluster.store.hasPrefix("s3://") {
            notes.append("\(cluster.name): store \(cluster.store) is a folder, which cannot enforce immutability; the job reports it on every run")
        }
        let secrets = [cluster.keys] + [cluster.storeCredentials, cluster.cloudCredentials].compactMap { $0 }
        var kube: [String] = []
        if case .kubeconfig(let secret, _) = cluster.access { kube.append(secret) }
        notes.append("\(cluster.name): create the Secrets \((secrets + kube).joined(separator: ", ")) in the job's namespace (never written here)")
        return notes
    }
}
