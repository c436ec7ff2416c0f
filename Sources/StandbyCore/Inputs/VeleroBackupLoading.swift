import Foundation

/// Loading Velero backups (``VeleroBackup``): a `.tar.gz` read through libarchive
/// (``ArchiveReader``), or a folder a backup was extracted into. Both stay within
/// ``LoadOptions/archiveLimits``.
extension LoadSession {
    /// Loads the backup archive at `path`; `backup` is its name when known otherwise than by the file name.
    mutating func loadVeleroArchive(_ path: String, options: LoadOptions, backup: String? = nil) throws {
        let contents = try ArchiveReader.read(path: path, limits: options.archiveLimits)
        var files: [String: Data] = [:]
        for f in contents.files { files[f.path] = f.data }
        try loadVelero(label: path, backup: backup ?? VeleroBackup.name(fromPath: path), paths: contents.files.map(\.path),
                       options: options, skipped: contents.skipped,
                       source: { "\(path)!\($0)" }, read: { files[$0] ?? Data() })
    }

    /// Loads a backup's folder as Velero keeps it in object storage (`<bucket>/backups/<name>/`):
    /// `velero-backup.json` (the Backup resource) beside `<name>.tar.gz` and Velero's records
    /// (`<name>-logs.gz`, `<name>-resource-list.json.gz`, …). The tarball is read; the Backup
    /// resource names it; the records are not objects, and the note says they were left.
    mutating func loadVeleroStorageFolder(_ dir: String, names: [String], options: LoadOptions) throws {
        let base = dir.hasSuffix("/") ? String(dir.dropLast()) : dir
        let manifestPath = base + "/velero-backup.json"
        guard let data = FileManager.default.contents(atPath: manifestPath) else {
            throw InventoryLoadError.unreadable(path: manifestPath, reason: "the file cannot be opened")
        }
        let manifest = try JSONParser.parse(data, source: manifestPath)
        guard manifest["kind"]?.stringValue == "Backup", let name = manifest["metadata"]?["name"]?.stringValue, !name.isEmpty else {
            throw InventoryLoadError.unrecognizedShape(
                source: SourceRef(path: manifestPath, line: 1), detail: "a velero-backup.json that is not a Velero Backup with metadata.name")
        }
        let tarball = name + ".tar.gz"
        guard names.contains(tarball) else {
            throw InventoryLoadError.archiveRefused(
                archive: base, entry: "velero-backup.json",
                reason: "Velero's folder for backup \(name.debugDescription) holds no \(tarball), the backup's contents")
        }
        let records = names.filter { $0 != tarball && $0 != "velero-backup.json" }
        addNote("\(base): Velero's object-storage folder for backup \(name.debugDescription): \(tarball) read; "
                + "velero-backup.json (the Backup resource) names it"
                + (records.isEmpty ? "" : "; Velero's records beside it, not objects, not read: " + VeleroBackup.listing(records)))
        try loadVeleroArchive(base + "/" + tarball, options: options, backup: name)
    }

    /// Whether the folder `dir`, holding `names`, is an extracted Velero backup: a `resources/`
    /// folder and either `metadata/version` or a resource folder laid out as Velero lays them out.
    static func isVeleroFolder(_ dir: String, names: [String]) -> Bool {
        guard names.contains("resources") else { return false }
        let fm = FileManager.default
        var isDirectory: ObjCBool = false
        let resources = dir + "/resources"
        guard fm.fileExists(atPath: resources, isDirectory: &isDirectory), isDirectory.boolValue else { return false }
        if names.contains("metadata"), fm.fileExists(atPath: dir + "/metadata/version") { return true }
        for resource in (try? fm.contentsOfDirectory(atPath: resources)) ?? [] {
            let children = (try? fm.contentsOfDirectory(atPath: resources + "/" + resource)) ?? []
            if children.contains(where: { $0 == "namespaces" || $0 == "cluster" || $0.hasSuffix(VeleroBackup.preferredSuffix) }) {
                return true
            }
        }
        return false
    }

    /// Loads the extracted backup in the folder `dir`. Symbolic links that leave the folder are
    /// refused; the others are not followed, and said so.
    mutating func loadVeleroFolder(_ dir: String, options: LoadOptions) throws {
        let limits = options.archiveLimits
        let fm = FileManager.default
        let root = ((dir as NSString).standardizingPath as NSString).resolvingSymlinksInPath
        var paths: [String] = [], skipped: [String] = []
        var total = 0
        var pending = [""]
        while let relative = pending.popLast() {
            let full = relative.isEmpty ? dir : dir + "/" + relative
            let names: [String]
            do { names = try fm.contentsOfDirectory(atPath: full).sorted() } catch {
                throw InventoryLoadError.archiveRefused(archive: dir, entry: relative, reason: "the folder cannot be listed")
            }
            for name in names {
                let rel = relative.isEmpty ? name : relative + "/" + name
                let path = dir + "/" + rel
                guard paths.count + skipped.count < limits.maximumEntries else {
                    throw InventoryLoadError.archiveRefused(
                        archive: dir, entry: rel, reason: "more than \(limits.maximumEntries) entries (ArchiveLimits.maximumEntries)")
                }
                let attributes = (try? fm.attributesOfItem(atPath: path)) ?? [:]
                switch attributes[.type] as? FileAttributeType {
                case .typeSymbolicLink?:
                    let target = (try? fm.destinationOfSymbolicLink(atPath: path)) ?? ""
                    let resolved = (path as NSString).resolvingSymlinksInPath
                    guard resolved == root || resolved.hasPrefix(root + "/") else {
                        throw InventoryLoadError.archiveRefused(
                            archive: dir, entry: rel, reason: "a symbolic link out of the backup's folder (to \(target)) is refused")
                    }
                    skipped.append("\(rel): a symbolic link (to \(target)), not read")
                case .typeDirectory?:
                    pending.append(rel)
                case .typeRegular?:
                    let size = (attributes[.size] as? NSNumber)?.intValue ?? 0
                    guard size <= limits.maximumEntryBytes else {
                        throw InventoryLoadError.archiveRefused(
                            archive: dir, entry: rel, reason: "\(size) bytes, more than \(limits.maximumEntryBytes) (ArchiveLimits.maximumEntryBytes)")
                    }
                    total += size
                    guard total <= limits.maximumTotalBytes else {
                        throw InventoryLoadError.archiveRefused(
                            archive: dir, entry: rel, reason: "the backup holds more than \(limits.maximumTotalBytes) bytes (ArchiveLimits.maximumTotalBytes)")
                    }
                    paths.append(rel)
                default:
                    skipped.append("\(rel): not a regular file, not read")
                }
            }
        }
        let base = dir.hasSuffix("/") ? String(dir.dropLast()) : dir
        try loadVelero(label: base, backup: VeleroBackup.name(fromPath: base), paths: paths, options: options, skipped: skipped,
                       source: { base + "/" + $0 },
                       read: { rel in
                           guard let data = fm.contents(atPath: base + "/" + rel) else {
                               throw InventoryLoadError.unreadable(path: base + "/" + rel, reason: "the file cannot be opened")
                           }
                           return data
                       })
    }

    /// Reads the objects of a backup holding `paths`, one copy per object, and notes what was read.
    private mutating func loadVelero(label: String, backup: String, paths: [String], options: LoadOptions, skipped: [String],
                                     source: (String) -> String, read: (String) throws -> Data) throws {
        guard let layout = VeleroBackup.layout(paths: paths) else {
            throw InventoryLoadError.archiveRefused(
                archive: label, entry: nil,
                reason: "not a Velero backup: no resources/ folder (Velero writes resources/<resource>.<group>/namespaces/<namespace>/<name>.json "
                    + "and resources/<resource>.<group>/cluster/<name>.json)")
        }
        var formatVersion: String?
        let versionFile = layout.root + "metadata/version"
        if paths.contains(versionFile) {
            let text = String(decoding: try read(versionFile), as: UTF8.self).trimmingCharacters(in: .whitespacesAndNewlines)
            if !text.isEmpty, text.count <= 32, text.allSatisfy({ $0.isNumber || $0 == "." }) { formatVersion = text }
        }
        var o = options
        let cluster = options.cluster ?? backup
        o.cluster = cluster
        if options.cluster == nil { addCluster(Cluster(name: cluster)) }
        for note in VeleroBackup.summary(layout, label: label, backup: backup, formatVersion: formatVersion,
                                         cluster: cluster, clusterGiven: options.cluster != nil) {
            addNote(note)
        }
        if !skipped.isEmpty { addNote("\(label): \(VeleroBackup.count(skipped.count, "entry", "entries")) not read: " + VeleroBackup.listing(skipped)) }
        for item in layout.items {
            let name = source(item.path)
            let value = try JSONParser.parse(try read(item.path), source: name)
            let src = SourceRef(path: name, line: 1)
            guard case .object(var object) = value, KubernetesDocuments.isObject(object), !KubernetesDocuments.isList(object) else {
                throw InventoryLoadError.unrecognizedShape(
                    source: src, detail: "a file of a Velero backup that is not one Kubernetes object (apiVersion, kind, metadata)")
            }
            if let ns = item.namespace {
                var metadata = object["metadata"]?.objectValue ?? JSONObject()
                if let written = metadata["namespace"]?.stringValue, written != ns {
                    throw InventoryLoadError.archiveRefused(
                        archive: label, entry: item.path,
                        reason: "metadata.namespace is \(written.debugDescription) but the backup files it under namespaces/\(ns)/")
                }
                if metadata["namespace"] == nil {
                    metadata["namespace"] = .string(ns)
                    object["metadata"] = .object(metadata)
                }
            }
            try dispatch(.object(object), source: src, options: o)
        }
    }
}
