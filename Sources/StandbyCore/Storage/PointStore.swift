/// Where recovery points are kept: a folder, or an S3 bucket prefix. Keys are `/`-separated
/// relative paths (`<point>/objects/<digest>.json`).
public protocol PointStore: Sendable {
    /// Where it is, for messages (`file:///backups`, `s3://bucket/prefix`).
    var url: String { get }
    /// Stores `data` at `key`, replacing what was there. Atomic per object: a reader sees the old
    /// bytes or the new ones, never a part.
    func put(_ key: String, _ data: [UInt8]) throws
    /// The bytes at `key`; throws ``StoreError/notFound`` when there are none.
    func get(_ key: String) throws -> [UInt8]
    /// Every key under `prefix` (recursively), sorted.
    func list(prefix: String) throws -> [String]
    /// Removes `key`; removing a missing key is not an error.
    func delete(_ key: String) throws
}

/// A store operation that failed.
public enum StoreError: Error, Sendable, Equatable, CustomStringConvertible {
    case notFound(String)
    case failed(String)

    public var description: String {
        switch self {
        case .notFound(let key): return "\(key): not found"
        case .failed(let message): return message
        }
    }
}
