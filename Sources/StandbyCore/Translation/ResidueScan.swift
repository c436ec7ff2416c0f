/// The last pass over every translated document: any string that still names a source
/// subscription, account or region, and that no step translated or deliberately kept, is recorded
/// as untranslated, with the reason. So the report accounts for every source string left.
final class ResidueScan: Sendable {
    let source: SourceEnvironment
    private let subscriptions: [String]
    private let needles: [(bytes: [UInt8], what: String, caseInsensitive: Bool)]

    init(source: SourceEnvironment) {
        self.source = source
        subscriptions = source.subscriptions.sorted()
        var n: [(bytes: [UInt8], what: String, caseInsensitive: Bool)] = []
        for s in source.subscriptions.sorted() { n.append((Array(s.utf8), "subscription \(s)", true)) }
        for a in source.accounts.sorted() { n.append((Array(a.utf8), "account \(a)", false)) }
        for r in source.regions.sorted() { n.append((Array(r.utf8), "region \(r)", false)) }
        for l in source.locations.sorted() { n.append((Array(l.utf8), "location \(l)", true)) }
        needles = n
        skipsPlainText = PlainText.allHaveTrigger(n.map { String(decoding: $0.bytes, as: UTF8.self) })
    }

    /// Every needle holds a ``PlainText`` trigger byte: a string without one is not searched.
    let skipsPlainText: Bool

    func scan(_ document: inout TranslatedDocument) {
        guard !needles.isEmpty else { return }
        let r = document.resource
        if r.isKubernetesObject, r.kind == "Secret", r.group == "" { return }
        let found: [(path: [JSONPathComponent], value: String, what: String)]
        if let known = document.residue, known.changes == document.changes.count {
            found = known.hits
        } else {
            var hits: [(indexes: [Int], value: String, what: String)] = []
            document.value.forEachStringIndexed { indexes, s, _ in
                if let what = firstNeedle(in: s) { hits.append((indexes, s, what)) }
            }
            let doc = document.value
            found = hits.map { (path: doc.path(at: $0.indexes), value: $0.value, what: $0.what) }
        }
        for f in found {
            let dotted = f.path.dotted
            guard !document.isKept(dotted) else { continue }
            if ServerSetFields.contains(f.path, of: r) {
                document.keep(dotted, value: f.value, reason: "server-set by the cloud or API server; not part of what is deployed",
                              disposition: .serverSet)
            } else {
                document.keep(dotted, value: f.value, reason: "still names the source \(f.what); no built-in or rule translates it")
            }
        }
    }

    /// The first source subscription, account or region `s` names as a whole token.
    func firstNeedle(in s: String) -> String? {
        if let r = s.utf8.withContiguousStorageIfAvailable({ firstNeedle(in: $0) }) { return r }
        return Array(s.utf8).withUnsafeBufferPointer { firstNeedle(in: $0) }
    }

    private func firstNeedle(in b: UnsafeBufferPointer<UInt8>) -> String? {
        if skipsPlainText, !PlainText.hasTrigger(b) { return nil }
        for n in needles where b.count >= n.bytes.count {
            var i = 0
            while i + n.bytes.count <= b.count {
                let c = b[i] | (n.caseInsensitive ? 0x20 : 0), first = n.bytes[0] | (n.caseInsensitive ? 0x20 : 0)
                if c == first, ReferenceRewriter.hasPrefix(b, i, n.bytes, caseInsensitive: n.caseInsensitive) {
                    let before = i == 0 || !ReferenceRewriter.isAlnum(b[i - 1])
                    let end = i + n.bytes.count
                    let after = end == b.count || !ReferenceRewriter.isAlnum(b[end])
                        || (end + 1 <= b.count && ReferenceRewriter.isLower(b[end]) && (end + 1 == b.count || !ReferenceRewriter.isAlnum(b[end + 1])))
                    if before && after { return n.what }
                }
                i += 1
            }
        }
        return nil
    }
}
