import Foundation

/// When one recovery cluster's restore started, had every object applied, had every awaited
/// object ready, and ended (hooks included): the measured recovery time of a drill, with the
/// throughput of the apply.
public struct ApplyTiming: Sendable, Hashable {
    /// The recovery cluster.
    public var cluster: String
    /// Before the first request (discovery).
    public var started: Date
    /// When the last apply was answered; nil when nothing was applied.
    public var applied: Date?
    /// When the last awaited object was seen ready; nil when one never was (see the records).
    public var ready: Date?
    /// After the last readiness check and hook.
    public var ended: Date
    /// Objects in the restore set.
    public var objects: Int
    /// Objects whose apply was answered (created, updated or skipped as existing).
    public var sent: Int
    /// Objects failed, blocked, or not ready in time.
    public var failed: Int
    public var blocked: Int
    /// Objects whose readiness was awaited.
    public var awaited: Int

    public init(cluster: String, started: Date, applied: Date?, ready: Date?, ended: Date, objects: Int, sent: Int,
                failed: Int, blocked: Int, awaited: Int) {
        self.cluster = cluster; self.started = started; self.applied = applied; self.ready = ready; self.ended = ended
        self.objects = objects; self.sent = sent; self.failed = failed; self.blocked = blocked; self.awaited = awaited
    }

    /// Seconds from the start to the last object ready (the recovery time), nil when something
    /// awaited never was.
    public var secondsToReady: Double? { ready.map { $0.timeIntervalSince(started) } }

    /// Seconds from the start to the end.
    public var seconds: Double { ended.timeIntervalSince(started) }

    /// Objects applied per second, from the start to the last apply answered.
    public var objectsPerSecond: Double? {
        guard let applied, sent > 0 else { return nil }
        let span = applied.timeIntervalSince(started)
        return span > 0 ? Double(sent) / span : nil
    }
}

/// One run of a restore hook: which hook, on which object, and whether it ran through.
public struct HookRecord: Sendable, Hashable, CustomStringConvertible {
    /// The hook's name (`after[2]` or its `name`).
    public var hook: String
    /// The object it ran for (`apps/v1 Deployment shop/web`).
    public var object: String
    public var ok: Bool
    /// The error it raised, with the script position.
    public var message: String
    public var started: Date
    public var ended: Date

    public init(hook: String, object: String, ok: Bool, message: String = "", started: Date, ended: Date) {
        self.hook = hook; self.object = object; self.ok = ok; self.message = message; self.started = started; self.ended = ended
    }

    public var description: String {
        "hook \(hook) on \(object): " + (ok ? "ran" : "failed: \(message)")
    }
}

extension ApplyTiming {
    /// The report's RTO line for the clusters of one apply: `aks-prod-weu ready 11 min 20 s after
    /// the first request`, or which cluster never was ready; nil when nothing was applied.
    public static func rtoLine(_ clusters: [ApplyTiming]) -> String? {
        guard !clusters.isEmpty else { return nil }
        return clusters.map { c in
            if let s = c.secondsToReady {
                let rate = c.objectsPerSecond.map { String(format: ", %.0f objects/s", $0) } ?? ""
                return "\(c.cluster) ready \(duration(s)) after the first request (\(c.sent) of \(c.objects) objects sent\(rate))"
            }
            return "\(c.cluster) not ready: \(c.failed) failed, \(c.blocked) blocked (see the apply records)"
        }.joined(separator: "; ")
    }

    /// `11 min 20 s`, `4.2 s`.
    static func duration(_ seconds: Double) -> String {
        if seconds < 60 { return String(format: "%.1f s", seconds) }
        let s = Int(seconds.rounded())
        return s < 3600 ? "\(s / 60) min \(s % 60) s" : "\(s / 3600) h \(s % 3600 / 60) min"
    }
}
