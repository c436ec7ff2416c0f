import Foundation

/// A value a rule (or the capture options) marks sensitive: encrypted like Secret data.
public struct SensitiveValue: Sendable, Hashable {
    /// Only objects of this Kubernetes kind (nil: any object or cloud resource).
    public var kind: String?
    /// A path pattern as the reference tables write them (`data.DB_PASSWORD`, `spec.env[].value`).
    public var path: String
    public init(kind: String? = nil, path: String) { self.kind = kind; self.path = path }
}

/// An AWS KMS key that wraps a point's data key too, besides the recovery side's RSA key.
public struct KMSWrapping: Sendable {
    public var client: AWSKMS
    /// A key id, key ARN, or alias (`alias/standby`); recorded in the manifest as `kms:<keyID>`.
    public var keyID: String
    public init(client: AWSKMS, keyID: String) { self.client = client; self.keyID = keyID }
}

/// What a capture needs besides the selection.
public struct CaptureOptions: Sendable {
    /// Signs the manifest.
    public var signingPrivatePEM: String
    /// The recovery side's public key: the point's data key is wrapped for it.
    public var recoveryPublicPEM: String
    public var sensitive: [SensitiveValue]
    /// The point's id; default: `<UTC time yyyyMMdd'T'HHmmss'Z'>-<8 hex>`.
    public var id: String?
    /// The capture time (tests pin it).
    public var now: Date
    public var toolVersion: String
    /// When set, the data key is also wrapped by this KMS key (encryption context
    /// `{"standby:point": <id>}`), so either the recovery private key or KMS opens the point.
    public var kms: KMSWrapping?
    /// The volume data the capture snapshotted and copied for the point (its manifest's `volumes`).
    public var volumes: [VolumeSnapshotRecord] = []
    /// Volumes whose snapshot or copy failed: they make the point partial (its manifest's `gaps`).
    public var volumeGaps: [InventoryGap] = []

    public init(signingPrivatePEM: String, recoveryPublicPEM: String, sensitive: [SensitiveValue] = [], id: String? = nil,
                now: Date = Date(), toolVersion: String = StandbyVersion.description, kms: KMSWrapping? = nil) {
        self.signingPrivatePEM = signingPrivatePEM; self.recoveryPublicPEM = recoveryPublicPEM; self.sensitive = sensitive
        self.id = id; self.now = now; self.toolVersion = toolVersion; self.kms = kms
    }
}

/// What opens a point's data key: the recovery side's RSA private key (PEM), or AWS KMS (the
/// manifest's `AWS-KMS` entry).
public enum PointKey: Sendable {
    case recoveryPrivatePEM(String)
    case kms(AWSKMS)
}

/// A recovery point that failed verification: names the first object (or the manifest or the
/// signature) that does not match.
public struct PointVerificationError: Error, Sendable, CustomStringConvertible {
    public var point: String
    public var message: String
    public init(point: String, message: String) { self.point = point; self.message = message }
    public var description: String { "recovery point \(point) fails verification: \(message)" }
}

/// One line of the catalog.
public struct PointSummary: Sendable, Hashable {
    public var id: String
    public var clusters: [String]
    /// ISO 8601, UTC.
    public var created: String
    /// Bytes stored.
    public var size: Int
    public var objects: Int
    /// The signed manifest is there (a point without one is incomplete and never restorable).
    public var complete: Bool
    /// Signature and every digest checked; nil when no key was given to check with.
    public var verified: Bool?
    public var immutable: Bool
    /// What the capture's inventory lacked, as the manifest says (checked only when `verified`):
    /// empty for a whole point.
    public var gaps: [InventoryGap]
    /// Whether the point is partial: a restore never picks it unless asked to.
    public var isPartial: Bool { !gaps.isEmpty }
    public init(id: String, clusters: [String], created: String, size: Int, objects: Int, complete: Bool, verified: Bool?, immutable: Bool,
                gaps: [InventoryGap] = []) {
        self.id = id; self.clusters = clusters; self.created = created; self.size = size; self.objects = objects
        self.complete = complete; self.verified = verified; self.immutable = immutable; self.gaps = gaps
    }
}

/// Keep the newest `keepLast` points, plus the newest point of each of the last `keepDailyDays`
/// days; immutable points are never pruned; incomplete points older than a day are pruned.
/// `keepWeeklyWeeks` keeps the newest point of each of the last W ISO weeks (UTC) too.
public struct RetentionPolicy: Sendable, Hashable {
    public var keepLast: Int
    public var keepDailyDays: Int
    public var keepWeeklyWeeks: Int = 0
    public init(keepLast: Int, keepDailyDays: Int = 0, keepWeeklyWeeks: Int = 0) {
        self.keepLast = keepLast; self.keepDailyDays = keepDailyDays; self.keepWeeklyWeeks = keepWeeklyWeeks
    }
}
