import Foundation

/// A fleet of clusters to protect on schedule: what `fleet.yaml` says, with every default
/// applied (``FleetSpec/load(path:)``).
///
/// ```yaml
/// image: registry.example.com/standby:1.4     # default standby:latest (scripts/container/build.sh)
/// namespace: standby                          # where the jobs run; default standby
/// concurrency: 4                              # Argo: clusters captured at once; default 4
/// defaults:                                   # any cluster setting; a cluster's own win
///   schedule: "0 */6 * * *"
///   runbook: capture-cluster.lua              # relative to fleet.yaml
///   store: s3://dr-points/{cluster}           # {cluster} is the cluster's name
///   store_credentials: standby-store          # Secret: AWS_ACCESS_KEY_ID, AWS_SECRET_ACCESS_KEY
///   keys: standby-keys                        # Secret: signing.key, recovery.pub
///   retention: { keep_last: 8, keep_daily: 7, keep_weekly: 4 }
///   immutability: { mode: governance, days: 14 }   # or mode: none
/// clusters:
///   - name: aks-prod-weu
///     cloud: aks
///     id: /subscriptions/…/managedClusters/aks-prod-weu
///     cloud_credentials: aks-prod-weu-azure   # Secret with the cloud's credentials (env)
///     objects: 12000
///   - name: edge-1
///     cloud: kubernetes
///     kubeconfig: { secret: edge-1-kubeconfig, key: config }
/// ```
public struct FleetSpec: Sendable, Equatable {
    /// The image the jobs run: what `scripts/container/build.sh` tags by default.
    public static let defaultImage = "standby:latest"

    /// The fleet file, as given.
    public var path: String
    public var image: String
    public var namespace: String
    /// Argo: how many clusters one CronWorkflow captures at once.
    public var concurrency: Int
    public var clusters: [FleetCluster]

    /// The folder the fleet file's relative paths are resolved against.
    public var directory: String {
        let dir = (path as NSString).deletingLastPathComponent
        return dir.isEmpty ? "." : dir
    }
}

/// One cluster of a fleet, every setting resolved.
public struct FleetCluster: Sendable, Equatable {
    public enum Cloud: String, Sendable, Equatable, CaseIterable {
        case aks, eks, kubernetes
    }

    /// How the job reaches the cluster's API server.
    public enum Access: Sendable, Equatable {
        /// The job runs in the cluster, as the rendered ServiceAccount (its token, read-only).
        case inCluster
        /// A kubeconfig in a Secret (the job may run elsewhere, e.g. Argo in a management cluster).
        case kubeconfig(secret: String, key: String)
    }

    public var name: String
    public var cloud: Cloud
    /// The control plane's id: an AKS managed cluster id or an EKS cluster ARN; nil for a plain
    /// Kubernetes cluster.
    public var id: String?
    public var access: Access
    /// A Secret whose keys become the job's environment (cloud credentials); nil when the
    /// ServiceAccount's annotations (workload identity, IRSA) give them.
    public var cloudCredentials: String?
    /// Annotations of the ServiceAccount (IRSA's `eks.amazonaws.com/role-arn`, Azure workload
    /// identity's `azure.workload.identity/client-id`).
    public var serviceAccountAnnotations: [String: String]
    /// The runbook's path (resolved against the fleet file's folder) and its text.
    public var runbook: String
    public var runbookText: String
    public var store: String
    public var storeEndpoint: String?
    public var storeRegion: String?
    /// A Secret with the store's credentials (`AWS_ACCESS_KEY_ID`, `AWS_SECRET_ACCESS_KEY`).
    public var storeCredentials: String?
    /// A Secret with `signing.key` and `recovery.pub`.
    public var keys: String
    public var schedule: CronSchedule
    public var retention: RetentionPolicy
    /// nil: `immutability: { mode: none }`.
    public var immutability: ObjectLockPolicy?
    /// About how many Kubernetes objects the cluster holds: sizes the job (``FleetSizing``).
    public var objects: Int
    public var deadlineSeconds: Int
    public var backoffLimit: Int
    public var pushgateway: String?
    /// A host folder a node-exporter textfile collector reads; nil: the metrics file stays in
    /// the pod (and in the job's log).
    public var textfileDirectory: String?
    public var drill: FleetDrill?
    /// Where the cluster is declared (`fleet.yaml:14:5`).
    public var location: String
}

/// A drill on schedule: capture, plan in test mode, check the plan, store the report beside the
/// point.
public struct FleetDrill: Sendable, Equatable {
    public var schedule: CronSchedule
    /// The drill runbook's path and text: it opens the newest point and plans from it.
    public var runbook: String
    public var runbookText: String
}
