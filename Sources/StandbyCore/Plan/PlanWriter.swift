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
    /// new sibling folder first, which then replaces `directory` in one rename (a previous plan there
    /// is moved aside and removed only afterwards). A failure removes the new folder and leaves
    /// `directory` as it was.
    /// - Returns: the relative paths written.
    @discardableResult
    public func write(to directory: String) throws -> [String] {
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
        let stamp = "\(getpid())-\(UInt64(Date().timeIntervalSince1970 * 1000))"
        let staging = (parent as NSString).appendingPathComponent(".\(name).writing-\(stamp)")
        let aside = (parent as NSString).appendingPathComponent(".\(name).previous-\(stamp)")
        let sink = DirectoryPlanSink(root: staging)
        do {
            try fm.createDirectory(atPath: staging, withIntermediateDirectories: false)
            try emit(to: sink)
            try sink.close()
            var isDirectory: ObjCBool = false
            let existed = fm.fileExists(atPath: target, isDirectory: &isDirectory)
            if existed {
                guard isDirectory.boolValue else { throw PlanWriteError(path: directory, message: "it is a file, not a folder") }
                try fm.moveItem(atPath: target, toPath: aside)
            }
            do {
                try fm.moveItem(atPath: staging, toPath: target)
            } catch {
                if existed { try? fm.moveItem(atPath: aside, toPath: target) }
                throw error
            }
            if existed { try? fm.removeItem(atPath: aside) }
        } catch let e as PlanWriteError {
            try? fm.removeItem(atPath: staging)
            throw e
        } catch {
            try? fm.removeItem(atPath: staging)
            throw PlanWriteError(path: directory, message: error.localizedDescription)
        }
        return sink.written
    }
}

/// Writes a plan's files under a folder as they are produced; `all.yaml` stays open while the
/// manifests are appended to it.
final class DirectoryPlanSink: PlanSink {
    let root: String
    private(set) var written: [String] = []
    private var open: [String: FileHandle] = [:]
    private var made: Set<String> = []

    init(root: String) { self.root = root }

    func write(_ path: String, _ contents: String) throws {
        let full = try prepare(path)
        if let h = open.removeValue(forKey: path) { try h.close() }
        // Plain open/write/close: the folder becomes visible only by the final rename, so each
        // file needs no fsync of its own (FileManager.createFile syncs every one).
        let fd = Glibc.open(full, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0o644)
        guard fd >= 0 else { throw PlanWriteError(path: root, message: "cannot create \(path): \(String(cString: strerror(errno)))") }
        defer { Glibc.close(fd) }
        var text = contents
        try text.withUTF8 { buffer in
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
        written.append(path)
    }

    func append(_ path: String, _ contents: String) throws {
        if open[path] == nil {
            let full = try prepare(path)
            if !FileManager.default.fileExists(atPath: full) {
                _ = FileManager.default.createFile(atPath: full, contents: nil)
                written.append(path)
            }
            guard let h = FileHandle(forWritingAtPath: full) else { throw PlanWriteError(path: root, message: "cannot open \(path)") }
            try h.seekToEnd()
            open[path] = h
        }
        try open[path]?.write(contentsOf: Data(contents.utf8))
    }

    func close() throws {
        for h in open.values { try h.close() }
        open = [:]
    }

    private func prepare(_ path: String) throws -> String {
        let full = (root as NSString).appendingPathComponent(path)
        let dir = (full as NSString).deletingLastPathComponent
        if !made.contains(dir) {
            try FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true)
            made.insert(dir)
        }
        return full
    }
}
