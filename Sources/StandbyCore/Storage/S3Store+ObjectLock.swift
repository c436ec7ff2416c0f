import Foundation

/// A store that can lock keys against deletion until a date: S3 Object Lock.
public protocol ObjectLockingStore: PointStore {
    /// Whether the store can lock keys now (an S3 bucket created with Object Lock enabled).
    func objectLockEnabled() throws -> Bool
    /// The lock on `key`, nil when it has none.
    func retention(of key: String) throws -> ObjectRetention?
    /// Locks `key` until the retention's date (a lock is only ever extended: S3 refuses to
    /// shorten a compliance lock).
    func setRetention(_ key: String, _ retention: ObjectRetention) throws
}

/// S3 Object Lock on the store's bucket.
///
/// - The bucket must have been created with Object Lock (`x-amz-bucket-object-lock-enabled`;
///   versioning comes with it). ``objectLockEnabled()`` reads `GET ?object-lock`.
/// - ``locking(_:now:)`` gives a store whose every `put` carries `x-amz-object-lock-mode` and
///   `x-amz-object-lock-retain-until-date` (with `Content-MD5`, which S3 requires there): a
///   point is locked as it is written, not afterwards.
/// - A `DELETE` without a version id on such a bucket only adds a delete marker, even for a
///   locked object: S3 would not refuse it. So ``PointCatalog`` asks ``retention(of:)`` first
///   and never deletes a locked point before its date.
extension S3Store: ObjectLockingStore {
    public func objectLockEnabled() throws -> Bool {
        let response = try send("GET", key: nil, query: [("object-lock", "")])
        if (200...299).contains(response.status) {
            return S3Store.xmlValue("ObjectLockEnabled", in: response.body) == "Enabled"
        }
        let code = S3Store.xmlValue("Code", in: response.body)
        if response.status == 404, code == "ObjectLockConfigurationNotFoundError" { return false }
        throw failure("GET OBJECT LOCK", bucket, response)
    }

    /// Read from `HEAD` of the object: S3 answers `x-amz-object-lock-mode` and
    /// `x-amz-object-lock-retain-until-date` there (to a caller allowed `s3:GetObjectRetention`),
    /// as it does to `GET ?retention`; moto implements only the first.
    public func retention(of key: String) throws -> ObjectRetention? {
        let response = try send("HEAD", key: key)
        if response.status == 404 { throw StoreError.notFound(key) }
        guard (200...299).contains(response.status) else { throw failure("HEAD", key, response) }
        guard let modeText = response.headers["x-amz-object-lock-mode"], !modeText.isEmpty else { return nil }
        guard let mode = ObjectLockPolicy.Mode(name: modeText),
              let dateText = response.headers["x-amz-object-lock-retain-until-date"],
              let date = PointFormat.parseISO8601(dateText) else {
            throw StoreError.failed("\(url): HEAD \(key): an Object Lock mode '\(modeText)' without a retain-until date Standby can read")
        }
        return ObjectRetention(mode: mode, retainUntil: date)
    }

    public func setRetention(_ key: String, _ retention: ObjectRetention) throws {
        let body = Array(("<Retention xmlns=\"http://s3.amazonaws.com/doc/2006-03-01/\"><Mode>\(retention.mode.rawValue)</Mode>"
            + "<RetainUntilDate>\(S3Store.lockDate(retention.retainUntil))</RetainUntilDate></Retention>").utf8)
        let response = try send("PUT", key: key, query: [("retention", "")], body: body,
                                headers: [(name: "Content-MD5", value: Digest.contentMD5(body))])
        guard (200...299).contains(response.status) else { throw failure("PUT RETENTION", key, response) }
    }

    /// This store, writing every object locked under `policy` from `now` on.
    public func locking(_ policy: ObjectLockPolicy, now: Date) -> S3Store {
        var copy = self
        copy.writeRetention = ObjectRetention(mode: policy.mode, retainUntil: policy.retainUntil(from: now))
        return copy
    }

    /// The headers that lock an object as it is written.
    static func lockHeaders(_ retention: ObjectRetention, body: [UInt8]) -> [(name: String, value: String)] {
        [(name: "x-amz-object-lock-mode", value: retention.mode.rawValue),
         (name: "x-amz-object-lock-retain-until-date", value: lockDate(retention.retainUntil)),
         (name: "Content-MD5", value: Digest.contentMD5(body))]
    }

    /// ISO 8601 in UTC with seconds, as S3 writes retain-until dates.
    static func lockDate(_ date: Date) -> String {
        PointFormat.iso8601(date)
    }
}
