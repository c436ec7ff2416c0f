import Foundation

/// A verified recovery point (see `FORMAT.md`).
///
/// ``open(_:in:signingPublicPEM:)`` checks the signature over `manifest.json` first, then the
/// digest of every object and JSON file the manifest lists, and refuses the point naming the first
/// thing that fails. ``inventory(recoveryPrivatePEM:)`` re-reads the objects (checking each digest
/// again, so a store changed after `open` is caught too) and rebuilds the exact captured
/// `Resource` values, decrypting the sealed values when given the recovery key.
public struct RecoveryPoint: Sendable {
    public let id: String
    public let store: any PointStore
    public let manifest: PointManifest
    /// The exact bytes the signature covers.
    public let manifestBytes: [UInt8]
    /// The selection request the point was captured with.
    public let request: SelectionRequest
    /// The source inventory's clusters and notes.
    public let clusters: [Cluster]
    public let notes: [String]
    /// How each captured resource was included, as recorded at capture (`why.json`).
    public let inclusions: [String: Inclusion]
    /// Dangling references, exclusions and unknown roots of the capture (`issues.json`).
    public let issues: PointIssues
    /// Whether the point carries the `IMMUTABLE` marker (see ``PointCatalog/markImmutable(_:)``).
    public let immutable: Bool
    private let storedSize: Int

    public var summary: PointSummary {
        PointSummary(id: id, clusters: manifest.clusters, created: manifest.created, size: storedSize,
                     objects: manifest.objects.count, complete: true, verified: true, immutable: immutable, gaps: manifest.gaps)
    }

    /// The captured ids, in the source inventory's order.
    public var ids: [String] { manifest.objects.compactMap(\.id) }

    /// Opens and verifies the point `id`: signature first, then every digest.
    /// - Throws: ``PointVerificationError`` naming the first thing that fails; ``StoreError`` when
    ///   the store cannot be read; ``CryptoError`` when `signingPublicPEM` is not an Ed25519 key.
    public static func open(_ id: String, in store: PointStore, signingPublicPEM: String) throws -> RecoveryPoint {
        try PointFormat.checkID(id)
        func fail(_ message: String) -> PointVerificationError { PointVerificationError(point: id, message: message) }
        func read(_ key: String, missing: String) throws -> [UInt8] {
            do { return try store.get(id + "/" + key) } catch StoreError.notFound { throw fail(missing) }
        }

        let sigText = try read(PointFormat.signatureFile, missing: "manifest.sig missing: the point is incomplete")
        let manifestBytes = try read(PointFormat.manifestFile, missing: "manifest.json missing")
        let trimmed = String(decoding: sigText, as: UTF8.self).trimmingCharacters(in: .whitespacesAndNewlines)
        guard let signature = Base64.decode(trimmed),
              try SigningKeyPair.verify(signature, message: manifestBytes, publicPEM: signingPublicPEM) else {
            throw fail("manifest signature does not verify")
        }

        let manifest: PointManifest
        do {
            manifest = try PointManifest(json: try JSONParser.parse(manifestBytes, source: "\(id)/manifest.json"))
        } catch {
            throw fail("manifest.json: \(error)")
        }
        guard manifest.id == id else { throw fail("manifest.json names point \(manifest.id)") }

        for entry in manifest.objects {
            let oid = entry.id ?? "?"
            guard entry.key == PointFormat.objectKey(oid) else { throw fail("object \(oid): key \(entry.key) does not match its id") }
            let bytes = try read(entry.key, missing: "object \(oid): missing")
            guard bytes.count == entry.size, Digest.sha256(bytes) == entry.sha256 else { throw fail("object \(oid): digest mismatch") }
        }
        var parsed: [String: JSONValue] = [:]
        let known = [PointFormat.selectionFile, PointFormat.whyFile, PointFormat.issuesFile]
        for entry in manifest.files {
            guard known.contains(entry.key) else { throw fail("manifest.json lists an unknown file \(entry.key)") }
            let bytes = try read(entry.key, missing: "\(entry.key) missing")
            guard bytes.count == entry.size, Digest.sha256(bytes) == entry.sha256 else { throw fail("\(entry.key): digest mismatch") }
            do { parsed[entry.key] = try JSONParser.parse(bytes, source: "\(id)/\(entry.key)") } catch { throw fail("\(entry.key): \(error)") }
        }
        func file(_ name: String) throws -> JSONValue {
            guard let v = parsed[name] else { throw fail("manifest.json does not list \(name)") }
            return v
        }
        let request: SelectionRequest, clusters: [Cluster], notes: [String]
        let inclusions: [String: Inclusion], issues: PointIssues
        do {
            (request, clusters, notes) = try PointFormat.selection(try file(PointFormat.selectionFile))
            inclusions = try PointFormat.why(try file(PointFormat.whyFile))
            issues = try PointFormat.issues(try file(PointFormat.issuesFile))
        } catch let e as PointFormat.FormatError {
            throw fail(e.message)
        }

        let immutable: Bool
        do { _ = try store.get(id + "/" + PointFormat.immutableFile); immutable = true } catch StoreError.notFound { immutable = false }

        return RecoveryPoint(id: id, store: store, manifest: manifest, manifestBytes: manifestBytes, request: request,
                             clusters: clusters, notes: notes, inclusions: inclusions, issues: issues, immutable: immutable,
                             storedSize: manifest.listedSize + manifestBytes.count + sigText.count)
    }

    /// The captured resources as an inventory (with the source inventory's clusters and notes, and
    /// the gaps of a partial point).
    ///
    /// With `recoveryPrivatePEM`, every sealed value is decrypted back to exactly what was
    /// captured; a key the point was not wrapped for fails with the ``CryptoError`` of the unwrap.
    /// Without it, sealed values stay `{"$standby.encrypted": "…"}` placeholders (an encrypted label
    /// or tag reads as that placeholder's JSON text).
    public func inventory(recoveryPrivatePEM: String?) throws -> Inventory {
        try inventory(key: recoveryPrivatePEM.map(PointKey.recoveryPrivatePEM))
    }

    /// ``inventory(recoveryPrivatePEM:)`` with the data key unwrapped by AWS KMS (the manifest's
    /// `AWS-KMS` entry, encryption context `{"standby:point": <id>}`). A point captured without
    /// KMS fails naming that; KMS's own refusals come as ``AWSKMSError``.
    public func inventory(kms: AWSKMS) throws -> Inventory {
        try inventory(key: .kms(kms))
    }

    /// The captured resources, decrypted with `key` (sealed values stay placeholders when nil),
    /// and the snapshot copies the manifest records (``PointVolumeCopies``).
    public func inventory(key: PointKey?) throws -> Inventory {
        try load(key: key).inventory
    }

    /// ``inventory(key:)`` and the ids of the copies it added from the manifest (never captured objects).
    private func load(key: PointKey?) throws -> (inventory: Inventory, copies: Set<String>) {
        var dataKey: [UInt8]? = nil
        defer { if let n = dataKey?.count { for i in 0..<n { dataKey![i] = 0 } } }
        if let key { dataKey = try unwrapDataKey(key) }

        var resources: [Resource] = []
        resources.reserveCapacity(manifest.objects.count)
        for entry in manifest.objects {
            let oid = entry.id ?? "?"
            let bytes: [UInt8]
            do { bytes = try store.get(id + "/" + entry.key) } catch StoreError.notFound {
                throw PointVerificationError(point: id, message: "object \(oid): missing")
            }
            guard bytes.count == entry.size, Digest.sha256(bytes) == entry.sha256 else {
                throw PointVerificationError(point: id, message: "object \(oid): digest mismatch")
            }
            var resource: Resource, encrypted: [[JSONPathComponent]], record: JSONValue
            do {
                record = try JSONParser.parse(bytes, source: "object \(oid)")
                (resource, encrypted) = try PointFormat.resource(record, "object \(oid)")
            } catch {
                throw PointVerificationError(point: id, message: "object \(oid): \(error)")
            }
            guard resource.id == oid else {
                throw PointVerificationError(point: id, message: "object \(oid): the stored object is \(resource.id)")
            }
            if let key = dataKey {
                for path in encrypted { try decrypt(&resource, record: record, path: path, key: key) }
            }
            resources.append(resource)
        }
        // The volumes' snapshot copies, made after the estate was read: what restores their data.
        let copies: [Resource]
        do {
            copies = try PointVolumeCopies.resources(manifest.volumes, point: id, existing: resources)
        } catch {
            throw PointVerificationError(point: id, message: "manifest.json volumes: \(error)")
        }
        return (Inventory(resources: resources + copies, clusters: clusters, notes: notes, gaps: manifest.gaps), Set(copies.map(\.id)))
    }

    /// The point's data key, unwrapped from the first manifest entry `key` opens.
    private func unwrapDataKey(_ key: PointKey) throws -> [UInt8] {
        func bytes(_ wrapped: PointManifest.WrappedKey) throws -> [UInt8] {
            guard let bytes = Base64.decode(wrapped.wrapped) else {
                throw PointVerificationError(point: id, message: "manifest.json: a wrapped key is not base64")
            }
            return bytes
        }
        switch key {
        case .recoveryPrivatePEM(let pem):
            var lastError: Error = CryptoError("the point has no data key wrapped for a recovery key")
            for wrapped in manifest.keys where wrapped.algorithm != RecoveryPointWriter.kmsAlgorithm {
                do { return try RecoveryKeyPair.unwrap(try bytes(wrapped), privatePEM: pem) } catch let e as PointVerificationError {
                    throw e
                } catch { lastError = error }
            }
            throw lastError
        case .kms(let kms):
            var lastError: Error = CryptoError("recovery point \(id) has no data key wrapped by AWS KMS (it was captured without a KMS key)")
            for wrapped in manifest.keys where wrapped.algorithm == RecoveryPointWriter.kmsAlgorithm {
                do {
                    let keyID = wrapped.recipient.hasPrefix("kms:") ? String(wrapped.recipient.dropFirst(4)) : nil
                    let dataKey = try kms.decrypt(try bytes(wrapped), context: RecoveryPointWriter.kmsContext(id),
                                                  keyID: keyID.flatMap { $0.isEmpty ? nil : $0 })
                    guard dataKey.count == 32 else { throw CryptoError("the data key KMS returned is not 32 bytes") }
                    return dataKey
                } catch let e as PointVerificationError { throw e } catch { lastError = error }
            }
            throw lastError
        }
    }

    /// Replaces the placeholder at `path` (from the record's root) by its plaintext.
    private func decrypt(_ resource: inout Resource, record: JSONValue, path: [JSONPathComponent], key: [UInt8]) throws {
        let oid = resource.id
        func fail(_ m: String) -> CryptoError { CryptoError("object \(oid), \(path.dotted): \(m)") }
        guard let placeholder = record[path: path], let sealedText = placeholder[PointFormat.encryptedKey]?.stringValue,
              let sealed = Base64.decode(sealedText) else { throw fail("no encrypted value at this path") }
        var plain: [UInt8]
        do { plain = try SecretBox.open(sealed, key: key, aad: RecoveryPointWriter.aad(oid, path)) } catch let e as CryptoError {
            throw fail(e.message)
        }
        defer { for i in plain.indices { plain[i] = 0 } }
        let value: JSONValue
        if placeholder[PointFormat.jsonKey]?.boolValue == true {
            do { value = try JSONParser.parse(plain, source: "sealed value") } catch { throw fail("the decrypted value is not JSON") }
        } else {
            value = .string(String(decoding: plain, as: UTF8.self))
        }
        guard case .key(let field)? = path.first else { throw fail("not a field path") }
        switch field {
        case "document":
            guard resource.document.set(Array(path.dropFirst()), value) else { throw fail("the path is not in the document") }
        case "labels", "tags":
            guard path.count == 2, case .key(let k) = path[1], let s = value.stringValue else { throw fail("not a label or tag") }
            if field == "labels" { resource.labels[k] = s } else { resource.tags[k] = s }
        default:
            throw fail("values of \(field) are never encrypted")
        }
    }

    /// The stored selection request applied to ``inventory(recoveryPrivatePEM:)``. It includes
    /// exactly the captured ids; when it does not (a reference extractor the capture had is missing
    /// here, or a sealed value held a reference and no key was given), it throws naming the first
    /// id that differs.
    public func selection(recoveryPrivatePEM: String?, extractors: ReferenceExtractorRegistry = .builtIn) throws -> Selection {
        try selection(key: recoveryPrivatePEM.map(PointKey.recoveryPrivatePEM), extractors: extractors)
    }

    /// ``selection(recoveryPrivatePEM:extractors:)`` with the data key unwrapped by AWS KMS.
    public func selection(kms: AWSKMS, extractors: ReferenceExtractorRegistry = .builtIn) throws -> Selection {
        try selection(key: .kms(kms), extractors: extractors)
    }

    /// The stored selection request applied to ``inventory(key:)``.
    public func selection(key: PointKey?, extractors: ReferenceExtractorRegistry = .builtIn) throws -> Selection {
        let (inventory, copies) = try load(key: key)
        let selection = inventory.select(request, extractors: extractors)
        // The copies the manifest added are selected with their volumes, as a live inventory's
        // are, but were never among the captured objects.
        let captured = Set(ids), now = Set(selection.ids).subtracting(copies)
        if captured != now {
            if let extra = selection.ids.first(where: { now.contains($0) && !captured.contains($0) }) {
                throw RecoveryPointError("recovery point \(id): the stored selection now includes \(extra), which was not captured")
            }
            let missing = ids.first { !now.contains($0) } ?? "?"
            throw RecoveryPointError("recovery point \(id): the stored selection no longer includes \(missing), which was captured")
        }
        return selection
    }
}
