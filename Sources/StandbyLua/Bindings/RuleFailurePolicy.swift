import StandbyCore

/// What a translation's rule failures do to the run (`standby.translate{ on_rule_failure = … }`).
/// A failed rule leaves its object as it was, so the plan would restore an untranslated object:
/// by default that fails the run, after the runbook has finished and written what it writes.
public enum RuleFailurePolicy: String, CaseIterable, Sendable {
    /// The translation is returned and the runbook goes on; when it ends, `standby run`, `plan`
    /// and `capture` exit with `RuleFailurePolicy.exitStatus`, naming the failures.
    case fail
    /// The failures are accepted: listed in the translation's report, the exit status unchanged.
    case report
    /// `standby.translate` raises at once, naming the first failure.
    case error

    /// The exit status of a run that ended with rule failures nobody accepted.
    public static let exitStatus: Int32 = 6
}

extension LuaRuntime {
    /// Rule failures of translations made with `on_rule_failure = "fail"` (the default), in order.
    public var unacceptedRuleFailures: [RuleFailure] { bindings.unacceptedRuleFailures }
}
