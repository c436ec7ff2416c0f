/// The snapshot copies a point's manifest records (``PointManifest/volumes``), as the inventory
/// resources a plan restores volumes from.
///
/// A capture snapshots and copies the volumes after it has read the estate, so the copies are not
/// among the point's captured objects: without these resources, a plan made from the point alone
/// would find no copy and restore no data. Each record becomes the resource the copy's own export
/// would be — a `Microsoft.Compute/snapshots` resource for an Azure disk, an EBS `DescribeSnapshots`
/// item for an EBS volume — complete, tagged with the point and the volume (``SnapshotCopy``),
/// taken when the source snapshot was.
enum PointVolumeCopies {
    /// The resources of `records`, leaving out any whose id `existing` already holds.
    /// - Throws: ``InventoryLoadError`` if a record's document is not read as a snapshot (it names
    ///   the record).
    static func resources(_ records: [VolumeSnapshotRecord], point: String, existing: [Resource]) throws -> [Resource] {
        guard !records.isEmpty else { return [] }
        var known = Set(existing.map { Resource.lookupKey($0.id) })
        for r in existing { for a in r.aliases { known.insert(Resource.lookupKey(a)) } }
        var owners: [String: String] = [:]
        for r in existing { if let arn = r.arn { for key in [r.id] + r.aliases { owners[key] = arn.account } } }
        var builder = InventoryBuilder()
        for (n, record) in records.enumerated() where !known.contains(Resource.lookupKey(record.copy)) {
            let source = SourceRef(path: "manifest.json volumes", document: n)
            let tags: [(String, String)] = [(SnapshotCopy.pointTag, point), (SnapshotCopy.volumeTag, record.volume)]
            let document: JSONValue
            var options = LoadOptions(region: record.copyRegion)
            if record.isAzureDisk {
                document = .object(JSONObject([
                    ("id", .string(record.copy)),
                    ("name", .string(ARMResourceID(record.copy)?.name ?? record.copy)),
                    ("type", "Microsoft.Compute/snapshots"),
                    ("location", .string(record.copyRegion)),
                    ("tags", .object(JSONObject(tags.map { ($0.0, JSONValue.string($0.1)) }))),
                    ("properties", .object(JSONObject([
                        ("creationData", .object(JSONObject([("createOption", "CopyStart"), ("sourceResourceId", .string(record.snapshot))]))),
                        ("incremental", true),
                        ("diskSizeGB", .int(Int64(record.sizeGiB))),
                        ("timeCreated", .string(record.taken)),
                        ("provisioningState", "Succeeded"),
                        ("completionPercent", .int(100)),
                    ]))),
                ]))
            } else {
                options.account = owners[record.volume]
                document = .object(JSONObject([("Snapshots", .array([.object(JSONObject([
                    ("SnapshotId", .string(record.copy)),
                    ("VolumeId", .string(record.volume)),
                    ("State", "completed"),
                    ("Progress", "100%"),
                    ("StartTime", .string(record.taken)),
                    ("VolumeSize", .int(Int64(record.sizeGiB))),
                    ("Description", .string("copy of \(record.snapshot) for recovery point \(point)")),
                    ("Tags", .array(tags.map { .object(JSONObject([("Key", .string($0.0)), ("Value", .string($0.1))])) })),
                ]))]))]))
            }
            try builder.add(document, source: source, options: options)
        }
        return builder.finish().resources
    }
}
