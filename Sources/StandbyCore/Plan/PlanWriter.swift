import Foundation
#if canImport(Glibc)
import Glibc
#endif

/// A plan folder that could not be written. The folder that was there before is left as it was.
public struct PlanWriteError: Error, Sendable, CustomStringConvertible {
    public var path: String
    public var message: String

    public var description: String { "cannot write the plan to \(path): \(message)" }
}

extension RecoveryPlan {
    /// Writes every file of the plan (``files``) into `directory`, atomically: the files go to a
    /// new sibling folder first (a ``StagingArea`` name), which then takes the place of
    /// `directory` in one step (``FolderPublish``: `renameat2(RENAME_EXCHANGE)` on Linux, the old
    /// plan removed afterwards). A failure removes the new folder and leaves `directory` as it
    /// was. Staging folders that killed runs left beside `directory` are removed first.
    ///
    /// `manifestFiles: false` leaves out the one file per Kubernetes object: the folder gets
    /// `all.yaml` per cluster (the same manifests, in the same order) and the other files, which
    /// are byte for byte what the default writes. Creating 100,000 small files is most of the
    /// cost of writing a large plan; `all.yaml` is what `kubectl apply -f` needs.
    /// - Returns: the relative paths written.
    @discardableResult
    public func write(to directory: String, manifestFiles: Bool = true) throws -> [String] {
        let fm = FileManager.default
        let target = (directory as NSString).standardizingPath
        let parent = (target as NSString).deletingLastPathComponent
        let name = (target as NSString).lastPathComponent
        guard !name.isEmpty, name != "/", name != "." else {
            throw PlanWriteError(path: directory, message: "name a folder for the plan")
        }
        do {
            try fm.createDirectory(atPath: parent.isEmpty ? "." : parent, withIntermediateDirectories: true)
        } catch {
            throw PlanWriteError(path: directory, message: "cannot create \(parent): \(error.localizedDescription)")
        }
        StagingArea.removeStale(in: parent.isEmpty ? "." : parent, legacyLabel: name)
        let staging = (parent as NSString).appendingPathComponent(StagingArea.name(label: name))
        let sink = DirectoryPlanSink(root: staging)
        do {
            try fm.createDirectory(atPath: staging, withIntermediateDirectories: false)
            try emit(to: sink, manifestFiles: manifestFiles)
            try sink.close()
            var isDirectory: ObjCBool = false
            if fm.fileExists(atPath: target, isDirectory: &isDirectory), !isDirectory.boolValue {
                throw PlanWriteError(path: directory, message: "it is a file, not a folder")
            }
            try FolderPublish.publish(staging, to: target)
        } catch let e as PlanWriteError {
            try? fm.removeItem(atPath: staging)
            throw e
        } catch let e as FolderPublishError {
            try? fm.removeItem(atPath: staging)
            throw PlanWriteError(path: directory, message: e.message)
        } catch {
            try? fm.removeItem(atPath: staging)
            throw PlanWriteError(path: directory, message: error.localizedDescription)
        }
        return sink.written
    }
}

/// Writes a plan's files under a folder as they are produced; `all.yaml` stays open while the
/// manifests are appended to it, through a buffer, so appending costs no system call per manifest.
final class DirectoryPlanSink: PlanSink {
    let root: String
    private(set) var written: [String] = []
    private var open: [String: AppendedFile] = [:]
    private var made: Set<String> = []

    /// A file kept open for appending, with the bytes not written yet.
    private final class AppendedFile {
        let fd: Int32
        var pending: [UInt8] = []
        init(fd: Int32) { self.fd = fd; pending.reserveCapacity(Self.flushAt) }
        static let flushAt = 1 << 20
    }

    init(root: String) { self.root = root }

    func write(_ path: String, _ contents: String) throws {
        var text = contents
        try text.withUTF8 { try write(path, bytes: $0) }
    }

    /// Creates (or replaces) the file at `path` with `bytes`.
    func write(_ path: String, bytes: UnsafeBufferPointer<UInt8>) throws {
        let full = try prepare(path)
        if let h = open.removeValue(forKey: path) { try close(h, path) }
        // Plain open/write/close: the folder becomes visible only by the final rename, so each
        // file needs no fsync of its own (FileManager.createFile syncs every one).
        let fd = Glibc.open(full, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0o644)
        guard fd >= 0 else { throw PlanWriteError(path: root, message: "cannot create \(path): \(String(cString: strerror(errno)))") }
        defer { Glibc.close(fd) }
        try writeAll(fd, bytes, path)
        written.append(path)
    }

    /// Streams the JSON to the file a megabyte at a time: the text is never held whole.
    func writeJSON(_ path: String, _ value: JSONValue) throws {
        try write(path, bytes: UnsafeBufferPointer(start: nil, count: 0))
        let h = try appended(path)
        try JSONSerializer.write(value, pretty: true) { try writeAll(h.fd, $0, path) }
        h.pending.append(0x0A)
        try close(h, path)
        open[path] = nil
    }

    /// Writes `value` as pretty JSON and a newline to `path` under `root`, streamed a megabyte at
    /// a time, without touching any sink's state: safe on another thread, for a file at the top of
    /// the folder that nothing else writes. ``recordWritten(_:)`` lists it afterwards.
    static func writeJSON(_ value: StreamedJSON, root: String, path: String) throws {
        let fd = Glibc.open(root + "/" + path, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0o644)
        guard fd >= 0 else { throw PlanWriteError(path: root, message: "cannot create \(path): \(String(cString: strerror(errno)))") }
        defer { Glibc.close(fd) }
        let sink = DirectoryPlanSink(root: root)
        try JSONSerializer.write(value, pretty: true) { try sink.writeAll(fd, $0, path) }
        var newline: UInt8 = 0x0A
        try withUnsafePointer(to: &newline) { try sink.writeAll(fd, UnsafeBufferPointer(start: $0, count: 1), path) }
    }

    /// Lists `path`, written by ``writeJSON(_:root:path:)``, as written now.
    func recordWritten(_ path: String) { written.append(path) }

    func append(_ path: String, _ contents: String) throws {
        let h = try appended(path)
        h.pending.append(contentsOf: contents.utf8)
        if h.pending.count >= AppendedFile.flushAt { try flush(h, path) }
    }

    func write(_ path: String, bytes: [UInt8]) throws {
        try bytes.withUnsafeBufferPointer { try write(path, bytes: $0) }
    }

    func append(_ path: String, bytes: [UInt8]) throws {
        let h = try appended(path)
        h.pending.append(contentsOf: bytes)
        if h.pending.count >= AppendedFile.flushAt { try flush(h, path) }
    }

    /// The open file `path` is appended to, opened (and created) when first needed.
    private func appended(_ path: String) throws -> AppendedFile {
        let h: AppendedFile
        if let known = open[path] {
            h = known
        } else {
            let full = try prepare(path)
            let existed = access(full, F_OK) == 0
            let fd = Glibc.open(full, O_WRONLY | O_CREAT | O_APPEND | O_CLOEXEC, 0o644)
            guard fd >= 0 else { throw PlanWriteError(path: root, message: "cannot open \(path): \(String(cString: strerror(errno)))") }
            if !existed { written.append(path) }
            h = AppendedFile(fd: fd)
            open[path] = h
        }
        return h
    }

    func close() throws {
        let files = open
        open = [:]
        for (path, h) in files.sorted(by: { $0.key < $1.key }) { try close(h, path) }
    }

    private func flush(_ h: AppendedFile, _ path: String) throws {
        try h.pending.withUnsafeBufferPointer { try writeAll(h.fd, $0, path) }
        h.pending.removeAll(keepingCapacity: true)
    }

    private func close(_ h: AppendedFile, _ path: String) throws {
        defer { Glibc.close(h.fd) }
        try flush(h, path)
    }

    private func writeAll(_ fd: Int32, _ buffer: UnsafeBufferPointer<UInt8>, _ path: String) throws {
        var offset = 0
        while offset < buffer.count {
            guard let base = buffer.baseAddress else { return }
            let n = Glibc.write(fd, base + offset, buffer.count - offset)
            if n < 0 {
                if errno == EINTR { continue }
                throw PlanWriteError(path: root, message: "cannot write \(path): \(String(cString: strerror(errno)))")
            }
            offset += n
        }
    }

    /// The full path of `path`, its folder made when first seen.
    private func prepare(_ path: String) throws -> String {
        let full = root + "/" + path
        guard let slash = full.utf8.lastIndex(of: UInt8(ascii: "/")) else { return full }
        let dir = String(full[..<slash])
        if !made.contains(dir) {
            try FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true)
            made.insert(dir)
        }
        return full
    }
}
