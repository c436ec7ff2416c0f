import Foundation
import StandbyCore

/// `standby.capture{ ..., volumes = ..., hooks = { kube = { context, kubeconfig }, before = function(ctx, kube) ... end,
/// after = function(ctx, kube) ... end } }`: functions run around a capture's volume snapshots with
/// the Kubernetes verbs restore hooks get (`kube:get{...}`, `kube:apply(object)`, field manager
/// `standby-hook`), to quiesce a workload (scale a StatefulSet to 0, set a maintenance flag) and
/// bring it back.
///
/// An error in `before` stops the capture: no snapshot is taken and no point written (`after`
/// still runs, to undo what `before` did). `after` always runs once `before` has, also when a
/// snapshot failed; when it fails the point is still written (its data were taken) and the
/// capture then raises, naming the point. Volumes snapshotted between the two are recorded
/// "application-consistent"; without hooks, "crash-consistent".
struct CaptureHooks {
    static let functionKeys = ["before", "after"]
    static let fields = ["kube"]
    static let applicationConsistent = "application-consistent"

    var before: LuaRef?
    var after: LuaRef?
    var kube: KubeSettings

    /// `hooks` of the capture's options table, checked; nil when absent.
    static func read(_ call: LuaCall) throws -> CaptureHooks? {
        guard let table = try call.functionTable(1, field: "hooks", functionKeys: functionKeys) else { return nil }
        for key in table.fields.keys where !fields.contains(key) {
            throw LuaArgumentError(argument: 1, function: "capture", problem: "hooks: unknown field '\(key)'"
                + "\(Suggestion.hint(key, in: functionKeys + fields)); known fields: before, after, kube")
        }
        guard !table.functions.isEmpty else {
            throw LuaArgumentError(argument: 1, function: "capture", problem:
                "hooks needs before and/or after: function(ctx, kube) ... end")
        }
        let kube: OptionsTable
        switch table.fields["kube"] {
        case nil: kube = try OptionsTable(object: JSONObject(), function: "capture: hooks.kube")
        case .object(let o)?: kube = try OptionsTable(object: o, function: "capture: hooks.kube", allowed: LuaRuntime.kubeFields)
        case let other?: throw LuaError("capture: hooks.kube must be a table { context = ..., kubeconfig = ... }, got \(other.typeName)")
        }
        return CaptureHooks(before: table.functions["before"], after: table.functions["after"], kube: try LuaRuntime.kubeSettings(kube))
    }

    /// Runs `before`, then `body` with the consistency the snapshots get, then `after` (always,
    /// once `before` ran). What `after` failed with, if it did, is returned for the caller to
    /// raise once the point is written.
    func around<T>(point: String, runtime: LuaRuntime, _ body: (String) throws -> T) throws -> (result: T, afterFailure: String?) {
        let connection = try KubeConnection.load(kube)
        let verbs = KubeVerbs(connection: connection, fieldManager: "standby-hook")
        let cluster = kube.context ?? "current context"
        func run(_ function: LuaRef, _ phase: String) throws -> String? {
            do {
                _ = try runtime.call(function) { call in
                    try call.push(.object(JSONObject([("point", .string(point)), ("phase", .string(phase))])))
                    try call.push(object: KubeVerbsObject(verbs, cluster: cluster))
                    return 2
                }
                return nil
            } catch let error as LuaScriptError where error.kind == .runtime || error.kind == .syntax {
                return error.message
            }
        }
        if let before, let failure = try run(before, "before") {
            let undo = try after.flatMap { try run($0, "after") }
            throw LuaError("capture: hooks.before failed, so no snapshot was taken and no point written: \(failure)"
                + (undo.map { "; hooks.after failed too: \($0)" } ?? (after == nil ? "" : "; hooks.after ran")))
        }
        let result: T
        do {
            result = try body(before == nil ? "crash-consistent" : Self.applicationConsistent)
        } catch {
            if let after, let failure = try run(after, "after") {
                throw LuaError("\(error); and hooks.after failed: \(failure)")
            }
            throw error
        }
        return (result, try after.flatMap { try run($0, "after") })
    }
}
