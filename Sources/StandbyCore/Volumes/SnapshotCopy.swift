import Foundation

/// A snapshot of a protected volume that a capture made: the incremental snapshot in the source
/// region, or its copy in the recovery region. Read from `Microsoft.Compute/snapshots` resources
/// and EBS `DescribeSnapshots` output, tagged by the capture that made them (``pointTag``,
/// ``volumeTag``).
public struct SnapshotCopy: Sendable, Hashable {
    /// Tag naming the recovery point that made the snapshot.
    public static let pointTag = "standby-point"
    /// Tag naming the protected volume (disk ARM id, `vol-` id) the snapshot holds the data of.
    public static let volumeTag = "standby-volume"

    public var kind: VolumeKind
    /// The snapshot's id: its ARM id, or its `snap-` id.
    public var id: String
    /// The volume whose data it holds.
    public var volume: String
    /// The recovery point that made it, when tagged.
    public var point: String?
    /// Location or region.
    public var region: String
    /// When the snapshot was taken (for a copy: the source snapshot's time when AWS or Azure keeps it).
    public var taken: Date?
    public var sizeGiB: Int?
    /// Whether the snapshot (or copy) is complete and usable.
    public var complete: Bool
    /// Progress or state as the cloud reports it (`Succeeded`, `completed`, `pending 87%`).
    public var state: String
    /// The KMS key (EBS) or disk encryption set (Azure) it is encrypted with, when it says.
    public var encryptionKey: String?

    public init(kind: VolumeKind, id: String, volume: String, point: String?, region: String, taken: Date?, sizeGiB: Int?,
                complete: Bool, state: String, encryptionKey: String? = nil) {
        self.kind = kind; self.id = id; self.volume = volume; self.point = point; self.region = region; self.taken = taken
        self.sizeGiB = sizeGiB; self.complete = complete; self.state = state; self.encryptionKey = encryptionKey
    }

    /// The snapshot a resource of the inventory is, when it is one; `resolve` follows a
    /// `creationData.sourceResourceId` (a copy's source snapshot) to the volume when the copy
    /// carries no ``volumeTag``.
    public static func read(_ r: Resource, in inventory: Inventory) -> SnapshotCopy? {
        if r.type?.lowercased() == "microsoft.compute/snapshots" { return azure(r, inventory) }
        if r.type == "AWS::EC2::Snapshot" { return ebs(r) }
        return nil
    }

    static func azure(_ r: Resource, _ inventory: Inventory) -> SnapshotCopy? {
        let p = r.document["properties"] ?? .null
        var volume = tag(r, volumeTag)
        if volume == nil {
            // The copy's source is the source-region snapshot, whose source is the disk.
            var source = p[path: [.key("creationData"), .key("sourceResourceId")]]?.stringValue.map(slashed)
            for _ in 0..<3 {
                guard let s = source else { break }
                if s.lowercased().contains("/providers/microsoft.compute/disks/") { volume = s; break }
                source = inventory.get(s)?.document[path: [.key("properties"), .key("creationData"), .key("sourceResourceId")]]?
                    .stringValue.map(slashed)
            }
        }
        guard let volume else { return nil }
        let provisioning = p["provisioningState"]?.stringValue ?? "unknown"
        let percent = number(p["completionPercent"])
        let complete = provisioning == "Succeeded" && (percent.map { $0 >= 100 } ?? true)
        let state = percent.map { complete ? provisioning : "\(provisioning) \(Int($0))%" } ?? provisioning
        let size = number(p["diskSizeGB"]).map { Int($0) }
            ?? number(p["diskSizeBytes"]).map { Int(($0 / 1_073_741_824).rounded(.up)) }
        let des = p[path: [.key("encryption"), .key("diskEncryptionSetId")]]?.stringValue
        return SnapshotCopy(kind: .azureDisk, id: r.id, volume: volume, point: tag(r, pointTag),
                            region: ARMLocation.normalized(r.document["location"]?.stringValue ?? r.region ?? ""),
                            taken: p["timeCreated"]?.stringValue.flatMap(SnapshotTime.parse), sizeGiB: size,
                            complete: complete, state: state, encryptionKey: des)
    }

    static func ebs(_ r: Resource) -> SnapshotCopy? {
        let d = r.document
        guard let volume = tag(r, volumeTag) ?? d["VolumeId"]?.stringValue else { return nil }
        // aws-cli prints `State`; the EC2 XML answer (read live) names it `status`.
        let state = (d["State"] ?? d["Status"])?.stringValue ?? "unknown"
        let progress = d["Progress"]?.stringValue ?? ""
        return SnapshotCopy(kind: .ebs, id: d["SnapshotId"]?.stringValue ?? r.name ?? r.id, volume: volume, point: tag(r, pointTag),
                            region: r.region ?? r.arn?.region ?? "",
                            taken: d["StartTime"]?.stringValue.flatMap(SnapshotTime.parse),
                            sizeGiB: number(d["VolumeSize"]).map { Int($0) }, complete: state == "completed",
                            state: state == "completed" || progress.isEmpty ? state : "\(state) \(progress)",
                            encryptionKey: d["KmsKeyId"]?.stringValue)
    }

    static func number(_ v: JSONValue?) -> Double? {
        switch v {
        case .int(let i)?: Double(i)
        case .double(let d)?: d
        default: nil
        }
    }

    /// Whether `r` is a snapshot a capture made (a snapshot type tagged with ``volumeTag``).
    public static func isCaptureData(_ r: Resource) -> Bool {
        // Called for every resource a translation takes: Kubernetes objects (most of them) are
        // answered without lowercasing their type.
        guard !r.isKubernetesObject,
              r.type == "AWS::EC2::Snapshot" || r.type?.lowercased() == "microsoft.compute/snapshots" else { return false }
        return tag(r, volumeTag) != nil
    }

    static func tag(_ r: Resource, _ key: String) -> String? {
        r.tags.first { $0.key.lowercased() == key }?.value
    }

    /// ARM ids written without their leading slash (`subscriptions/…`, as CopyStart examples do) get one.
    public static func slashed(_ id: String) -> String { id.hasPrefix("/") ? id : "/" + id }
}

/// Azure location names as ARM compares them: `West US` and `westus` are one location.
enum ARMLocation {
    static func normalized(_ s: String) -> String { s.lowercased().filter { !$0.isWhitespace } }
}

/// Snapshot times as the clouds write them: `2014-02-28T21:28:32.000Z`, `2016-12-28T04:41:35.079872+00:00`.
enum SnapshotTime {
    static func parse(_ s: String) -> Date? {
        let f = ISO8601DateFormatter()
        f.formatOptions = [.withInternetDateTime, .withFractionalSeconds]
        if let d = f.date(from: s) { return d }
        f.formatOptions = [.withInternetDateTime]
        if let d = f.date(from: s) { return d }
        // More than three fractional digits (Azure writes microseconds): drop the extra ones.
        if let dot = s.firstIndex(of: "."), let end = s[dot...].firstIndex(where: { $0 == "Z" || $0 == "+" || $0 == "-" }) {
            let digits = s[s.index(after: dot)..<end]
            let trimmed = String(s[..<dot]) + "." + String(digits.prefix(3)) + String(s[end...])
            f.formatOptions = [.withInternetDateTime, .withFractionalSeconds]
            return f.date(from: trimmed)
        }
        return nil
    }

    static func text(_ d: Date) -> String {
        let f = ISO8601DateFormatter()
        f.formatOptions = [.withInternetDateTime]
        return f.string(from: d)
    }

    /// `3 h 12 min`, `2 d 4 h`, `45 s`.
    static func age(_ seconds: TimeInterval) -> String {
        let s = Int(max(0, seconds))
        if s < 60 { return "\(s) s" }
        if s < 3600 { return "\(s / 60) min" }
        if s < 86_400 { return "\(s / 3600) h \(s % 3600 / 60) min" }
        return "\(s / 86_400) d \(s % 86_400 / 3600) h"
    }
}
