/// Where every moved Kubernetes object went, once the built-ins and the rules have run, and the
/// rewrite that makes references to moved objects follow them.
///
/// An object moved when its translated `metadata.namespace` differs from the captured one: by the
/// namespace map (``NamespaceTranslation``) or by a rule. A Namespace object is renamed when its
/// translated `metadata.name` differs.
///
/// What follows a move, in every document but Secrets (whose data is never rewritten):
/// - any object holding `name` and `namespace` (RBAC subjects, a PersistentVolume's `claimRef` and
///   secret references, webhook and APIService `service` references, custom resources' object
///   references, the AKS pod-identity profile's entries);
/// - a CSI volume's `csi.storage.k8s.io/pvc/namespace` attribute;
/// - Service DNS names inside strings (env values, ConfigMap data, arguments):
///   `<svc>.<ns>.svc…` always, and the bare `<svc>.<ns>` (with an optional pod label in front)
///   when a Service `<svc>` of namespace `<ns>` is in the inventory; otherwise the value is kept and
///   reported, since it may name something else;
/// - `system:serviceaccount:<ns>:<name>` (RBAC users, workload-identity federated credentials,
///   IRSA trust policies), in every document, cloud ones included;
/// - the `kubernetes.io/metadata.name` label in a `namespaceSelector`, and Helm's
///   `meta.helm.sh/release-namespace` annotation (Helm adopts an object only when it matches).
///
/// The target of a reference is the object's own move when that object is translated too;
/// otherwise its namespace's mapping (``NamespaceMap``, or a Namespace object a rule renamed).
struct NamespaceReferences: Sendable {
    static let nameLabel = "kubernetes.io/metadata.name"
    static let by = "built-in: namespace move"
    static let pvcNamespace = "csi.storage.k8s.io/pvc/namespace"
    static let pvcName = "csi.storage.k8s.io/pvc/name"
    static let serviceAccountPrefix = "system:serviceaccount:"
    static let helmNamespace = "meta.helm.sh/release-namespace"

    /// `Kind/namespace/name` → recovery namespace, for each translated object that moved.
    private var moves: [String: String] = [:]
    /// `namespace/name` → recovery namespaces, whatever the kind (for references that name no kind).
    private var movesByName: [String: Set<String>] = [:]
    /// Source namespace → recovery namespace: the map, and the Namespace objects rules renamed.
    private var namespaces: [String: String]
    /// `namespace/name` of every Service in the inventory.
    private let services: Set<String>
    /// Namespaces something moved out of (the only ones a reference can name to need a rewrite).
    let sources: Set<String>

    init(resources: [Resource], documents: [JSONValue], map: NamespaceMap, inventory: Inventory) {
        namespaces = map.targets
        for (r, doc) in zip(resources, documents) where r.isKubernetesObject {
            guard let ref = r.kubeRef else { continue }
            if let ns = ref.namespace {
                if let now = doc["metadata"]?["namespace"]?.stringValue, now != ns {
                    moves["\(ref.kind)/\(ns)/\(ref.name)"] = now
                    movesByName["\(ns)/\(ref.name)", default: []].insert(now)
                }
            } else if ref.group.isEmpty, ref.kind == "Namespace", let now = doc["metadata"]?["name"]?.stringValue,
                      now != ref.name, namespaces[ref.name] == nil {
                namespaces[ref.name] = now
            }
        }
        var svc: Set<String> = []
        if !moves.isEmpty || !namespaces.isEmpty {
            for s in inventory.find(ResourceQuery(kind: "Service")) where s.isKubernetesObject {
                if let ns = s.namespace, let name = s.name { svc.insert("\(ns)/\(name)") }
            }
        }
        services = svc
        sources = Set(namespaces.keys).union(moves.keys.compactMap { $0.split(separator: "/").dropFirst().first.map(String.init) })
    }

    var isEmpty: Bool { sources.isEmpty }

    /// The recovery namespace of the object `kind` `namespace/name`, when it moved (or its
    /// namespace did); nil when it stays. Without a kind, an object of any kind with that name.
    func target(kind: String?, namespace: String, name: String) -> String? {
        if let kind, let m = moves["\(kind)/\(namespace)/\(name)"] { return m }
        if kind == nil, let m = movesByName["\(namespace)/\(name)"], m.count == 1 { return m.first }
        return namespaces[namespace]
    }

    /// The recovery namespace of a whole namespace, when it is mapped or its Namespace renamed.
    func target(namespace: String) -> String? { namespaces[namespace] }

    /// Makes the references of one translated document follow the moves.
    func rewrite(_ document: inout TranslatedDocument) {
        guard !isEmpty else { return }
        let resource = document.resource
        if resource.isKubernetesObject, resource.kind == "Secret", resource.kubeRef?.group == "" { return }
        let kube = resource.isKubernetesObject
        var edits: [(path: [JSONPathComponent], value: String)] = []
        var kept: [(path: [JSONPathComponent], value: String, reason: String)] = []
        var path: [JSONPathComponent] = []
        walk(document.value, &path, kube: kube, edits: &edits, kept: &kept)
        for e in edits { document.set(e.path, .string(e.value), by: Self.by) }
        for k in kept { document.keep(k.path.dotted, value: k.value, reason: k.reason) }
    }

    // MARK: - Walking

    private func walk(_ value: JSONValue, _ path: inout [JSONPathComponent], kube: Bool,
                      edits: inout [(path: [JSONPathComponent], value: String)],
                      kept: inout [(path: [JSONPathComponent], value: String, reason: String)]) {
        switch value {
        case .object(let o):
            if !path.isEmpty { reference(o, at: path, edits: &edits) }
            for (key, child) in o.pairs {
                // The object's own name and namespace were moved already; the last-applied
                // annotation is dropped from every manifest.
                if path.count == 1, case .key("metadata") = path[0], key == "name" || key == "namespace" { continue }
                if key == "kubectl.kubernetes.io/last-applied-configuration" { continue }
                path.append(.key(key))
                walk(child, &path, kube: kube, edits: &edits, kept: &kept)
                path.removeLast()
            }
        case .array(let a):
            for (i, child) in a.enumerated() {
                path.append(.index(i))
                walk(child, &path, kube: kube, edits: &edits, kept: &kept)
                path.removeLast()
            }
        case .string(let s):
            if let r = rewrite(string: s, dns: kube, kept: { kept.append((path, s, $0)) }), r != s { edits.append((path, r)) }
        default:
            break
        }
    }

    /// The structured references held by the object `o` at `path`.
    private func reference(_ o: JSONObject, at path: [JSONPathComponent],
                           edits: inout [(path: [JSONPathComponent], value: String)]) {
        if let ns = o["namespace"]?.stringValue, let name = o["name"]?.stringValue, sources.contains(ns) {
            if let to = target(kind: kindHint(o, at: path), namespace: ns, name: name), to != ns {
                edits.append((path + [.key("namespace")], to))
            }
        }
        if let ns = o[Self.pvcNamespace]?.stringValue, sources.contains(ns) {
            let to = o[Self.pvcName]?.stringValue.flatMap { target(kind: "PersistentVolumeClaim", namespace: ns, name: $0) }
                ?? target(namespace: ns)
            if let to, to != ns { edits.append((path + [.key(Self.pvcNamespace)], to)) }
        }
        if path.count == 2, case .key("annotations") = path[1], let ns = o[Self.helmNamespace]?.stringValue,
           let to = target(namespace: ns) {
            edits.append((path + [.key(Self.helmNamespace)], to))
        }
        guard path.contains(where: { if case .key("namespaceSelector") = $0 { return true } else { return false } }) else { return }
        if let ns = o[Self.nameLabel]?.stringValue, let to = target(namespace: ns) {
            edits.append((path + [.key(Self.nameLabel)], to))
        }
        if o["key"]?.stringValue == Self.nameLabel, case .array(let values)? = o["values"] {
            for (i, v) in values.enumerated() {
                if let ns = v.stringValue, let to = target(namespace: ns) { edits.append((path + [.key("values"), .index(i)], to)) }
            }
        }
    }

    /// The kind a `{ name, namespace }` reference names: its own `kind`, else what its key says.
    private func kindHint(_ o: JSONObject, at path: [JSONPathComponent]) -> String? {
        if let k = o["kind"]?.stringValue { return k }
        guard case .key(let key)? = path.last else { return nil }
        switch key {
        case "claimRef": return "PersistentVolumeClaim"
        case "service": return "Service"
        default: return key.hasSuffix("SecretRef") || key == "secretRef" ? "Secret" : nil
        }
    }

    // MARK: - Strings

    /// `s` with its Service DNS names (`dns`) and service-account user names following the moves;
    /// nil when nothing in it could name a moved namespace. `keep` is told of bare `<name>.<ns>`
    /// names it leaves because no such Service is in the inventory.
    func rewrite(string s: String, dns: Bool, kept keep: (String) -> Void) -> String? {
        guard sources.contains(where: { s.contains($0) }) else { return nil }
        var out = s
        if out.contains(Self.serviceAccountPrefix) { out = rewriteServiceAccounts(out) }
        if dns { out = rewriteDNS(out, keep: keep) }
        return out
    }

    private static func isDNSByte(_ c: UInt8) -> Bool {
        (c >= 97 && c <= 122) || (c >= 65 && c <= 90) || (c >= 48 && c <= 57) || c == 45 || c == 46
    }

    private func rewriteDNS(_ s: String, keep: (String) -> Void) -> String {
        let bytes = Array(s.utf8)
        var out: [UInt8] = []
        out.reserveCapacity(bytes.count)
        var i = 0
        while i < bytes.count {
            guard Self.isDNSByte(bytes[i]) else { out.append(bytes[i]); i += 1; continue }
            var j = i
            while j < bytes.count, Self.isDNSByte(bytes[j]) { j += 1 }
            out += rewriteName(String(decoding: bytes[i..<j], as: UTF8.self), keep: keep).utf8
            i = j
        }
        return String(decoding: out, as: UTF8.self)
    }

    /// One run of DNS characters: `cart.checkout.svc.cluster.local`, `web-0.nginx.checkout`.
    private func rewriteName(_ name: String, keep: (String) -> Void) -> String {
        var labels = name.split(separator: ".", omittingEmptySubsequences: false).map(String.init)
        guard labels.count >= 2 else { return name }
        var changed = false
        for n in 1..<labels.count {
            let ns = labels[n].lowercased()
            guard sources.contains(ns) else { continue }
            let service = labels[n - 1].lowercased()
            let to: String?
            if n + 1 < labels.count, labels[n + 1].lowercased() == "svc" {
                to = target(kind: "Service", namespace: ns, name: service)
            } else if n == labels.count - 1, n <= 2 {
                guard services.contains("\(ns)/\(service)") else {
                    keep("names \(service).\(ns), which looks like the DNS name of a Service in namespace \(ns) (moved), "
                        + "but no Service \(service) of \(ns) is in the inventory: if it is one, change it to its new namespace")
                    continue
                }
                to = target(kind: "Service", namespace: ns, name: service)
            } else {
                to = nil
            }
            if let to, to != ns { labels[n] = to; changed = true }
        }
        return changed ? labels.joined(separator: ".") : name
    }

    /// `system:serviceaccount:<ns>:<name>` with the account's recovery namespace.
    private func rewriteServiceAccounts(_ s: String) -> String {
        var out = ""
        var rest = Substring(s)
        while let r = rest.range(of: Self.serviceAccountPrefix) {
            out += rest[..<r.upperBound]
            rest = rest[r.upperBound...]
            guard let colon = rest.firstIndex(of: ":") else { break }
            let ns = String(rest[..<colon])
            let after = rest[rest.index(after: colon)...]
            let name = String(after.prefix { $0.isLetter || $0.isNumber || $0 == "-" || $0 == "." })
            if sources.contains(ns), let to = target(kind: "ServiceAccount", namespace: ns, name: name), to != ns {
                out += to
            } else {
                out += ns
            }
            rest = rest[colon...]
        }
        return out + rest
    }
}
