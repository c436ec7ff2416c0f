import Foundation

/// One file of a written plan: its path relative to the plan folder, and its text.
public struct PlanFile: Sendable, Hashable {
    public var path: String
    public var contents: String

    public init(path: String, contents: String) { self.path = path; self.contents = contents }
}

extension RecoveryPlan {
    /// Every file the plan writes, in a stable order:
    ///
    /// | path | what |
    /// |---|---|
    /// | `azure/template.json`, `azure/parameters.json` | the subscription-scope ARM deployment (sandbox included when attached) |
    /// | `eks/<cluster>.json` | the ordered EKS API requests with translated bodies |
    /// | `kubernetes/<cluster>/all.yaml` | every manifest of the cluster, one multi-document YAML, in restore order |
    /// | `kubernetes/<cluster>/<namespace>/<Kind>/<name>.yaml` | one file per object (`_cluster/` for cluster-scoped ones) |
    /// | `report.json`, `report.md` | what will be created, what was translated, what needs a person, which firewall IP reaches which service |
    public var files: [PlanFile] {
        let sink = CollectingPlanSink()
        try? emit(to: sink)
        return sink.files
    }

    /// Produces the plan's files one piece at a time, so a writer can stream them: a manifest's
    /// YAML is made, written to its own file and appended to `all.yaml`, then dropped.
    /// `manifestFiles: false` skips the file of each manifest (`all.yaml` still has them all).
    func emit(to sink: some PlanSink, manifestFiles: Bool = true) throws {
        if let azure {
            try sink.write("azure/template.json", JSONSerializer.serialize(azure.template, pretty: true) + "\n")
            try sink.write("azure/parameters.json", JSONSerializer.serialize(azure.parameters, pretty: true) + "\n")
        }
        try emitTraffic(to: sink)
        for plan in eks {
            try sink.write("eks/\(PlanFile.safe(plan.cluster)).json", JSONSerializer.serialize(Self.json(plan), pretty: true) + "\n")
        }
        // A folder gets report.json made and written on another thread while the manifests are
        // written (its own file, recorded as written after them, where it always was).
        let reportJob = (sink as? DirectoryPlanSink).map { directory in
            let root = directory.root, plan = self
            return BackgroundJob { () throws -> PlanReport in
                let report = PlanReport(plan)
                try DirectoryPlanSink.writeJSON(report.streamedJSON, root: root, path: "report.json")
                return report
            }
        }
        defer { reportJob?.join() }
        for set in kubernetes {
            let base = "kubernetes/\(PlanFile.safe(set.cluster))"
            let all = "\(base)/all.yaml"
            try sink.write(all, "")
            // YAML for the next chunk of manifests is made on another core while this one writes.
            var rendering = YAMLChunks(set.manifests, size: 512)
            var n = 0
            while let chunk = rendering.next() {
                for yaml in chunk {
                    if manifestFiles { try sink.write("\(base)/\(set.manifests[n].path)", bytes: yaml) }
                    if n > 0 { try sink.append(all, bytes: YAMLEmitter.separator) }
                    try sink.append(all, bytes: yaml)
                    n += 1
                }
            }
        }
        let report: PlanReport
        if let reportJob, let directory = sink as? DirectoryPlanSink {
            report = try reportJob.result()
            directory.recordWritten("report.json")
        } else {
            report = PlanReport(self)
            try sink.writeJSON("report.json", report.jsonValue)
        }
        try sink.write("report.md", report.markdown)
        try sink.write("report.html", PlanPage(report).html)
    }

    /// One document as YAML (``YAMLEmitter``).
    static func yaml(_ document: JSONValue) -> String { YAMLEmitter.emit(document) }

    static func json(_ plan: EKSRecoveryPlan) -> JSONValue {
        .object(JSONObject([
            ("cluster", .string(plan.cluster)),
            ("requests", .array(plan.requests.map(json))),
            ("notes", .array(plan.notes.map { .string($0.description) })),
        ]))
    }

    static func json(_ r: EKSRequest) -> JSONValue {
        var pairs: [(String, JSONValue)] = [
            ("step", .int(Int64(r.step))), ("service", .string(r.service)), ("operation", .string(r.operation)),
            ("account", .string(r.account)), ("region", .string(r.region)), ("creates", .string(r.creates)),
            ("after", .array(r.after.map { .int(Int64($0)) })),
        ]
        if !r.pending.isEmpty {
            pairs.append(("pending", .object(JSONObject(r.pending.sorted { $0.key < $1.key }.map { ($0.key, .string($0.value)) }))))
        }
        pairs.append(("body", r.body))
        return .object(JSONObject(pairs))
    }
}

extension PlanFile {
    /// A path component from a name: anything but letters, digits, `-`, `_` and `.` becomes `_`,
    /// and `.`/`..` cannot escape the folder.
    static func safe(_ name: String) -> String {
        let cleaned = String(name.map { $0.isLetter || $0.isNumber || $0 == "-" || $0 == "_" || $0 == "." ? $0 : "_" })
        return cleaned.isEmpty || cleaned == "." || cleaned == ".." ? "_" : cleaned
    }
}

/// The YAML of a list of manifests, chunk by chunk, each chunk made in the background (on every
/// core) while the caller handles the one before: a pipeline, so writing and YAML making overlap.
struct YAMLChunks {
    private final class Slot: @unchecked Sendable {
        var texts: [[UInt8]] = []
        let done = DispatchSemaphore(value: 0)
    }

    private let manifests: [KubernetesManifest]
    private let size: Int
    private var start = 0
    private var ahead: Slot?

    init(_ manifests: [KubernetesManifest], size: Int) {
        self.manifests = manifests
        self.size = max(1, size)
        self.ahead = render(from: 0)
    }

    private func render(from start: Int) -> Slot? {
        guard start < manifests.count else { return nil }
        let slot = Slot()
        let documents = manifests[start..<min(start + size, manifests.count)].map { SecretRedaction.redact($0.document) }
        DispatchQueue.global().async {
            // Both cores: YAML making is the slower side of the pipeline.
            slot.texts = ParallelWork.map(documents.count) { YAMLEmitter.bytes(documents[$0]) }
            slot.done.signal()
        }
        return slot
    }

    /// The next chunk's YAML texts (UTF-8), in order; nil after the last.
    mutating func next() -> [[UInt8]]? {
        guard let slot = ahead else { return nil }
        slot.done.wait()
        start += size
        ahead = render(from: start)
        return slot.texts
    }
}

/// Work running on another thread from the moment it is made; its result is waited for later.
final class BackgroundJob<Value: Sendable>: @unchecked Sendable {
    private var outcome: Result<Value, any Error>?
    private let done = DispatchSemaphore(value: 0)

    init(_ work: @escaping @Sendable () throws -> Value) {
        DispatchQueue.global().async {
            self.outcome = Result { try work() }
            self.done.signal()
        }
    }

    /// Waits for the work to end (once or many times).
    func join() {
        done.wait()
        done.signal()
    }

    /// The work's value, or its error, once it has ended.
    func result() throws -> Value {
        join()
        return try outcome!.get()
    }
}

/// Where a plan's files go: memory (``RecoveryPlan/files``) or a folder (``RecoveryPlan/write(to:)``).
protocol PlanSink: AnyObject {
    /// Creates (or replaces) the file at the relative `path`.
    func write(_ path: String, _ contents: String) throws
    /// Appends to a file this sink wrote.
    func append(_ path: String, _ contents: String) throws
    /// Creates (or replaces) the file at `path` with `value` as pretty JSON and a newline.
    func writeJSON(_ path: String, _ value: JSONValue) throws
    /// Creates (or replaces) the file at `path` with UTF-8 `bytes`.
    func write(_ path: String, bytes: [UInt8]) throws
    /// Appends UTF-8 `bytes` to a file this sink wrote.
    func append(_ path: String, bytes: [UInt8]) throws
}

extension PlanSink {
    func write(_ path: String, bytes: [UInt8]) throws { try write(path, String(decoding: bytes, as: UTF8.self)) }
    func append(_ path: String, bytes: [UInt8]) throws { try append(path, String(decoding: bytes, as: UTF8.self)) }

    func writeJSON(_ path: String, _ value: JSONValue) throws {
        try write(path, JSONSerializer.serialize(value, pretty: true) + "\n")
    }
}

/// Keeps the files in memory, in the order they were first written.
final class CollectingPlanSink: PlanSink {
    private(set) var files: [PlanFile] = []
    private var index: [String: Int] = [:]

    func write(_ path: String, _ contents: String) throws {
        if let i = index[path] { files[i].contents = contents; return }
        index[path] = files.count
        files.append(PlanFile(path: path, contents: contents))
    }

    func append(_ path: String, _ contents: String) throws {
        guard let i = index[path] else { return try write(path, contents) }
        files[i].contents += contents
    }
}

/// Secret values never reach a plan's files: a Secret manifest is written with its `data` and
/// `stringData` values emptied and an annotation saying where they come from. The values stay in
/// the recovery point, encrypted, and in the in-memory plan, for a restore that applies them.
enum SecretRedaction {
    static let annotation = "standby.io/secret-values"
    static let note = "redacted from the plan files: restored from the encrypted recovery point when the plan is applied"

    static func redact(_ document: JSONValue) -> JSONValue {
        guard document["kind"]?.stringValue == "Secret", document["apiVersion"]?.stringValue == "v1" else { return document }
        var out = document
        for field in ["data", "stringData"] {
            guard case .object(let values)? = document[field], !values.isEmpty else { continue }
            out.set([.key(field)], .object(JSONObject(values.pairs.map { ($0.key, JSONValue.string("")) })))
        }
        out.set([.key("metadata"), .key("annotations"), .key(annotation)], .string(note))
        return out
    }
}
