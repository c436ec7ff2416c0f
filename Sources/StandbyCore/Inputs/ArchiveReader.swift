import CArchive
import Foundation

/// Reads the files of a tar archive (plain, or gzip, bzip2, xz or zstd compressed) through libarchive,
/// into memory, within ``ArchiveLimits``. Nothing is extracted to disk.
///
/// Entry paths are normalised (`./` and empty components dropped) and refused when absolute or
/// when a `..` component would leave the archive's tree; symbolic and hard links whose target
/// leaves the tree are refused too. Links that stay inside, folders, and special files are not
/// read: ``ArchiveReader/Contents/skipped`` lists them so the caller can say so.
public enum ArchiveReader {
    /// A regular file of the archive.
    public struct Entry: Sendable, Hashable {
        /// Normalised path inside the archive (`resources/pods/namespaces/web/api.json`).
        public var path: String
        public var data: Data
    }

    /// What an archive holds.
    public struct Contents: Sendable {
        public var files: [Entry] = []
        /// Entries not read, with why (`resources/x.json: a symbolic link (to y.json)`).
        public var skipped: [String] = []
    }

    /// The file name endings read as archives when a file is named explicitly.
    public static let extensions = [".tar.gz", ".tgz", ".tar", ".tar.bz2", ".tar.xz", ".tar.zst"]

    /// Whether `path` is an archive: by name, or by its first bytes (gzip magic, or a ustar header).
    public static func isArchive(path: String) -> Bool {
        let lower = path.lowercased()
        if extensions.contains(where: { lower.hasSuffix($0) }) { return true }
        guard let handle = FileHandle(forReadingAtPath: path) else { return false }
        defer { try? handle.close() }
        let head = (try? handle.read(upToCount: 262)) ?? Data()
        if head.count >= 2, head[head.startIndex] == 0x1F, head[head.startIndex + 1] == 0x8B { return true }
        if head.count >= 262, head[(head.startIndex + 257)..<(head.startIndex + 262)] == Data("ustar".utf8) { return true }
        return false
    }

    /// Reads every regular file of the archive at `path`.
    /// - Throws: ``InventoryLoadError/archiveRefused(archive:entry:reason:)``.
    public static func read(path: String, limits: ArchiveLimits) throws -> Contents {
        guard let archive = archive_read_new() else {
            throw InventoryLoadError.archiveRefused(archive: path, entry: nil, reason: "libarchive could not allocate a reader")
        }
        defer { archive_read_free(archive) }
        // Only the compressions named here, not `filter_all`: some of its filters run external
        // programs (lrzip, lzop, grzip), which an archive must not be able to start.
        archive_read_support_filter_gzip(archive)
        archive_read_support_filter_bzip2(archive)
        archive_read_support_filter_xz(archive)
        archive_read_support_filter_zstd(archive)
        archive_read_support_format_tar(archive)
        archive_read_support_format_gnutar(archive)
        func failure(_ what: String, entry: String? = nil) -> InventoryLoadError {
            let detail = archive_error_string(archive).map { String(cString: $0) } ?? "unknown error"
            return .archiveRefused(archive: path, entry: entry, reason: "\(what): \(detail)")
        }
        guard archive_read_open_filename(archive, path, 64 * 1024) == CArchive_ok() else {
            throw failure("cannot be opened as a tar archive")
        }
        var contents = Contents()
        var entries = 0, total = 0
        var header: OpaquePointer?
        var buffer = [UInt8](repeating: 0, count: 64 * 1024)
        while true {
            let status = archive_read_next_header(archive, &header)
            if status == CArchive_eof() { break }
            guard status == CArchive_ok() || status == CArchive_warn(), let entry = header else {
                throw failure("unreadable after \(entries) entries")
            }
            entries += 1
            let raw = archive_entry_pathname_utf8(entry).map { String(cString: $0) }
                ?? archive_entry_pathname(entry).map { String(cString: $0) } ?? ""
            guard entries <= limits.maximumEntries else {
                throw InventoryLoadError.archiveRefused(
                    archive: path, entry: raw, reason: "more than \(limits.maximumEntries) entries (ArchiveLimits.maximumEntries)")
            }
            let name = try normalise(raw, archive: path)
            if let target = archive_entry_hardlink(entry).map({ String(cString: $0) }) {
                _ = try normalise(target, archive: path, entry: raw, what: "hard link target")
                contents.skipped.append("\(name): a hard link (to \(target)), not read")
                continue
            }
            if CArchive_entry_is_symlink(entry) != 0 {
                let target = archive_entry_symlink(entry).map { String(cString: $0) } ?? ""
                try checkLink(target, at: name, archive: path, entry: raw)
                contents.skipped.append("\(name): a symbolic link (to \(target)), not read")
                continue
            }
            if CArchive_entry_is_directory(entry) != 0 || name.isEmpty { continue }
            guard CArchive_entry_is_regular(entry) != 0 else {
                contents.skipped.append("\(name): not a regular file, not read")
                continue
            }
            if archive_entry_size_is_set(entry) != 0, archive_entry_size(entry) > Int64(limits.maximumEntryBytes) {
                throw InventoryLoadError.archiveRefused(
                    archive: path, entry: raw,
                    reason: "\(archive_entry_size(entry)) bytes, more than \(limits.maximumEntryBytes) (ArchiveLimits.maximumEntryBytes)")
            }
            var data = Data()
            while true {
                let n = buffer.withUnsafeMutableBytes { archive_read_data(archive, $0.baseAddress, $0.count) }
                if n == 0 { break }
                guard n > 0 else { throw failure("cannot be read", entry: raw) }
                data.append(contentsOf: buffer[0..<n])
                total += n
                guard data.count <= limits.maximumEntryBytes else {
                    throw InventoryLoadError.archiveRefused(
                        archive: path, entry: raw,
                        reason: "decompresses to more than \(limits.maximumEntryBytes) bytes (ArchiveLimits.maximumEntryBytes)")
                }
                guard total <= limits.maximumTotalBytes else {
                    throw InventoryLoadError.archiveRefused(
                        archive: path, entry: raw,
                        reason: "the archive decompresses to more than \(limits.maximumTotalBytes) bytes (ArchiveLimits.maximumTotalBytes)")
                }
            }
            contents.files.append(Entry(path: name, data: data))
        }
        return contents
    }

    /// `raw` without `./` and empty components; refused when absolute or escaping with `..`.
    static func normalise(_ raw: String, archive: String, entry: String? = nil, what: String = "path") throws -> String {
        if raw.hasPrefix("/") {
            throw InventoryLoadError.archiveRefused(archive: archive, entry: entry ?? raw, reason: "an absolute \(what) (\(raw)) is refused")
        }
        var parts: [Substring] = []
        for part in raw.split(separator: "/", omittingEmptySubsequences: true) where part != "." {
            if part == ".." {
                throw InventoryLoadError.archiveRefused(
                    archive: archive, entry: entry ?? raw, reason: "a \(what) with '..' (\(raw)) is refused: it could leave the archive's tree")
            }
            parts.append(part)
        }
        return parts.joined(separator: "/")
    }

    /// Refuses a symbolic link at `name` whose `target` resolves outside the archive's tree.
    static func checkLink(_ target: String, at name: String, archive: String, entry: String) throws {
        let refused = InventoryLoadError.archiveRefused(
            archive: archive, entry: entry, reason: "a symbolic link out of the archive's tree (to \(target)) is refused")
        if target.hasPrefix("/") { throw refused }
        var depth = name.split(separator: "/").count - 1      // the folder the link sits in
        for part in target.split(separator: "/", omittingEmptySubsequences: true) where part != "." {
            depth += part == ".." ? -1 : 1
            if depth < 0 { throw refused }
        }
    }
}
