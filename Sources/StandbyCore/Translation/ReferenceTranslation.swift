/// The built-in step every resource goes through: each string of the document (object keys too)
/// is scanned for references (``ReferenceRewriter``) and rewritten, and each change is named after
/// what the value is — the relation of the reference tables for cloud properties (`API server
/// subnet`, `cluster role`), or what Kubernetes uses it for (`IAM role in aws-auth`, `IRSA role
/// annotation`, `ECR image`, `EFS volume`, `ALB annotation`).
///
/// Skipped: paths an earlier step changed or kept, server-set properties (``ServerSetFields``),
/// and Secrets (their data is encrypted in the recovery point, never translated).
public struct ReferenceTranslation: TranslationStep {
    public let name = "built-in: references"

    public init() {}

    public func applies(to resource: Resource) -> Bool { true }

    public func apply(to document: inout TranslatedDocument, in context: TranslationContext) throws {
        let r = document.resource
        if r.isKubernetesObject, r.kind == "Secret", r.group == "" {
            let keys = (r.document["data"]?.objectValue?.count ?? 0) + (r.document["stringData"]?.objectValue?.count ?? 0)
            document.keep("data", value: "\(keys) key(s)", reason: "Secret data is encrypted in the recovery point, never translated",
                          disposition: .encrypted)
            return
        }
        let rewriter = context.rewriter
        let touched = Set(document.changes.map(\.path)).union(document.untranslated.map(\.path))
        let relations = Self.relations(of: r)
        let residue = context.residue
        var hits: [(indexes: [Int], isKey: Bool, old: String, result: RewrittenString)] = []
        var candidates: [(indexes: [Int], isKey: Bool)] = []
        // Most strings (keys, names, labels) can hold no reference: one look at their bytes skips both scans.
        let skipsPlainText = rewriter.skipsPlainText && residue.skipsPlainText
        document.value.forEachStringIndexed { indexes, s, isKey in
            if skipsPlainText, !PlainText.hasTrigger(s) { return }
            let rewritten = rewriter.rewrite(s)
            if !rewritten.edits.isEmpty { hits.append((indexes, isKey, s, rewritten)) }
            // Not every rewrite is applied (server-set paths, paths an earlier step owns): the
            // final value is read back below.
            if residue.firstNeedle(in: s) != nil || (rewritten.changed && residue.firstNeedle(in: rewritten.text) != nil) {
                candidates.append((indexes, isKey))
            }
        }
        let source = document.value
        defer {
            // Edits replace strings and rename keys in place, so the index paths still hold.
            let doc = document.value
            var left: [(path: [JSONPathComponent], value: String, what: String)] = []
            for c in candidates {
                let path = doc.path(at: c.indexes)
                let value: String?
                if c.isKey, case .key(let k)? = path.last { value = k } else { value = doc[path: path]?.stringValue }
                if let v = value, let what = residue.firstNeedle(in: v) { left.append((path, v, what)) }
            }
            document.residue = (left, document.changes.count)
        }
        let edits = hits.map { (path: source.path(at: $0.indexes), isKey: $0.isKey, old: $0.old, result: $0.result) }
        for e in edits {
            let dotted = e.path.dotted
            guard !touched.contains(dotted), !ServerSetFields.contains(e.path, of: r) else { continue }
            for kept in e.result.edits where kept.after == nil {
                document.keep(dotted, value: kept.before, reason: kept.reason ?? "not translated",
                              disposition: kept.deliberate ? .carriedAsIs : .needsPerson)
            }
            guard e.result.changed else { continue }
            let label = Self.builtInLabel(dotted, e.result.edits, r, relations)
            if e.isKey {
                document.renameKey(at: Array(e.path.dropLast()), from: e.old, to: e.result.text, by: label)
            } else {
                document.set(e.path, .string(e.result.text), by: label)
            }
        }
    }

    /// Concrete dotted path → relation, from the reference tables rows that apply to the resource.
    static func relations(of r: Resource) -> [String: String] {
        guard let type = r.type else { return [:] }
        let rows = (r.armID != nil ? ReferenceTables.arm : ReferenceTables.aws).filter { $0.appliesTo.lowercased() == type.lowercased() }
        var out: [String: String] = [:]
        var body = r.document
        var base: [JSONPathComponent] = []
        if r.armID == nil {
            for wrapper in ["cluster", "nodegroup", "fargateProfile"] {
                if let inner = r.document[wrapper] { body = inner; base = [.key(wrapper)]; break }
            }
        }
        for row in rows {
            for hit in row.path.values(in: body, base: base) {
                out[hit.path.dotted] = row.relation
                if case .object(let o) = hit.value { for k in o.keys { out[(hit.path + [.key(k)]).dotted] = row.relation } }
            }
        }
        return out
    }

    /// `built-in: ` and what the value at `path` is: the relation of a reference-table row, or what
    /// Kubernetes uses it for, or the kind of reference. (Literals: a 100k-object translation makes
    /// a label per change, and a literal costs no allocation.)
    static func builtInLabel(_ path: String, _ edits: [StringEdit], _ r: Resource, _ relations: [String: String]) -> String {
        if let rel = relations[path] { return "built-in: " + rel }
        let kind = edits.first { $0.after != nil }?.kind ?? .armID
        if r.isKubernetesObject {
            if r.kind == "ConfigMap", r.name == "aws-auth" {
                if path == "data.mapRoles" { return "built-in: IAM role in aws-auth" }
                if path == "data.mapUsers" { return "built-in: IAM user in aws-auth" }
            }
            if path.hasSuffix("annotations.eks.amazonaws.com/role-arn") { return "built-in: IRSA role annotation" }
            if Self.contains(path, "annotations.alb.ingress.kubernetes.io/") { return "built-in: ALB annotation" }
            if Self.contains(path, "annotations.appgw.ingress.kubernetes.io/") { return "built-in: AGIC annotation" }
            if path.hasSuffix(".image") {
                return kind == .acrImage ? "built-in: ACR image"
                    : kind == .ecrImage ? "built-in: ECR image of the primary account" : "built-in: image"
            }
            if path.hasSuffix("csi.volumeHandle") {
                return kind == .awsID ? "built-in: EFS volume" : kind == .armID ? "built-in: Azure disk" : "built-in: volume handle"
            }
        }
        if path.hasSuffix("location") || path.hasSuffix("region"), kind == .region { return "built-in: location" }
        return kind.builtInLabel
    }

    /// Whether `text` holds `part` (bytes compared; no Foundation search).
    static func contains(_ text: String, _ part: StaticString) -> Bool {
        let p = UnsafeBufferPointer(start: part.utf8Start, count: part.utf8CodeUnitCount)
        let t = Array(text.utf8)
        guard t.count >= p.count else { return false }
        for i in 0...(t.count - p.count) where t[i] == p[0] {
            if (1..<p.count).allSatisfy({ t[i + $0] == p[$0] }) { return true }
        }
        return false
    }
}

extension ReferenceKind {
    /// `built-in: ` and the kind, as a literal.
    var builtInLabel: String {
        switch self {
        case .armID: return "built-in: Azure resource ID"
        case .arn: return "built-in: ARN"
        case .awsID: return "built-in: AWS ID"
        case .ecrImage: return "built-in: ECR image"
        case .acrImage: return "built-in: ACR image"
        case .keyVault: return "built-in: Key Vault"
        case .subscription: return "built-in: subscription ID"
        case .account: return "built-in: account ID"
        case .tenant: return "built-in: tenant ID"
        case .region: return "built-in: region"
        }
    }
}
