import Foundation

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
        let files = self.files
        do {
            try fm.createDirectory(atPath: staging, withIntermediateDirectories: false)
            for f in files {
                let path = (staging as NSString).appendingPathComponent(f.path)
                try fm.createDirectory(atPath: (path as NSString).deletingLastPathComponent, withIntermediateDirectories: true)
                guard fm.createFile(atPath: path, contents: Data(f.contents.utf8)) else {
                    throw PlanWriteError(path: directory, message: "cannot write \(f.path)")
                }
            }
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
        return files.map(\.path)
    }
}
