/// Builds the Kubernetes manifests of each recovery cluster, in restore order.
///
/// For every translated Kubernetes object of a ``Translation``:
/// 1. the recovery cluster is the cluster of its recovery id (`k8s://CLUSTER/…`); an object
///    without a Kubernetes recovery id is skipped, with the mapping's explanation;
/// 2. ``KubernetesRestoreFilter`` leaves out what the recovery cluster makes for itself or what an
///    owner's controller recreates, with the reason;
/// 3. ``KubernetesManifestCleaner`` strips the server-set fields from the translated document;
/// 4. ``RestoreOrder`` gives the tier; manifests are sorted by tier, then namespace (cluster-scoped
///    first), kind, name, API group and source id, so the output is the same for the same input.
///
/// Each manifest's ``KubernetesManifest/path`` is `<namespace>/<Kind>/<name>.yaml`, or
/// `_cluster/<Kind>/<name>.yaml` for cluster-scoped objects. When two kinds of different API groups
/// share a name, their folders are `<Kind>.<group>` instead. Characters a file name cannot hold
/// (`/`, a leading `.`) are replaced with `_`.
///
/// One restore set is returned per recovery cluster that has at least one object (restored or
/// skipped), sorted by cluster name.
public enum KubernetesManifestBuilder {
    /// The restore sets of every recovery cluster the translation's Kubernetes objects go to.
    public static func build(_ translation: Translation) -> [KubernetesRestoreSet] {
        var objects: [String: [KubernetesRestoreFilter.Object]] = [:]
        var skipped: [String: [(source: String, reason: String)]] = [:]
        for r in translation.resources where r.source.isKubernetesObject {
            let sourceCluster = translation.ids.clusterName(r.source.kubeRef?.cluster ?? r.source.cluster ?? "")
            guard let rid = r.recoveryID, let ref = KubeRef(id: rid) else {
                let why = r.recoveryID.map { "its recovery id \($0) is not a Kubernetes object" }
                    ?? "it has no recovery id (\(r.mapping))"
                skipped[sourceCluster, default: []].append((r.source.id, why))
                continue
            }
            let uid = r.source.document["metadata"]?["uid"]?.stringValue
            objects[ref.cluster, default: []].append(KubernetesRestoreFilter.Object(source: r.source.id, ref: ref, document: r.document, uid: uid))
        }
        var sets: [KubernetesRestoreSet] = []
        for cluster in Set(objects.keys).union(skipped.keys).sorted() {
            sets.append(build(cluster: cluster, objects[cluster] ?? [], skipped: skipped[cluster] ?? []))
        }
        return sets
    }

    /// The restore set of one cluster from its objects (recovery refs and translated documents).
    static func build(cluster: String, _ objects: [KubernetesRestoreFilter.Object],
                      skipped initial: [(source: String, reason: String)]) -> KubernetesRestoreSet {
        let reasons = KubernetesRestoreFilter.skipped(objects)
        var skipped = initial
        var kept: [KubernetesRestoreFilter.Object] = []
        for (i, o) in objects.enumerated() {
            if let r = reasons[i] { skipped.append((o.source, r)) } else { kept.append(o) }
        }

        // What the cleaner and the tiers need to know about the rest of the set.
        var customKinds: Set<KubeScope.GroupKind> = []
        var volumes: Set<String> = []
        for o in kept {
            switch (o.ref.group, o.ref.kind) {
            case ("apiextensions.k8s.io", "CustomResourceDefinition"):
                if let g = o.document["spec"]?["group"]?.stringValue, let k = o.document["spec"]?["names"]?["kind"]?.stringValue {
                    customKinds.insert(KubeScope.GroupKind(group: g, kind: k))
                }
            case ("", "PersistentVolume"):
                volumes.insert(o.ref.name)
            default:
                break
            }
        }
        var tokens: [String: Set<String>] = [:]
        for (i, o) in objects.enumerated() where reasons[i] != nil && o.ref.group == "" && o.ref.kind == "Secret"
            && o.document["type"]?.stringValue == "kubernetes.io/service-account-token" {
            tokens[o.ref.namespace ?? "", default: []].insert(o.ref.name)
        }

        struct Entry { var object: KubernetesRestoreFilter.Object; var tier: RestoreOrder.Tier; var document: JSONValue }
        // Cleaning reads only its own object and the sets above: every core takes a share.
        var entries: [Entry] = ParallelWork.map(kept.count) { n in
            let o = kept[n]
            let context = KubernetesManifestCleaner.Context(namespace: o.ref.namespace, restoredVolumes: volumes,
                                                            tokenSecrets: tokens[o.ref.namespace ?? ""] ?? [])
            return Entry(object: o, tier: RestoreOrder.tier(group: o.ref.group, kind: o.ref.kind, customKinds: customKinds),
                         document: KubernetesManifestCleaner.clean(o.document, group: o.ref.group, kind: o.ref.kind, context: context))
        }
        entries.sort { a, b in
            let x = a.object.ref, y = b.object.ref
            if a.tier != b.tier { return a.tier < b.tier }
            if (x.namespace ?? "") != (y.namespace ?? "") { return (x.namespace ?? "") < (y.namespace ?? "") }
            if x.kind != y.kind { return x.kind < y.kind }
            if x.name != y.name { return x.name < y.name }
            if x.group != y.group { return x.group < y.group }
            return a.object.source < b.object.source
        }

        // Kinds whose name is shared by several API groups get the group in their folder name.
        var groupsByKind: [String: Set<String>] = [:]
        for e in entries { groupsByKind[e.object.ref.kind, default: []].insert(e.object.ref.group) }
        var used: Set<String> = []
        let manifests = entries.map { e -> KubernetesManifest in
            let ref = e.object.ref
            var folder = safe(ref.kind)
            if (groupsByKind[ref.kind]?.count ?? 0) > 1, !ref.group.isEmpty { folder += "." + safe(ref.group) }
            let base = "\(ref.namespace.map(safe) ?? "_cluster")/\(folder)/\(safe(ref.name))"
            var path = base + ".yaml"
            var n = 2
            while used.contains(path) { path = "\(base)-\(n).yaml"; n += 1 }
            used.insert(path)
            return KubernetesManifest(source: e.object.source, tier: e.tier.rawValue, path: path, document: e.document)
        }
        skipped.sort { $0.source < $1.source }
        return KubernetesRestoreSet(cluster: cluster, manifests: manifests, skipped: skipped)
    }

    /// `text` as one file-name component: no `/`, NUL or leading `.`, never empty.
    static func safe(_ text: String) -> String {
        if !text.isEmpty, text.utf8.first != UInt8(ascii: "."),
           !text.utf8.contains(where: { $0 == UInt8(ascii: "/") || $0 == 0 || $0 == UInt8(ascii: "\\") }) {
            return text
        }
        var s = String(text.map { $0 == "/" || $0 == "\u{0}" || $0 == "\\" ? "_" : $0 })
        if s.hasPrefix(".") { s = "_" + s.dropFirst() }
        return s.isEmpty ? "_" : s
    }
}
