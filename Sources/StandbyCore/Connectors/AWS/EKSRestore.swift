import Foundation

/// Runs EKS recovery plans (``EKSRecoveryPlan``) against the recovery account and region of an
/// ``AWSSession``: each request in step order, idempotently.
///
/// - A plan whose requests name another account or region than the session's is refused: every
///   record fails, nothing is sent.
/// - Before each create the resource is looked up (`DescribeCluster`, `DescribeNodegroup`,
///   `DescribeFargateProfile`; an OIDC provider by its URL). One that exists is reported
///   `.skipped` "already exists" and left as it is. Under ``ExistingPolicy/update`` a node group
///   is brought to the plan's scaling, labels, taints and update settings in place
///   (`UpdateNodegroupConfig`, ``EKSNodegroupChange``) and reported `.updated`; clusters,
///   Fargate profiles and OIDC providers cannot be changed to a plan in place and are skipped,
///   saying so.
/// - The cluster must be `ACTIVE` before the steps after it (`DescribeCluster` is polled every
///   `pollInterval` seconds for up to `waitTimeout`), and each Fargate profile before the next
///   (EKS creates one profile of a cluster at a time).
/// - Values only known after an earlier step (``EKSRequest/pending``, `"Url": "step 1
///   cluster.identity.oidc.issuer"`) are read from that step's answer.
/// - A failed step is `.failed` with the AWS error; the steps that wait for it (``EKSRequest/after``)
///   are `.failed` "not attempted: step N failed". Nothing throws.
public struct EKSRestore {
    public let session: AWSSession
    public let policy: ExistingPolicy
    public let waitTimeout: Double
    public let pollInterval: Double

    public init(session: AWSSession, policy: ExistingPolicy = .skip, waitTimeout: Double = 1800, pollInterval: Double = 10) {
        self.session = session
        self.policy = policy
        self.waitTimeout = waitTimeout
        self.pollInterval = pollInterval
    }

    /// Applies every plan, in order; one record per request.
    public func apply(_ plans: [EKSRecoveryPlan], progress: any ProgressReporter) -> ApplyReport {
        run(plans, progress: progress).report
    }

    /// Applies every plan, in order: one record per request, and the EBS volumes the
    /// `CreateVolume` steps made or found (``EBSVolumeHandles``), for the PersistentVolumes.
    public func run(_ plans: [EKSRecoveryPlan], progress: any ProgressReporter) -> EKSApplyResult {
        var result = EKSApplyResult()
        for plan in plans {
            var run = Run()
            result.report.append(contentsOf: apply(plan, &run, progress: progress))
            result.volumes.merge(run.volumes)
        }
        progress.finish()
        return result
    }

    func apply(_ plan: EKSRecoveryPlan, _ run: inout Run, progress: any ProgressReporter) -> ApplyReport {
        var report = ApplyReport()
        let requests = plan.requests.sorted { $0.step < $1.step }
        if let wrong = requests.first(where: { $0.account != session.account || $0.region != session.region }) {
            let why = "refused: step \(wrong.step) is for account \(wrong.account) in \(wrong.region), but the AWS session "
                + "acts in account \(session.account) in \(session.region)"
            for r in requests {
                report.append(record(r, .failed, why))
                if let pv = Self.volumePV(r) { run.volumes.failed[pv] = why }
            }
            for r in report.records { progress.event(r.description) }
            return report
        }
        for (n, request) in requests.enumerated() {
            progress.update("applying eks \(plan.cluster)", done: n, total: requests.count)
            let line: ApplyRecord
            if let blocker = request.after.sorted().first(where: { run.outcomes[$0] == .failed }) {
                line = record(request, .failed, "not attempted: step \(blocker) failed")
            } else {
                do {
                    line = try perform(request, &run)
                } catch {
                    line = record(request, .failed, "\(error)")
                }
            }
            run.outcomes[request.step] = line.outcome
            if line.outcome == .failed, let pv = Self.volumePV(request) {
                run.volumes.failed[pv] = "CreateVolume (step \(request.step)) failed: \(line.message)"
            }
            report.append(line)
            progress.event(line.description)
        }
        progress.update("applying eks \(plan.cluster)", done: requests.count, total: requests.count)
        return report
    }

    /// What the steps so far did and answered.
    struct Run {
        var outcomes: [Int: ApplyOutcome] = [:]
        /// The describe answer of what each step created or found (`{"cluster": {...}}`).
        var answers: [Int: JSONValue] = [:]
        /// The EBS volumes the CreateVolume steps made or found, and those that failed.
        var volumes = EBSVolumeHandles()
    }

    func record(_ request: EKSRequest, _ outcome: ApplyOutcome, _ message: String, id: String? = nil) -> ApplyRecord {
        ApplyRecord(target: "aws", kind: request.operation, id: id ?? request.creates, outcome: outcome, message: message)
    }

    var existsMessage: String {
        policy == .update ? "already exists; left as it is: EKS cannot update it to the plan in place" : "already exists"
    }

    func perform(_ request: EKSRequest, _ run: inout Run) throws -> ApplyRecord {
        switch (request.service, request.operation) {
        case ("eks", "CreateCluster"): return try createCluster(request, &run)
        case ("eks", "CreateNodegroup"): return try createNodegroup(request, &run)
        case ("eks", "CreateFargateProfile"): return try createFargateProfile(request, &run)
        case ("iam", "CreateOpenIDConnectProvider"): return try createOIDCProvider(request, &run)
        case ("eks", "CreateAccessEntry"): return try createAccessEntry(request, &run)
        case ("eks", "AssociateAccessPolicy"): return try associateAccessPolicy(request, &run)
        case ("eks", "CreatePodIdentityAssociation"): return try createPodIdentityAssociation(request, &run)
        case ("eks", "CreateAddon"): return try createAddon(request, &run)
        case ("ec2", "CreateVolume"): return try createVolume(request, &run)
        default:
            return record(request, .failed, "\(request.service) \(request.operation) is not a request Standby can run")
        }
    }

    // MARK: - Steps

    func createCluster(_ request: EKSRequest, _ run: inout Run) throws -> ApplyRecord {
        let name = try string(request, "name")
        if let existing = try describe(["clusters", name], "DescribeCluster") {
            let active = try waitUntilActive(["clusters", name], "DescribeCluster", "cluster", first: existing)
            run.answers[request.step] = active
            return record(request, .skipped, existsMessage)
        }
        _ = try session.rest(.eks, "CreateCluster", "POST", ["clusters"], body: request.body)
        let active = try waitUntilActive(["clusters", name], "DescribeCluster", "cluster", first: nil)
        run.answers[request.step] = active
        let issuer = active["cluster"]?["identity"]?["oidc"]?["issuer"]?.stringValue
        return record(request, .created, issuer.map { "ACTIVE, OIDC issuer \($0)" } ?? "ACTIVE")
    }

    func createNodegroup(_ request: EKSRequest, _ run: inout Run) throws -> ApplyRecord {
        let cluster = try string(request, "clusterName"), name = try string(request, "nodegroupName")
        try requireActiveCluster(cluster, run)
        let path = ["clusters", cluster, "node-groups", name]
        if let existing = try describe(path, "DescribeNodegroup") {
            run.answers[request.step] = existing
            guard policy == .update else { return record(request, .skipped, existsMessage) }
            let change = EKSNodegroupChange(plan: request.body, current: existing["nodegroup"] ?? .null)
            guard !change.isEmpty else { return record(request, .skipped, "already exists, as the plan has it") }
            _ = try session.rest(.eks, "UpdateNodegroupConfig", "POST", path + ["update-config"], body: .object(change.body))
            return record(request, .updated, "updated in place: " + change.fields.joined(separator: ", "))
        }
        var body = request.body.objectValue ?? JSONObject()
        body["clusterName"] = nil
        let answer = try session.rest(.eks, "CreateNodegroup", "POST", ["clusters", cluster, "node-groups"], body: .object(body))
        run.answers[request.step] = answer
        return record(request, .created, answer["nodegroup"]?["status"]?.stringValue ?? "")
    }

    func createFargateProfile(_ request: EKSRequest, _ run: inout Run) throws -> ApplyRecord {
        let cluster = try string(request, "clusterName"), name = try string(request, "fargateProfileName")
        try requireActiveCluster(cluster, run)
        let path = ["clusters", cluster, "fargate-profiles", name]
        if let existing = try describe(path, "DescribeFargateProfile") {
            run.answers[request.step] = try waitUntilActive(path, "DescribeFargateProfile", "fargateProfile", first: existing)
            return record(request, .skipped, existsMessage)
        }
        var body = request.body
        if case .object(var o) = body { o["clusterName"] = nil; body = .object(o) }
        _ = try session.rest(.eks, "CreateFargateProfile", "POST", ["clusters", cluster, "fargate-profiles"], body: body)
        run.answers[request.step] = try waitUntilActive(path, "DescribeFargateProfile", "fargateProfile", first: nil)
        return record(request, .created, "ACTIVE")
    }

    func createOIDCProvider(_ request: EKSRequest, _ run: inout Run) throws -> ApplyRecord {
        var body = request.body.objectValue ?? JSONObject()
        for (key, spec) in request.pending.sorted(by: { $0.key < $1.key }) {
            guard let value = Self.pendingValue(spec, run.answers) else {
                return record(request, .failed, "\(key) comes from \(spec), which is not known")
            }
            body[key] = .string(value)
        }
        guard let url = body["Url"]?.stringValue, !url.isEmpty else {
            return record(request, .failed, "the request has no Url")
        }
        let host = AWSDiscovery.Reader.issuerHost(url)
        let list = try session.query(.iam, "ListOpenIDConnectProviders")
        let arns = (list.first("OpenIDConnectProviderList")?.children ?? []).compactMap { $0.text("Arn") }
        if let existing = arns.first(where: { $0.hasSuffix("oidc-provider/" + host) }) {
            return record(request, .skipped, existsMessage, id: existing)
        }
        let answer = try session.query(.iam, "CreateOpenIDConnectProvider", .object(body))
        let arn = answer.first("OpenIDConnectProviderArn")?.text
            ?? "arn:\(session.partition):iam::\(session.account):oidc-provider/\(host)"
        return record(request, .created, "for \(url)", id: arn)
    }

    // MARK: - Helpers

    func string(_ request: EKSRequest, _ key: String) throws -> String {
        guard let value = request.body[key]?.stringValue, !value.isEmpty else {
            throw AWSError(service: request.service, operation: request.operation, code: nil,
                           message: "step \(request.step) has no \(key)", status: 0)
        }
        return value
    }

    /// The describe answer, nil when EKS says there is no such resource.
    func describe(_ path: [String], _ operation: String) throws -> JSONValue? {
        do {
            return try session.rest(.eks, operation, "GET", path)
        } catch let error as AWSError where error.isNotFound {
            return nil
        }
    }

    /// Fails unless the cluster is ACTIVE (waiting while it is being created).
    func requireActiveCluster(_ name: String, _ run: Run) throws {
        _ = try waitUntilActive(["clusters", name], "DescribeCluster", "cluster", first: nil)
    }

    /// Polls a describe call until its `status` is `ACTIVE`; throws on a failed status or
    /// after ``waitTimeout``.
    func waitUntilActive(_ path: [String], _ operation: String, _ key: String, first: JSONValue?) throws -> JSONValue {
        var answer = first
        let what = path.joined(separator: "/")
        return try poll(service: "eks", operation: operation) {
            let current: JSONValue
            if let given = answer { current = given; answer = nil } else {
                guard let described = try describe(path, operation) else {
                    throw AWSError(service: "eks", operation: operation, code: "ResourceNotFoundException",
                                   message: "\(what) does not exist in account \(session.account), \(session.region)", status: 404)
                }
                current = described
            }
            let status = current[key]?["status"]?.stringValue ?? ""
            switch status {
            case "ACTIVE": return .done(current)
            case "CREATING", "UPDATING", "PENDING", "": return .waiting("\(what) is still \(status)")
            default: return .failed("\(what) is \(status), not ACTIVE")
            }
        }
    }

    /// What one look at something being created found.
    enum PollState<T> {
        case done(T)
        /// Not yet; the text says what it is doing, for the error when the wait runs out.
        case waiting(String)
        case failed(String)
    }

    /// Looks (`look`) every ``pollInterval`` seconds until it is done; throws when it failed or
    /// is still waiting after ``waitTimeout``.
    func poll<T>(service: String, operation: String, _ look: () throws -> PollState<T>) throws -> T {
        let deadline = Date().addingTimeInterval(waitTimeout)
        while true {
            switch try look() {
            case .done(let value): return value
            case .failed(let message):
                throw AWSError(service: service, operation: operation, code: nil, message: message, status: 0)
            case .waiting(let message):
                guard Date() < deadline else {
                    throw AWSError(service: service, operation: operation, code: nil,
                                   message: "\(message) after \(Int(waitTimeout)) s", status: 0)
                }
                Thread.sleep(forTimeInterval: pollInterval)
            }
        }
    }

    /// `step 1 cluster.identity.oidc.issuer` → the string at that path of step 1's answer.
    static func pendingValue(_ spec: String, _ answers: [Int: JSONValue]) -> String? {
        let words = spec.split(separator: " ")
        guard words.count == 3, words[0] == "step", let step = Int(words[1]), var value = answers[step] else { return nil }
        for key in words[2].split(separator: ".") {
            guard let next = value[String(key)] else { return nil }
            value = next
        }
        return value.stringValue
    }
}
