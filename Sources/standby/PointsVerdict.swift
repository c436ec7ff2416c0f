import StandbyCore

/// What `standby points list` says on its first line, and its exit status: whether the newest
/// point is one a restore would use.
///
/// Exit status of `standby points list`:
/// - 0: the store is empty, or its newest point verifies and is whole (without `--keys`: is
///   complete and does not say it is partial; nothing was verified);
/// - 6 (``notRestorable``): the newest point fails verification, or is incomplete (no
///   `manifest.sig`): a restore refuses it and does not fall back to an older point unless
///   allowed (`newest{ allow_older = true }`, `scripts/restore.lua --allow-older`);
/// - 7 (``partial``): the newest point verifies but is partial (its capture could not read
///   everything): a restore refuses it unless asked for (`newest{ partial = true }`,
///   `scripts/restore.lua --partial`). `standby points verify` and `standby verify` exit 7 for a
///   partial point too (and 1 for one that fails verification).
struct PointsVerdict {
    static let notRestorable: Int32 = 6
    static let partial: Int32 = 7

    /// The first line of the listing.
    var line: String
    /// The exit status.
    var status: Int32

    /// The verdict on `newest` (the catalog's first point). With `signingPublicPEM` it is the
    /// restore's own decision (``PointCatalog/newest(signingPublicPEM:allowOlder:allowPartial:)``).
    static func of(_ catalog: PointCatalog, newest: PointSummary?, signingPublicPEM: String?) throws -> PointsVerdict {
        guard let newest else { return PointsVerdict(line: "no recovery points in \(catalog.store.url)", status: 0) }
        guard let pem = signingPublicPEM else {
            if !newest.complete {
                return refused(PointRefusal(id: newest.id, reason: .incomplete), older: nil)
            }
            if newest.isPartial {
                return refused(PointRefusal(id: newest.id, reason: .partial(newest.gaps)), older: nil, verified: false)
            }
            return PointsVerdict(line: "newest point \(newest.id) is complete (not verified: give --keys DIR to check its signature and digests)",
                                 status: 0)
        }
        do {
            let choice = try catalog.newest(signingPublicPEM: pem)
            return PointsVerdict(line: "newest point \(choice.point?.id ?? newest.id) verifies and is whole: a restore uses it", status: 0)
        } catch let e as NewestPointRefusedError {
            return refused(e.refusal, older: e.older)
        }
    }

    private static func refused(_ refusal: PointRefusal, older: String?, verified: Bool = true) -> PointsVerdict {
        let fallback = older.map { "; the newest point that verifies and is whole is \($0)" } ?? ""
        switch refusal.reason {
        case .partial:
            let claim = verified ? "verifies but is PARTIAL" : "says it is PARTIAL (not verified)"
            return PointsVerdict(line: "newest point \(refusal.id) \(claim): \(refusal.detail); a restore uses it only when asked for\(fallback)",
                                 status: partial)
        case .incomplete, .failsVerification:
            let what = refusal.check == "incomplete" ? "is INCOMPLETE" : "FAILS VERIFICATION"
            return PointsVerdict(line: "newest point \(refusal.id) \(what): \(refusal.detail); a restore refuses it and does not fall back unless allowed\(fallback)",
                                 status: notRestorable)
        }
    }
}
