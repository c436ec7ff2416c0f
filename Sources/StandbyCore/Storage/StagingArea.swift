import Foundation
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Names for the files and folders Standby writes before putting them in place, and the cleanup
/// of those a killed run left behind.
///
/// A staging name is `.standby-tmp-<pid>.<host>.<random>` (plus `.<label>`, the name of what is
/// being written, when given): the process that owns it and the host it runs on, so a later run
/// can tell a staging entry in use from an abandoned one. An entry is **stale**, and removed by
/// ``removeStale(in:recursive:legacyLabel:)``, when
/// - it names this host and a process that no longer exists (a live process's entries are left
///   alone however old), or
/// - it names another host, or has an older name (`.standby-tmp-<UUID>` in point stores,
///   `.<plan>.writing-…` / `.<plan>.previous-…` beside plan folders), and was last modified more
///   than ``abandonedAfter`` (one hour) ago.
public enum StagingArea {
    /// What every staging name starts with.
    public static let prefix = ".standby-tmp-"

    /// How old a staging entry must be to be removed whatever its owner.
    public static let abandonedAfter: TimeInterval = 3600

    /// This host's name, reduced to letters, digits and `-` (so it holds no `.`).
    static let host: String = {
        var buffer = [CChar](repeating: 0, count: 256)
        let name = gethostname(&buffer, buffer.count - 1) == 0 ? String(cString: buffer) : "localhost"
        let cleaned = String(name.unicodeScalars.map { scalar -> Character in
            let c = Character(scalar)
            return c.isASCII && (c.isLetter || c.isNumber || c == "-") ? c : "-"
        })
        return cleaned.isEmpty ? "localhost" : cleaned
    }()

    /// A fresh staging name owned by this process, with `label` at the end when given.
    public static func name(label: String? = nil) -> String {
        let random = UUID().uuidString.replacingOccurrences(of: "-", with: "").prefix(16).lowercased()
        return "\(prefix)\(getpid()).\(host).\(random)" + (label.map { ".\($0)" } ?? "")
    }

    /// Whether the entry `name` at `path` was abandoned by a run that is gone (see the type).
    static func isStale(name: String, path: String, now: Date = Date()) -> Bool {
        var info = stat()
        guard lstat(path, &info) == 0 else { return false }
        if name.hasPrefix(prefix) {
            let parts = name.dropFirst(prefix.count).split(separator: ".", maxSplits: 3, omittingEmptySubsequences: false)
            if parts.count >= 3, let pid = Int32(parts[0]), pid > 0, parts[1] == host {
                // This host's: stale exactly when its process is gone, however young or old.
                if pid == getpid() { return false }
                return kill(pid, 0) != 0 && errno == ESRCH
            }
        }
        return now.timeIntervalSince1970 - TimeInterval(info.st_mtim.tv_sec) > abandonedAfter
    }

    /// Whether `name` is a staging name, current or older (`legacyLabel` names the plan folder
    /// whose `.<label>.writing-…` and `.<label>.previous-…` folders count too).
    static func isStagingName(_ name: String, legacyLabel: String? = nil) -> Bool {
        if name.hasPrefix(prefix) { return true }
        guard let label = legacyLabel else { return false }
        return name.hasPrefix(".\(label).writing-") || name.hasPrefix(".\(label).previous-")
    }

    /// Removes the stale staging entries (files, or folders with everything in them) directly in
    /// `folder`, or anywhere under it when `recursive`. Returns the paths removed; an entry that
    /// cannot be removed is left for a later run.
    @discardableResult
    public static func removeStale(in folder: String, recursive: Bool = false, legacyLabel: String? = nil) -> [String] {
        let fm = FileManager.default
        var removed: [String] = []
        var folders = [folder]
        while let current = folders.popLast() {
            guard let names = try? fm.contentsOfDirectory(atPath: current) else { continue }
            for name in names {
                let path = current + "/" + name
                if isStagingName(name, legacyLabel: legacyLabel) {
                    if isStale(name: name, path: path), (try? fm.removeItem(atPath: path)) != nil { removed.append(path) }
                } else if recursive {
                    var info = stat()
                    if lstat(path, &info) == 0, info.st_mode & S_IFMT == S_IFDIR { folders.append(path) }
                }
            }
        }
        return removed
    }
}
