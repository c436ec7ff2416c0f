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
        var out: [PlanFile] = []
        if let azure {
            out.append(PlanFile(path: "azure/template.json", contents: JSONSerializer.serialize(azure.template, pretty: true) + "\n"))
            out.append(PlanFile(path: "azure/parameters.json", contents: JSONSerializer.serialize(azure.parameters, pretty: true) + "\n"))
        }
        for plan in eks {
            out.append(PlanFile(path: "eks/\(PlanFile.safe(plan.cluster)).json",
                                contents: JSONSerializer.serialize(Self.json(plan), pretty: true) + "\n"))
        }
        for set in kubernetes {
            let base = "kubernetes/\(PlanFile.safe(set.cluster))"
            out.append(PlanFile(path: "\(base)/all.yaml", contents: set.manifests.map { Self.yaml($0.document) }.joined(separator: "---\n")))
            for m in set.manifests {
                out.append(PlanFile(path: "\(base)/\(m.path)", contents: Self.yaml(m.document)))
            }
        }
        let report = PlanReport(self)
        out.append(PlanFile(path: "report.json", contents: JSONSerializer.serialize(report.jsonValue, pretty: true) + "\n"))
        out.append(PlanFile(path: "report.md", contents: report.markdown))
        return out
    }

    /// One document as YAML. (JSON is YAML; replaced by the YAML emitter once it lands.)
    static func yaml(_ document: JSONValue) -> String { JSONSerializer.serialize(document, pretty: true) + "\n" }

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
