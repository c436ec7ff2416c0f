/// Something a source could not read, so an inventory lacks it: an API group version whose
/// discovery document failed, a list that failed, a service that refused. An inventory with gaps
/// is *partial*; a recovery point captured from it is marked partial in its signed manifest, and
/// a restore never picks it unless asked to (see `RecoveryPoint/FORMAT.md`).
///
/// Connectors fail when they cannot read something, unless asked for a partial discovery
/// (`partial: true`); only then do they record a gap and go on.
public struct InventoryGap: Sendable, Hashable, CustomStringConvertible {
    /// The source: `kubernetes cluster eks-prod-use1`, `aws account 123456789012 us-east-1`,
    /// `azure subscription 8f3c…`.
    public var source: String
    /// What is missing: `apps/v1` (an API group version: every resource it serves),
    /// `apps/v1 deployments`, `ECR repositories`, an ARM id.
    public var what: String
    /// Why: the request and the answer (`GET https://…/apis/apps/v1: 503 ServiceUnavailable: …`).
    public var reason: String

    public init(source: String, what: String, reason: String) {
        self.source = source; self.what = what; self.reason = reason
    }

    /// `kubernetes cluster prod: apps/v1 not read: GET …: 503 ServiceUnavailable: …`.
    public var description: String { "\(source): \(what) not read: \(reason)" }
}
