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
/// Collections are read ``parallelism`` at a time and handed over in discovery order, so the
/// inventory is the same however the reads interleave.
///
/// Secrets are listed like everything else (the inventory needs them); their data reaches no log
/// and no error message.
///
/// **Nothing is left out silently.** A group version whose discovery document cannot be read
/// (an aggregated API whose backend is down answers 503, after the HTTP client's retries) fails
/// the discovery with an ``IncompleteDiscoveryError`` naming the group version, the URL and the
/// status; so does a list that fails (as a ``KubeAPIError``). With ``partial`` set, both are
/// recorded on the inventory as ``InventoryGap``s (and notes) instead, and discovery goes on with
/// the rest: a recovery point captured from that inventory is marked partial.
public struct KubernetesDiscovery: InventorySource, Sendable {
    public var connection: KubeConnection
    /// The cluster the objects are filed under.
    public var cluster: String
    /// Namespaces to list namespaced resources in; nil for all. Cluster-scoped resources are
    /// always listed.
    public var namespaces: [String]?
    /// Objects per page (`limit`).
    public var pageSize: Int
    /// Collections read at once (4 by default; 1 reads them one after another).
    public var parallelism = 4
    /// Whether a group version or a list that cannot be read becomes a gap on the inventory
    /// (true) rather than an error (false, the default). See the type's documentation.
    public var partial = false

    /// Resources not listed, with why: state that is no part of what a restore recreates.
    public static let skippedResources: [String: String] = [
        "v1 events": "history, not state",
        "events.k8s.io events": "history, not state",
        "coordination.k8s.io leases": "leader-election and heartbeat state, rewritten every few seconds",
        "v1 componentstatuses": "computed by the API server on each request (deprecated)",
        "metrics.k8s.io *": "live usage figures computed by metrics-server, not stored objects",
    ]

    /// A discovery of `connection`'s cluster.
    public init(connection: KubeConnection, cluster: String? = nil, namespaces: [String]? = nil, pageSize: Int = 500,
                partial: Bool = false) {
        self.connection = connection
        self.cluster = cluster ?? connection.clusterName
        self.namespaces = namespaces
        self.pageSize = max(1, pageSize)
        self.partial = partial
    }

    /// `kubernetes cluster <name>`: the source gaps are filed under.
    var gapSource: String { "kubernetes cluster \(cluster)" }

    /// `GET https://host:6443/apis/apps/v1: 503 ServiceUnavailable: …`: the request with the
    /// server's URL, and the answer.
    func failedRequest(_ error: KubeAPIError) -> String {
        "\(error.method) \(connection.server)\(error.path): \(error.summary)"
    }

    /// Why `resource` is not listed, or nil when it is.
    static func skipReason(_ resource: KubeAPIResource) -> String? {
        let group = resource.group.isEmpty ? resource.version : resource.group
        return skippedResources["\(group) \(resource.name)"] ?? skippedResources["\(group) *"]
    }

    /// Discovers the API, then lists every resource into `builder`, page by page.
    /// - Throws: ``KubeAPIError`` when `/api`, `/apis` or (unless ``partial``) a list fails (after
    ///   the HTTP client's retries, and after one restart for an expired continue token);
    ///   ``IncompleteDiscoveryError`` when a group version's discovery document cannot be read
    ///   (unless ``partial``); ``KubeconfigError`` when an exec plugin fails;
    ///   ``HTTPTransportError`` when the server cannot be reached.
    public func collect(into builder: inout InventoryBuilder, progress: any ProgressReporter) throws {
        let client = KubeAPIClient(connection: connection)
        builder.addCluster(Cluster(name: cluster, cloud: .unknown))
        progress.update("discovering the API of \(cluster)", done: 0, total: nil)
        let discovery = try KubeAPIDiscovery.preferred(client)
        let undiscovered = discovery.unavailable.map { groupVersion, error in
            InventoryGap(source: gapSource, what: groupVersion,
                         reason: "its discovery document could not be read, so none of its resources were listed: \(failedRequest(error))")
        }
        guard partial || undiscovered.isEmpty else { throw IncompleteDiscoveryError(gaps: undiscovered) }
        for gap in undiscovered { builder.addGap(gap) }
        let listable = discovery.resources.filter { $0.verbs.contains("list") && KubernetesDiscovery.skipReason($0) == nil }
        var collections: [(resource: KubeAPIResource, namespace: String?)] = []
        for resource in listable {
            if resource.namespaced, let namespaces {
                collections += namespaces.map { (resource, $0) }
            } else {
                collections.append((resource, nil))
            }
        }
        // Collections are read a few at a time, then handed over in discovery order.
        let all = collections
        let reads = try RequestsInFlight(width: parallelism).map(all.count) { [self] n in
            try read(all[n].resource, namespace: all[n].namespace, client: client, progress: progress)
        }
        for read in reads {
            for note in read.notes { builder.addNote(note) }
            if let gap = read.gap { builder.addGap(gap) }
            for page in read.pages { try builder.add(page.document, source: page.source, options: LoadOptions(cluster: cluster)) }
        }
        progress.finish()
    }

    /// One collection as read: its pages as `List` documents, notes, and (a partial discovery)
    /// the gap a failed list left.
    struct CollectionRead: Sendable {
        var pages: [(document: JSONValue, source: SourceRef)] = []
        var notes: [String] = []
        var gap: InventoryGap?
    }

    /// Reads one collection page by page; with ``partial``, a list that fails ends the read with
    /// a gap (the pages read before it are kept).
    func read(_ resource: KubeAPIResource, namespace: String?, client: KubeAPIClient,
              progress: any ProgressReporter) throws -> CollectionRead {
        let path = resource.collectionPath(namespace: namespace)
        let phase = "listing \(resource)" + (namespace.map { " in \($0)" } ?? "")
        var read = CollectionRead()
        var taken: Set<String> = [] // namespace/name of the objects handed over, for a restart
        var restarted = false
        var token: String?
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
                read.notes.append("cluster \(cluster): the continue token of \(path) expired after \(taken.count) objects (\(error.reason)); the list was started again from the beginning")
                continue
            } catch let error as KubeAPIError where partial {
                let what = "\(resource)" + (namespace.map { " in \($0)" } ?? "")
                read.gap = InventoryGap(source: gapSource, what: what,
                                        reason: "its list failed after \(taken.count) objects: \(failedRequest(error))")
                return read
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
            read.pages.append((["kind": "List", "apiVersion": "v1", "items": .array(items)],
                               SourceRef(path: connection.server + path, document: read.pages.count)))
            progress.update(phase, done: taken.count, total: nil)
            token = list["metadata"]?["continue"]?.stringValue.flatMap { $0.isEmpty ? nil : $0 }
            if token == nil { return read }
        }
    }
}
