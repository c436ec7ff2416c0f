/// Why a restore does not use a point.
public struct PointRefusal: Sendable, Hashable, CustomStringConvertible {
    public enum Reason: Sendable, Hashable {
        /// No `manifest.sig`: the point is still being written, or its capture stopped.
        case incomplete
        /// A check failed: the ``PointVerificationError`` message (`manifest signature does not
        /// verify`, `object k8s://…: digest mismatch`).
        case failsVerification(String)
        /// It verifies, but was captured from a partial inventory: what it lacks.
        case partial([InventoryGap])
    }

    public var id: String
    public var reason: Reason

    public init(id: String, reason: Reason) { self.id = id; self.reason = reason }

    /// `incomplete`, `fails verification` or `partial`: which check refused the point.
    public var check: String {
        switch reason {
        case .incomplete: return "incomplete"
        case .failsVerification: return "fails verification"
        case .partial: return "partial"
        }
    }

    /// What was found: the failed check's message, the missing signature, or the gaps.
    public var detail: String {
        switch reason {
        case .incomplete:
            return "it has no manifest.sig (it is still being written, or its capture stopped)"
        case .failsVerification(let message):
            return message
        case .partial(let gaps):
            return "its capture could not read " + gaps.map { "\($0.source): \($0.what) (\($0.reason))" }.joined(separator: "; ")
        }
    }

    /// `recovery point <id> fails verification: object …: digest mismatch`.
    public var description: String { "recovery point \(id) \(check == "partial" ? "is partial" : check == "incomplete" ? "is incomplete" : check): \(detail)" }
}

/// The point a restore uses, and the newer points it passed over (newest first).
public struct PointChoice: Sendable {
    /// Nil when the store holds no point that may be used.
    public var point: RecoveryPoint?
    /// Newer points not used, with why; never empty when an older point was chosen.
    public var passedOver: [PointRefusal]

    public init(point: RecoveryPoint?, passedOver: [PointRefusal]) { self.point = point; self.passedOver = passedOver }
}

/// The newest point may not be used, and falling back to an older one was not allowed: restoring
/// an older point without saying so would roll the estate back silently.
public struct NewestPointRefusedError: Error, Sendable, CustomStringConvertible {
    /// The newest point, and why it was refused.
    public var refusal: PointRefusal
    /// The newest point that verifies and is whole, which allowing an older point would restore;
    /// nil when there is none.
    public var older: String?

    public init(refusal: PointRefusal, older: String?) { self.refusal = refusal; self.older = older }

    public var description: String {
        "the newest \(refusal) — "
            + (older.map { "an older point, \($0), verifies, but restoring it would roll back without saying so: allow an older point explicitly to use it" }
                ?? "and no older point verifies either")
            + (refusal.check == "partial" ? ", or allow a partial point to restore \(refusal.id) as it is" : "")
    }
}

extension PointCatalog {
    /// The point a restore uses: the newest one, once it is complete, verifies (signature and every
    /// digest) and is whole.
    ///
    /// When the newest is not (incomplete, fails verification, or partial), it throws
    /// ``NewestPointRefusedError`` naming the point and the check that refused it, unless
    /// `allowOlder`: then the newest point that qualifies is chosen, and the newer ones it passed
    /// over are returned with why. A partial point qualifies only with `allowPartial`. Points are
    /// opened newest first and only as far as needed.
    /// - Returns: nil ``PointChoice/point`` when the store holds no point that qualifies.
    /// - Throws: ``NewestPointRefusedError``; ``StoreError`` when the store cannot be read;
    ///   ``CryptoError`` when `signingPublicPEM` is not an Ed25519 public key.
    public func newest(signingPublicPEM: String, allowOlder: Bool = false, allowPartial: Bool = false) throws -> PointChoice {
        var passedOver: [PointRefusal] = []
        for summary in try list(signingPublicPEM: nil) {
            let refusal: PointRefusal
            if !summary.complete {
                refusal = PointRefusal(id: summary.id, reason: .incomplete)
            } else {
                do {
                    let point = try RecoveryPoint.open(summary.id, in: store, signingPublicPEM: signingPublicPEM)
                    if point.manifest.isPartial && !allowPartial {
                        refusal = PointRefusal(id: summary.id, reason: .partial(point.manifest.gaps))
                    } else {
                        return PointChoice(point: point, passedOver: passedOver)
                    }
                } catch let error as PointVerificationError {
                    refusal = PointRefusal(id: summary.id, reason: .failsVerification(error.message))
                } catch let error as RecoveryPointError {    // not a valid point id
                    refusal = PointRefusal(id: summary.id, reason: .failsVerification(error.message))
                }
            }
            if !allowOlder && passedOver.isEmpty {
                let older = try newest(signingPublicPEM: signingPublicPEM, after: summary.id)
                throw NewestPointRefusedError(refusal: refusal, older: older)
            }
            passedOver.append(refusal)
        }
        return PointChoice(point: nil, passedOver: passedOver)
    }

    /// The id of the newest point older than `id` that is complete, verifies and is whole.
    private func newest(signingPublicPEM: String, after id: String) throws -> String? {
        for summary in try list(signingPublicPEM: nil).drop(while: { $0.id != id }).dropFirst() where summary.complete {
            guard let point = try? RecoveryPoint.open(summary.id, in: store, signingPublicPEM: signingPublicPEM) else { continue }
            if !point.manifest.isPartial { return point.id }
        }
        return nil
    }
}
