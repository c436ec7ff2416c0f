/// A namespace a selection asked for that no cluster of the inventory has: a misspelling, most often.
public struct UnknownNamespace: Sendable, Hashable, CustomStringConvertible {
    /// The entry as the request gave it (`"chekout"` or `"aks-prod/chekout"`).
    public var entry: String
    /// The closest namespace that exists (edit distance 1 or 2), if any.
    public var suggestion: String?

    public var description: String {
        "namespace '\(entry)' is in no cluster of the inventory, so it selected nothing"
            + (suggestion.map { " (did you mean '\($0)'?)" } ?? "")
    }
}

extension Selection {
    /// The request's `namespaces` entries that name a namespace no cluster (or, for
    /// `"cluster/namespace"`, not that cluster) of the inventory has, each with the closest name.
    public var unknownNamespaces: [UnknownNamespace] {
        guard !request.namespaces.isEmpty else { return [] }
        let present = NamespaceMap.namespaces(in: inventory)
        let all = present.values.reduce(into: Set<String>()) { $0.formUnion($1) }
        var out: [UnknownNamespace] = []
        for entry in request.namespaces {
            if let slash = entry.firstIndex(of: "/") {
                let cluster = String(entry[..<slash]), ns = String(entry[entry.index(after: slash)...])
                guard present[cluster]?.contains(ns) != true else { continue }
                let known = present[cluster] ?? all
                out.append(UnknownNamespace(entry: entry, suggestion: Suggestion.closest(ns, in: known.sorted()).map { "\(cluster)/\($0)" }))
            } else if !all.contains(entry) {
                out.append(UnknownNamespace(entry: entry, suggestion: Suggestion.closest(entry, in: all.sorted())))
            }
        }
        return out
    }

    /// What the selection leaves for a person, as translation issues (so a plan's report lists
    /// them under "Needs a person"): namespaces that selected nothing, and external references —
    /// a binding's ServiceAccount subject in a namespace the selection does not take.
    var issues: [TranslationIssue] {
        var out = unknownNamespaces.map { TranslationIssue(resource: "selection", feature: "namespaces", message: $0.description) }
        for d in dangling {
            guard let reason = d.reason else { continue }
            out.append(TranslationIssue(resource: d.from, feature: d.path, message: reason))
        }
        return out
    }
}
