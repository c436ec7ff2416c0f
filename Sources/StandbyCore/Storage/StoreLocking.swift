import Foundation

/// A store as a capture writes to it under an immutability policy, and what that policy gets:
/// enforced by the store, or not (and why), never silently.
public struct LockedStore: Sendable {
    public var store: any PointStore
    /// The store locks every object it writes (S3 Object Lock).
    public var enforced: Bool
    /// Why the policy is not enforced; nil when it is, or when there is no policy.
    public var note: String?
}

public enum StoreLocking {
    /// `store` writing under `policy` when the store can enforce it: an S3 bucket with Object
    /// Lock enabled. A bucket without it, and a folder, are returned unchanged with a note saying
    /// the points are not locked.
    public static func apply(_ policy: ObjectLockPolicy?, to store: any PointStore, now: Date = Date()) throws -> LockedStore {
        guard let policy else { return LockedStore(store: store, enforced: false, note: nil) }
        let wanted = "\(policy.mode.rawValue.lowercased()) lock for \(policy.days) day\(policy.days == 1 ? "" : "s")"
        if let s3 = store as? S3Store {
            guard try s3.objectLockEnabled() else {
                return LockedStore(store: store, enforced: false, note: "\(store.url): the bucket has no Object Lock, so the \(wanted) is NOT enforced: points are written unlocked (create the bucket with Object Lock enabled to enforce it)")
            }
            return LockedStore(store: s3.locking(policy, now: now), enforced: true, note: nil)
        }
        return LockedStore(store: store, enforced: false, note: "\(store.url): a folder store cannot enforce immutability, so the \(wanted) is NOT enforced: only the IMMUTABLE marker, which the catalog honours, protects points there")
    }
}
