import Foundation
import StandbyCore

/// `standby.capture{ ..., volumes = true | { include, exclude, recovery_region, recovery_account, kms_key, aws,
/// recovery_resource_group, recovery_subscription, snapshot_resource_group, azure } }`:
/// the selected PersistentVolumes' data, snapshotted and copied to the recovery region before the
/// point is written (``VolumeCapture``). What the point will not carry makes it partial; a selected
/// EBS volume or Azure disk with nowhere to copy to (no `recovery_region`, or for disks no
/// `recovery_resource_group`) is an error at the call, naming the volumes and what to pass.
extension LuaRuntime {
    static let captureVolumeFields = ["include", "exclude", "recovery_region", "recovery_account", "kms_key", "aws",
                                      "recovery_resource_group", "recovery_subscription", "snapshot_resource_group", "azure"]

    static func captureVolumes(_ value: JSONValue?, selection: Selection, point: String, consistency: String = "crash-consistent") throws
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
        let copied = chosen.filter { $0.source.kind == .ebs || $0.source.kind == .azureDisk }
        guard !copied.isEmpty else { return capture.protect(chosen, point: point, snapshots: nil, consistency: consistency) }
        guard let region = try opts.string("recovery_region") else {
            throw LuaArgumentError(argument: 1, function: "capture", problem: "volumes: \(Self.listing(copied)) must be copied to the "
                + "recovery region, and no recovery_region was given: pass volumes = { recovery_region = \"...\" } (the region or "
                + "Azure location the plan restores into), or leave them out with volumes = { exclude = {...} }")
        }
        let disks = try azureDisks(opts, chosen: chosen, region: region)
        guard chosen.contains(where: { $0.source.kind == .ebs }) else {
            return capture.protect(chosen, point: point, snapshots: nil, disks: disks, consistency: consistency)
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
            var (records, gaps) = capture.protect(chosen.filter { $0.source.kind != .ebs }, point: point, snapshots: nil, disks: disks,
                                                  consistency: consistency)
            for c in chosen where c.source.kind == .ebs {
                gaps.append(InventoryGap(source: "aws", what: "EBS volume \(c.source.volumeID) data (PersistentVolume \(c.display))",
                                         reason: "AWS could not be reached: \(error)"))
            }
            records.sort { $0.volume < $1.volume }
            return (records, gaps)
        }
        let snapshots = EBSVolumeSnapshots(session: session, recoveryRegion: region,
                                           recoveryAccount: try opts.string("recovery_account"), recoveryKMSKey: try opts.string("kms_key"))
        return capture.protect(chosen, point: point, snapshots: snapshots, disks: disks, consistency: consistency)
    }

    /// `cluster/pv (EBS vol-…), …`: the volumes an error names.
    static func listing(_ chosen: [VolumeCapture.Chosen]) -> String {
        let names = chosen.prefix(5).map { "\($0.display) (\($0.source.kind.label) \($0.source.volumeID))" }
        let more = chosen.count > 5 ? " and \(chosen.count - 5) more" : ""
        return (chosen.count == 1 ? "the selected volume " : "the selected volumes ") + names.joined(separator: ", ") + more
    }

    /// The Azure disk connector when Azure disks are chosen: the ARM client of `volumes.azure`
    /// (`endpoint`, `subscription`; the token from the environment as `standby.azure.discover`'s),
    /// the copies made in `recovery_resource_group` (required) of `recovery_subscription`.
    static func azureDisks(_ opts: OptionsTable, chosen: [VolumeCapture.Chosen], region: String) throws -> AzureDiskSnapshots? {
        let disks = chosen.filter { $0.source.kind == .azureDisk }
        guard let first = disks.first else { return nil }
        guard let group = try opts.string("recovery_resource_group") else {
            throw LuaArgumentError(argument: 1, function: "capture", problem: "volumes: \(Self.listing(disks)) must be copied into a "
                + "resource group of the recovery subscription, and no recovery_resource_group was given: pass volumes = { "
                + "recovery_resource_group = \"...\" } (and recovery_subscription when it is not the disks' subscription)")
        }
        let azure: OptionsTable
        switch opts.object["azure"] {
        case nil, .null?: azure = try OptionsTable(object: JSONObject(), function: "capture: volumes.azure")
        case .object(let o)?: azure = try OptionsTable(object: o, function: "capture: volumes.azure", allowed: ["endpoint", "subscription"])
        case let other?: throw LuaError("capture: volumes.azure must be a table, got \(other.typeName)")
        }
        let subscription = try azure.string("subscription")
            ?? ARMResourceID(SnapshotCopy.slashed(first.source.volumeID))?.subscription ?? ""
        let client = ARMClient(settings: try azureSettings(azure, subscription: subscription))
        return AzureDiskSnapshots(client: client, recoveryLocation: region, recoveryResourceGroup: group,
                                  recoverySubscription: try opts.string("recovery_subscription"),
                                  snapshotResourceGroup: try opts.string("snapshot_resource_group"))
    }
}
