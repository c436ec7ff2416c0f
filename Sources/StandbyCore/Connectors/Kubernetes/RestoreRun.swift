import Foundation

/// One run of a ``KubernetesRestore``: the checks before the first write, then the graph-ordered
/// apply with readiness and hooks. The coordinator (the caller's thread) decides what to send;
/// a ``RequestPool`` sends it.
struct RestoreRun {
    let restore: KubernetesRestore
    let set: KubernetesRestoreSet
    let progress: any ProgressReporter
    let client: KubeAPIClient

    /// One manifest and what became of it.
    struct Node {
        var document: JSONValue
        var label: String
        var id: String
        var name: String
        var namespace: String?
        var resource: KubeAPIResource?
        var convertedFrom: String?
        var barrier = false
        /// Readiness is awaited after the apply.
        var awaits = false
        var state: Progress = .waiting
        var outcome: ApplyOutcome?
        var message = ""
        var blockedBy: [String] = []
        var applied: Date?
        var ready: Date?
        var deadline: Date?
        var path: String?
        var live: JSONValue?
        /// Sent before prerequisites that depend on it in turn (a cycle): which.
        var cycle: [String] = []

        enum Progress: Equatable {
            /// Not sent yet.
            case waiting
            case sent
            /// Applied; readiness awaited.
            case awaiting
            /// Applied and ready (or readiness not awaited).
            case ready
            /// Failed, blocked, or not ready in time.
            case bad
        }

        var shown: String { "\(label) \(id)" }
        /// The apply was answered or will never be sent.
        var settled: Bool { state != .waiting && state != .sent }
        var appliedOK: Bool { state == .awaiting || state == .ready }
    }

    enum Work: Sendable {
        case apply(index: Int, document: JSONValue, resource: KubeAPIResource?, namespace: String?, name: String)
        case check(index: Int, path: String, kind: String, namespace: String?, name: String)
    }

    enum Answer: Sendable {
        case applied(index: Int, outcome: ApplyOutcome, message: String, path: String?, live: JSONValue?)
        case checked(index: Int, state: KubeReadiness.State, live: JSONValue?)
    }

    var nodes: [Node] = []
    var graph = RestoreGraph(prerequisites: [], dependents: [], barrier: [])
    var checks: [(due: Date, index: Int)] = []
    var checksHead = 0
    var unsettledBeforeBarrier = 0
    var settledCount = 0
    var hookRecords: [HookRecord] = []
    var served: KubeServedAPIs?
    let started = Date()

    init(restore: KubernetesRestore, set: KubernetesRestoreSet, progress: any ProgressReporter) {
        self.restore = restore
        self.set = set
        self.progress = progress
        self.client = KubeAPIClient(connection: restore.connection)
    }

    var phase: String { "applying to \(set.cluster)" }

    mutating func run() -> ApplyReport {
        progress.update(phase, done: 0, total: set.manifests.count)
        preflight()
        if served != nil {
            schedule()
        }
        progress.update(phase, done: set.manifests.count, total: set.manifests.count)
        progress.finish()
        return report()
    }

    // MARK: - Before the first write

    mutating func preflight() {
        let connection = restore.connection
        nodes = set.manifests.map { manifest in
            let document = manifest.document
            let apiVersion = document["apiVersion"]?.stringValue ?? ""
            let kind = document["kind"]?.stringValue ?? ""
            let name = document["metadata"]?["name"]?.stringValue ?? ""
            let namespace = document["metadata"]?["namespace"]?.stringValue.flatMap { $0.isEmpty ? nil : $0 }
            let label = apiVersion.isEmpty && kind.isEmpty ? "object" : "\(apiVersion) \(kind)".trimmingCharacters(in: .whitespaces)
            var node = Node(document: document, label: label, id: namespace.map { "\($0)/\(name)" } ?? name, name: name, namespace: namespace)
            if apiVersion.isEmpty || kind.isEmpty || name.isEmpty {
                node.fail("the manifest has no apiVersion, kind or metadata.name")
            } else if let sealed = KubernetesRestore.sealedPath(in: document) {
                node.fail("not applied: \(sealed) is still sealed (the recovery point was opened "
                    + "without its recovery key): open it with point:selection{ recovery_key = ... } or { kms = true }")
            } else if let pending = PendingVolumeFill.pending(in: document) {
                let why = restore.pendingVolumes[pending.pv]
                    ?? "plan:apply ran no CreateVolume step for it (give target.aws, or check the aws records)"
                node.fail("not applied: \(pending.path) still names no EBS volume (the volume for PersistentVolume \(pending.pv) "
                    + "was not created: \(why))")
            }
            return node
        }
        var needed: Set<String> = []
        for node in nodes where node.state == .waiting {
            let apiVersion = node.document["apiVersion"]?.stringValue ?? ""
            needed.insert(apiVersion)
            if let to = KubeVersionConversion.target(apiVersion: apiVersion, kind: node.document["kind"]?.stringValue ?? "") {
                needed.insert(to)
            }
        }
        if nodes.contains(where: { $0.state == .waiting }) { needed.insert("discovery.k8s.io/v1") }
        let served: KubeServedAPIs
        do {
            served = try KubeServedAPIs.read(client, needed: needed)
        } catch {
            for i in nodes.indices where nodes[i].state == .waiting {
                nodes[i].fail("not attempted: reading the recovery cluster's discovery failed: \(error)")
            }
            return
        }
        self.served = served

        // Kinds the set's own CRDs serve, and whether they are namespaced.
        var crdKinds: [KubeScope.GroupKind: Bool] = [:]
        for node in nodes where node.document["kind"]?.stringValue == "CustomResourceDefinition"
            && KubeRef.split(apiVersion: node.document["apiVersion"]?.stringValue ?? "").group == KubernetesRestore.crdGroup {
            if let gk = KubernetesRestore.servedGroupKind(ofCRD: node.document) {
                crdKinds[gk] = node.document["spec"]?["scope"]?.stringValue != "Cluster"
            }
        }
        for i in nodes.indices where nodes[i].state == .waiting {
            let apiVersion = nodes[i].document["apiVersion"]?.stringValue ?? ""
            let kind = nodes[i].document["kind"]?.stringValue ?? ""
            let group = KubeRef.split(apiVersion: apiVersion).group
            var namespaced: Bool
            if let resource = served.resource(apiVersion: apiVersion, kind: kind) {
                nodes[i].resource = resource
                namespaced = resource.namespaced
            } else if let scoped = crdKinds[KubeScope.GroupKind(group: group, kind: kind)] {
                namespaced = scoped // resolved once its CRD is Established
            } else {
                switch KubeVersionConversion.convert(nodes[i].document, serves: served.serves) {
                case .converted(let document):
                    let to = document["apiVersion"]?.stringValue ?? ""
                    nodes[i].document = document
                    nodes[i].convertedFrom = apiVersion
                    nodes[i].label = "\(to) \(kind)"
                    nodes[i].resource = served.resource(apiVersion: to, kind: kind)
                    namespaced = nodes[i].resource?.namespaced ?? false
                case .needsPerson(let why):
                    let versions = served.versions(ofGroup: group).filter { served.serves(apiVersion: $0, kind: kind) }
                    let serves = versions.isEmpty ? "" : " (it serves \(kind) as \(versions.joined(separator: ", ")))"
                    nodes[i].fail("needs a person: the recovery cluster does not serve \(apiVersion) \(kind)\(serves): \(why); nothing was sent for it")
                    continue
                }
            }
            if namespaced, nodes[i].namespace == nil {
                let target = connection.namespace ?? "default"
                nodes[i].namespace = target
                nodes[i].id = "\(target)/\(nodes[i].name)"
                nodes[i].document.set([.key("metadata"), .key("namespace")], .string(target))
            } else if !namespaced {
                nodes[i].namespace = nil
                nodes[i].id = nodes[i].name
            }
        }
    }

    // MARK: - The graph-ordered apply

    mutating func schedule() {
        graph = RestoreGraph.build(nodes.map(\.document))
        for i in nodes.indices {
            nodes[i].barrier = graph.barrier[i]
            guard nodes[i].state == .waiting else { continue }
            let kind = nodes[i].document["kind"]?.stringValue ?? ""
            let group = KubeRef.split(apiVersion: nodes[i].document["apiVersion"]?.stringValue ?? "").group
            nodes[i].awaits = KubeReadiness.kinds.contains(KubeScope.GroupKind(group: group, kind: kind))
                && restore.timeouts.timeout(for: kind) > 0 && (kind != "Service" || graph.awaitsReadiness(i))
        }
        unsettledBeforeBarrier = nodes.indices.filter { !nodes[$0].barrier && !nodes[$0].settled }.count
        settledCount = nodes.filter(\.settled).count

        let client = self.client
        let policy = restore.policy
        let fieldManager = restore.fieldManager
        let resolver = SharedResolver(served)
        let crdTimeout = restore.timeouts.timeout(for: "CustomResourceDefinition")
        let poll = restore.pollInterval
        let slices = served?.serves(apiVersion: "discovery.k8s.io/v1", kind: "EndpointSlice") ?? false
        let pool = RequestPool<Work, Answer>(width: restore.width) { work in
            switch work {
            case let .apply(index, document, resource, namespace, name):
                return RestoreRun.apply(index: index, document: document, resource: resource, namespace: namespace, name: name,
                                        client: client, policy: policy, fieldManager: fieldManager, resolver: resolver,
                                        crdDeadline: Date().addingTimeInterval(max(crdTimeout, poll)), poll: poll)
            case let .check(index, path, kind, namespace, name):
                return RestoreRun.check(index: index, path: path, kind: kind, namespace: namespace, name: name,
                                        client: client, slices: slices)
            }
        }
        defer { pool.close() }
        // Hooks apply as a field manager of their own: under server-side apply, a partial object
        // applied as the restore's manager would remove every field the restore set and it omits.
        let verbs = KubeVerbs(client: client, fieldManager: fieldManager + "-hook", resolver: resolver)

        // Failures found before the first write block their dependents now.
        for i in nodes.indices where nodes[i].state == .bad { notifyDependents(of: i, pool: pool) }
        for i in nodes.indices where nodes[i].state == .waiting { evaluate(i, pool: pool) }

        while true {
            let due = checksHead < checks.count ? checks[checksHead].due : nil
            if pool.outstanding == 0 && due == nil {
                guard let stuck = firstWaiting() else { break }
                breakCycle(stuck, pool: pool)
                continue
            }
            for answer in pool.take(until: due) {
                handle(answer, pool: pool, verbs: verbs)
            }
            let now = Date()
            while checksHead < checks.count, checks[checksHead].due <= now {
                let i = checks[checksHead].index
                checksHead += 1
                submitCheck(i, pool: pool)
            }
            if checksHead > 4096 && checksHead * 2 > checks.count {
                checks.removeFirst(checksHead)
                checksHead = 0
            }
            progress.update(phase, done: settledCount, total: nodes.count)
        }
    }

    /// Sends `i` when everything it needs is there; blocks it when something it needs failed.
    mutating func evaluate(_ i: Int, pool: RequestPool<Work, Answer>) {
        guard nodes[i].state == .waiting else { return }
        var broken: [(Int, String, String)] = []
        var unmet = false
        for edge in graph.prerequisites[i] {
            let p = nodes[edge.prerequisite]
            if nodes[i].cycle.contains(p.shown) { continue }
            switch edge.kind {
            case .after:
                if !p.settled { unmet = true }
            case .needs:
                if p.applied != nil { continue }
                if p.state == .bad {
                    broken.append((edge.prerequisite, edge.relation, p.outcome == .blocked ? "was blocked" : "failed"))
                } else {
                    unmet = true
                }
            case .needsReady:
                if p.state == .bad {
                    let what = p.outcome == .blocked ? "was blocked" : (p.applied != nil ? "was not ready" : "failed")
                    broken.append((edge.prerequisite, edge.relation, what))
                } else if p.state != .ready {
                    unmet = true
                }
            }
        }
        if !broken.isEmpty {
            nodes[i].state = .bad
            nodes[i].outcome = .blocked
            nodes[i].blockedBy = broken.map { nodes[$0.0].shown }
            nodes[i].message = "not attempted: it needs " + broken.map { "\(nodes[$0.0].shown) (\($0.1)), which \($0.2)" }
                .joined(separator: "; ")
            settle(i, pool: pool)
            return
        }
        if unmet { return }
        if nodes[i].barrier && unsettledBeforeBarrier > 0 { return }
        nodes[i].state = .sent
        pool.submit(.apply(index: i, document: nodes[i].document, resource: nodes[i].resource, namespace: nodes[i].namespace,
                           name: nodes[i].name))
    }

    /// `i` will not be sent, or its apply was answered: counts it and tells what waits on it.
    mutating func settle(_ i: Int, pool: RequestPool<Work, Answer>) {
        settledCount += 1
        if !nodes[i].barrier {
            unsettledBeforeBarrier -= 1
            if unsettledBeforeBarrier == 0 {
                for b in nodes.indices where nodes[b].barrier && nodes[b].state == .waiting { evaluate(b, pool: pool) }
            }
        }
        notifyDependents(of: i, pool: pool)
    }

    mutating func notifyDependents(of i: Int, pool: RequestPool<Work, Answer>) {
        for d in graph.dependents[i] where nodes[d].state == .waiting { evaluate(d, pool: pool) }
    }

    mutating func handle(_ answer: Answer, pool: RequestPool<Work, Answer>, verbs: KubeVerbs) {
        let now = Date()
        switch answer {
        case let .applied(i, outcome, message, path, live):
            nodes[i].outcome = outcome
            nodes[i].message = message
            nodes[i].path = path
            nodes[i].live = live
            if outcome == .failed {
                nodes[i].state = .bad
                settle(i, pool: pool)
                return
            }
            nodes[i].applied = now
            if nodes[i].awaits, let path {
                nodes[i].state = .awaiting
                nodes[i].deadline = now.addingTimeInterval(restore.timeouts.timeout(for: nodes[i].document["kind"]?.stringValue ?? ""))
                _ = path
                submitCheck(i, pool: pool)
                settle(i, pool: pool)
            } else {
                nodes[i].state = .ready
                settle(i, pool: pool)
                runHooks(i, verbs: verbs)
            }
        case let .checked(i, state, live):
            if let live { nodes[i].live = live }
            switch state {
            case .ready:
                nodes[i].state = .ready
                nodes[i].ready = now
                notifyDependents(of: i, pool: pool)
                runHooks(i, verbs: verbs)
            case .failed(let why):
                notReady(i, within: nil, why, pool: pool)
            case .waiting(let what):
                if let deadline = nodes[i].deadline, now.addingTimeInterval(restore.pollInterval) > deadline {
                    let seconds = KubernetesRestore.seconds(restore.timeouts.timeout(for: nodes[i].document["kind"]?.stringValue ?? ""))
                    notReady(i, within: seconds, what, pool: pool)
                } else {
                    checks.append((now.addingTimeInterval(restore.pollInterval), i))
                }
            }
        }
    }

    /// `i` was applied but is not ready: at the deadline (`within` seconds) or for good.
    mutating func notReady(_ i: Int, within: String?, _ what: String, pool: RequestPool<Work, Answer>) {
        let done = nodes[i].outcome == .skipped ? "exists" : (nodes[i].outcome?.rawValue ?? "applied")
        let crd = nodes[i].document["kind"]?.stringValue == "CustomResourceDefinition"
        let subject = crd ? "CRD \(nodes[i].name) not Established" : "not ready"
        nodes[i].outcome = .failed
        nodes[i].message = within.map { "\(done); \(subject) within \($0): \(what)" } ?? "\(done); \(subject): \(what)"
        nodes[i].state = .bad
        notifyDependents(of: i, pool: pool)
    }

    func submitCheck(_ i: Int, pool: RequestPool<Work, Answer>) {
        guard let path = nodes[i].path else { return }
        pool.submit(.check(index: i, path: path, kind: nodes[i].document["kind"]?.stringValue ?? "", namespace: nodes[i].namespace,
                           name: nodes[i].name))
    }

    func firstWaiting() -> Int? {
        nodes.indices.first { nodes[$0].state == .waiting && !nodes[$0].barrier }
            ?? nodes.indices.first { nodes[$0].state == .waiting }
    }

    /// Nothing is in flight and `i` still waits: what it waits for waits on it in turn. It is
    /// sent, and its record says before what.
    mutating func breakCycle(_ i: Int, pool: RequestPool<Work, Answer>) {
        let pending = graph.prerequisites[i].map(\.prerequisite).filter { !nodes[$0].settled || nodes[$0].state == .awaiting }
        nodes[i].cycle = pending.map { nodes[$0].shown }
        if nodes[i].barrier { unsettledBeforeBarrier = 0 }
        for p in pending { nodes[i].cycle.append(nodes[p].shown) }
        // Order only from here: what it needed is sent or awaited; failures still block it.
        let before = nodes[i].state
        evaluate(i, pool: pool)
        if nodes[i].state == before {
            nodes[i].state = .sent
            pool.submit(.apply(index: i, document: nodes[i].document, resource: nodes[i].resource, namespace: nodes[i].namespace,
                               name: nodes[i].name))
        }
    }

    mutating func runHooks(_ i: Int, verbs: KubeVerbs) {
        guard !restore.hooks.isEmpty, nodes[i].outcome == .created || nodes[i].outcome == .updated else { return }
        let object = nodes[i].live ?? nodes[i].document
        for hook in restore.hooks where hook.matches(object) {
            let start = Date()
            let error = hook.run(HookEvent(cluster: set.cluster, object: object, kube: verbs))
            hookRecords.append(HookRecord(hook: hook.name, object: nodes[i].shown, ok: error == nil, message: error ?? "",
                                          started: start, ended: Date()))
        }
    }

    // MARK: - Requests (on the pool's threads)

    static func apply(index: Int, document: JSONValue, resource: KubeAPIResource?, namespace: String?, name: String,
                      client: KubeAPIClient, policy: ExistingPolicy, fieldManager: String, resolver: SharedResolver,
                      crdDeadline: Date, poll: Double) -> Answer {
        do {
            let apiVersion = document["apiVersion"]?.stringValue ?? ""
            let kind = document["kind"]?.stringValue ?? ""
            var resource = resource
            if resource == nil {
                resource = try resolver.awaitResource(apiVersion: apiVersion, kind: kind, client: client, deadline: crdDeadline, poll: poll)
            }
            guard let resource else {
                return .applied(index: index, outcome: .failed, message: "the recovery cluster does not list \(apiVersion) \(kind) in "
                    + "its discovery, although the CRD serving it is Established", path: nil, live: nil)
            }
            let path = resource.objectPath(namespace: namespace, name: name)
            if policy == .skip {
                do {
                    let live = try client.get(path)
                    return .applied(index: index, outcome: .skipped, message: "exists", path: path, live: live)
                } catch let error as KubeAPIError where error.status == 404 {
                    // absent: applied below
                }
            }
            let (live, created) = try client.apply(path, object: document, fieldManager: fieldManager)
            return .applied(index: index, outcome: created ? .created : .updated, message: "", path: path, live: live)
        } catch let error as KubeAPIError {
            return .applied(index: index, outcome: .failed, message: error.summary, path: nil, live: nil)
        } catch {
            return .applied(index: index, outcome: .failed, message: "\(error)", path: nil, live: nil)
        }
    }

    static func check(index: Int, path: String, kind: String, namespace: String?, name: String, client: KubeAPIClient,
                      slices: Bool) -> Answer {
        do {
            if kind == "Service" {
                let ns = KubeAPIClient.percentEncoded(namespace ?? "default")
                if slices {
                    let list = try client.get("/apis/discovery.k8s.io/v1/namespaces/\(ns)/endpointslices",
                                              query: [("labelSelector", "kubernetes.io/service-name=\(name)")])
                    return .checked(index: index, state: KubeReadiness.endpointsReady(slices: list, endpoints: nil), live: nil)
                }
                do {
                    let endpoints = try client.get("/api/v1/namespaces/\(ns)/endpoints/\(KubeAPIClient.percentEncoded(name))")
                    return .checked(index: index, state: KubeReadiness.endpointsReady(slices: nil, endpoints: endpoints), live: nil)
                } catch let error as KubeAPIError where error.status == 404 {
                    return .checked(index: index, state: KubeReadiness.endpointsReady(slices: nil, endpoints: nil), live: nil)
                }
            }
            let live = try client.get(path)
            return .checked(index: index, state: KubeReadiness.state(of: live, kind: kind), live: live)
        } catch let error as KubeAPIError {
            return .checked(index: index, state: .waiting("reading it failed: \(error.summary)"), live: nil)
        } catch {
            return .checked(index: index, state: .waiting("reading it failed: \(error)"), live: nil)
        }
    }

    // MARK: - The report

    func report() -> ApplyReport {
        var report = ApplyReport()
        var lastApplied: Date?
        var lastReady: Date?
        var allReady = true
        for node in nodes {
            var record = ApplyRecord(target: "kubernetes", kind: node.label, id: node.id, outcome: node.outcome ?? .failed,
                                     message: node.message)
            if node.outcome == nil { record.message = "not attempted: the restore ended before it was sent" }
            if let from = node.convertedFrom {
                record.convertedFrom = from
                let note = "converted from \(from)"
                record.message = record.message.isEmpty ? note : "\(note); \(record.message)"
            }
            if !node.cycle.isEmpty {
                let note = "sent before \(node.cycle.joined(separator: ", ")), which depend on it in turn (a cycle)"
                record.message = record.message.isEmpty ? note : "\(record.message); \(note)"
            }
            record.blockedBy = node.blockedBy
            record.applied = node.applied
            record.ready = node.ready
            if let applied = node.applied { lastApplied = max(lastApplied ?? applied, applied) }
            if let ready = node.ready ?? (node.state == .ready ? node.applied : nil) { lastReady = max(lastReady ?? ready, ready) }
            if node.state != .ready { allReady = false }
            report.append(record)
        }
        let ended = Date()
        report.hooks = hookRecords
        report.clusters = [ApplyTiming(cluster: set.cluster, started: started, applied: lastApplied,
                                       ready: allReady ? (lastReady ?? lastApplied ?? ended) : nil, ended: ended,
                                       objects: nodes.count, sent: nodes.filter { $0.applied != nil }.count,
                                       failed: nodes.filter { $0.outcome == .failed || $0.outcome == nil }.count,
                                       blocked: nodes.filter { $0.outcome == .blocked }.count,
                                       awaited: nodes.filter(\.awaits).count)]
        return report
    }
}

extension RestoreRun.Node {
    mutating func fail(_ message: String) {
        state = .bad
        outcome = .failed
        self.message = message
    }
}
