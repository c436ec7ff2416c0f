import Foundation

/// Snapshots of Azure managed disks through ARM, for a recovery point: an incremental snapshot in
/// the disk's region (`Microsoft.Compute/snapshots`, `createOption: Copy`, `incremental: true`),
/// then its copy into the recovery region (`createOption: CopyStart`) in the recovery
/// subscription and resource group; both tagged with the point and the disk
/// (``SnapshotCopy/pointTag``, ``SnapshotCopy/volumeTag``) and named `<disk>-<point>`, so a re-run
/// for the same point finds and reuses them. Each PUT's operation is polled through
/// `Azure-AsyncOperation` (else `Location`), honouring `Retry-After` up to the client's
/// ``ARMPolling/longestWait``; a copy counts only once it is `Succeeded` at 100 %.
///
/// An operation that ends `Failed`, or is not done within ``ARMPolling/timeout``, throws ARM's
/// error: the capture then records the disk as a gap, never claiming its data.
public struct AzureDiskSnapshots: Sendable {
    public let client: ARMClient
    /// The Azure location the copies go to (`northeurope`).
    public let recoveryLocation: String
    /// The resource group of the recovery subscription the copies are made in.
    public let recoveryResourceGroup: String
    /// The recovery subscription; nil: the disk's.
    public let recoverySubscription: String?
    /// Where the source-region snapshots go; nil: the disk's resource group.
    public var snapshotResourceGroup: String?

    /// The Compute API version the disk and snapshot requests use (the DiskRP examples' version).
    public static let apiVersion = "2024-03-02"

    public init(client: ARMClient, recoveryLocation: String, recoveryResourceGroup: String, recoverySubscription: String? = nil,
                snapshotResourceGroup: String? = nil) {
        self.client = client; self.recoveryLocation = recoveryLocation; self.recoveryResourceGroup = recoveryResourceGroup
        self.recoverySubscription = recoverySubscription; self.snapshotResourceGroup = snapshotResourceGroup
    }

    /// Snapshots `disk` (its ARM id), copies the snapshot to the recovery region; the record for the manifest.
    public func protect(disk: String, point: String, consistency: String = "crash-consistent") throws -> VolumeSnapshotRecord {
        let diskID = SnapshotCopy.slashed(disk)
        guard let parsed = ARMResourceID(diskID), let subscription = parsed.subscription, let group = parsed.resourceGroup else {
            throw failure(disk, "not a managed disk ARM id")
        }
        let described = try client.get(id: diskID, apiVersion: Self.apiVersion)
        guard let location = described["location"]?.stringValue else { throw failure(disk, "ARM gives the disk no location") }
        let name = Self.snapshotName(disk: parsed.name, point: point)
        let tags: JSONValue = .object(JSONObject([(SnapshotCopy.pointTag, .string(point)), (SnapshotCopy.volumeTag, .string(disk))]))

        let snapshotID = "/subscriptions/\(subscription)/resourceGroups/\(snapshotResourceGroup ?? group)/providers/Microsoft.Compute/snapshots/\(name)"
        let snapshot = try make(snapshotID, what: "snapshot", reuse: true, body: .object(JSONObject([
            ("location", .string(location)), ("tags", tags),
            ("properties", .object(JSONObject([
                ("incremental", true),
                ("creationData", .object(JSONObject([("createOption", "Copy"), ("sourceResourceId", .string(diskID))]))),
            ]))),
        ])), disk: disk)

        let copyID = "/subscriptions/\(recoverySubscription ?? subscription)/resourceGroups/\(recoveryResourceGroup)/providers/Microsoft.Compute/snapshots/\(name)"
        _ = try make(copyID, what: "copy in \(recoveryLocation)", reuse: true, body: .object(JSONObject([
            ("location", .string(recoveryLocation)), ("tags", tags),
            ("properties", .object(JSONObject([
                ("incremental", true),
                ("creationData", .object(JSONObject([("createOption", "CopyStart"), ("sourceResourceId", .string(snapshotID))]))),
            ]))),
        ])), disk: disk)

        let p = snapshot["properties"] ?? .null
        let size = SnapshotCopy.number(p["diskSizeGB"]).map { Int($0) }
            ?? SnapshotCopy.number(described["properties"]?["diskSizeGB"]).map { Int($0) } ?? 0
        return VolumeSnapshotRecord(volume: disk, snapshot: snapshotID, copy: copyID, copyRegion: recoveryLocation, sizeGiB: size,
                                    taken: p["timeCreated"]?.stringValue ?? "", consistency: consistency)
    }

    /// Deletes, through `client`, the snapshots and copies `records` name (the Azure disks' ones:
    /// ARM ids), each deletion waited for; the ids deleted. One already gone is not an error and
    /// is not listed.
    public static func delete(_ records: [VolumeSnapshotRecord], client: ARMClient) throws -> [String] {
        let s = AzureDiskSnapshots(client: client, recoveryLocation: "", recoveryResourceGroup: "")
        var deleted: [String] = []
        for r in records where r.isAzureDisk {
            for id in [r.copy, r.snapshot] where try s.deleteSnapshot(id) { deleted.append(id) }
        }
        return deleted
    }

    /// `<disk>-<point>`: the characters ARM allows in a snapshot name (letters, digits, `_`, `.`,
    /// `-`), at most 80, not ending in `.` or `-`.
    static func snapshotName(disk: String, point: String) -> String {
        let allowed = Set("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789_.-")
        let pointPart = String(point.map { allowed.contains($0) ? $0 : "-" }.prefix(40))
        let diskPart = String(disk.map { allowed.contains($0) ? $0 : "-" }.prefix(79 - pointPart.count))
        var name = diskPart + "-" + pointPart
        while name.hasSuffix(".") || name.hasSuffix("-") { name.removeLast() }
        return name
    }

    // MARK: -

    /// The snapshot `id`: the one already there when it was made for this point and is usable,
    /// else PUT `body` and wait for its operation; the finished resource.
    private func make(_ id: String, what: String, reuse: Bool, body: JSONValue, disk: String) throws -> JSONValue {
        let url = client.url(path: id, apiVersion: Self.apiVersion)
        if reuse, let existing = try read(id), Self.isUsable(existing),
           existing["tags"]?[SnapshotCopy.pointTag] == body["tags"]?[SnapshotCopy.pointTag] {
            return existing
        }
        let response = try client.send("PUT", url: url, body: body)
        guard (200...299).contains(response.status) else { throw ARMError.from(response: response, method: "PUT", url: url) }
        try waitForOperation(response, url: url, what: "\(what) \(id)")
        // The operation has ended; a copy may still report completionPercent below 100 for a while.
        let started = Date()
        var retryAfter: String? = nil
        while true {
            guard let finished = try read(id) else { throw failure(disk, "\(what) \(id) is gone after its operation ended") }
            let state = finished["properties"]?["provisioningState"]?.stringValue ?? "unknown"
            if Self.isUsable(finished) { return finished }
            if state == "Failed" || state == "Canceled" { throw failure(disk, "\(what) \(id) ended \(state)") }
            if Date().timeIntervalSince(started) > client.settings.polling.timeout {
                throw failure(disk, "\(what) \(id) is not complete after \(Int(client.settings.polling.timeout)) s "
                    + "(\(state), \(SnapshotCopy.number(finished["properties"]?["completionPercent"]).map { "\($0) %" } ?? "no progress"))")
            }
            let pause = client.settings.polling.wait(retryAfter: retryAfter)
            if pause > 0 { Thread.sleep(forTimeInterval: pause) }
            retryAfter = nil
        }
    }

    /// `Succeeded` and, for a copy, at 100 %.
    static func isUsable(_ r: JSONValue) -> Bool {
        let p = r["properties"] ?? .null
        return p["provisioningState"]?.stringValue == "Succeeded" && (SnapshotCopy.number(p["completionPercent"]).map { $0 >= 100 } ?? true)
    }

    /// The resource, or nil on 404.
    private func read(_ id: String) throws -> JSONValue? {
        do {
            return try client.get(id: id, apiVersion: Self.apiVersion)
        } catch let error as ARMError where error.status == 404 {
            return nil
        }
    }

    /// Deletes snapshot `id`, waiting for the deletion; false when it was not there.
    private func deleteSnapshot(_ id: String) throws -> Bool {
        let url = client.url(path: id, apiVersion: Self.apiVersion)
        let response = try client.send("DELETE", url: url)
        switch response.status {
        case 204, 404: return false
        case 200...299:
            try waitForOperation(response, url: url, what: "deletion of \(id)")
            return true
        default: throw ARMError.from(response: response, method: "DELETE", url: url)
        }
    }

    /// Waits for the operation a 201/202 answer started (``ARMClient/awaitOperation``); throws
    /// ARM's error when it failed.
    func waitForOperation(_ first: HTTPResponse, url: String, what: String) throws {
        guard first.status == 201 || first.status == 202 else { return }
        let end = try client.awaitOperation(first, url: url, what: what, pollResource: false)
        if let state = end.state, state.lowercased() != "succeeded" {
            if let error = end.error, let parsed = ARMError.parse(error) {
                throw ARMError(method: "GET", url: url, status: nil, code: parsed.code,
                               message: "\(what) ended \(state): \(parsed.message)", details: parsed.details)
            }
            throw ARMError(method: "GET", url: url, status: nil, code: "Operation\(state)", message: "\(what) ended \(state)")
        }
        if let answer = end.locationAnswer, !(200...299).contains(answer.status) {
            let e = ARMError.from(response: answer, method: "GET", url: url)
            throw ARMError(method: e.method, url: url, status: e.status, code: e.code, message: "\(what) failed: \(e.message)")
        }
    }

    func failure(_ disk: String, _ message: String) -> ARMError {
        ARMError(method: "PUT", url: disk, status: nil, code: "DiskSnapshotFailed", message: "Azure disk \(disk): \(message)")
    }
}
