import Foundation
import Prometheus

/// What one scheduled run (`standby fleet run`) reports to Prometheus, labelled by cluster,
/// cloud and kind (capture or drill).
///
/// | metric | meaning |
/// |---|---|
/// | `standby_last_run_timestamp_seconds` | when the run ended |
/// | `standby_last_run_success` | 1 when it captured a whole point (and pruned), else 0 |
/// | `standby_last_success_timestamp_seconds` | when a run last succeeded (not sent by a failed run: the Pushgateway and the textfile keep the previous one) |
/// | `standby_run_duration_seconds` | how long the run took |
/// | `standby_consecutive_failures` | failed runs in a row (carried in the textfile between runs) |
/// | `standby_point_objects`, `standby_point_bytes`, `standby_point_volumes` | the point captured |
/// | `standby_point_locked` | 1 when the store locked the point (S3 Object Lock) |
/// | `standby_points_kept`, `standby_points_pruned`, `standby_points_locked_kept` | the store after retention |
/// | `standby_drill_success` | drill runs: 1 when the plan from the point passed its checks |
public struct RunMetrics: Sendable, Equatable {
    public var cluster: String
    public var cloud: String
    public var kind: String
    public var success = false
    public var finished = Date()
    public var durationSeconds: Double = 0
    public var lastSuccess: Date?
    public var consecutiveFailures = 0
    public var objects: Int?
    public var bytes: Int?
    public var volumes: Int?
    public var locked: Bool?
    public var pointsKept: Int?
    public var pointsPruned: Int?
    public var pointsLockedKept: Int?
    public var drillSuccess: Bool?

    public init(cluster: String, cloud: String, kind: String) {
        self.cluster = cluster; self.cloud = cloud; self.kind = kind
    }

    /// The Prometheus text exposition format (version 0.0.4), written by swift-prometheus.
    public func exposition() -> String {
        let registry = PrometheusCollectorRegistry()
        let labels = [("cluster", cluster), ("cloud", cloud), ("kind", kind)]
        func gauge(_ name: String, _ help: String, _ value: Double?) {
            guard let value else { return }
            registry.makeGauge(name: name, labels: labels, help: help).set(value)
        }
        gauge("standby_last_run_timestamp_seconds", "When the last scheduled run ended (Unix time).", finished.timeIntervalSince1970)
        gauge("standby_last_run_success", "1 when the last run captured a whole point and applied retention, 0 when it failed.", success ? 1 : 0)
        gauge("standby_last_success_timestamp_seconds", "When a run last succeeded (Unix time).", lastSuccess?.timeIntervalSince1970)
        gauge("standby_run_duration_seconds", "How long the last run took.", durationSeconds)
        gauge("standby_consecutive_failures", "Runs that failed in a row (0 after a success).", Double(consecutiveFailures))
        gauge("standby_point_objects", "Objects in the point the last run captured.", objects.map(Double.init))
        gauge("standby_point_bytes", "Bytes stored for the point the last run captured.", bytes.map(Double.init))
        gauge("standby_point_volumes", "PersistentVolumes in the point the last run captured.", volumes.map(Double.init))
        gauge("standby_point_locked", "1 when the store locked the last point (S3 Object Lock), else 0.", locked.map { $0 ? 1 : 0 })
        gauge("standby_points_kept", "Points in the store after retention ran.", pointsKept.map(Double.init))
        gauge("standby_points_pruned", "Points the last run's retention deleted.", pointsPruned.map(Double.init))
        gauge("standby_points_locked_kept", "Points retention would delete but the store locks until a later date.", pointsLockedKept.map(Double.init))
        gauge("standby_drill_success", "1 when the last drill's plan passed its checks, else 0.", drillSuccess.map { $0 ? 1 : 0 })
        return registry.emitToString()
    }

    /// What a previous textfile says: the last success time and the failures in a row, so a
    /// failed run keeps them (a textfile is replaced whole on every run).
    public mutating func carry(from previous: String) {
        for line in previous.split(separator: "\n") where !line.hasPrefix("#") {
            let parts = line.split(separator: " ")
            guard parts.count == 2, let value = Double(parts[1]) else { continue }
            if parts[0].hasPrefix("standby_last_success_timestamp_seconds{"), lastSuccess == nil {
                lastSuccess = Date(timeIntervalSince1970: value)
            } else if parts[0].hasPrefix("standby_consecutive_failures{") {
                consecutiveFailures = success ? 0 : Int(value) + 1
            }
        }
    }
}
