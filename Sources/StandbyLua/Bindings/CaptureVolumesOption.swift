import Foundation
import StandbyCore

/// `standby.capture{ ..., volumes = true | { include, exclude, recovery_region, recovery_account, kms_key, aws } }`:
/// the selected PersistentVolumes' data, snapshotted and copied to the recovery region before the
/// point is written (``VolumeCapture``). What the point will not carry makes it partial.
extension LuaRuntime {
    static let captureVolumeFields = ["include", "exclude", "recovery_region", "recovery_account", "kms_key", "aws"]

    static func captureVolumes(_ value: JSONValue?, selection: Selection, point: String) throws
        -> (records: [VolumeSnapshotRecord], gaps: [InventoryGap]) {
        let opts: OptionsTable
        switch value {
        case nil, .null?, .bool(false)?: return ([], [])
        case .bool(true)?: opts = try OptionsTable(object: JSONObject(), function: "capture: volumes")
        case .object(let o)?: opts = try OptionsTable(object: o, function: "capture: volumes", allowed: captureVolumeFields)
        case let other?:
            throw LuaArgumentError(argument: 1, function: "capture", problem:
                "field 'volumes' must be true or a table { include = ..., exclude = ..., recovery_region = ... }, got \(other.typeName)")
        }
        let capture = VolumeCapture(include: try opts.strings("include") ?? [], exclude: try opts.strings("exclude") ?? [])
        let chosen = capture.chosen(selection)
        guard chosen.contains(where: { $0.source.kind == .ebs }), let region = try opts.string("recovery_region") else {
            return capture.protect(chosen, point: point, snapshots: nil)
        }
        let aws: OptionsTable
        switch opts.object["aws"] {
        case nil, .null?: aws = try OptionsTable(object: JSONObject(), function: "capture: volumes.aws")
        case .object(let o)?: aws = try OptionsTable(object: o, function: "capture: volumes.aws", allowed: awsFields)
        case let other?: throw LuaError("capture: volumes.aws must be a table, got \(other.typeName)")
        }
        let firstZone = chosen.first { $0.source.kind == .ebs }?.source.zone
        let session: AWSSession
        do {
            session = try AWSSession.connect(try awsSettings(aws, region: firstZone.map { String($0.dropLast()) }))
        } catch {
            var (records, gaps) = capture.protect(chosen.filter { $0.source.kind != .ebs }, point: point, snapshots: nil)
            for c in chosen where c.source.kind == .ebs {
                gaps.append(InventoryGap(source: "aws", what: "EBS volume \(c.source.volumeID) data (PersistentVolume \(c.display))",
                                         reason: "AWS could not be reached: \(error)"))
            }
            records.sort { $0.volume < $1.volume }
            return (records, gaps)
        }
        let snapshots = EBSVolumeSnapshots(session: session, recoveryRegion: region,
                                           recoveryAccount: try opts.string("recovery_account"), recoveryKMSKey: try opts.string("kms_key"))
        return capture.protect(chosen, point: point, snapshots: snapshots)
    }
}
