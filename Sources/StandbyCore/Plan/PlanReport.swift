/// What a plan will do, for people (`report.md`) and programs (`report.json`): what will be
/// created, what was translated, what needs a person, and which firewall IP reaches which service.
public struct PlanReport: Sendable {
    public let plan: RecoveryPlan
    public let translation: TranslationReport
    /// Values still naming the source that a person must look at (disposition `needsPerson`).
    public let needsPerson: [(display: String, value: UntranslatedValue)]

    /// Objects listed one by one in `report.md`; the rest are counted (every one is in `report.json`).
    static let markdownObjectLimit = 200

    public init(_ plan: RecoveryPlan) {
        self.plan = plan
        let translation = TranslationReport(plan.translation)
        self.translation = translation
        self.needsPerson = translation.objects.flatMap { o in
            o.untranslated.filter { $0.disposition == .needsPerson }.map { (o.display, $0) }
        }
    }

    public var jsonValue: JSONValue { streamedJSON.materialized }

    /// ``jsonValue`` as `report.json` is written: the translation's entries made one at a time.
    public var streamedJSON: StreamedJSON {
        var pairs: [(String, JSONValue)] = [("summary", summaryJSON)]
        if let azure = plan.azure {
            pairs.append(("azure", .object(JSONObject([
                ("template", "azure/template.json"), ("parameters", "azure/parameters.json"),
                ("creates", .array(azure.creates.map { .string($0) })),
            ]))))
        }
        pairs.append(("eks", .array(plan.eks.map { p in
            .object(JSONObject([
                ("cluster", .string(p.cluster)), ("file", .string("eks/\(PlanFile.safe(p.cluster)).json")),
                ("requests", .array(p.requests.map { .string("\($0.step). \($0.service) \($0.operation) → \($0.creates)") })),
            ]))
        })))
        pairs.append(("kubernetes", .array(plan.kubernetes.map { set in
            .object(JSONObject([
                ("cluster", .string(set.cluster)), ("manifests", .int(Int64(set.manifests.count))),
                ("files", .string("kubernetes/\(PlanFile.safe(set.cluster))/")),
                ("skipped", .array(set.skipped.map { .object(JSONObject([("source", .string($0.source)), ("reason", .string($0.reason))])) })),
            ]))
        })))
        if let fw = plan.sandbox {
            pairs.append(("sandbox", .object(JSONObject([
                ("frontends", .array(fw.frontends.map { f in
                    .object(JSONObject([
                        ("cluster", .string(f.cluster)), ("service", .string(f.service)), ("firewall_public_ip", .string(f.publicIP)),
                        ("ports", .array(f.ports.map { .int(Int64($0)) })), ("protocol", .string(f.protocol)),
                        ("frontend_address", .string(f.translatedAddress)),
                    ]))
                })),
                ("allow", .array(fw.allow.map { .string($0) })),
            ]))))
        }
        pairs.append(("volumes", volumesJSON))
        pairs.append(("needs_a_person", .array(plan.notes.map { .object(JSONObject([("subject", .string($0.subject)), ("message", .string($0.message))])) }
            + needsPerson.map { .object(JSONObject([("subject", .string($0.display)), ("path", .string($0.value.path)),
                                                     ("value", .string($0.value.value)), ("message", .string($0.value.reason))])) })))
        pairs.append(("must_exist", .array(plan.translation.assumed.map(\.jsonValue))))
        pairs.append(("checklist", PlanChecklist(self).jsonValue))
        pairs.append(("traffic", trafficJSON))
        pairs.append(("namespaces", namespacesJSON))
        return .object(pairs.map { ($0.0, StreamedJSON.value($0.1)) } + [("translation", translation.streamedJSON)])
    }

    public var summaryJSON: JSONValue {
        let s = plan.translation.summary
        return .object(JSONObject([
            ("mode", .string(plan.translation.settings.mode.rawValue)),
            ("resources", .int(Int64(s.resources))), ("changed", .int(Int64(s.changed))), ("changes", .int(Int64(s.changes))),
            ("azure_resources", .int(Int64(plan.azure?.creates.count ?? 0))),
            ("eks_requests", .int(Int64(plan.eks.reduce(0) { $0 + $1.requests.count }))),
            ("kubernetes_manifests", .int(Int64(plan.kubernetes.reduce(0) { $0 + $1.manifests.count }))),
            ("kubernetes_skipped", .int(Int64(plan.kubernetes.reduce(0) { $0 + $1.skipped.count }))),
            ("sandbox_frontends", .int(Int64(plan.sandbox?.frontends.count ?? 0))),
            ("needs_a_person", .int(Int64(plan.notes.count + needsPerson.count + plan.translation.assumed.count))),
            ("must_exist", .int(Int64(plan.translation.assumed.count))),
            ("rpo_seconds", rpoSeconds.map { .int(Int64($0)) } ?? .null),
        ] + headline.filter { ["before", "during", "after", "traffic_endpoints", "registry_imports"].contains($0.key) }
            .map { ($0.key, JSONValue.int(Int64($0.value))) }
          + [("rpo", .string(rpoText)), ("rto", .string(rtoText))]))
    }

    /// `report.md`.
    public var markdown: String {
        var md: [String] = []
        let t = plan.translation
        md.append("# Recovery plan (\(t.settings.mode == .test ? "failover test" : "failover"))")
        md.append("")
        var targets: [String] = []
        if let a = t.settings.to.azure { targets.append("Azure subscription `\(a.subscription)`, \(a.location)") }
        if let w = t.settings.to.aws { targets.append("AWS account `\(w.account)`, \(w.region)") }
        md.append("Recovery environment: " + (targets.isEmpty ? "none given" : targets.joined(separator: "; ")) + ".")
        md.append("")
        md += firstScreen
        md += needsAPersonSection
        md.append("## What will be created")
        md.append("")
        if let azure = plan.azure {
            md.append("**Azure** (`az deployment sub create --location <location> --template-file azure/template.json --parameters @azure/parameters.json`): \(azure.creates.count) resources.")
            md.append("")
            md.append("| # | Resource |")
            md.append("|---|---|")
            for (n, id) in azure.creates.enumerated() { md.append("| \(n + 1) | `\(Self.cell(id))` |") }
            md.append("")
        }
        for p in plan.eks {
            md.append("**EKS cluster \(p.cluster)** (`eks/\(PlanFile.safe(p.cluster)).json`), in order:")
            md.append("")
            for r in p.requests {
                let after = r.after.isEmpty ? "" : " (after \(r.after.map(String.init).joined(separator: ", ")))"
                md.append("\(r.step). \(r.service) `\(r.operation)` → `\(Self.cell(r.creates))`\(after)")
            }
            md.append("")
        }
        for set in plan.kubernetes {
            md.append("**Kubernetes, cluster \(set.cluster)** (`kubernetes/\(PlanFile.safe(set.cluster))/all.yaml`, in restore order): \(set.manifests.count) objects.")
            var kinds: [String: Int] = [:]
            var order: [String] = []
            for m in set.manifests {
                let kind = m.document["kind"]?.stringValue ?? "?"
                if kinds[kind] == nil { order.append(kind) }
                kinds[kind, default: 0] += 1
            }
            md.append("")
            md.append(order.map { "\($0) \(kinds[$0] ?? 0)" }.joined(separator: " · "))
            if !set.skipped.isEmpty {
                md.append("")
                md.append("Not restored separately:")
                for s in set.skipped { md.append("- `\(Self.cell(s.source))`: \(s.reason)") }
            }
            md.append("")
        }
        md += volumesSection
        md += accessSection
        md += namespacesSection
        if let fw = plan.sandbox {
            md.append("## Network sandbox")
            md.append("")
            md.append("Egress goes through an Azure Firewall; only the allowlist is reachable: " + fw.allow.map { "`\($0)`" }.joined(separator: ", ") + ".")
            md.append("")
            if fw.frontends.isEmpty {
                md.append("No Service of type LoadBalancer: nothing is published through the firewall.")
            } else {
                md.append("Which firewall IP reaches which service (the IPs are the deployment's outputs):")
                md.append("")
                md.append("| Firewall public IP | Service | Ports | Frontend |")
                md.append("|---|---|---|---|")
                for f in fw.frontends {
                    md.append("| `\(f.publicIP)` | \(f.cluster) `\(f.service)` | \(f.ports.map(String.init).joined(separator: ", ")) \(f.protocol) | \(f.translatedAddress) |")
                }
            }
            md.append("")
        }
        md += trafficSection
        md.append("## What was translated")
        md.append("")
        md.append(t.summary.description + ".")
        md.append("")
        let changed = translation.objects.filter { !$0.changes.isEmpty }
        for o in changed.prefix(Self.markdownObjectLimit) {
            md.append("**\(o.display)** → `\(Self.cell(o.recovery ?? "(no recovery id)"))`")
            md.append("")
            for c in o.changes {
                md.append("- `\(c.path)`: \(Self.value(c.before)) → \(Self.value(c.after)) (\(c.by))")
            }
            md.append("")
        }
        if changed.count > Self.markdownObjectLimit {
            md.append("… and \(changed.count - Self.markdownObjectLimit) more changed objects (every change is in report.json).")
            md.append("")
        }
        var kept: [String: Int] = [:]
        for o in translation.objects { for u in o.untranslated where u.disposition != .needsPerson { kept[u.reason, default: 0] += 1 } }
        if !kept.isEmpty {
            md.append("## Kept as is, deliberately")
            md.append("")
            for (reason, n) in kept.sorted(by: { $0.key < $1.key }) { md.append("- \(n) × \(reason)") }
            md.append("")
        }
        return md.joined(separator: "\n")
    }

    /// "Needs a person", at the top of `report.md`: first what must exist in the recovery
    /// environment before the plan runs, then every other note and value nobody translated.
    var needsAPersonSection: [String] {
        var md: [String] = ["## Needs a person", ""]
        let assumed = plan.translation.assumed
        let person = needsPerson
        if plan.notes.isEmpty && person.isEmpty && assumed.isEmpty { md += ["Nothing.", ""]; return md }
        if !assumed.isEmpty {
            md.append("**Must exist in the recovery environment** (the plan names them but does not create them):")
            md.append("")
            md.append("| Recovery id | Needed by | Why |")
            md.append("|---|---|---|")
            for a in assumed {
                md.append("| `\(Self.cell(a.recoveryID))` | \(Self.cell(translation.display(a.neededBy))) `\(Self.cell(a.path))` | \(Self.cell(a.why)) |")
            }
            md.append("")
        }
        for n in plan.notes { md.append("- `\(Self.cell(n.subject))`: \(n.message)") }
        for p in person { md.append("- \(p.display) `\(p.value.path)` = `\(Self.cell(p.value.value))`: \(p.value.reason)") }
        md.append("")
        return md
    }

    static func value(_ v: JSONValue?) -> String {
        guard let v else { return "(absent)" }
        let text = v.stringValue ?? JSONSerializer.serialize(v)
        let oneLine = text.replacingOccurrences(of: "\n", with: "⏎ ")
        return "`" + cell(oneLine.count > 160 ? String(oneLine.prefix(157)) + "…" : oneLine) + "`"
    }

    /// Text safe inside a Markdown table cell or code span.
    static func cell(_ s: String) -> String { s.replacingOccurrences(of: "|", with: "\\|").replacingOccurrences(of: "`", with: "'") }
}
