import Foundation

extension FleetSpec {
    /// The built-in defaults, under the fleet's `defaults:` and each cluster's own settings.
    static let builtInSchedule = "0 */6 * * *"
    static let builtInRetention = RetentionPolicy(keepLast: 8, keepDailyDays: 7, keepWeeklyWeeks: 4)
    static let builtInObjects = 1000
    static let builtInDeadlineMinutes = 120
    static let builtInBackoffLimit = 2

    /// The settings a cluster entry and `defaults:` may both give.
    static let settingKeys = ["schedule", "runbook", "store", "store_endpoint", "store_region", "store_credentials", "keys",
                              "retention", "immutability", "objects", "deadline_minutes", "backoff_limit", "metrics", "drill",
                              "cloud_credentials", "service_account_annotations"]

    /// Reads and checks a fleet file.
    /// - Throws: ``FleetError`` naming `file:line:column`, ``YAMLSyntaxError``.
    public static func load(path: String) throws -> FleetSpec {
        guard let data = FileManager.default.contents(atPath: path) else {
            throw FleetError(path, "cannot read the fleet file")
        }
        return try FleetSpec(yaml: String(decoding: data, as: UTF8.self), path: path)
    }

    /// Reads a fleet file's text; runbooks are read relative to `path`'s folder.
    public init(yaml text: String, path: String) throws {
        let root = try FleetNode.root(text, file: path)
        self.path = path
        image = FleetSpec.defaultImage
        namespace = "standby"
        concurrency = 4
        clusters = []
        var defaults = Settings()
        var clusterNodes: [FleetNode]?
        for (key, value) in try root.mapping("the fleet file", allowed: ["image", "namespace", "concurrency", "defaults", "clusters"]) {
            switch key {
            case "image": image = try value.string("image")
            case "namespace": namespace = try FleetNames.check(try value.string("namespace"), at: value, what: "namespace")
            case "concurrency": concurrency = try value.int("concurrency", minimum: 1)
            case "defaults": defaults = try Settings(value, what: "defaults", allowed: FleetSpec.settingKeys)
            default: clusterNodes = try value.sequence("clusters")
            }
        }
        guard let clusterNodes, !clusterNodes.isEmpty else {
            throw root.error("a fleet lists at least one cluster under 'clusters:'")
        }
        var names: [String: String] = [:]
        for node in clusterNodes {
            let cluster = try resolveCluster(node, defaults: defaults)
            if let first = names[cluster.name] {
                throw node.error("cluster '\(cluster.name)' is listed twice (first at \(first)): names name the jobs and must be unique")
            }
            names[cluster.name] = cluster.location
            clusters.append(cluster)
        }
    }

    private func resolveCluster(_ node: FleetNode, defaults: Settings) throws -> FleetCluster {
        let own = try Settings(node, what: "a cluster", allowed: ["name", "cloud", "id", "kubeconfig"] + FleetSpec.settingKeys)
        guard let nameNode = own.extra["name"] else { throw node.error("a cluster needs a 'name' (it names its jobs)") }
        let name = try FleetNames.check(try nameNode.string("name"), at: nameNode, what: "cluster name")
        guard let cloudNode = own.extra["cloud"] else {
            throw node.error("cluster '\(name)' needs 'cloud': aks, eks or kubernetes")
        }
        guard let cloud = FleetCluster.Cloud(rawValue: try cloudNode.string("cloud")) else {
            throw cloudNode.error("cloud must be aks, eks or kubernetes, not '\(try cloudNode.string("cloud"))'")
        }
        let id = try own.extra["id"].map { try $0.string("id") }
        switch cloud {
        case .aks where id.flatMap({ ARMResourceID($0) }) == nil:
            throw (own.extra["id"] ?? node).error("cluster '\(name)' (aks) needs 'id': its managed cluster's ARM id (/subscriptions/…/providers/Microsoft.ContainerService/managedClusters/NAME)")
        case .eks where id.map({ $0.hasPrefix("arn:aws") && $0.contains(":cluster/") }) != true:
            throw (own.extra["id"] ?? node).error("cluster '\(name)' (eks) needs 'id': its cluster ARN (arn:aws:eks:REGION:ACCOUNT:cluster/NAME)")
        default: break
        }
        var access = FleetCluster.Access.inCluster
        if let kube = own.extra["kubeconfig"] {
            var secret: String?, key = "config"
            for (k, v) in try kube.mapping("kubeconfig", allowed: ["secret", "key"]) {
                if k == "secret" { secret = try FleetNames.check(try v.string("kubeconfig.secret"), at: v, what: "Secret name") } else { key = try v.string("kubeconfig.key") }
            }
            guard let secret else { throw kube.error("kubeconfig needs 'secret': the Secret holding the cluster's kubeconfig") }
            access = .kubeconfig(secret: secret, key: key)
        }
        let s = own.over(defaults)
        let runbookPath = resolve(s.runbook ?? "capture-cluster.lua")
        let runbookText = try read(runbookPath, at: s.runbookNode ?? node, what: "runbook")
        guard let store = s.store else {
            throw node.error("cluster '\(name)' has no 'store' (give it here or under defaults:, e.g. s3://dr-points/{cluster})")
        }
        var drill: FleetDrill?
        if let d = s.drill {
            let path = resolve(d.runbook)
            drill = FleetDrill(schedule: d.schedule, runbook: path, runbookText: try read(path, at: d.node, what: "drill runbook"))
        }
        return FleetCluster(
            name: name, cloud: cloud, id: id, access: access, cloudCredentials: s.cloudCredentials,
            serviceAccountAnnotations: s.annotations ?? [:],
            runbook: runbookPath, runbookText: runbookText,
            store: store.replacingOccurrences(of: "{cluster}", with: name),
            storeEndpoint: s.storeEndpoint, storeRegion: s.storeRegion, storeCredentials: s.storeCredentials,
            keys: s.keys ?? "standby-keys",
            schedule: try s.schedule ?? CronSchedule(FleetSpec.builtInSchedule),
            retention: s.retention ?? FleetSpec.builtInRetention,
            immutability: s.immutabilityGiven ? s.immutability : nil,
            objects: s.objects ?? FleetSpec.builtInObjects,
            deadlineSeconds: (s.deadlineMinutes ?? FleetSpec.builtInDeadlineMinutes) * 60,
            backoffLimit: s.backoffLimit ?? FleetSpec.builtInBackoffLimit,
            pushgateway: s.pushgateway, textfileDirectory: s.textfile, drill: drill, location: node.location)
    }

    private func resolve(_ relative: String) -> String {
        relative.hasPrefix("/") ? relative : directory + "/" + relative
    }

    private func read(_ path: String, at node: FleetNode, what: String) throws -> String {
        guard let data = FileManager.default.contents(atPath: path) else {
            throw node.error("the \(what) \(path) cannot be read (paths are relative to the fleet file)")
        }
        return String(decoding: data, as: UTF8.self)
    }
}

/// The settings a cluster or `defaults:` gives; unset ones are nil.
struct Settings {
    var schedule: CronSchedule?
    var runbook: String?
    var runbookNode: FleetNode?
    var store: String?
    var storeEndpoint: String?
    var storeRegion: String?
    var storeCredentials: String?
    var keys: String?
    var retention: RetentionPolicy?
    var immutability: ObjectLockPolicy?
    var immutabilityGiven = false
    var objects: Int?
    var deadlineMinutes: Int?
    var backoffLimit: Int?
    var pushgateway: String?
    var textfile: String?
    var drill: (schedule: CronSchedule, runbook: String, node: FleetNode)?
    var cloudCredentials: String?
    var annotations: [String: String]?
    /// Cluster-only fields (name, cloud, id, kubeconfig).
    var extra: [String: FleetNode] = [:]

    init() {}

    init(_ node: FleetNode, what: String, allowed: [String]) throws {
        for (key, value) in try node.mapping(what, allowed: allowed) {
            switch key {
            case "schedule":
                do { schedule = try CronSchedule(try value.string("schedule")) } catch let e as CronScheduleError { throw value.error("schedule: \(e)") }
            case "runbook": runbook = try value.string("runbook"); runbookNode = value
            case "store":
                let url = try value.string("store")
                guard url.hasPrefix("s3://") || url.hasPrefix("file://") || url.hasPrefix("/") else {
                    throw value.error("store must be s3://bucket/prefix, file:///path or an absolute path (the job runs in a pod), not '\(url)'")
                }
                store = url
            case "store_endpoint": storeEndpoint = try value.string("store_endpoint")
            case "store_region": storeRegion = try value.string("store_region")
            case "store_credentials": storeCredentials = try FleetNames.check(try value.string(key), at: value, what: "Secret name")
            case "keys": keys = try FleetNames.check(try value.string(key), at: value, what: "Secret name")
            case "cloud_credentials": cloudCredentials = try FleetNames.check(try value.string(key), at: value, what: "Secret name")
            case "service_account_annotations": annotations = Dictionary(try value.stringMap(key), uniquingKeysWith: { _, b in b })
            case "objects": objects = try value.int("objects", minimum: 1)
            case "deadline_minutes": deadlineMinutes = try value.int("deadline_minutes", minimum: 1)
            case "backoff_limit": backoffLimit = try value.int("backoff_limit", minimum: 0)
            case "retention":
                var policy = RetentionPolicy(keepLast: 0)
                var last: Int?
                for (k, v) in try value.mapping("retention", allowed: ["keep_last", "keep_daily", "keep_weekly"]) {
                    switch k {
                    case "keep_last": last = try v.int("keep_last", minimum: 1)
                    case "keep_daily": policy.keepDailyDays = try v.int("keep_daily")
                    default: policy.keepWeeklyWeeks = try v.int("keep_weekly")
                    }
                }
                guard let last else { throw value.error("retention needs 'keep_last' (at least 1): the newest points always kept") }
                policy.keepLast = last
                retention = policy
            case "immutability":
                var mode: String?, days: Int?
                for (k, v) in try value.mapping("immutability", allowed: ["mode", "days"]) {
                    if k == "mode" { mode = try v.string("mode") } else { days = try v.int("days", minimum: 1) }
                }
                immutabilityGiven = true
                guard let mode, mode != "none" else { immutability = nil; break }
                guard let m = ObjectLockPolicy.Mode(name: mode) else {
                    throw value.error("immutability mode must be governance, compliance or none, not '\(mode)'")
                }
                guard let days else { throw value.error("immutability needs 'days': how long the store refuses to delete a point") }
                immutability = ObjectLockPolicy(mode: m, days: days)
            case "metrics":
                for (k, v) in try value.mapping("metrics", allowed: ["pushgateway", "textfile"]) {
                    if k == "pushgateway" {
                        let url = try v.string("pushgateway")
                        guard url.hasPrefix("http://") || url.hasPrefix("https://") else { throw v.error("pushgateway must be an http(s) URL, not '\(url)'") }
                        pushgateway = url
                    } else {
                        let dir = try v.string("textfile")
                        guard dir.hasPrefix("/") else { throw v.error("textfile must be an absolute host folder (node-exporter's --collector.textfile.directory)") }
                        textfile = dir
                    }
                }
            case "drill":
                var when: CronSchedule?, book = "drill-cluster.lua"
                for (k, v) in try value.mapping("drill", allowed: ["schedule", "runbook"]) {
                    if k == "runbook" { book = try v.string("drill.runbook"); continue }
                    do { when = try CronSchedule(try v.string("drill.schedule")) } catch let e as CronScheduleError { throw v.error("drill.schedule: \(e)") }
                }
                guard let when else { throw value.error("drill needs a 'schedule' (e.g. \"0 4 * * 0\": Sundays at 04:00)") }
                drill = (when, book, value)
            default:
                extra[key] = value
            }
        }
    }

    /// These settings, falling back to `defaults` for each one unset.
    func over(_ defaults: Settings) -> Settings {
        var s = self
        s.schedule = schedule ?? defaults.schedule
        if runbook == nil { s.runbook = defaults.runbook; s.runbookNode = defaults.runbookNode }
        s.store = store ?? defaults.store
        s.storeEndpoint = storeEndpoint ?? defaults.storeEndpoint
        s.storeRegion = storeRegion ?? defaults.storeRegion
        s.storeCredentials = storeCredentials ?? defaults.storeCredentials
        s.keys = keys ?? defaults.keys
        s.retention = retention ?? defaults.retention
        if !immutabilityGiven { s.immutability = defaults.immutability; s.immutabilityGiven = defaults.immutabilityGiven }
        s.objects = objects ?? defaults.objects
        s.deadlineMinutes = deadlineMinutes ?? defaults.deadlineMinutes
        s.backoffLimit = backoffLimit ?? defaults.backoffLimit
        s.pushgateway = pushgateway ?? defaults.pushgateway
        s.textfile = textfile ?? defaults.textfile
        if drill == nil { s.drill = defaults.drill }
        s.cloudCredentials = cloudCredentials ?? defaults.cloudCredentials
        s.annotations = annotations ?? defaults.annotations
        return s
    }
}

/// Kubernetes object names (RFC 1123 labels) for what the fleet names.
enum FleetNames {
    static func check(_ name: String, at node: FleetNode, what: String) throws -> String {
        let ok = !name.isEmpty && name.count <= 52 && name.utf8.allSatisfy { ($0 >= 97 && $0 <= 122) || ($0 >= 48 && $0 <= 57) || $0 == 45 }
            && name.first != "-" && name.last != "-"
        guard ok else {
            throw node.error("\(what) '\(name)' must be a Kubernetes name: lower-case letters, digits and '-', at most 52 characters (a CronJob's name is at most 52)")
        }
        return name
    }
}
