/// The first screen of `report.md` (and the top of `report.html`): counts, the checklist of what
/// needs a person grouped before / during / after the deployment, the must-exist items, the RPO
/// of the point and the RTO of the last apply. At most ``firstScreenLines`` lines; the details
/// follow it.
extension PlanReport {
    /// The first screen is at most this many lines.
    public static let firstScreenLines = 40
    /// Checklist items shown per phase on the first screen; the rest are counted.
    static let itemsPerPhase = 4

    /// The counts both reports show, in order: key (as in `report.json`'s `summary`), label, value.
    public var headline: [(key: String, label: String, value: Int)] {
        let checklist = PlanChecklist(self)
        let s = plan.translation.summary
        return [
            ("azure_resources", "Azure resources", plan.azure?.creates.count ?? 0),
            ("eks_requests", "EKS requests", plan.eks.reduce(0) { $0 + $1.requests.count }),
            ("kubernetes_manifests", "Kubernetes manifests", plan.kubernetes.reduce(0) { $0 + $1.manifests.count }),
            ("kubernetes_skipped", "not restored separately", plan.kubernetes.reduce(0) { $0 + $1.skipped.count }),
            ("resources", "resources translated", s.resources),
            ("changed", "changed", s.changed),
            ("needs_a_person", "need a person", checklist.items.count),
            ("before", "before deployment", checklist.items(.before).count),
            ("during", "during deployment", checklist.items(.during).count),
            ("after", "after deployment", checklist.items(.after).count),
            ("must_exist", "must exist", plan.translation.assumed.count),
            ("traffic_endpoints", "recovery endpoints", plan.traffic?.endpoints.count ?? 0),
            ("registry_imports", "images to import", plan.traffic?.imports.count ?? 0),
        ]
    }

    /// The RPO line: the point's figure, or why there is none.
    public var rpoText: String {
        plan.timings.rpo
            ?? rpoSeconds.map { "\(SnapshotTime.age(Double($0))) (the oldest volume snapshot the plan restores)" }
            ?? "no volume data in this point"
    }
    /// The RTO line: the last apply's figure, or why there is none.
    public var rtoText: String { plan.timings.rto ?? "not measured: no apply of this plan has been recorded" }

    /// `report.md`'s first screen.
    var firstScreen: [String] {
        let checklist = PlanChecklist(self)
        let h = Dictionary(headline.map { ($0.key, $0.value) }, uniquingKeysWith: { a, _ in a })
        let n = { (k: String) in h[k] ?? 0 }
        var md: [String] = []
        md.append("| Creates | Translated | Needs a person |")
        md.append("|---|---|---|")
        md.append("| \(n("azure_resources")) Azure resources · \(n("eks_requests")) EKS requests · \(n("kubernetes_manifests")) "
            + "Kubernetes manifests (\(n("kubernetes_skipped")) not restored separately) | \(n("resources")) resources, "
            + "\(n("changed")) changed | \(n("needs_a_person")): \(n("before")) before · \(n("during")) during · "
            + "\(n("after")) after (\(n("must_exist")) must exist) |")
        md.append("")
        md.append("- **RPO of the point:** \(rpoText)")
        md.append("- **RTO of the last apply:** \(rtoText)")
        if let t = plan.traffic, !t.isEmpty {
            let state = plan.translation.settings.mode == .test ? "disabled for the test" : "enabled"
            md.append("- **Traffic and images:** \(t.endpoints.count) recovery endpoints (\(state)) · \(t.registries.count) "
                + "registries · \(t.imports.count) images to import")
        }
        let assumed = plan.translation.assumed
        if !assumed.isEmpty {
            let names = assumed.prefix(3).map { "`\(Self.cell(Self.short($0.recoveryID)))`" }.joined(separator: ", ")
            md.append("- **Must exist** (\(assumed.count)): \(names)\(assumed.count > 3 ? ", …" : "")")
        }
        md.append("")
        md.append("## Checklist")
        for phase in PlanPhase.allCases {
            let items = checklist.items(phase)
            md.append("")
            md.append("**\(phase.title)** (\(items.count))\(items.isEmpty ? ": nothing." : "")")
            for i in items.prefix(Self.itemsPerPhase) {
                md.append("- [ ] `\(Self.cell(Self.short(i.subject)))`: \(Self.cell(Self.clip(i.message, 110)))")
            }
            if items.count > Self.itemsPerPhase {
                md.append("- … \(items.count - Self.itemsPerPhase) more under Needs a person")
            }
        }
        md.append("")
        md.append("Details below: Needs a person · What will be created · Network sandbox · Traffic and images · What was "
            + "translated. `report.html` has this summary, a searchable table of translations and the dependency graph.")
        md.append("")
        md.append("---")
        md.append("")
        return md
    }

    /// The last meaningful part of an id: `disk-1` of an ARM id, `Deployment payments/api` of a
    /// `k8s://` id, the resource of an ARN.
    static func short(_ id: String) -> String {
        if id.hasPrefix("k8s://"), let ref = KubeRef(id: id) { return "\(ref.kind) \(ref.namespace.map { $0 + "/" } ?? "")\(ref.name)" }
        if id.hasPrefix("/") { return id.split(separator: "/").last.map(String.init) ?? id }
        if id.hasPrefix("arn:") { return id.split(separator: ":", maxSplits: 5).last.map(String.init) ?? id }
        return id
    }

    /// `text` on one line, at most `limit` characters.
    static func clip(_ text: String, _ limit: Int) -> String {
        let one = text.replacingOccurrences(of: "\n", with: " ")
        return one.count > limit ? String(one.prefix(limit - 1)) + "…" : one
    }

    /// `## Traffic and images` in the details: every recovery endpoint, registry and import.
    var trafficSection: [String] {
        guard let t = plan.traffic, !t.isEmpty else { return [] }
        var md = ["## Traffic and images", ""]
        if !t.endpoints.isEmpty {
            md.append("Recovery endpoints (`azure/traffic.json`, deployed after `azure/template.json`):")
            md.append("")
            md.append("| Service | Beside | Serves | Status | Priority | Recovery address |")
            md.append("|---|---|---|---|---|---|")
            for e in t.endpoints {
                md.append("| \(e.service) | `\(Self.cell(e.primary))` | \(Self.cell(e.serves)) | \(e.status) | "
                    + "\(e.priority.map(String.init) ?? "—") | `\(Self.cell(e.target))` |")
            }
            md.append("")
        }
        for r in t.registries {
            md.append("**Registry `\(Self.cell(Self.short(r.source)))`** (\(Self.cell(r.sku))) → `\(Self.cell(r.recovery))`: "
                + (r.replication.map { "geo-replication `\(Self.cell($0))` (azure/prepare.json); " } ?? "")
                + "\(r.images.count) images to import (azure/acr-import.sh).")
            md.append("")
        }
        if !t.imports.isEmpty {
            md.append("```sh")
            md += t.imports
            md.append("```")
            md.append("")
        }
        return md
    }

    /// `traffic` in `report.json`.
    public var trafficJSON: JSONValue {
        guard let t = plan.traffic else { return .null }
        return .object(JSONObject([
            ("endpoints", .array(t.endpoints.map { e in
                .object(JSONObject([
                    ("service", .string(e.service)), ("front", .string(e.front)), ("primary", .string(e.primary)),
                    ("id", .string(e.id)), ("target", .string(e.target)), ("serves", .string(e.serves)),
                    ("status", .string(e.status)), ("priority", e.priority.map { .int(Int64($0)) } ?? .null),
                ]))
            })),
            ("registries", .array(t.registries.map { r in
                .object(JSONObject([
                    ("source", .string(r.source)), ("sku", .string(r.sku)), ("recovery", .string(r.recovery)),
                    ("images", .array(r.images.map { .string($0) })), ("replication", r.replication.map { .string($0) } ?? .null),
                ]))
            })),
            ("imports", .array(t.imports.map { .string($0) })),
            ("files", .array((t.template == nil ? [] : ["azure/traffic.json"]) + (t.prepare == nil ? [] : ["azure/prepare.json"])
                + (t.imports.isEmpty ? [] : ["azure/acr-import.sh"]))),
        ]))
    }
}
