/// Kubernetes namespaces renamed on the way to the recovery cluster: source namespace → recovery
/// namespace, as `standby.translate{ namespaces = { checkout = "checkout-dr" } }` gives it.
///
/// Every object of a mapped namespace moves (its id, file path and `metadata.namespace`), the
/// Namespace object itself is renamed, and the references to moved objects follow (see
/// `NamespaceReferences`). The map applies to every cluster of the selection.
public struct NamespaceMap: Sendable, Hashable {
    /// Source namespace → recovery namespace.
    public let targets: [String: String]

    public init(_ targets: [String: String] = [:]) {
        self.targets = targets.filter { $0.key != $0.value }
    }

    public var isEmpty: Bool { targets.isEmpty }

    /// The recovery namespace of `namespace`, or nil when it is not mapped.
    public func target(of namespace: String) -> String? { targets[namespace] }

    /// Checks the map against the inventory it will be used with, before anything is translated:
    /// - a recovery namespace must be a valid name (a DNS-1123 label);
    /// - two source namespaces cannot go to one (their objects would merge, and a name in both
    ///   would be restored twice);
    /// - a source namespace must exist in the inventory (a misspelt one would silently move nothing);
    /// - a recovery namespace cannot exist already in a cluster that holds the source namespace
    ///   (the moved objects would merge with the ones already there).
    public func check(against inventory: Inventory) throws {
        guard !isEmpty else { return }
        for (source, target) in targets.sorted(by: { $0.key < $1.key }) {
            if let problem = Self.labelProblem(target) {
                throw NamespaceMapError("namespaces: \(source) → \"\(target)\": \(problem)")
            }
        }
        var bySource: [String: [String]] = [:]
        for (source, target) in targets { bySource[target, default: []].append(source) }
        for (target, sources) in bySource.sorted(by: { $0.key < $1.key }) where sources.count > 1 {
            let names = sources.sorted()
            throw NamespaceMapError("namespaces: \(names.joined(separator: " and ")) both map to \(target): one recovery "
                + "namespace can receive one source namespace (their objects would merge, and names in both would clash); "
                + "give each its own recovery namespace")
        }
        let present = Self.namespaces(in: inventory)
        let all = Set(present.values.flatMap { $0 })
        for (source, target) in targets.sorted(by: { $0.key < $1.key }) {
            let clusters = present.filter { $0.value.contains(source) }.map(\.key).sorted()
            guard !clusters.isEmpty else {
                throw NamespaceMapError("namespaces: no namespace '\(source)' in the inventory\(Suggestion.hint(source, in: all.sorted()))"
                    + "; known namespaces: \(all.sorted().joined(separator: ", "))")
            }
            for c in clusters where present[c]?.contains(target) == true {
                throw NamespaceMapError("namespaces: \(source) → \(target): namespace \(target) already exists in the capture of "
                    + "cluster \(c); the moved objects would merge with it. Map \(source) to a namespace the capture does not have"
                    + (targets[target] != nil ? " (\(target) is itself mapped: chains and swaps are not supported)" : ""))
            }
        }
    }

    /// Every namespace each cluster of the inventory has: the Namespace objects and the namespaces
    /// of namespaced objects.
    static func namespaces(in inventory: Inventory) -> [String: Set<String>] {
        var out: [String: Set<String>] = [:]
        for r in inventory.resources where r.isKubernetesObject {
            let cluster = r.kubeRef?.cluster ?? r.cluster ?? ""
            if let ns = r.namespace { out[cluster, default: []].insert(ns) }
            if r.kind == "Namespace", r.kubeRef?.group == "", let name = r.name { out[cluster, default: []].insert(name) }
        }
        return out
    }

    /// Why `name` cannot be a namespace, or nil when it can.
    static func labelProblem(_ name: String) -> String? {
        if name.isEmpty { return "a namespace name cannot be empty" }
        if name.utf8.count > 63 { return "a namespace name has at most 63 characters (this one has \(name.utf8.count))" }
        let ok = name.utf8.allSatisfy { ($0 >= 97 && $0 <= 122) || ($0 >= 48 && $0 <= 57) || $0 == 45 }
        if !ok || name.hasPrefix("-") || name.hasSuffix("-") {
            return "a namespace name is lower-case letters, digits and '-', starting and ending with a letter or digit"
        }
        return nil
    }
}

/// A namespace map that cannot be used with the inventory, with what to do about it.
public struct NamespaceMapError: Error, CustomStringConvertible, Sendable {
    public let description: String
    public init(_ description: String) { self.description = description }
}
