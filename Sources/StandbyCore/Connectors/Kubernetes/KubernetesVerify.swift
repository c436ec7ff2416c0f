import Foundation

/// Checks a restore against the recovery cluster after the apply: every planned object exists
/// with the planned spec (every field the plan sets has the planned value; fields the cluster
/// adds are allowed), every Deployment, StatefulSet and DaemonSet is ready, every
/// PersistentVolumeClaim is Bound, and every `LoadBalancer` Service is reached through the
/// sandbox's DNAT on paper: a ``SandboxFrontend`` of the plan maps it, and the Service in the
/// cluster carries the internal frontend address the DNAT rule translates to.
///
/// Objects written for a version the cluster does not serve are read at the version the restore
/// converted them to (``KubeVersionConversion``). Reads run several at once. Nothing throws: a
/// read that fails is a failed record.
public struct KubernetesVerify {
    public var connection: KubeConnection
    /// The sandbox frontends of the plan (empty without a sandbox).
    public var frontends: [SandboxFrontend]
    public var width: Int

    public init(connection: KubeConnection, frontends: [SandboxFrontend] = [], width: Int = 16) {
        self.connection = connection; self.frontends = frontends; self.width = max(1, width)
    }

    /// One record per manifest of `set`, in its order, and the cluster's timing.
    public func verify(_ set: KubernetesRestoreSet) -> VerifyReport {
        let started = Date()
        let client = KubeAPIClient(connection: connection)
        let documents = set.manifests.map(\.document)
        var needed: Set<String> = []
        for d in documents {
            let apiVersion = d["apiVersion"]?.stringValue ?? ""
            needed.insert(apiVersion)
            if let to = KubeVersionConversion.target(apiVersion: apiVersion, kind: d["kind"]?.stringValue ?? "") { needed.insert(to) }
        }
        let resolver: SharedResolver
        do {
            resolver = SharedResolver(try KubeServedAPIs.read(client, needed: needed))
        } catch {
            let records = documents.map { VerifyRecord(document: $0, ok: false, message: "not checked: reading discovery failed: \(error)") }
            return VerifyReport(records: records, clusters: [VerifyTiming(cluster: set.cluster, started: started, ended: Date())])
        }
        let cluster = set.cluster
        let frontends = self.frontends
        let fallback = connection.namespace ?? "default"
        let records = (try? RequestsInFlight(width: width).map(documents.count) { n in
            KubernetesVerify.check(documents[n], cluster: cluster, client: client, resolver: resolver, frontends: frontends,
                                   defaultNamespace: fallback)
        }) ?? []
        return VerifyReport(records: records, clusters: [VerifyTiming(cluster: set.cluster, started: started, ended: Date())])
    }

    static func check(_ planned: JSONValue, cluster: String, client: KubeAPIClient, resolver: SharedResolver,
                      frontends: [SandboxFrontend], defaultNamespace: String) -> VerifyRecord {
        var planned = planned
        let kind = planned["kind"]?.stringValue ?? ""
        let name = planned["metadata"]?["name"]?.stringValue ?? ""
        do {
            var resource = try resolver.resource(apiVersion: planned["apiVersion"]?.stringValue ?? "", kind: kind, client: client)
            if resource == nil, let to = KubeVersionConversion.target(apiVersion: planned["apiVersion"]?.stringValue ?? "", kind: kind),
               let served = try resolver.resource(apiVersion: to, kind: kind, client: client),
               case .converted(let converted) = KubeVersionConversion.convert(planned, serves: { v, _ in v == to }) {
                planned = converted
                resource = served
            }
            guard let resource else {
                return VerifyRecord(document: planned, ok: false, message: "the cluster does not serve \(planned["apiVersion"]?.stringValue ?? "") \(kind)")
            }
            var namespace: String?
            if resource.namespaced {
                namespace = planned["metadata"]?["namespace"]?.stringValue ?? defaultNamespace
                planned.set([.key("metadata"), .key("namespace")], .string(namespace!))
            }
            let live: JSONValue
            do {
                live = try client.get(resource.objectPath(namespace: namespace, name: name))
            } catch let error as KubeAPIError where error.status == 404 {
                return VerifyRecord(document: planned, ok: false, message: "missing: the cluster has no such object")
            }
            var problems: [String] = []
            var comparable = planned
            comparable.set([.key("status")], nil)
            if case .object(var meta)? = comparable["metadata"] {
                meta = JSONObject(meta.pairs.filter { ["name", "namespace", "labels", "annotations"].contains($0.key) })
                comparable.set([.key("metadata")], .object(meta))
            }
            comparable.set([.key("apiVersion")], nil)
            comparable.set([.key("kind")], nil)
            differences(comparable, live, path: "", into: &problems)
            if problems.count > 3 { problems = Array(problems.prefix(3)) + ["… \(problems.count - 3) more differences"] }
            switch kind {
            case "Deployment", "StatefulSet", "DaemonSet", "PersistentVolumeClaim":
                if case .waiting(let what) = KubeReadiness.state(of: live, kind: kind) { problems.append("not ready: \(what)") }
                if case .failed(let why) = KubeReadiness.state(of: live, kind: kind) { problems.append("not ready: \(why)") }
            case "Service" where planned["spec"]?["type"]?.stringValue == "LoadBalancer":
                problems += loadBalancer(live, id: "\(namespace ?? "")/\(name)", cluster: cluster, frontends: frontends)
            default: break
            }
            return VerifyRecord(document: planned, ok: problems.isEmpty, message: problems.joined(separator: "; "))
        } catch let error as KubeAPIError {
            return VerifyRecord(document: planned, ok: false, message: "reading it failed: \(error.summary)")
        } catch {
            return VerifyRecord(document: planned, ok: false, message: "reading it failed: \(error)")
        }
    }

    /// The DNAT mapping of a LoadBalancer Service, checked on paper.
    static func loadBalancer(_ live: JSONValue, id: String, cluster: String, frontends: [SandboxFrontend]) -> [String] {
        guard let frontend = frontends.first(where: { $0.cluster == cluster && $0.service == id }) else {
            return frontends.isEmpty ? [] : ["no sandbox DNAT rule maps this LoadBalancer Service"]
        }
        let annotations = live["metadata"]?["annotations"]
        let address = annotations?[SandboxFrontends.ipv4Annotation]?.stringValue ?? live["spec"]?["loadBalancerIP"]?.stringValue
        var problems: [String] = []
        if annotations?[SandboxFrontends.internalAnnotation]?.stringValue != "true" {
            problems.append("not an internal load balancer, so the sandbox DNAT (\(frontend.publicIP)) does not reach it")
        }
        if address != frontend.translatedAddress {
            problems.append("its frontend address is \(address ?? "not set"), the sandbox DNAT (\(frontend.publicIP)) translates to \(frontend.translatedAddress)")
        }
        return problems
    }

    /// Every value `planned` sets that `live` does not have, by path.
    static func differences(_ planned: JSONValue, _ live: JSONValue?, path: String, into problems: inout [String]) {
        switch planned {
        case .object(let o):
            guard case .object? = live else {
                problems.append("\(path.isEmpty ? "the object" : path) is \(describe(live)) in the cluster, an object in the plan")
                return
            }
            for (key, value) in o.pairs {
                differences(value, live?[key], path: path.isEmpty ? key : "\(path).\(key)", into: &problems)
            }
        case .array(let items):
            guard case .array(let got)? = live, got.count == items.count else {
                problems.append("\(path) is \(describe(live)) in the cluster, \(items.count) items in the plan")
                return
            }
            for (n, item) in items.enumerated() { differences(item, got[n], path: "\(path)[\(n)]", into: &problems) }
        case .null:
            return
        default:
            if !sameScalar(planned, live) {
                problems.append("\(path) is \(describe(live)) in the cluster, \(JSONSerializer.serialize(planned)) in the plan")
            }
        }
    }

    static func sameScalar(_ a: JSONValue, _ b: JSONValue?) -> Bool {
        guard let b else { return false }
        switch (a, b) {
        case (.int(let x), .double(let y)), (.double(let y), .int(let x)): return Double(x) == y
        default: return a == b
        }
    }

    static func describe(_ value: JSONValue?) -> String {
        switch value {
        case nil: return "not set"
        case .array(let a)?: return "\(a.count) items"
        case .object?: return "an object"
        case let v?: return JSONSerializer.serialize(v)
        }
    }
}

/// One planned object as the recovery cluster has it.
public struct VerifyRecord: Sendable, Hashable, CustomStringConvertible {
    public var kind: String
    public var id: String
    public var ok: Bool
    /// What differs or is not ready; empty when ok.
    public var message: String

    init(document: JSONValue, ok: Bool, message: String) {
        kind = "\(document["apiVersion"]?.stringValue ?? "") \(document["kind"]?.stringValue ?? "")"
        let name = document["metadata"]?["name"]?.stringValue ?? ""
        id = document["metadata"]?["namespace"]?.stringValue.map { "\($0)/\(name)" } ?? name
        self.ok = ok; self.message = message
    }

    public var description: String { (ok ? "ok" : "failed") + " \(kind) \(id)" + (message.isEmpty ? "" : ": \(message)") }
}

/// When a cluster's verification ran.
public struct VerifyTiming: Sendable, Hashable {
    public var cluster: String
    public var started: Date
    public var ended: Date
}

/// What `plan:verify` found.
public struct VerifyReport: Sendable {
    public var records: [VerifyRecord]
    public var clusters: [VerifyTiming]

    public init(records: [VerifyRecord] = [], clusters: [VerifyTiming] = []) {
        self.records = records; self.clusters = clusters
    }

    public var failed: [VerifyRecord] { records.filter { !$0.ok } }
    public var ok: Bool { failed.isEmpty }
    public mutating func append(contentsOf other: VerifyReport) {
        records += other.records
        clusters += other.clusters
    }
}
