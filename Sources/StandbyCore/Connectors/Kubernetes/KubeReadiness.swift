import Foundation

/// When an applied object is ready, read from its own status (and, for a Service, from its
/// endpoints), as `kubectl rollout status` and `kubectl wait` judge it:
///
/// | Kind | Ready when |
/// |---|---|
/// | CustomResourceDefinition | condition `Established` is `True` (`NamesAccepted` `False` fails at once) |
/// | Deployment | `status.observedGeneration` ≥ `metadata.generation`, condition `Available` `True`, `availableReplicas` ≥ `spec.replicas` |
/// | StatefulSet | `observedGeneration` ≥ `generation`, `readyReplicas` (or `availableReplicas`) ≥ `spec.replicas` |
/// | DaemonSet | `observedGeneration` ≥ `generation`, `numberAvailable` ≥ `desiredNumberScheduled` |
/// | PersistentVolumeClaim | `status.phase` is `Bound` (`Lost` fails at once) |
/// | Service | an EndpointSlice labelled `kubernetes.io/service-name` (or, without `discovery.k8s.io/v1`, its Endpoints) has a ready address |
///
/// Other kinds are ready once applied. How long to wait is ``ReadinessTimeouts``'.
enum KubeReadiness {
    enum State: Equatable {
        case ready
        /// Not yet: what was seen (`1/3 replicas available`).
        case waiting(String)
        /// Will not become ready: why.
        case failed(String)
    }

    /// The kinds readiness is known for (a Service's only when something awaits it).
    static let kinds: Set<KubeScope.GroupKind> = [
        .init(group: "apiextensions.k8s.io", kind: "CustomResourceDefinition"), .init(group: "apps", kind: "Deployment"),
        .init(group: "apps", kind: "StatefulSet"), .init(group: "apps", kind: "DaemonSet"),
        .init(group: "", kind: "PersistentVolumeClaim"), .init(group: "", kind: "Service"),
    ]

    /// The readiness of `object` as read from the server.
    static func state(of object: JSONValue, kind: String) -> State {
        let status = object["status"]
        let generation = object["metadata"]?["generation"]?.intValue ?? 0
        let observed = status?["observedGeneration"]?.intValue ?? 0
        func int(_ key: String) -> Int64 { status?[key]?.intValue ?? 0 }
        let wanted = object["spec"]?["replicas"]?.intValue ?? 1
        switch kind {
        case "CustomResourceDefinition":
            let conditions = status?["conditions"]?.arrayValue ?? []
            func condition(_ type: String) -> JSONValue? { conditions.first { $0["type"]?.stringValue == type } }
            if condition("Established")?["status"]?.stringValue == "True" { return .ready }
            if let names = condition("NamesAccepted"), names["status"]?.stringValue == "False" {
                return .failed("its names were not accepted: \(names["message"]?.stringValue ?? "")")
            }
            let established = condition("Established")
            return .waiting("Established is \(established?["status"]?.stringValue ?? "not reported")"
                + (established?["reason"]?.stringValue.map { " (\($0))" } ?? ""))
        case "Deployment":
            if observed < generation { return .waiting("generation \(generation) not yet observed") }
            let available = (status?["conditions"]?.arrayValue ?? []).first { $0["type"]?.stringValue == "Available" }
            let count = int("availableReplicas")
            if available?["status"]?.stringValue == "True" && count >= wanted { return .ready }
            return .waiting("\(count)/\(wanted) replicas available"
                + (available?["reason"]?.stringValue.map { " (\($0))" } ?? ""))
        case "StatefulSet":
            if observed < generation { return .waiting("generation \(generation) not yet observed") }
            let count = max(int("readyReplicas"), int("availableReplicas"))
            return count >= wanted ? .ready : .waiting("\(count)/\(wanted) replicas ready")
        case "DaemonSet":
            if observed < generation { return .waiting("generation \(generation) not yet observed") }
            let desired = int("desiredNumberScheduled"), count = int("numberAvailable")
            return count >= desired ? .ready : .waiting("\(count)/\(desired) pods available")
        case "PersistentVolumeClaim":
            switch status?["phase"]?.stringValue {
            case "Bound": return .ready
            case "Lost": return .failed("the claim is Lost: its volume is gone")
            case let phase: return .waiting("phase \(phase ?? "not reported")")
            }
        default:
            return .ready
        }
    }

    /// Whether a list of EndpointSlices (or an Endpoints object) holds a ready address.
    static func endpointsReady(slices: JSONValue?, endpoints: JSONValue?) -> State {
        if let slices {
            let items = slices["items"]?.arrayValue ?? []
            let ready = items.contains { slice in
                (slice["endpoints"]?.arrayValue ?? []).contains { endpoint in
                    // `ready` unset means ready (EndpointConditions).
                    endpoint["conditions"]?["ready"]?.boolValue ?? true
                        && !(endpoint["addresses"]?.arrayValue ?? []).isEmpty
                }
            }
            return ready ? .ready : .waiting(items.isEmpty ? "no EndpointSlice yet" : "no ready endpoint")
        }
        let subsets = endpoints?["subsets"]?.arrayValue ?? []
        let ready = subsets.contains { !($0["addresses"]?.arrayValue ?? []).isEmpty }
        return ready ? .ready : .waiting(endpoints == nil ? "no Endpoints yet" : "no ready address")
    }
}

/// How long a restore waits for objects of each kind to become ready, in seconds; 0 means not
/// at all (the object counts as ready once applied).
public struct ReadinessTimeouts: Sendable, Hashable {
    /// By kind (`Deployment`, `CustomResourceDefinition`, `PersistentVolumeClaim`, `Service` …).
    public var seconds: [String: Double]

    public static let defaults: [String: Double] = [
        "CustomResourceDefinition": 60, "Deployment": 600, "StatefulSet": 900, "DaemonSet": 600,
        "PersistentVolumeClaim": 600, "Service": 300,
    ]

    public init(_ seconds: [String: Double] = ReadinessTimeouts.defaults) { self.seconds = seconds }

    /// Defaults, with `overrides` replacing the kinds they name.
    public init(overriding overrides: [String: Double]) {
        var all = ReadinessTimeouts.defaults
        for (k, v) in overrides { all[k] = v }
        seconds = all
    }

    public func timeout(for kind: String) -> Double { seconds[kind] ?? 0 }
}
