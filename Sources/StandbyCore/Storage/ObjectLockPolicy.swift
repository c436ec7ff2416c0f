import Foundation

/// How long a store must refuse to delete a recovery point: S3 Object Lock's two modes and a
/// number of days from when the point is written (or marked immutable).
///
/// - `governance`: nobody deletes the object before the date unless they hold
///   `s3:BypassGovernanceRetention` and ask for it; Standby never asks.
/// - `compliance`: nobody deletes it before the date, the account's root user included, and the
///   date can only be moved later.
///
/// Only an S3 bucket created with Object Lock enabled can enforce it (``S3Store``); a folder
/// store cannot (see ``FolderStore``), and says so.
public struct ObjectLockPolicy: Sendable, Hashable {
    public enum Mode: String, Sendable, Hashable, CaseIterable {
        case governance = "GOVERNANCE"
        case compliance = "COMPLIANCE"

        /// `governance` or `compliance`, any case.
        public init?(name: String) {
            guard let mode = Mode(rawValue: name.uppercased()) else { return nil }
            self = mode
        }
    }

    public var mode: Mode
    /// Days from the write; at least 1.
    public var days: Int

    public init(mode: Mode, days: Int) {
        self.mode = mode
        self.days = days
    }

    /// The retain-until date for an object written at `now`, to the whole second (S3 keeps
    /// seconds).
    public func retainUntil(from now: Date) -> Date {
        Date(timeIntervalSince1970: (now.timeIntervalSince1970 + Double(days) * 86_400).rounded(.up))
    }
}

/// What a store says about a key's lock: the mode and the date until which it cannot be deleted.
public struct ObjectRetention: Sendable, Hashable {
    public var mode: ObjectLockPolicy.Mode
    public var retainUntil: Date
    public init(mode: ObjectLockPolicy.Mode, retainUntil: Date) {
        self.mode = mode
        self.retainUntil = retainUntil
    }

    /// Whether the key still cannot be deleted at `now`.
    public func holds(at now: Date) -> Bool { retainUntil > now }

    /// The date as ISO 8601 in UTC (`2026-12-01T06:00:00Z`).
    public var untilText: String { PointFormat.iso8601(retainUntil) }
}
