import COpenSSL
import Foundation

/// Captures a selection into a recovery point (see `FORMAT.md`).
///
/// A fresh AES-256-GCM data key per point encrypts every Kubernetes Secret's `data` and
/// `stringData` values (and a Secret's `last-applied-configuration` annotation, which repeats
/// them) plus whatever `options.sensitive` marks; the key is wrapped for the recovery side's RSA
/// key (and, with `options.kms`, by AWS KMS too) and the manifest is signed with Ed25519.
/// Plaintext of an encrypted value is never written, and never put in an error message.
///
/// Publishing order: objects, `selection.json`, `why.json`, `issues.json`, `manifest.json`, then
/// `manifest.sig` last: until the signature is there the point is incomplete and never restorable.
///
/// A selection whose inventory has gaps (a partial discovery, ``Inventory/gaps``) makes a
/// *partial* point: its signed manifest (format version 2) lists the gaps, the catalog shows it as
/// partial, and ``PointCatalog/newest(signingPublicPEM:allowOlder:allowPartial:)`` never picks it
/// unless asked to.
public enum RecoveryPointWriter {
    public static func capture(_ selection: Selection, to store: PointStore, options: CaptureOptions) throws -> PointSummary {
        let id = try options.id ?? defaultID(options.now)
        try PointFormat.checkID(id)
        guard try store.list(prefix: id + "/").isEmpty else {
            throw RecoveryPointError("recovery point \(id) already exists in \(store.url)")
        }

        // Keys first: a bad key fails before anything is written.
        var dataKey = try SecretBox.newKey()
        defer { for i in dataKey.indices { dataKey[i] = 0 } }
        let wrapped = try RecoveryKeyPair.wrap(dataKey, publicPEM: options.recoveryPublicPEM)
        let recipient = try RecoveryKeyPair.fingerprint(publicPEM: options.recoveryPublicPEM)
        let signer = try SigningKeyPair.fingerprint(publicPEM: try publicPEM(ofSigningKey: options.signingPrivatePEM))
        var keys: [PointManifest.WrappedKey] = [.init(recipient: recipient, algorithm: "RSA-OAEP-256", wrapped: Base64.encode(wrapped))]
        if let kms = options.kms {
            let blob = try kms.client.encrypt(keyID: kms.keyID, plaintext: dataKey, context: kmsContext(id))
            keys.append(.init(recipient: "kms:" + kms.keyID, algorithm: kmsAlgorithm, wrapped: Base64.encode(blob)))
        }

        let sensitive = options.sensitive.map { (kind: $0.kind, pattern: PathPattern($0.path)) }

        // Objects, in the source inventory's load order.
        let inventory = selection.inventory
        let ordered = selection.resources.enumerated()
            .map { (pos: inventory.position(of: $0.element.id) ?? Int.max, n: $0.offset, r: $0.element) }
            .sorted { ($0.pos, $0.n) < ($1.pos, $1.n) }
        var objects: [PointManifest.Entry] = []
        objects.reserveCapacity(ordered.count)
        for (_, _, resource) in ordered {
            let record = try encryptedRecord(resource, sensitive: sensitive, key: dataKey)
            let bytes = PointFormat.bytes(record, pretty: false)
            let key = PointFormat.objectKey(resource.id)
            try store.put(id + "/" + key, bytes)
            objects.append(.init(id: resource.id, key: key, sha256: Digest.sha256(bytes), size: bytes.count))
        }

        var files: [PointManifest.Entry] = []
        for (name, value) in [
            (PointFormat.selectionFile, PointFormat.selectionJSON(selection.request, clusters: inventory.clusters, notes: inventory.notes)),
            (PointFormat.whyFile, PointFormat.whyJSON(selection)),
            (PointFormat.issuesFile, PointFormat.issuesJSON(selection)),
        ] {
            let bytes = PointFormat.bytes(value, pretty: true)
            try store.put(id + "/" + name, bytes)
            files.append(.init(id: nil, key: name, sha256: Digest.sha256(bytes), size: bytes.count))
        }

        // A volume whose snapshot or copy failed makes the point partial: it never claims data it lacks.
        let gaps = inventory.gaps + options.volumeGaps
        var manifest = PointManifest(
            formatVersion: Int(gaps.isEmpty ? PointFormat.formatVersion : PointFormat.partialFormatVersion), id: id, created: PointFormat.iso8601(options.now),
            tool: options.toolVersion, source: SourceEnvironment.infer(from: selection.resources),
            clusters: clusters(of: selection), objects: objects, files: files, encryptionAlgorithm: "AES-256-GCM",
            keys: keys,
            signer: signer, gaps: gaps)
        manifest.volumes = options.volumes
        let manifestBytes = PointFormat.bytes(manifest.json, pretty: true)
        let signature = try SigningKeyPair.sign(manifestBytes, privatePEM: options.signingPrivatePEM)
        let sigBytes = Array((Base64.encode(signature) + "\n").utf8)
        try store.put(id + "/" + PointFormat.manifestFile, manifestBytes)
        try store.put(id + "/" + PointFormat.signatureFile, sigBytes)

        return PointSummary(id: id, clusters: manifest.clusters, created: manifest.created,
                            size: manifest.listedSize + manifestBytes.count + sigBytes.count, objects: objects.count,
                            complete: true, verified: true, immutable: false, gaps: gaps)
    }

    /// The manifest `algorithm` of a data key wrapped by AWS KMS.
    static let kmsAlgorithm = "AWS-KMS"

    /// The KMS encryption context of point `id`'s data key.
    static func kmsContext(_ id: String) -> [String: String] { ["standby:point": id] }

    /// `<yyyyMMdd'T'HHmmss'Z'>-<8 hex>`.
    public static func defaultID(_ now: Date) throws -> String {
        let r = UInt32.random(in: .min ... .max)
        let hex = String(r, radix: 16)
        return PointFormat.compactTimestamp(now) + "-" + String(repeating: "0", count: 8 - hex.count) + hex
    }

    /// The Kubernetes clusters the selection covers: those with an included object or whose
    /// control-plane resource is included.
    static func clusters(of selection: Selection) -> [String] {
        var names = Set<String>()
        for r in selection.resources { if r.isKubernetesObject, let c = r.cluster { names.insert(c) } }
        for c in selection.inventory.clusters {
            if let cp = c.controlPlaneID, selection.contains(cp) { names.insert(c.name) }
        }
        return names.sorted()
    }

    // MARK: Encryption

    /// Paths (from the object record's root) of the values to encrypt in `r`: a Secret's data,
    /// stringData and last-applied annotation; every value a sensitive pattern reaches. Paths
    /// under another chosen path are dropped (the ancestor's encryption covers them).
    static func sensitivePaths(_ r: Resource, sensitive: [(kind: String?, pattern: PathPattern)]) -> [[JSONPathComponent]] {
        var paths: [[JSONPathComponent]] = []
        let doc = r.document
        if r.isKubernetesObject, r.kind == "Secret", (r.group ?? "") == "" {
            for field in ["data", "stringData"] {
                if case .object(let o)? = doc[field] {
                    for k in o.keys { paths.append([.key(field), .key(k)]) }
                }
            }
            if doc["metadata"]?["annotations"]?[PointFormat.lastAppliedAnnotation] != nil {
                paths.append([.key("metadata"), .key("annotations"), .key(PointFormat.lastAppliedAnnotation)])
            }
        }
        for s in sensitive {
            if let kind = s.kind, !(r.isKubernetesObject && r.kind == kind) { continue }
            for hit in s.pattern.values(in: doc) where !hit.path.isEmpty { paths.append(hit.path) }
        }
        // Dedupe; drop paths below another.
        var unique: [[JSONPathComponent]] = []
        for p in paths where !unique.contains(p) { unique.append(p) }
        let kept = unique.filter { p in !unique.contains { q in q.count < p.count && Array(p.prefix(q.count)) == q } }
        return kept.map { [.key("document")] + $0 }
    }

    static func aad(_ id: String, _ path: [JSONPathComponent]) -> [UInt8] {
        Array(id.utf8) + [0] + Array(path.dotted.utf8)
    }

    /// The object record of `r` with its sensitive values sealed under `key`.
    static func encryptedRecord(_ r: Resource, sensitive: [(kind: String?, pattern: PathPattern)], key: [UInt8]) throws -> JSONValue {
        var paths = sensitivePaths(r, sensitive: sensitive)
        var record = PointFormat.record(r, encrypted: [])
        var plaintexts = Set<String>()
        for path in paths {
            guard let value = record[path: path] else { continue }
            var plain: [UInt8]
            var placeholder: [(String, JSONValue)] = []
            if case .string(let s) = value {
                plain = Array(s.utf8)
                if !s.isEmpty { plaintexts.insert(s) }
            } else {
                plain = PointFormat.bytes(value, pretty: false)
                placeholder.append((PointFormat.jsonKey, .bool(true)))
            }
            defer { for i in plain.indices { plain[i] = 0 } }
            let sealed = try SecretBox.seal(plain, key: key, aad: aad(r.id, path))
            placeholder.insert((PointFormat.encryptedKey, .string(Base64.encode(sealed))), at: 0)
            record.set(path, .object(JSONObject(placeholder)))
        }
        // Labels and tags repeat document values: encrypt any that equal an encrypted string.
        for field in ["labels", "tags"] {
            guard case .object(let o)? = record[field] else { continue }
            for (k, v) in o.pairs {
                guard let s = v.stringValue, plaintexts.contains(s) else { continue }
                let path: [JSONPathComponent] = [.key(field), .key(k)]
                let sealed = try SecretBox.seal(Array(s.utf8), key: key, aad: aad(r.id, path))
                record.set(path, .object(JSONObject([(PointFormat.encryptedKey, .string(Base64.encode(sealed)))])))
                paths.append(path)
            }
        }
        if !paths.isEmpty, case .object(var o) = record {
            o["encrypted"] = .array(paths.filter { record[path: $0] != nil }.map(PointFormat.pathJSON))
            record = .object(o)
        }
        return record
    }

    // MARK: Keys

    /// The public half of an Ed25519 private key, as PEM (to name the signer in the manifest).
    static func publicPEM(ofSigningKey privatePEM: String) throws -> String {
        var bytes = Array(privatePEM.utf8)
        defer { OPENSSL_cleanse(&bytes, bytes.count) }
        guard !bytes.isEmpty, bytes.count < Int(Int32.max) else { throw CryptoError("the signing key is not an Ed25519 private key PEM") }
        let key: OpaquePointer? = bytes.withUnsafeBytes { raw in
            guard let bio = BIO_new_mem_buf(raw.baseAddress, Int32(raw.count)) else { return nil }
            defer { BIO_free(bio) }
            return PEM_read_bio_PrivateKey(bio, nil, nil, nil)
        }
        guard let key else { ERR_clear_error(); throw CryptoError("the signing key is not an Ed25519 private key PEM") }
        defer { EVP_PKEY_free(key) }
        guard EVP_PKEY_is_a(key, "ED25519") == 1 else { throw CryptoError("the signing key is not an Ed25519 private key") }
        guard let out = BIO_new(BIO_s_mem()) else { throw CryptoError("out of memory") }
        defer { BIO_free(out) }
        guard PEM_write_bio_PUBKEY(out, key) == 1 else { ERR_clear_error(); throw CryptoError("could not derive the signing public key") }
        let pending = Int(BIO_ctrl_pending(out))
        var pem = [UInt8](repeating: 0, count: pending)
        guard pending > 0, BIO_read(out, &pem, Int32(pending)) == Int32(pending) else { throw CryptoError("could not derive the signing public key") }
        return String(decoding: pem, as: UTF8.self)
    }
}
