extension PlanReport {
    /// "Namespaces moved" in `report.md`: which source namespace went where, in which recovery
    /// cluster, how many objects and by what (the `namespaces` map or a rule). Empty when nothing moved.
    var namespacesSection: [String] {
        let moves = plan.translation.namespaceMoves
        guard !moves.isEmpty else { return [] }
        var md = ["## Namespaces moved", "",
                  "Objects restored to another namespace; their files, manifests and the references to them follow.", "",
                  "| Cluster | From | To | Objects | By |", "|---|---|---|---|---|"]
        for m in moves {
            md.append("| \(Self.cell(m.cluster)) | `\(Self.cell(m.from))` | `\(Self.cell(m.to))` | \(m.objects) | \(Self.cell(m.by.joined(separator: ", "))) |")
        }
        md.append("")
        return md
    }

    /// `namespaces` in `report.json`.
    var namespacesJSON: JSONValue { .array(plan.translation.namespaceMoves.map(\.jsonValue)) }
}
