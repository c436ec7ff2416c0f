import Foundation
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// A finished folder that could not be put in place; what was there before is left as it was.
public struct FolderPublishError: Error, Sendable, CustomStringConvertible {
    public var message: String
    public var description: String { message }
}

/// Puts a folder written under a staging name (``StagingArea``) in place of the folder it
/// replaces, so that a reader, or a run killed at any moment, sees the old folder whole or the new
/// one whole, never neither.
///
/// - No folder at the target: one `rename`.
/// - A folder there, on Linux: one `renameat2(RENAME_EXCHANGE)` swaps the two in a single step;
///   the old folder, now under the staging name, is removed afterwards (if the run dies first, the
///   next run's ``StagingArea/removeStale(in:recursive:legacyLabel:)`` removes it).
/// - Where the exchange is not supported (another system, a file system without it): the old
///   folder is renamed aside to a staging name, the new one renamed in, and only then the old one
///   removed; should the second rename fail, the old folder is put back. A crash between the two
///   renames leaves the old folder under its staging name, not lost.
public enum FolderPublish {
    /// How the folder was put in place.
    public enum Method: String, Sendable, Equatable {
        /// Nothing was there: one rename.
        case renamed
        /// Swapped with the old folder in one step (Linux `renameat2(RENAME_EXCHANGE)`).
        case exchanged
        /// The old folder moved aside, then the new one in (no exchange available).
        case renamedAside
    }

    /// Moves the folder `staging` to `target` (both in the same parent folder).
    /// - Parameter allowExchange: false forces the two-rename path (for tests of it).
    /// - Throws: ``FolderPublishError``; `target` is then as it was.
    @discardableResult
    public static func publish(_ staging: String, to target: String, allowExchange: Bool = true) throws -> Method {
        var info = stat()
        if lstat(target, &info) != 0 {
            guard errno == ENOENT else { throw failure("cannot look at \(target)") }
            if rename(staging, target) == 0 { return .renamed }
            guard errno == EEXIST || errno == ENOTEMPTY else { throw failure("cannot rename \(staging) to \(target)") }
            guard lstat(target, &info) == 0 else { throw failure("cannot look at \(target)") }  // appeared meanwhile
        }
        guard info.st_mode & S_IFMT == S_IFDIR else {
            throw FolderPublishError(message: "\(target) is a file, not a folder")
        }
        if allowExchange, let exchange = renameExchange() {
            if exchange(AT_FDCWD, staging, AT_FDCWD, target, renameExchangeFlag) == 0 {
                try? FileManager.default.removeItem(atPath: staging)   // the old folder, now here
                return .exchanged
            }
            guard errno == EINVAL || errno == ENOSYS || errno == ENOTSUP else {
                throw failure("cannot swap \(staging) with \(target)")
            }
        }
        let parent = (target as NSString).deletingLastPathComponent
        let aside = (parent.isEmpty ? "." : parent) + "/" + StagingArea.name(label: (target as NSString).lastPathComponent + ".previous")
        guard rename(target, aside) == 0 else { throw failure("cannot move \(target) aside") }
        guard rename(staging, target) == 0 else {
            let problem = failure("cannot rename \(staging) to \(target)")
            _ = rename(aside, target)
            throw problem
        }
        try? FileManager.default.removeItem(atPath: aside)
        return .renamedAside
    }

    /// `RENAME_EXCHANGE` of `<stdio.h>` (and `<linux/fs.h>`), which Swift's Glibc module leaves out.
    static let renameExchangeFlag: UInt32 = 1 << 1

    private typealias RenameAt2 = @convention(c) (Int32, UnsafePointer<CChar>?, Int32, UnsafePointer<CChar>?, UInt32) -> Int32

    /// glibc's `renameat2` (2.28 and later), found at run time: Swift's Glibc module does not
    /// declare it. Nil where it does not exist.
    private static func renameExchange() -> RenameAt2? {
        #if os(Linux)
        guard let symbol = dlsym(nil, "renameat2") else { return nil }
        return unsafeBitCast(symbol, to: RenameAt2.self)
        #else
        return nil
        #endif
    }

    private static func failure(_ what: String) -> FolderPublishError {
        FolderPublishError(message: "\(what): \(String(cString: strerror(errno)))")
    }
}
