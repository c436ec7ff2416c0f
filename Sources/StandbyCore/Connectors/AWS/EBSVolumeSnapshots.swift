import Foundation

/// What a capture recorded about one EBS volume's data: the snapshot in the source region and its
/// copy in the recovery region, as the point's manifest holds them.
public struct VolumeSnapshotRecord: Sendable, Hashable {
    /// The protected volume (`vol-…`, or a disk's ARM id).
    public var volume: String
    /// The snapshot in the source region.
    public var snapshot: String
    /// The copy in the recovery region.
    public var copy: String
    public var copyRegion: String
    public var sizeGiB: Int
    /// When the snapshot was taken (ISO 8601, as the cloud reports it).
    public var taken: String
    /// `crash-consistent` unless hooks quiesced the workload around the snapshot.
    public var consistency: String
    /// Accounts the copy is shared with (`createVolumePermission`).
    public var sharedWith: [String]

    public init(volume: String, snapshot: String, copy: String, copyRegion: String, sizeGiB: Int, taken: String,
                consistency: String = "crash-consistent", sharedWith: [String] = []) {
        self.volume = volume; self.snapshot = snapshot; self.copy = copy; self.copyRegion = copyRegion; self.sizeGiB = sizeGiB
        self.taken = taken; self.consistency = consistency; self.sharedWith = sharedWith
    }

    /// Whether the protected volume is an Azure managed disk (an ARM disk id) rather than an EBS volume.
    public var isAzureDisk: Bool { volume.lowercased().contains("/providers/microsoft.compute/disks/") }

    public var jsonValue: JSONValue {
        .object(JSONObject([
            ("volume", .string(volume)), ("snapshot", .string(snapshot)), ("copy", .string(copy)),
            ("copy_region", .string(copyRegion)), ("size_gib", .int(Int64(sizeGiB))), ("taken", .string(taken)),
            ("consistency", .string(consistency)), ("shared_with", .array(sharedWith.map { .string($0) })),
        ]))
    }
}

/// Snapshots of EBS volumes through the EC2 API, for a recovery point: `CreateSnapshot`, wait for
/// `completed`, `CopySnapshot` into the recovery region (with the recovery KMS key when the volume
/// is encrypted), `ModifySnapshotAttribute createVolumePermission` when the recovery account
/// differs; both tagged with the point id and the volume (``SnapshotCopy/pointTag``,
/// ``SnapshotCopy/volumeTag``). Re-running for the same point reuses what an earlier run made.
/// A snapshot or copy that ends in `error`, or is not complete after the allowed polls, throws:
/// the capture must then record the point as incomplete, never claim the data.
public struct EBSVolumeSnapshots: Sendable {
    public let session: AWSSession
    public let recoveryRegion: String
    /// The account restores run in; the copy is shared with it when it is not the session's.
    public let recoveryAccount: String?
    /// The KMS key in the recovery region that encrypted volumes' copies are encrypted with.
    public let recoveryKMSKey: String?
    /// How many times to look at a pending snapshot, and what to do between looks.
    public var polls: Int = 360
    public var pause: @Sendable (Int) -> Void = { _ in Thread.sleep(forTimeInterval: 5) }

    public init(session: AWSSession, recoveryRegion: String, recoveryAccount: String? = nil, recoveryKMSKey: String? = nil) {
        self.session = session; self.recoveryRegion = recoveryRegion; self.recoveryAccount = recoveryAccount
        self.recoveryKMSKey = recoveryKMSKey
    }

    /// Snapshots `volume`, copies the snapshot to the recovery region and shares it; the record for the manifest.
    public func protect(volume: String, point: String, consistency: String = "crash-consistent") throws -> VolumeSnapshotRecord {
        let recovery = session.inRegion(recoveryRegion)
        let described = try describeVolume(volume)
        let encrypted = described["Encrypted"]?.boolValue ?? (described["Encrypted"]?.stringValue == "true")
        let tags = Self.tags(point: point, volume: volume)

        var snapshot = try find(session, point: point, volume: volume).first
        if snapshot == nil {
            let answer = try session.query(.ec2, "CreateSnapshot", .object(JSONObject([
                ("VolumeId", .string(volume)), ("Description", .string("standby \(point) \(volume)")),
                ("TagSpecification", .array([.object(JSONObject([("ResourceType", "snapshot"), ("Tag", tags)]))])),
            ])))
            snapshot = AWSQueryAnswer.json(answer)
        }
        guard let snapshotID = snapshot?["SnapshotId"]?.stringValue else {
            throw failure("CreateSnapshot", volume, "the answer names no SnapshotId")
        }
        let done = try wait(session, snapshotID, volume: volume, what: "snapshot")

        var copyID = try find(recovery, point: point, volume: volume).first?["SnapshotId"]?.stringValue
        if copyID == nil {
            var parameters: [(String, JSONValue)] = [
                ("SourceRegion", .string(session.region)), ("SourceSnapshotId", .string(snapshotID)),
                ("Description", .string("standby \(point) \(volume) (copy of \(snapshotID) from \(session.region))")),
            ]
            if encrypted {
                guard let key = recoveryKMSKey else {
                    throw failure("CopySnapshot", volume, "the volume is encrypted and no recovery KMS key was given: the copy "
                        + "must be encrypted with a key of \(recoveryRegion) (kms_key)")
                }
                parameters += [("Encrypted", .bool(true)), ("KmsKeyId", .string(key))]
            }
            let answer = AWSQueryAnswer.json(try recovery.query(.ec2, "CopySnapshot", .object(JSONObject(parameters))))
            guard let id = answer["SnapshotId"]?.stringValue else { throw failure("CopySnapshot", volume, "the answer names no SnapshotId") }
            _ = try recovery.query(.ec2, "CreateTags", .object(JSONObject([("ResourceId", .array([.string(id)])), ("Tag", tags)])))
            copyID = id
        }
        guard let copyID else { throw failure("CopySnapshot", volume, "no copy") }
        _ = try wait(recovery, copyID, volume: volume, what: "copy in \(recoveryRegion)")

        var shared: [String] = []
        if let account = recoveryAccount, account != session.account {
            _ = try recovery.query(.ec2, "ModifySnapshotAttribute", .object(JSONObject([
                ("SnapshotId", .string(copyID)), ("Attribute", "createVolumePermission"), ("OperationType", "add"),
                ("UserId", .array([.string(account)])),
            ])))
            shared = [account]
        }
        let size = Self.int(done["VolumeSize"]) ?? Self.int(described["Size"]) ?? 0
        return VolumeSnapshotRecord(volume: volume, snapshot: snapshotID, copy: copyID, copyRegion: recoveryRegion, sizeGiB: size,
                                    taken: done["StartTime"]?.stringValue ?? "", consistency: consistency, sharedWith: shared)
    }

    /// Deletes the snapshots and copies the capture of each of `points` made (found by their
    /// point tag in the source and recovery regions); never those of `immutable` points. The ids deleted.
    public func deleteSnapshots(ofPrunedPoints points: [String], immutable: Set<String>) throws -> [String] {
        var deleted: [String] = []
        for point in points where !immutable.contains(point) {
            for s in [session, session.inRegion(recoveryRegion)] {
                for snap in try find(s, point: point, volume: nil) {
                    guard let id = snap["SnapshotId"]?.stringValue else { continue }
                    _ = try s.query(.ec2, "DeleteSnapshot", [(name: "SnapshotId", value: id)])
                    deleted.append(id)
                }
            }
        }
        return deleted
    }

    // MARK: -

    /// A number aws-cli prints as a number and the Query answer as text.
    static func int(_ v: JSONValue?) -> Int? { v?.intValue.map(Int.init) ?? v?.stringValue.flatMap { Int($0) } }

    static func tags(point: String, volume: String?) -> JSONValue {
        var t: [JSONValue] = [.object(JSONObject([("Key", .string(SnapshotCopy.pointTag)), ("Value", .string(point))]))]
        if let volume { t.append(.object(JSONObject([("Key", .string(SnapshotCopy.volumeTag)), ("Value", .string(volume))]))) }
        return .array(t)
    }

    func describeVolume(_ volume: String) throws -> JSONValue {
        let answer = AWSQueryAnswer.json(try session.query(.ec2, "DescribeVolumes", [(name: "VolumeId.1", value: volume)]))
        guard let v = answer["VolumeSet"]?.arrayValue?.first ?? answer["Volumes"]?.arrayValue?.first else {
            throw failure("DescribeVolumes", volume, "no such volume in \(session.region) of account \(session.account)")
        }
        return v
    }

    /// Snapshots owned by the session's account tagged with `point` (and `volume`).
    func find(_ s: AWSSession, point: String, volume: String?) throws -> [JSONValue] {
        var filters: [JSONValue] = [.object(JSONObject([("Name", .string("tag:\(SnapshotCopy.pointTag)")), ("Value", .array([.string(point)]))]))]
        if let volume {
            filters.append(.object(JSONObject([("Name", .string("tag:\(SnapshotCopy.volumeTag)")), ("Value", .array([.string(volume)]))])))
        }
        let answer = AWSQueryAnswer.json(try s.query(.ec2, "DescribeSnapshots", .object(JSONObject([
            ("Owner", .array(["self"])), ("Filter", .array(filters)),
        ]))))
        return answer["SnapshotSet"]?.arrayValue ?? answer["Snapshots"]?.arrayValue ?? []
    }

    /// Polls until `id` is `completed`; throws when it ends in `error` or stays pending.
    func wait(_ s: AWSSession, _ id: String, volume: String, what: String) throws -> JSONValue {
        for attempt in 0..<max(1, polls) {
            let answer = AWSQueryAnswer.json(try s.query(.ec2, "DescribeSnapshots", [(name: "SnapshotId.1", value: id)]))
            guard let snap = answer["SnapshotSet"]?.arrayValue?.first ?? answer["Snapshots"]?.arrayValue?.first else {
                throw failure("DescribeSnapshots", volume, "\(what) \(id) is gone from \(s.region)")
            }
            // aws-cli prints `State`; the EC2 XML answer names it `status`.
            switch (snap["State"] ?? snap["Status"])?.stringValue {
            case "completed": return snap
            case "error":
                throw failure("DescribeSnapshots", volume, "\(what) \(id) failed: \(snap["StateMessage"]?.stringValue ?? "state error")")
            default: pause(attempt)
            }
        }
        throw failure("DescribeSnapshots", volume, "\(what) \(id) is not complete after \(polls) looks")
    }

    func failure(_ operation: String, _ volume: String, _ message: String) -> AWSError {
        AWSError(service: "ec2", operation: operation, code: nil, message: "EBS volume \(volume): \(message)", status: 0)
    }
}
