import Foundation

extension PointCatalog {
    /// How many PersistentVolumes the point's manifest lists (by object id).
    public func persistentVolumes(in id: String) throws -> Int {
        let bytes = try store.get(id + "/" + PointFormat.manifestFile)
        let manifest = try PointManifest(json: try JSONParser.parse(bytes, source: id + "/manifest.json"))
        return manifest.objects.filter { ($0.id ?? "").split(whereSeparator: { $0 == "/" || $0 == ":" }).contains("PersistentVolume") }.count
    }
}

/// The checks a scheduled drill runs on the plan it wrote from the newest point, without the
/// Python checkers the test suite also runs (they are not in the image): every file of the plan
/// reads (JSON, YAML), every Kubernetes manifest names its apiVersion, kind and name, and the
/// plan's own report says nothing blocks it.
public struct PlanCheck: Sendable {
    public struct Finding: Sendable, Equatable {
        public var file: String
        public var problem: String
        public init(file: String, problem: String) { self.file = file; self.problem = problem }
    }

    public init(folder: String) { self.folder = folder }

    public var folder: String
    /// Files read.
    public var files = 0
    /// Kubernetes objects found in the manifests.
    public var manifests = 0
    public var findings: [Finding] = []
    public var passed: Bool { findings.isEmpty && files > 0 }

    /// Checks the plan folder `folder` (as `plan:write` leaves it).
    public static func run(folder: String) -> PlanCheck {
        var check = PlanCheck(folder: folder)
        guard let walker = FileManager.default.enumerator(atPath: folder) else {
            check.findings.append(Finding(file: folder, problem: "the plan folder cannot be read"))
            return check
        }
        var names: [String] = []
        while let rel = walker.nextObject() as? String { names.append(rel) }
        for rel in names.sorted() {
            let path = folder + "/" + rel
            var isDirectory: ObjCBool = false
            guard FileManager.default.fileExists(atPath: path, isDirectory: &isDirectory), !isDirectory.boolValue else { continue }
            guard let data = FileManager.default.contents(atPath: path) else {
                check.findings.append(Finding(file: rel, problem: "cannot be read")); continue
            }
            check.files += 1
            do {
                if rel.hasSuffix(".json") {
                    let value = try JSONParser.parse(data, source: rel)
                    if rel == "report.json", let blockers = value["blockers"]?.arrayValue, !blockers.isEmpty {
                        check.findings.append(Finding(file: rel, problem: "the plan reports \(blockers.count) blocker(s)"))
                    }
                } else if rel.hasSuffix(".yaml") || rel.hasSuffix(".yml") {
                    for doc in try YAMLDocuments.documents(String(decoding: data, as: UTF8.self), source: rel) {
                        let v = doc.value
                        guard v["kind"] != nil || v["apiVersion"] != nil else { continue }   // not a Kubernetes object
                        check.manifests += 1
                        if v["apiVersion"]?.stringValue == nil || v["kind"]?.stringValue == nil || v["metadata"]?["name"]?.stringValue == nil {
                            check.findings.append(Finding(file: "\(rel):\(doc.line)", problem: "a manifest without apiVersion, kind or metadata.name"))
                        }
                    }
                }
            } catch {
                check.findings.append(Finding(file: rel, problem: "\(error)"))
            }
        }
        if check.files == 0 { check.findings.append(Finding(file: folder, problem: "the drill wrote no plan")) }
        return check
    }

    /// The report stored beside the point (`<id>/drill/report.md`).
    public func markdown(point: String, at date: Date) -> String {
        var lines = ["# Drill of \(point)", "",
                     "Run \(PointFormat.iso8601(date)): the point was opened (signature and digests verified), planned in test mode, and the plan checked.",
                     "", "- result: **\(passed ? "PASSED" : "FAILED")**", "- files checked: \(files)", "- Kubernetes manifests: \(manifests)"]
        if !findings.isEmpty { lines += ["", "## Findings", ""] + findings.map { "- `\($0.file)`: \($0.problem)" } }
        lines += ["", "Not checked here: the manifests against the API server's schemas (kubernetes-validate in the test suite), and a real apply."]
        return lines.joined(separator: "\n") + "\n"
    }

    public func json(point: String, at date: Date) -> JSONValue {
        .object(JSONObject([
            ("point", .string(point)), ("run", .string(PointFormat.iso8601(date))), ("passed", .bool(passed)),
            ("files", .int(Int64(files))), ("manifests", .int(Int64(manifests))),
            ("findings", .array(findings.map { .object(JSONObject([("file", .string($0.file)), ("problem", .string($0.problem))])) })),
        ]))
    }
}
