import Foundation

/// The volume part of a capture: which PersistentVolumes of a selection have their data
/// snapshotted (``include`` / ``exclude`` by name or `cluster/name`, `*` matching any run of
/// characters), the EBS ones protected through ``EBSVolumeSnapshots`` and the Azure managed disks
/// through ``AzureDiskSnapshots``.
///
/// A selected volume whose data the point will not carry is a gap of the point (it becomes
/// partial, never a point claiming data it lacks): a snapshot or copy that failed, a volume with
/// no connector to copy it with, and kinds a capture does not snapshot (EFS, Azure Files: the plan
/// writes their replication as a step for a person).
public struct VolumeCapture: Sendable {
    public var include: [String]
    public var exclude: [String]

    public init(include: [String] = [], exclude: [String] = []) {
        self.include = include; self.exclude = exclude
    }

    /// One selected PersistentVolume backed by a cloud volume.
    public struct Chosen: Sendable {
        /// `cluster/name`.
        public var display: String
        public var source: PersistentVolumeSource
    }

    /// The selected PersistentVolumes whose data is captured, in the selection's order.
    public func chosen(_ selection: Selection) -> [Chosen] {
        selection.resources.compactMap { r in
            guard r.kind == "PersistentVolume", (r.group ?? "") == "", let source = PersistentVolumeSource.read(r.document) else { return nil }
            let name = r.name ?? r.id, display = "\(r.cluster ?? "?")/\(name)"
            let hit = { (p: String) in Self.glob(p, name) || Self.glob(p, display) }
            if !include.isEmpty && !include.contains(where: hit) { return nil }
            if exclude.contains(where: hit) { return nil }
            return Chosen(display: display, source: source)
        }
    }

    /// Snapshots and copies the chosen EBS volumes for `point`, each in the region of its zone
    /// (else `snapshots`' session's), and the chosen Azure disks through `disks`; every other
    /// chosen volume, and every failure, is a gap.
    public func protect(_ chosen: [Chosen], point: String, snapshots: EBSVolumeSnapshots?, disks: AzureDiskSnapshots? = nil,
                        consistency: String = "crash-consistent") -> (records: [VolumeSnapshotRecord], gaps: [InventoryGap]) {
        var records: [VolumeSnapshotRecord] = [], gaps: [InventoryGap] = []
        for c in chosen {
            let what = "\(c.source.kind.label) \(c.source.volumeID) data (PersistentVolume \(c.display))"
            if c.source.kind == .azureDisk {
                guard let disks else {
                    gaps.append(InventoryGap(source: "volumes", what: what, reason: "no Azure connector and recovery resource group were "
                        + "given for Azure disks (volumes = { recovery_region = ..., recovery_resource_group = ..., azure = {...} })"))
                    continue
                }
                do {
                    records.append(try disks.protect(disk: c.source.volumeID, point: point, consistency: consistency))
                } catch {
                    gaps.append(InventoryGap(source: "azure subscription \(ARMResourceID(SnapshotCopy.slashed(c.source.volumeID))?.subscription ?? "?")",
                                             what: what, reason: "\(error)"))
                }
                continue
            }
            guard c.source.kind == .ebs else {
                gaps.append(InventoryGap(source: "volumes", what: what, reason: "a capture does not snapshot \(c.source.kind.label) "
                    + "volumes yet: the point holds no copy of this data"))
                continue
            }
            guard var s = snapshots else {
                gaps.append(InventoryGap(source: "volumes", what: what, reason: "no AWS connector and recovery region were given for "
                    + "EBS volumes (volumes = { recovery_region = ..., aws = {...} })"))
                continue
            }
            if let zone = c.source.zone, zone.count > 1, zone.last?.isLetter == true {
                let region = String(zone.dropLast())
                if region != s.session.region {
                    var moved = EBSVolumeSnapshots(session: s.session.inRegion(region), recoveryRegion: s.recoveryRegion,
                                                   recoveryAccount: s.recoveryAccount, recoveryKMSKey: s.recoveryKMSKey)
                    moved.polls = s.polls; moved.pause = s.pause
                    s = moved
                }
            }
            do {
                records.append(try s.protect(volume: c.source.volumeID, point: point, consistency: consistency))
            } catch {
                gaps.append(InventoryGap(source: "aws account \(s.session.account) \(s.session.region)", what: what, reason: "\(error)"))
            }
        }
        return (records, gaps)
    }

    /// `*` matches any run of characters; everything else matches itself.
    static func glob(_ pattern: String, _ text: String) -> Bool {
        let parts = pattern.split(separator: "*", omittingEmptySubsequences: false).map(String.init)
        guard parts.count > 1 else { return pattern == text }
        guard text.hasPrefix(parts[0]) else { return false }
        var rest = Substring(text.dropFirst(parts[0].count))
        for part in parts.dropFirst().dropLast() where !part.isEmpty {
            guard let r = rest.range(of: part) else { return false }
            rest = rest[r.upperBound...]
        }
        let last = parts.last!
        return rest.count >= last.count && rest.hasSuffix(last)
    }
}
