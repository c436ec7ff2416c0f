/// Velero's backup layout: which files of a backup (a `.tar.gz` or an extracted folder) hold the
/// Kubernetes objects, and which one copy of each object to read.
///
/// The layout, from Velero's documentation ("Output file format", `site/content/docs/main/output-file-format.md`
/// in vmware-tanzu/velero) and its restore-side parser (`pkg/archive/parser.go`, with the folder
/// names in `pkg/apis/velero/v1/constants.go`: `resources`, `metadata`, `cluster`, `namespaces`,
/// the `-preferredversion` suffix):
///
/// ```
/// metadata/version                                              the backup format version ("1.1.0")
/// resources/<resource>[.<group>]/cluster/<name>.json            cluster-scoped object
/// resources/<resource>[.<group>]/namespaces/<ns>/<name>.json    namespaced object
/// resources/<resource>[.<group>]/<version>-preferredversion/{cluster,namespaces/<ns>}/<name>.json
/// resources/<resource>[.<group>]/<version>/{cluster,namespaces/<ns>}/<name>.json
/// ```
///
/// Format 1.1 writes every object twice: in the version folder of the API group's preferred
/// version (`v1-preferredversion/`) and, for older Velero restores, in the version-less folders;
/// with the `EnableAPIGroupVersions` feature flag, also once per other served version. One copy is
/// read per object: the preferred version's, else the version-less one; copies in other versions
/// are counted and left (an object only found in a non-preferred version is named in the notes).
/// Files outside `resources/` are Velero's own (`metadata/version`, item-operation and volume
/// records of newer releases): they are not objects, and the notes say which were left.
public enum VeleroBackup {
    /// One object file of the backup.
    public struct Item: Sendable, Hashable {
        /// Path of the file, relative to the backup's root (including any leading folder).
        public var path: String
        /// The `<resource>[.<group>]` folder: `deployments.apps`, `configmaps`.
        public var resource: String
        /// The version folder (`v1-preferredversion`, `v2beta2`), nil for the version-less layout.
        public var version: String?
        /// The namespace folder; nil for a cluster-scoped object.
        public var namespace: String?
        public var name: String

        var rank: Int {
            guard let version else { return 1 }
            return version.hasSuffix(preferredSuffix) ? 0 : 2
        }
    }

    /// Which files to read, and what the rest were.
    public struct Layout: Sendable {
        /// The folder the backup starts in, inside the archive or folder (`""`, or `backup1234/`
        /// when a backup was re-packed with its folder).
        public var root: String
        /// One file per object, sorted by path.
        public var items: [Item] = []
        /// Other copies of the same objects, not read: in the version-less folders, in other versions.
        public var duplicateCopies = 0
        public var otherVersionCopies = 0
        /// Objects found only in a non-preferred version folder (not read).
        public var onlyInOtherVersions: [String] = []
        /// Velero's own files (outside `resources/`).
        public var veleroFiles: [String] = []
        /// Files under `resources/` that are not where Velero puts objects (not read).
        public var unexpected: [String] = []
    }

    static let preferredSuffix = "-preferredversion"

    /// The layout of a backup holding the files `paths` (relative, `/`-separated), or nil when no
    /// `resources/` folder is there (not a Velero backup).
    public static func layout(paths: [String]) -> Layout? {
        var root = ""
        if !paths.contains(where: { $0.hasPrefix("resources/") }) {
            // Re-packed with the backup's folder: every path under one folder holding resources/.
            guard let first = paths.first?.split(separator: "/").first.map(String.init),
                  paths.allSatisfy({ $0.hasPrefix(first + "/") }),
                  paths.contains(where: { $0.hasPrefix(first + "/resources/") }) else { return nil }
            root = first + "/"
        }
        var layout = Layout(root: root)
        var best: [Key: Item] = [:]
        var copies: [Key: [Item]] = [:]
        for path in paths.sorted() {
            let relative = String(path.dropFirst(root.count))
            guard relative.hasPrefix("resources/") else {
                layout.veleroFiles.append(relative)
                continue
            }
            guard let item = item(relative, path: path) else {
                layout.unexpected.append(relative)
                continue
            }
            let key = Key(resource: item.resource, namespace: item.namespace, name: item.name)
            copies[key, default: []].append(item)
            if let current = best[key], current.rank <= item.rank { continue }
            best[key] = item
        }
        for (key, item) in best {
            let all = copies[key] ?? []
            if item.rank == 2 {
                layout.onlyInOtherVersions.append(item.path)
                layout.otherVersionCopies += all.count
                continue
            }
            layout.items.append(item)
            for copy in all where copy != item {
                if copy.rank == 2 { layout.otherVersionCopies += 1 } else { layout.duplicateCopies += 1 }
            }
        }
        layout.items.sort { $0.path < $1.path }
        layout.onlyInOtherVersions.sort()
        return layout
    }

    private struct Key: Hashable {
        var resource: String
        var namespace: String?
        var name: String
    }

    /// The object file at `relative` (which starts with `resources/`), or nil when Velero puts no
    /// object there.
    static func item(_ relative: String, path: String) -> Item? {
        let c = relative.split(separator: "/", omittingEmptySubsequences: false).map(String.init)
        guard c.count >= 4, let file = c.last, file.hasSuffix(".json"), file.count > 5 else { return nil }
        let name = String(file.dropLast(5))
        let resource = c[1]
        guard !resource.isEmpty else { return nil }
        switch c.count {
        case 4 where c[2] == "cluster":
            return Item(path: path, resource: resource, version: nil, namespace: nil, name: name)
        case 5 where c[2] == "namespaces" && !c[3].isEmpty:
            return Item(path: path, resource: resource, version: nil, namespace: c[3], name: name)
        case 5 where c[3] == "cluster" && !c[2].isEmpty:
            return Item(path: path, resource: resource, version: c[2], namespace: nil, name: name)
        case 6 where c[3] == "namespaces" && !c[2].isEmpty && !c[4].isEmpty:
            return Item(path: path, resource: resource, version: c[2], namespace: c[4], name: name)
        default:
            return nil
        }
    }

    /// The inventory note saying what was read from the backup `label`.
    static func summary(_ layout: Layout, label: String, backup: String, formatVersion: String?, cluster: String,
                        clusterGiven: Bool) -> [String] {
        let namespaced = layout.items.filter { $0.namespace != nil }
        let namespaces = Set(namespaced.compactMap(\.namespace))
        let resources = Set(layout.items.map(\.resource))
        var text = "\(label): Velero backup \"\(backup)\""
        if let formatVersion { text += " (format \(formatVersion))" }
        text += ": read \(count(layout.items.count, "object")) of \(count(resources.count, "resource")) — \(namespaced.count) in "
            + "\(count(namespaces.count, "namespace")), \(layout.items.count - namespaced.count) cluster-scoped — one copy each "
            + "(the preferred API version's)"
        var left: [String] = []
        if layout.duplicateCopies > 0 {
            left.append("\(count(layout.duplicateCopies, "duplicate copy", "duplicate copies")) in the version-less folders Velero keeps for older restores")
        }
        if layout.otherVersionCopies > 0 { left.append("\(count(layout.otherVersionCopies, "copy", "copies")) in non-preferred API versions") }
        if !left.isEmpty { text += "; not read: " + left.joined(separator: ", ") }
        if !layout.veleroFiles.isEmpty {
            text += "; Velero's own files, not objects: " + listing(layout.veleroFiles)
        }
        text += clusterGiven ? "; objects filed under cluster \(cluster)"
            : "; no cluster was given, so the objects are filed under cluster \"\(cluster)\" (the backup's name)"
        var notes = [text]
        if !layout.unexpected.isEmpty {
            notes.append("\(label): \(count(layout.unexpected.count, "file")) under resources/ not where Velero puts objects, not read: "
                         + listing(layout.unexpected))
        }
        if !layout.onlyInOtherVersions.isEmpty {
            notes.append("\(label): \(count(layout.onlyInOtherVersions.count, "object")) only in a non-preferred API version folder, not read: "
                         + listing(layout.onlyInOtherVersions))
        }
        return notes
    }

    /// `1 object`, `2 objects`.
    static func count(_ n: Int, _ one: String, _ many: String? = nil) -> String {
        "\(n) " + (n == 1 ? one : many ?? one + "s")
    }

    /// Up to eight names, then how many more.
    static func listing(_ names: [String]) -> String {
        let shown = names.prefix(8).joined(separator: ", ")
        return names.count > 8 ? shown + ", and \(names.count - 8) more" : shown
    }

    /// The backup's name for a file or folder name: `nightly-20261201.tar.gz` → `nightly-20261201`.
    static func name(fromPath path: String) -> String {
        var name = path.split(separator: "/").last.map(String.init) ?? path
        if let ext = ArchiveReader.extensions.first(where: { name.lowercased().hasSuffix($0) }) {
            name = String(name.dropLast(ext.count))
        }
        return name
    }
}
