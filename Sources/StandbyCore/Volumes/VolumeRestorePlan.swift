import Foundation

/// The volumes of a translation and how the plan restores each: every selected PersistentVolume
/// backed by a cloud volume, matched with the newest complete snapshot copy in the recovery
/// region that the inventory holds (``SnapshotCopy``).
///
/// A PV-backed Azure disk or EBS volume without such a copy is never created empty: the plan
/// leaves it out and says so (``VolumeRestore/Action/needsPerson``). EFS and Azure Files get
/// their replication request written as a step for a person.
public struct VolumeRestorePlan: Sendable {
    public var restores: [VolumeRestore]
    /// The time ages are measured from (when the plan was made).
    public var asOf: Date

    /// The time this process first planned volumes: every plan a process makes measures ages from
    /// the same instant, so two plans of one input (live and from its point) are the same bytes.
    /// `SOURCE_DATE_EPOCH` (seconds since 1970, the reproducible-builds convention) pins it, so
    /// plans made by two processes are the same bytes too.
    public static let planningTime: Date = {
        if let text = ProcessInfo.processInfo.environment["SOURCE_DATE_EPOCH"], let seconds = Int64(text), seconds >= 0 {
            return Date(timeIntervalSince1970: TimeInterval(seconds))
        }
        return Date()
    }()

    public init(restores: [VolumeRestore] = [], asOf: Date = VolumeRestorePlan.planningTime) {
        self.restores = restores; self.asOf = asOf
    }

    /// The plan's recovery point objective: the age of the oldest snapshot a volume is restored
    /// from; nil when no volume is restored from a snapshot.
    public var rpo: TimeInterval? { restores.compactMap { $0.age(at: asOf) }.max() }

    /// The restore of the volume whose cloud id (disk ARM id, `vol-` id) is `id`.
    public func restore(forVolume id: String) -> VolumeRestore? {
        let key = Resource.lookupKey(id)
        return restores.first { Resource.lookupKey($0.source.volumeID) == key }
    }

    /// The restore of the PersistentVolume `pv` (its `k8s://` id).
    public func restore(forPV pv: String) -> VolumeRestore? { restores.first { $0.pv == pv } }

    /// Notes for "Needs a person": every volume not restored from a copy, and every assumption.
    public var notes: [PlanNote] {
        restores.compactMap { r in
            switch r.action {
            case .fromCopy: return r.message.isEmpty ? nil : PlanNote(subject: r.display, message: r.message)
            case .needsPerson, .replication: return PlanNote(subject: r.display, message: r.message)
            }
        }
    }

    /// Builds the plan for the translated PersistentVolumes, with the snapshots `inventory` holds.
    public static func build(_ resources: [TranslatedResource], inventory: Inventory, settings: TranslationSettings,
                             asOf: Date = VolumeRestorePlan.planningTime) -> VolumeRestorePlan {
        let pvs = resources.filter { $0.source.kind == "PersistentVolume" && $0.source.group == "" }
        guard !pvs.isEmpty else { return VolumeRestorePlan(asOf: asOf) }
        var copies: [String: [SnapshotCopy]] = [:]
        for r in inventory.resources where r.type != nil {
            guard let c = SnapshotCopy.read(r, in: inventory) else { continue }
            copies[Resource.lookupKey(c.volume), default: []].append(c)
        }
        var out: [VolumeRestore] = []
        for pv in pvs {
            guard let source = PersistentVolumeSource.read(pv.source.document) else { continue }
            let display = "\(pv.source.cluster ?? "?")/\(pv.source.name ?? pv.source.id)"
            var r = VolumeRestore(pv: pv.source.id, display: display, cluster: pv.source.cluster ?? "", source: source,
                                  action: .needsPerson)
            r.volumeResource = inventory.get(source.volumeID)?.id
            switch source.kind {
            case .efs:
                r.action = .replication
                r.message = "EFS file system \(source.volumeID): Standby does not copy file systems; ask EFS to replicate it "
                    + "into \(settings.to.aws?.region ?? "the recovery region") (`aws efs create-replication-configuration "
                    + "--source-file-system-id \(source.volumeID) --destinations Region=\(settings.to.aws?.region ?? "<region>")`), "
                    + "then map the replica with standby.map_id"
            case .azureFiles:
                r.action = .replication
                r.message = "Azure file share \(source.volumeID): Standby does not copy file shares; take a share snapshot and copy "
                    + "it with AzCopy (`azcopy copy 'https://<account>.file.core.windows.net/<share>?<SAS>' "
                    + "'https://<recovery account>.file.core.windows.net/<share>?<SAS>' --recursive`) into the recovery "
                    + "storage account before the PersistentVolume is applied"
            case .azureDisk, .ebs:
                choose(&r, copies: copies[Resource.lookupKey(source.volumeID)] ?? [], translated: pv, settings: settings)
            }
            out.append(r)
        }
        return VolumeRestorePlan(restores: out, asOf: asOf)
    }

    /// Picks the newest complete copy in the recovery region and where the recovery volume goes.
    static func choose(_ r: inout VolumeRestore, copies: [SnapshotCopy], translated pv: TranslatedResource,
                       settings: TranslationSettings) {
        let region = r.source.kind == .azureDisk ? settings.to.azure.map { ARMLocation.normalized($0.location) }
            : settings.to.aws?.region
        let inRegion = copies.filter { c in region.map { c.region == $0 } ?? true }
            .sorted { ($0.taken ?? .distantPast) > ($1.taken ?? .distantPast) }
        let label = r.source.kind.label
        guard let region else {
            r.message = "\(label) \(r.source.volumeID): no recovery \(r.source.kind == .azureDisk ? "Azure" : "AWS") environment "
                + "given, so no copy can be chosen; the plan creates no volume for it"
            return
        }
        guard let copy = inRegion.first(where: \.complete) else {
            let seen = inRegion.isEmpty ? "the recovery point holds no snapshot copy of it in \(region)"
                : "its copies in \(region) are not complete (" + inRegion.map { "\($0.id): \($0.state)" }.joined(separator: "; ") + ")"
            r.message = "\(label) \(r.source.volumeID) behind this PersistentVolume: \(seen); the plan does not create it "
                + "(an empty volume would lose the data): capture with volumes = true, or restore it from a backup by hand"
            r.skippedCopies = inRegion
            return
        }
        r.action = .fromCopy
        r.copy = copy
        r.skippedCopies = inRegion.prefix { $0 != copy }.filter { !$0.complete }
        let translatedHandle = pv.document[path: r.source.pathComponents]?.stringValue
        switch r.source.kind {
        case .azureDisk:
            if let h = translatedHandle, let id = ARMResourceID(h), h.lowercased() != r.source.handle.lowercased() || settings.to.azure == nil {
                r.recoveryVolume = id.description
            } else {
                r.action = .needsPerson
                r.message = "Azure disk \(r.source.volumeID): the translation gave it no recovery id; map it with standby.map_id "
                    + "so the plan can create it from \(copy.id)"
                return
            }
            r.recoveryZone = r.source.zone.flatMap(azureZoneNumber)
        case .ebs:
            if let zone = r.source.zone, let letter = zone.last, letter.isLetter {
                r.recoveryZone = region + String(letter)
                if !zone.hasPrefix(region) {
                    r.message = "EBS volume \(r.source.volumeID) was in \(zone): assumed \(region)\(letter) for the volume "
                        + "created from \(copy.id); set the zone with standby.map_id if the recovery nodes are elsewhere"
                }
            } else {
                r.recoveryZone = region + "a"
                r.message = "EBS volume \(r.source.volumeID): the PersistentVolume names no zone; assumed \(region)a for the "
                    + "volume created from \(copy.id)"
            }
        case .efs, .azureFiles:
            break
        }
        if !r.skippedCopies.isEmpty {
            let newer = r.skippedCopies.map { "\($0.id) (\($0.state))" }.joined(separator: ", ")
            r.message += (r.message.isEmpty ? "" : "; ") + "a newer copy is not complete and is not used: \(newer)"
        }
    }

    /// Values naming an EBS volume the plan restores from its copy are not for a person to map:
    /// `CreateVolume` makes the recovery volume and `plan:apply` writes its id. They stay
    /// untranslated, with that reason (``UntranslatedValue/Disposition/carriedAsIs``).
    public func settle(_ resources: inout [TranslatedResource]) {
        var restored: [String: VolumeRestore] = [:]
        for r in restores where r.source.kind == .ebs && r.action == .fromCopy { restored[r.source.volumeID] = r }
        guard !restored.isEmpty else { return }
        for i in resources.indices {
            for j in resources[i].untranslated.indices where resources[i].untranslated[j].disposition == .needsPerson {
                guard let r = restored[resources[i].untranslated[j].value], let copy = r.copy else { continue }
                resources[i].untranslated[j].disposition = .carriedAsIs
                resources[i].untranslated[j].reason = "EBS volume restored from its snapshot copy (\(copy.id)): the plan's "
                    + "CreateVolume makes the recovery volume and plan:apply writes its id into the PersistentVolume"
            }
        }
    }

    /// `westeurope-1` → `1`; `1` → `1`.
    static func azureZoneNumber(_ zone: String) -> String? {
        let n = zone.split(separator: "-").last.map(String.init) ?? zone
        return n.allSatisfy(\.isNumber) && !n.isEmpty ? n : nil
    }
}
