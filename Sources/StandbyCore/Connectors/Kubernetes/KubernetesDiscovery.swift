/// The objects of a live Kubernetes cluster, as an ``InventorySource``.
///
/// 1. Discovery (``KubeAPIDiscovery``): every resource of the preferred version of every served
///    API group, custom resources of installed CRDs included; no list of kinds is built in.
/// 2. Every resource that can be listed (`list` among its verbs) is listed, except the few in
///    ``skippedResources``: cluster-scoped ones once, namespaced ones across all namespaces or in
///    each of ``namespaces``.
/// 3. Lists are read in pages (`limit`, `continue`); each page goes to the builder as a `List`
///    whose items carry the `apiVersion` and `kind` a List's items lack, filed under ``cluster``.
///    When the server says a continue token expired (410 `Expired`, the list took longer than the
///    server keeps its snapshot), the list starts again from the beginning, once, without the
///    objects already taken (a note says so); a second expiry is an error.
///
/// Secrets are listed like everything else (the inventory needs them); their data reaches no log
/// and no error message. A group version whose discovery fails (an aggregated API whose backend
/// is down) is left out with a note.
public struct KubernetesDiscovery: InventorySource {
    public var connection: KubeConnection
    /// The cluster the objects are filed under.
    public var cluster: String
    /// Namespaces to list namespaced resources in; nil for all. Cluster-scoped resources are
    /// always listed.
    public var namespaces: [String]?
    /// Objects per page (`limit`).
    public var pageSize: Int

    /// Resources not listed, with why: state that is no part of what a restore recreates.
    public static let skippedResources: [String: String] = [
        "v1 events": "history, not state",
        "events.k8s.io events": "history, not state",
        "coordination.k8s.io leases": "leader-election and heartbeat state, rewritten every few seconds",
        "v1 componentstatuses": "computed by the API server on each request (deprecated)",
        "metrics.k8s.io *": "live usage figures computed by metrics-server, not stored objects",
    ]

    /// A discovery of `connection`'s cluster.
    public init(connection: KubeConnection, cluster: String? = nil, namespaces: [String]? = nil, pageSize: Int = 500) {
        self.connection = connection
        self.cluster = cluster ?? connection.clusterName
        self.namespaces = namespaces
        self.pageSize = max(1, pageSize)
    }

    /// Why `resource` is not listed, or nil when it is.
    static func skipReason(_ resource: KubeAPIResource) -> String? {
        let group = resource.group.isEmpty ? resource.version : resource.group
        return skippedResources["\(group) \(resource.name)"] ?? skippedResources["\(group) *"]
    }

    /// Discovers the API, then lists every resource into `builder`, page by page.
    /// - Throws: ``KubeAPIError`` when `/api`, `/apis` or a list fails (after the HTTP client's
    ///   retries, and after one restart for an expired continue token); ``KubeconfigError`` when an
    ///   exec plugin fails; ``HTTPTransportError`` when the server cannot be reached.
    public func collect(into builder: inout InventoryBuilder, progress: any ProgressReporter) throws {
        let client = KubeAPIClient(connection: connection)
        builder.addCluster(Cluster(name: cluster, cloud: .unknown))
        progress.update("discovering the API of \(cluster)", done: 0, total: nil)
        let discovery = try KubeAPIDiscovery.preferred(client)
        for (groupVersion, error) in discovery.unavailable {
            builder.addNote("cluster \(cluster): \(groupVersion) not listed, its discovery failed: \(error)")
        }
        let listable = discovery.resources.filter { $0.verbs.contains("list") && KubernetesDiscovery.skipReason($0) == nil }
        for resource in listable {
            if resource.namespaced, let namespaces {
                for namespace in namespaces {
                    try list(resource, namespace: namespace, client: client, into: &builder, progress: progress)
                }
            } else {
                try list(resource, namespace: nil, client: client, into: &builder, progress: progress)
            }
        }
        progress.finish()
    }

    /// Lists one collection page by page into `builder`.
    func list(_ resource: KubeAPIResource, namespace: String?, client: KubeAPIClient,
              into builder: inout InventoryBuilder, progress: any ProgressReporter) throws {
        let path = resource.collectionPath(namespace: namespace)
        let phase = "listing \(resource)" + (namespace.map { " in \($0)" } ?? "")
        var taken: Set<String> = [] // namespace/name of the objects handed over, for a restart
        var restarted = false
        var token: String?
        var page = 0
        progress.update(phase, done: 0, total: nil)
        while true {
            var query = [("limit", String(pageSize))]
            if let token { query.append(("continue", token)) }
            let list: JSONValue
            do {
                list = try client.get(path, query: query)
            } catch let error as KubeAPIError where error.status == 410 && token != nil && !restarted {
                restarted = true
                token = nil
                builder.addNote("cluster \(cluster): the continue token of \(path) expired after \(taken.count) objects (\(error.reason)); the list was started again from the beginning")
                continue
            }
            var items: [JSONValue] = []
            for item in list["items"]?.arrayValue ?? [] {
                guard case .object(var object) = item else { continue }
                let metadata = object["metadata"]
                let key = (metadata?["namespace"]?.stringValue ?? "") + "/" + (metadata?["name"]?.stringValue ?? "")
                guard taken.insert(key).inserted else { continue }
                object["apiVersion"] = .string(resource.groupVersion)
                object["kind"] = .string(resource.kind)
                items.append(.object(object))
            }
            let document: JSONValue = ["kind": "List", "apiVersion": "v1", "items": .array(items)]
            try builder.add(document, source: SourceRef(path: connection.server + path, document: page),
                            options: LoadOptions(cluster: cluster))
            progress.update(phase, done: taken.count, total: nil)
            token = list["metadata"]?["continue"]?.stringValue.flatMap { $0.isEmpty ? nil : $0 }
            if token == nil { return }
            page += 1
        }
    }
}
