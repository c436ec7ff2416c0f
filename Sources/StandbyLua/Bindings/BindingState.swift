import StandbyCore

/// What the engine bindings keep per runtime: the reference extractors scripts registered with
/// `standby.refs.register` (on top of the built-ins), and the shared `each` iterator.
struct BindingState {
    var extractors = ReferenceExtractorRegistry.builtIn
    /// Lua extractors in registration order, so their errors can be reported after a walk.
    var luaExtractors: [LuaReferenceExtractor] = []
    /// One iterator function for every `:each()` (a per-call closure would grow the runtime's
    /// function table with every loop).
    var iterator: LuaRef?
    /// The plan a runbook built last (`standby.plan{...}`): what `standby plan` writes.
    var lastPlan: PlanBox?
    /// The ids of the points `standby.capture{...}` stored (what `standby capture` prints).
    var capturedPoints: [String] = []
    /// Rule failures no runbook accepted (`on_rule_failure = "fail"`): they fail the run at its end.
    var unacceptedRuleFailures: [RuleFailure] = []
    /// The gaps of each partial point among them (captured from a partial discovery).
    var partialPoints: [String: [InventoryGap]] = [:]
    /// The lock every `standby.capture{...}` without its own `lock` writes under (set by
    /// `standby fleet run` from the fleet's immutability policy).
    var defaultLock: ObjectLockPolicy?
    /// Why a capture's lock was not enforced by its store, by point id.
    var lockNotes: [String: String] = [:]
}
