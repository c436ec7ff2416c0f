/// A recovery point's `manifest.json`, typed. The signature covers the file's exact bytes; this is
/// what they say. See `FORMAT.md`.
public struct PointManifest: Sendable, Hashable {
    /// One stored file with its digest: an object (`id` set) or one of the point's JSON files.
    public struct Entry: Sendable, Hashable {
        /// The resource's canonical id, for objects.
        public var id: String?
        /// Relative to the point's folder: `objects/<sha256 of id>.json`, `selection.json`.
        public var key: String
        /// SHA-256 of the stored bytes, hex.
        public var sha256: String
        public var size: Int
    }

    /// The point's data key, wrapped for one recipient.
    public struct WrappedKey: Sendable, Hashable {
        /// ``RecoveryKeyPair/fingerprint(publicPEM:)`` of the recipient's public key, or
        /// `kms:<key id, ARN or alias>` for a key wrapped by AWS KMS.
        public var recipient: String
        /// `RSA-OAEP-256`, or `AWS-KMS` (the wrapped bytes are KMS's `CiphertextBlob`).
        public var algorithm: String
        /// Base64 of the wrapped data key.
        public var wrapped: String
    }

    public var formatVersion: Int
    public var id: String
    /// ISO 8601, UTC.
    public var created: String
    public var tool: String
    /// Where the captured resources came from (``SourceEnvironment/infer(from:)``).
    public var source: SourceEnvironment
    /// Names of the Kubernetes clusters the point covers, sorted.
    public var clusters: [String]
    /// One entry per captured resource, in the source inventory's order.
    public var objects: [Entry]
    /// `selection.json`, `why.json`, `issues.json`.
    public var files: [Entry]
    /// `AES-256-GCM`.
    public var encryptionAlgorithm: String
    public var keys: [WrappedKey]
    /// ``SigningKeyPair/fingerprint(publicPEM:)`` of the key that signed the manifest.
    public var signer: String
    /// What the capture's inventory lacked (its ``Inventory/gaps``): empty for a whole point. A
    /// partial point has format version 2 and lists them; version 1 manifests have none.
    public var gaps: [InventoryGap]
    /// The volumes whose data the capture snapshotted and copied to the recovery region
    /// (`volumes`, written only when there are some, so older points read as they were).
    public var volumes: [VolumeSnapshotRecord] = []

    /// Whether the capture's inventory lacked something (``gaps`` is not empty).
    public var isPartial: Bool { !gaps.isEmpty }

    /// Bytes of every object and JSON file the manifest lists.
    public var listedSize: Int { objects.reduce(0) { $0 + $1.size } + files.reduce(0) { $0 + $1.size } }

    /// The most bytes a manifest may list in all (2^60, an exbibyte): far beyond any point, and
    /// low enough that ``listedSize`` plus the manifest's own bytes cannot overflow.
    public static let maximumListedSize = 1 << 60

    /// Refuses a negative size, and sizes that add up beyond ``maximumListedSize``: the catalog
    /// adds them up even for a point that fails verification, so a tampered manifest must not be
    /// able to overflow the sum.
    private static func checkSizes(_ entries: [Entry]) throws {
        var total = 0
        for entry in entries {
            guard entry.size >= 0 else {
                throw PointFormat.FormatError("manifest.json: \(entry.key) has a negative size (\(entry.size))")
            }
            guard entry.size <= maximumListedSize - total else {
                throw PointFormat.FormatError("manifest.json: the listed sizes add up to more than \(maximumListedSize) bytes (at \(entry.key)), more than any recovery point holds")
            }
            total += entry.size
        }
    }

    var json: JSONValue {
        typealias F = PointFormat
        func entry(_ e: Entry) -> JSONValue {
            var pairs: [(String, JSONValue)] = []
            if let id = e.id { pairs.append(("id", .string(id))) }
            pairs += [("key", .string(e.key)), ("sha256", .string(e.sha256)), ("size", .int(Int64(e.size)))]
            return F.obj(pairs)
        }
        var pairs: [(String, JSONValue)] = [
            ("formatVersion", .int(Int64(formatVersion))),
            ("id", .string(id)),
            ("created", .string(created)),
            ("tool", .string(tool)),
            ("source", F.obj([
                ("subscriptions", F.strings(source.subscriptions.sorted())), ("locations", F.strings(source.locations.sorted())),
                ("tenants", F.strings(source.tenants.sorted())), ("accounts", F.strings(source.accounts.sorted())),
                ("regions", F.strings(source.regions.sorted())),
            ])),
            ("clusters", F.strings(clusters)),
            ("objects", .array(objects.map(entry))),
            ("files", .array(files.map(entry))),
            ("encryption", F.obj([
                ("algorithm", .string(encryptionAlgorithm)),
                ("keys", .array(keys.map { k in
                    F.obj([("recipient", .string(k.recipient)), ("algorithm", .string(k.algorithm)), ("wrapped", .string(k.wrapped))])
                })),
            ])),
            ("signer", .string(signer)),
        ]
        if formatVersion >= Int(PointFormat.partialFormatVersion) {
            pairs.append(("gaps", .array(gaps.map { g in
                F.obj([("source", .string(g.source)), ("what", .string(g.what)), ("reason", .string(g.reason))])
            })))
        }
        if !volumes.isEmpty { pairs.append(("volumes", .array(volumes.map(\.jsonValue)))) }
        return F.obj(pairs)
    }

    init(formatVersion: Int, id: String, created: String, tool: String, source: SourceEnvironment, clusters: [String],
         objects: [Entry], files: [Entry], encryptionAlgorithm: String, keys: [WrappedKey], signer: String,
         gaps: [InventoryGap] = []) {
        self.formatVersion = formatVersion; self.id = id; self.created = created; self.tool = tool; self.source = source
        self.clusters = clusters; self.objects = objects; self.files = files; self.encryptionAlgorithm = encryptionAlgorithm
        self.keys = keys; self.signer = signer; self.gaps = gaps
    }

    /// Reads a manifest; throws ``PointFormat/FormatError`` naming the field that is wrong.
    init(json v: JSONValue) throws {
        typealias R = PointFormat.Reader
        let r = R(v, PointFormat.manifestFile)
        formatVersion = try r.int("formatVersion")
        guard formatVersion == Int(PointFormat.formatVersion) || formatVersion == Int(PointFormat.partialFormatVersion) else {
            throw PointFormat.FormatError("manifest.json: format version \(formatVersion) is not supported (this tool reads versions \(PointFormat.formatVersion) and \(PointFormat.partialFormatVersion))")
        }
        id = try r.string("id")
        created = try r.string("created")
        tool = try r.string("tool")
        let s = R(v["source"] ?? .null, "manifest.json source")
        source = SourceEnvironment(subscriptions: Set(try s.strings("subscriptions")), locations: Set(try s.strings("locations")),
                                   tenants: Set(try s.strings("tenants")), accounts: Set(try s.strings("accounts")),
                                   regions: Set(try s.strings("regions")))
        clusters = try r.strings("clusters")
        func entries(_ k: String, ids: Bool) throws -> [Entry] {
            try r.array(k).map { e in
                let x = R(e, "manifest.json \(k) entry")
                return Entry(id: ids ? try x.string("id") : nil, key: try x.string("key"), sha256: try x.string("sha256"), size: try x.int("size"))
            }
        }
        objects = try entries("objects", ids: true)
        files = try entries("files", ids: false)
        try Self.checkSizes(objects + files)
        let enc = R(v["encryption"] ?? .null, "manifest.json encryption")
        encryptionAlgorithm = try enc.string("algorithm")
        keys = try enc.array("keys").map { k in
            let x = R(k, "manifest.json encryption key")
            return WrappedKey(recipient: try x.string("recipient"), algorithm: try x.string("algorithm"), wrapped: try x.string("wrapped"))
        }
        signer = try r.string("signer")
        if formatVersion >= Int(PointFormat.partialFormatVersion) {
            gaps = try r.array("gaps").map { g in
                let x = R(g, "manifest.json gaps entry")
                return InventoryGap(source: try x.string("source"), what: try x.string("what"), reason: try x.string("reason"))
            }
            guard !gaps.isEmpty else {
                throw PointFormat.FormatError("manifest.json: format version \(formatVersion) is a partial point's, but gaps is empty")
            }
        } else {
            gaps = []
        }
        volumes = try (v["volumes"] == nil ? [] : r.array("volumes")).map(VolumeSnapshotRecord.init(manifestJSON:))
    }
}
