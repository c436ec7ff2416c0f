import Foundation

/// The `ec2 CreateVolume` steps of an EKS plan (``EBSVolumeRequests``): the EBS volume of a
/// PersistentVolume, created from the recovery point's snapshot copy in the recovery AZ.
///
/// Idempotent: the volume is first looked for by its tags (the PersistentVolume,
/// ``VolumeRestore/pvTag``, and the point, ``SnapshotCopy/pointTag``) and the copy it comes from;
/// one that exists is reported `.skipped` and used. The step ends when the volume is `available`
/// (polled every `pollInterval` seconds for up to `waitTimeout`); a volume in `error` fails it.
extension EKSRestore {
    func createVolume(_ request: EKSRequest, _ run: inout Run) throws -> ApplyRecord {
        guard let pv = Self.volumePV(request) else {
            return record(request, .failed, "the request has no \(VolumeRestore.pvTag) tag naming its PersistentVolume")
        }
        let snapshot = try string(request, "SnapshotId")
        let tags = Self.tags(request.body)
        var filters: [JSONValue] = [Self.filter("tag:\(VolumeRestore.pvTag)", pv), Self.filter("snapshot-id", snapshot)]
        if let point = tags[SnapshotCopy.pointTag] { filters.append(Self.filter("tag:\(SnapshotCopy.pointTag)", point)) }
        let found = AWSQueryAnswer.json(try session.query(.ec2, "DescribeVolumes", .object(JSONObject([("Filter", .array(filters))]))))
        let existing = (found["VolumeSet"]?.arrayValue ?? found["Volumes"]?.arrayValue ?? [])
            .filter { ($0["Status"] ?? $0["State"])?.stringValue != "deleting" }
            .compactMap { $0["VolumeId"]?.stringValue }.sorted()
        if let id = existing.first {
            try waitUntilAvailable(id, request)
            run.volumes.created[pv] = id
            run.answers[request.step] = .object(JSONObject([("VolumeId", .string(id))]))
            let more = existing.count > 1 ? " (\(existing.count) volumes carry these tags: \(existing.joined(separator: ", ")); the first is used)" : ""
            return record(request, .skipped, "already exists, from \(snapshot), for PersistentVolume \(pv)\(more)", id: id)
        }
        let answer = AWSQueryAnswer.json(try session.query(.ec2, "CreateVolume", request.body))
        guard let id = answer["VolumeId"]?.stringValue else {
            return record(request, .failed, "CreateVolume answered no VolumeId")
        }
        try waitUntilAvailable(id, request)
        run.volumes.created[pv] = id
        run.answers[request.step] = .object(JSONObject([("VolumeId", .string(id))]))
        let zone = request.body["AvailabilityZone"]?.stringValue ?? "?"
        return record(request, .created, "available in \(zone), from \(snapshot), for PersistentVolume \(pv)", id: id)
    }

    /// Polls `DescribeVolumes` until the volume is `available`.
    func waitUntilAvailable(_ id: String, _ request: EKSRequest) throws {
        try poll(service: "ec2", operation: "DescribeVolumes") { () -> PollState<Void> in
            let answer = AWSQueryAnswer.json(try session.query(.ec2, "DescribeVolumes", [(name: "VolumeId.1", value: id)]))
            let volume = answer["VolumeSet"]?.arrayValue?.first ?? answer["Volumes"]?.arrayValue?.first
            let state = (volume?["Status"] ?? volume?["State"])?.stringValue ?? "missing"
            switch state {
            case "available", "in-use": return .done(())
            case "creating": return .waiting("volume \(id) (step \(request.step)) is still creating")
            default: return .failed("volume \(id) (step \(request.step)) is \(state), not available")
            }
        }
    }

    /// The PersistentVolume (`cluster/name`) a CreateVolume request is for, from its tag.
    static func volumePV(_ request: EKSRequest) -> String? {
        guard request.service == "ec2", request.operation == "CreateVolume" else { return nil }
        return tags(request.body)[VolumeRestore.pvTag]
    }

    /// The tags of a request's first `TagSpecification`.
    static func tags(_ body: JSONValue) -> [String: String] {
        var out: [String: String] = [:]
        for spec in body["TagSpecification"]?.arrayValue ?? [] {
            for t in spec["Tag"]?.arrayValue ?? [] {
                if let k = t["Key"]?.stringValue { out[k] = t["Value"]?.stringValue ?? "" }
            }
        }
        return out
    }

    static func filter(_ name: String, _ value: String) -> JSONValue {
        .object(JSONObject([("Name", .string(name)), ("Value", .array([.string(value)]))]))
    }
}
