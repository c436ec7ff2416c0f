import Foundation
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// A ``PointStore`` over a local folder: key `a/b/c.json` is the file `<path>/a/b/c.json`.
///
/// - `put` writes a temporary file beside the target (a ``StagingArea`` name, `.standby-tmp-*`,
///   never listed), flushes it to disk and renames it over the target, so a reader sees the old
///   bytes or the new ones. Folders are created as needed. Files are written 0600 and folders
///   0700: a recovery point is for its owner only.
/// - The first `put` of a process removes the temporary files killed runs left anywhere in the
///   store (``StagingArea/removeStale(in:recursive:legacyLabel:)``).
/// - `delete` removes the file and then every parent folder it leaves empty (up to the root).
/// - Keys are relative, `/`-separated paths; an absolute key, an empty segment, `.` or `..` (a
///   key that could leave the root) is refused with ``StoreError/failed(_:)``.
/// - **It cannot enforce immutability.** Anyone who can write the folder can delete a point; the
///   `IMMUTABLE` marker is honoured by Standby's catalog only. A capture or `points immutable`
///   with an Object Lock policy on a folder says so (``StoreLocking``); points that must outlive
///   a hostile operator belong in an S3 bucket with Object Lock (``S3Store``).
public struct FolderStore: PointStore {
    /// The folder, as an absolute, standardised path.
    public let path: String

    /// A store at `path` (relative paths are resolved against the current directory). The folder
    /// need not exist yet: the first `put` creates it.
    public init(path: String) {
        var p = path
        if !p.hasPrefix("/") { p = FileManager.default.currentDirectoryPath + "/" + p }
        p = URL(fileURLWithPath: p).standardizedFileURL.path
        while p.count > 1 && p.hasSuffix("/") { p.removeLast() }
        self.path = p
    }

    public var url: String { "file://" + path }

    static let tempPrefix = StagingArea.prefix

    /// The stores whose stale temporary files this process has removed already.
    nonisolated(unsafe) private static var swept: Set<String> = []
    private static let sweepLock = NSLock()

    /// Removes the stale temporary files under the store, once per process.
    private func sweepOnce() {
        Self.sweepLock.lock()
        let first = Self.swept.insert(path).inserted
        Self.sweepLock.unlock()
        if first { StagingArea.removeStale(in: path, recursive: true) }
    }

    /// The segments of `key`, checked.
    static func segments(of key: String, allowEmpty: Bool = false) throws -> [Substring] {
        if key.isEmpty {
            if allowEmpty { return [] }
            throw StoreError.failed("empty key")
        }
        if key.hasPrefix("/") { throw StoreError.failed("\(key): a key must be a relative path") }
        if key.utf8.contains(0) { throw StoreError.failed("key contains a NUL byte") }
        var parts = key.split(separator: "/", omittingEmptySubsequences: false)
        if allowEmpty, parts.last == "" { parts.removeLast() }   // `point/` as a list prefix
        for p in parts where p.isEmpty || p == "." || p == ".." {
            throw StoreError.failed("\(key): a key must not contain empty, '.' or '..' segments")
        }
        return parts
    }

    private func file(_ key: String) throws -> String {
        let parts = try Self.segments(of: key)
        if parts.last?.hasPrefix(Self.tempPrefix) == true {
            throw StoreError.failed("\(key): names starting with \(Self.tempPrefix) are reserved")
        }
        return path + "/" + parts.joined(separator: "/")
    }

    public func put(_ key: String, _ data: [UInt8]) throws {
        let target = try file(key)
        let folder = (target as NSString).deletingLastPathComponent
        sweepOnce()
        do {
            try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true,
                                                    attributes: [.posixPermissions: 0o700])
        } catch {
            throw StoreError.failed("\(url): cannot create the folder for \(key): \(Self.reason(error))")
        }
        let temp = folder + "/" + StagingArea.name()
        let fd = open(temp, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0o600)
        guard fd >= 0 else { throw StoreError.failed("\(url): cannot write \(key): \(Self.errnoText())") }
        var ok = true
        var failure = ""
        data.withUnsafeBytes { buf in
            var off = 0
            while off < buf.count {
                let n = write(fd, buf.baseAddress! + off, buf.count - off)
                if n < 0 {
                    if errno == EINTR { continue }
                    ok = false; failure = Self.errnoText(); return
                }
                off += n
            }
        }
        if ok && fsync(fd) != 0 { ok = false; failure = Self.errnoText() }
        if close(fd) != 0 && ok { ok = false; failure = Self.errnoText() }
        if ok && rename(temp, target) != 0 { ok = false; failure = Self.errnoText() }
        if !ok {
            unlink(temp)
            throw StoreError.failed("\(url): cannot write \(key): \(failure)")
        }
    }

    public func get(_ key: String) throws -> [UInt8] {
        let f = try file(key)
        var isDir: ObjCBool = false
        guard FileManager.default.fileExists(atPath: f, isDirectory: &isDir), !isDir.boolValue else {
            throw StoreError.notFound(key)
        }
        guard let data = FileManager.default.contents(atPath: f) else {
            throw StoreError.failed("\(url): cannot read \(key)")
        }
        return [UInt8](data)
    }

    public func list(prefix: String) throws -> [String] {
        let parts = try Self.segments(of: prefix, allowEmpty: true)
        // Start at the deepest folder the prefix names in full.
        let folderParts = prefix.hasSuffix("/") || prefix.isEmpty ? parts : parts.dropLast()
        let base = folderParts.joined(separator: "/")
        let start = base.isEmpty ? path : path + "/" + base
        var isDir: ObjCBool = false
        guard FileManager.default.fileExists(atPath: start, isDirectory: &isDir), isDir.boolValue else { return [] }
        var keys: [String] = []
        guard let walker = FileManager.default.enumerator(atPath: start) else {
            throw StoreError.failed("\(url): cannot list \(prefix)")
        }
        while let rel = walker.nextObject() as? String {
            let name = (rel as NSString).lastPathComponent
            if name.hasPrefix(Self.tempPrefix) { continue }
            var d: ObjCBool = false
            guard FileManager.default.fileExists(atPath: start + "/" + rel, isDirectory: &d), !d.boolValue else { continue }
            let key = base.isEmpty ? rel : base + "/" + rel
            if key.hasPrefix(prefix) { keys.append(key) }
        }
        return keys.sorted { $0.utf8.lexicographicallyPrecedes($1.utf8) }
    }

    public func delete(_ key: String) throws {
        let f = try file(key)
        if unlink(f) != 0 {
            if errno == ENOENT { return }
            throw StoreError.failed("\(url): cannot delete \(key): \(Self.errnoText())")
        }
        // Remove the folders the key leaves empty (rmdir refuses folders that are not).
        var folder = (f as NSString).deletingLastPathComponent
        while folder.count > path.count, folder.hasPrefix(path + "/"), rmdir(folder) == 0 {
            folder = (folder as NSString).deletingLastPathComponent
        }
    }

    static func errnoText() -> String { String(cString: strerror(errno)) }

    static func reason(_ error: Error) -> String {
        (error as NSError).localizedDescription
    }
}
