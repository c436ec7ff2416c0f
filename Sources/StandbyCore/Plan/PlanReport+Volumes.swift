/// The volumes part of a plan's report: per PersistentVolume, its cloud volume, the snapshot copy
/// the plan restores it from and how old that snapshot is; the plan's RPO (the oldest of them) as
/// one summary figure.
extension PlanReport {
    /// The plan's recovery point objective in seconds (the age of the oldest snapshot a volume is
    /// restored from), or nil when no volume is.
    public var rpoSeconds: Int? { plan.translation.volumes.rpo.map { Int($0) } }

    /// `RPO 15 h 12 min (oldest volume snapshot)`, for a summary line; nil without restored volumes.
    public var rpoFigure: String? {
        rpoSeconds.map { "RPO \(SnapshotTime.age(Double($0))) (the oldest volume snapshot the plan restores)" }
    }

    /// `report.json`'s `volumes`.
    public var volumesJSON: JSONValue {
        let v = plan.translation.volumes
        return .array(v.restores.map { r in
            var o: [(String, JSONValue)] = [
                ("persistent_volume", .string(r.display)), ("kind", .string(r.source.kind.rawValue)),
                ("volume", .string(r.source.volumeID)), ("action", .string(Self.action(r.action))),
            ]
            if let c = r.copy {
                o.append(("snapshot", .string(c.id)))
                if let p = c.point { o.append(("point", .string(p))) }
                if let t = c.taken { o.append(("taken", .string(SnapshotTime.text(t)))) }
                if let age = r.age(at: v.asOf) { o.append(("age_seconds", .int(Int64(age)))) }
            }
            if let id = r.recoveryVolume { o.append(("recovery_volume", .string(id))) }
            if let z = r.recoveryZone { o.append(("recovery_zone", .string(z))) }
            if !r.message.isEmpty { o.append(("message", .string(r.message))) }
            return .object(JSONObject(o))
        })
    }

    static func action(_ a: VolumeRestore.Action) -> String {
        switch a {
        case .fromCopy: "from_snapshot_copy"
        case .needsPerson: "needs_person"
        case .replication: "replication_step"
        }
    }

    /// `## Volumes` in `report.md`.
    public var volumesSection: [String] {
        let v = plan.translation.volumes
        guard !v.restores.isEmpty else { return [] }
        var md = ["## Volumes", ""]
        let restored = v.restores.filter { $0.action == .fromCopy }.count
        var line = "\(v.restores.count) PersistentVolumes with cloud data; \(restored) restored from snapshot copies"
        if let f = rpoFigure { line += "; " + f }
        md.append(line + " (ages as of \(SnapshotTime.text(v.asOf)), when the plan was made). Without hooks the snapshots "
            + "are crash-consistent.")
        md.append("")
        md.append("| PersistentVolume | Volume | Restored from | Snapshot taken | Age | Recovery volume |")
        md.append("|---|---|---|---|---|---|")
        for r in v.restores {
            let volume = "\(r.source.kind.label) `\(Self.cell(r.source.volumeID))`"
            let from: String, taken: String, age: String, target: String
            switch r.action {
            case .fromCopy:
                from = "`\(Self.cell(r.copy?.id ?? ""))`" + (r.copy?.point.map { " (point `\(Self.cell($0))`)" } ?? "")
                taken = r.copy?.taken.map(SnapshotTime.text) ?? "unknown"
                age = r.age(at: v.asOf).map(SnapshotTime.age) ?? "unknown"
                target = (r.recoveryVolume.map { "`\(Self.cell($0))`" } ?? "new `vol-` (CreateVolume)")
                    + (r.recoveryZone.map { ", zone \($0)" } ?? "")
            case .needsPerson:
                (from, taken, age, target) = ("**no usable copy**: not created (needs a person)", "—", "—", "—")
            case .replication:
                (from, taken, age, target) = ("replication, a step for a person", "—", "—", "—")
            }
            md.append("| \(Self.cell(r.display)) | \(volume) | \(from) | \(taken) | \(age) | \(target) |")
        }
        md.append("")
        return md
    }
}
