import Foundation

/// The on-disk format of recovery points (see `FORMAT.md` beside this file): record encoders and
/// decoders shared by ``RecoveryPointWriter``, ``RecoveryPoint`` and ``PointCatalog``.
enum PointFormat {
    /// The version of a point captured from a whole inventory.
    static let formatVersion: Int64 = 1
    /// The version of a partial point (its manifest lists `gaps`): a tool that reads only version
    /// 1 refuses such a point rather than restoring it as if it were whole.
    static let partialFormatVersion: Int64 = 2
    static let encryptedKey = "$standby.encrypted"
    /// Marks an encrypted value that was not a string: its plaintext is compact JSON text.
    static let jsonKey = "$standby.json"
    static let manifestFile = "manifest.json"
    static let signatureFile = "manifest.sig"
    static let immutableFile = "IMMUTABLE"
    static let selectionFile = "selection.json"
    static let whyFile = "why.json"
    static let issuesFile = "issues.json"
    static let lastAppliedAnnotation = "kubectl.kubernetes.io/last-applied-configuration"

    /// `objects/<sha256 of the id>.json`, relative to the point's folder.
    static func objectKey(_ id: String) -> String { "objects/\(Digest.sha256(id)).json" }

    /// Point ids are one path segment: letters, digits, `-`, `_`, `.`, not starting with `.`.
    static func checkID(_ id: String) throws {
        let ok = !id.isEmpty && id.count <= 200 && !id.hasPrefix(".") && id.unicodeScalars.allSatisfy {
            ("a"..."z").contains($0) || ("A"..."Z").contains($0) || ("0"..."9").contains($0) || $0 == "-" || $0 == "_" || $0 == "."
        }
        guard ok else { throw RecoveryPointError("'\(id)' is not a valid recovery point id (letters, digits, '-', '_', '.')") }
    }

    // MARK: Dates

    static func iso8601(_ date: Date) -> String {
        let f = ISO8601DateFormatter()
        f.timeZone = TimeZone(identifier: "UTC")
        f.formatOptions = [.withInternetDateTime]
        return f.string(from: date)
    }

    static func parseISO8601(_ text: String) -> Date? {
        let f = ISO8601DateFormatter()
        f.timeZone = TimeZone(identifier: "UTC")
        f.formatOptions = [.withInternetDateTime]
        if let d = f.date(from: text) { return d }
        f.formatOptions = [.withInternetDateTime, .withFractionalSeconds]
        return f.date(from: text)
    }

    static var utcCalendar: Calendar {
        var c = Calendar(identifier: .gregorian)
        c.timeZone = TimeZone(identifier: "UTC")!
        return c
    }

    /// `20261124T005050Z`
    static func compactTimestamp(_ date: Date) -> String {
        let c = utcCalendar.dateComponents([.year, .month, .day, .hour, .minute, .second], from: date)
        func p(_ v: Int?, _ w: Int) -> String { let s = String(v ?? 0); return String(repeating: "0", count: max(0, w - s.count)) + s }
        return "\(p(c.year, 4))\(p(c.month, 2))\(p(c.day, 2))T\(p(c.hour, 2))\(p(c.minute, 2))\(p(c.second, 2))Z"
    }

    /// The time in a default point id (`20261124T005050Z-1a2b3c4d`), if it has one.
    static func dateFromID(_ id: String) -> Date? {
        let u = Array(id.utf8)
        guard u.count >= 16, u[8] == UInt8(ascii: "T"), u[15] == UInt8(ascii: "Z") else { return nil }
        func n(_ r: Range<Int>) -> Int? { Int(String(decoding: u[r], as: UTF8.self)) }
        guard let y = n(0..<4), let mo = n(4..<6), let d = n(6..<8), let h = n(9..<11), let mi = n(11..<13), let s = n(13..<15) else { return nil }
        return utcCalendar.date(from: DateComponents(year: y, month: mo, day: d, hour: h, minute: mi, second: s))
    }

    // MARK: Small JSON helpers

    static func str(_ s: String?) -> JSONValue { s.map { .string($0) } ?? .null }
    static func int(_ i: Int?) -> JSONValue { i.map { .int(Int64($0)) } ?? .null }
    static func strings(_ a: [String]) -> JSONValue { .array(a.map { .string($0) }) }
    static func obj(_ pairs: [(String, JSONValue)]) -> JSONValue { .object(JSONObject(pairs)) }
    static func stringMap(_ m: [String: String]) -> JSONValue {
        .object(JSONObject(m.sorted { $0.key < $1.key }.map { ($0.key, .string($0.value)) }))
    }

    static func bytes(_ v: JSONValue, pretty: Bool) -> [UInt8] {
        var out: [UInt8] = []
        JSONSerializer.serialize(v, pretty: pretty, into: &out)
        if pretty { out.append(0x0A) }
        return out
    }

    /// Reading helpers that throw ``FormatError`` naming the field.
    struct Reader {
        let what: String
        let value: JSONValue
        init(_ value: JSONValue, _ what: String) { self.value = value; self.what = what }

        func fail(_ field: String, _ expected: String) -> FormatError { FormatError("\(what): \(field) is missing or not \(expected)") }
        func string(_ k: String) throws -> String {
            guard let s = value[k]?.stringValue else { throw fail(k, "a string") }
            return s
        }
        func optString(_ k: String) throws -> String? {
            guard let v = value[k], !v.isNull else { return nil }
            guard let s = v.stringValue else { throw fail(k, "a string") }
            return s
        }
        func int(_ k: String) throws -> Int {
            guard let v = value[k], case .int(let i) = v else { throw fail(k, "an integer") }
            return Int(i)
        }
        func optInt(_ k: String) throws -> Int? {
            guard let v = value[k], !v.isNull else { return nil }
            guard case .int(let i) = v else { throw fail(k, "an integer") }
            return Int(i)
        }
        func bool(_ k: String) throws -> Bool {
            guard let b = value[k]?.boolValue else { throw fail(k, "a boolean") }
            return b
        }
        func array(_ k: String) throws -> [JSONValue] {
            guard let a = value[k]?.arrayValue else { throw fail(k, "an array") }
            return a
        }
        func strings(_ k: String) throws -> [String] {
            try array(k).map { guard let s = $0.stringValue else { throw fail(k, "a list of strings") }; return s }
        }
        func object(_ k: String) throws -> JSONObject {
            guard let o = value[k]?.objectValue else { throw fail(k, "an object") }
            return o
        }
    }

    struct FormatError: Error, CustomStringConvertible {
        var message: String
        init(_ message: String) { self.message = message }
        var description: String { message }
    }

    // MARK: Resources

    static func identityJSON(_ identity: ResourceIdentity) -> JSONValue {
        switch identity {
        case .arm(let id): return obj([("kind", "arm"), ("id", .string(id.description))])
        case .aws(let arn): return obj([("kind", "aws"), ("arn", str(arn?.description))])
        case .kube(let ref): return obj([("kind", "kube"), ("ref", .string(ref.id)), ("version", str(ref.version))])
        case .other: return obj([("kind", "other")])
        }
    }

    static func identity(_ v: JSONValue, _ what: String) throws -> ResourceIdentity {
        let r = Reader(v, what + " identity")
        switch try r.string("kind") {
        case "arm":
            guard let id = ARMResourceID(try r.string("id")) else { throw r.fail("id", "an ARM resource id") }
            return .arm(id)
        case "aws":
            guard let text = try r.optString("arn") else { return .aws(nil) }
            guard let arn = ARN(text) else { throw r.fail("arn", "an ARN") }
            return .aws(arn)
        case "kube":
            guard let ref = KubeRef(id: try r.string("ref")) else { throw r.fail("ref", "a k8s:// id") }
            return .kube(KubeRef(cluster: ref.cluster, group: ref.group, version: try r.optString("version"),
                                 kind: ref.kind, namespace: ref.namespace, name: ref.name))
        case "other": return .other
        case let k: throw FormatError("\(what): unknown identity kind '\(k)'")
        }
    }

    /// The object record of `r` (before encryption), with `encrypted` listing the paths that
    /// hold `{"$standby.encrypted": …}` placeholders.
    static func record(_ r: Resource, encrypted: [[JSONPathComponent]]) -> JSONValue {
        obj([
            ("id", .string(r.id)),
            ("identity", identityJSON(r.identity)),
            ("type", str(r.type)), ("kind", str(r.kind)), ("group", str(r.group)), ("apiVersion", str(r.apiVersion)),
            ("name", str(r.name)), ("namespace", str(r.namespace)), ("cluster", str(r.cluster)), ("region", str(r.region)),
            ("labels", stringMap(r.labels)), ("tags", stringMap(r.tags)), ("aliases", strings(r.aliases)),
            ("source", obj([("path", .string(r.source.path)), ("document", .int(Int64(r.source.document))),
                            ("item", int(r.source.item)), ("line", int(r.source.line))])),
            ("encrypted", .array(encrypted.map(pathJSON))),
            ("document", r.document),
        ])
    }

    static func pathJSON(_ path: [JSONPathComponent]) -> JSONValue {
        .array(path.map { c in
            switch c {
            case .key(let k): return .string(k)
            case .index(let i): return .int(Int64(i))
            }
        })
    }

    static func path(_ v: JSONValue, _ what: String) throws -> [JSONPathComponent] {
        guard let a = v.arrayValue, !a.isEmpty else { throw FormatError("\(what): an encrypted path is not a non-empty array") }
        return try a.map { c in
            switch c {
            case .string(let k): return .key(k)
            case .int(let i): return .index(Int(i))
            default: throw FormatError("\(what): an encrypted path holds a \(c.typeName)")
            }
        }
    }

    /// Rebuilds the resource of an object record; `encrypted` are its placeholder paths.
    static func resource(_ v: JSONValue, _ what: String) throws -> (Resource, [[JSONPathComponent]]) {
        let r = Reader(v, what)
        func map(_ k: String) throws -> [String: String] {
            var m: [String: String] = [:]
            for (key, value) in try r.object(k).pairs {
                switch value {
                case .string(let s): m[key] = s
                // An encrypted label or tag read without the key: the placeholder, as JSON text.
                case .object: m[key] = value.description
                default: throw r.fail("\(k).\(key)", "a string")
                }
            }
            return m
        }
        let src = Reader(v["source"] ?? .null, what + " source")
        let source = SourceRef(path: try src.string("path"), document: try src.int("document"),
                               item: try src.optInt("item"), line: try src.optInt("line"))
        guard let document = v["document"] else { throw r.fail("document", "present") }
        let resource = Resource(
            id: try r.string("id"), identity: try identity(v["identity"] ?? .null, what),
            type: try r.optString("type"), kind: try r.optString("kind"), group: try r.optString("group"),
            apiVersion: try r.optString("apiVersion"), name: try r.optString("name"), namespace: try r.optString("namespace"),
            cluster: try r.optString("cluster"), region: try r.optString("region"),
            labels: try map("labels"), tags: try map("tags"), aliases: try r.strings("aliases"),
            document: document, source: source)
        let encrypted = try r.array("encrypted").map { try path($0, what) }
        return (resource, encrypted)
    }

    // MARK: Selection request, clusters

    static func tagCondition(_ c: TagCondition) -> (String, String) {
        switch c {
        case .kind(let k): return ("k8s:kind", k)
        case .namespace(let n): return ("k8s:namespace", n)
        case .label(let k, let v): return ("k8s:label", v.map { "\(k)=\($0)" } ?? k)
        case .name(let n): return ("k8s:name", n)
        case .tag(let k, let v): return (k, v)
        }
    }

    static func rulesJSON(_ rules: [TagRule]) -> JSONValue {
        .array(rules.map { rule in .array(rule.conditions.map { let (k, v) = tagCondition($0); return .array([.string(k), .string(v)]) }) })
    }

    static func rules(_ v: [JSONValue], _ what: String) throws -> [TagRule] {
        try v.map { rule in
            guard let conds = rule.arrayValue else { throw FormatError("\(what): a rule is not a list of [key, value] pairs") }
            let pairs: [(String, String)] = try conds.map { c in
                guard let a = c.arrayValue, a.count == 2, let k = a[0].stringValue, let val = a[1].stringValue else {
                    throw FormatError("\(what): a rule condition is not a [key, value] pair")
                }
                return (k, val)
            }
            do { return try TagRule(pairs: pairs) } catch { throw FormatError("\(what): \(error)") }
        }
    }

    static func selectionJSON(_ request: SelectionRequest, clusters: [Cluster], notes: [String]) -> JSONValue {
        obj([
            ("request", obj([
                ("roots", strings(request.roots)), ("namespaces", strings(request.namespaces)),
                ("tags", rulesJSON(request.tags)), ("exclude", rulesJSON(request.exclude)),
                ("excludePolicyObjects", .bool(request.excludePolicyObjects)),
            ])),
            ("clusters", .array(clusters.map { c in
                obj([("name", .string(c.name)), ("cloud", .string(c.cloud.rawValue)), ("controlPlaneID", str(c.controlPlaneID))])
            })),
            ("notes", strings(notes)),
        ])
    }

    static func selection(_ v: JSONValue) throws -> (SelectionRequest, [Cluster], [String]) {
        let what = selectionFile
        let top = Reader(v, what)
        let r = Reader(v["request"] ?? .null, what + " request")
        let request = SelectionRequest(roots: try r.strings("roots"), namespaces: try r.strings("namespaces"),
                                       tags: try rules(try r.array("tags"), what), exclude: try rules(try r.array("exclude"), what),
                                       excludePolicyObjects: try r.bool("excludePolicyObjects"))
        let clusters = try top.array("clusters").map { c in
            let cr = Reader(c, what + " cluster")
            return Cluster(name: try cr.string("name"), cloud: Cluster.Cloud(rawValue: try cr.string("cloud")) ?? .unknown,
                           controlPlaneID: try cr.optString("controlPlaneID"))
        }
        return (request, clusters, try top.strings("notes"))
    }

    // MARK: why.json

    static func whyJSON(_ selection: Selection) -> JSONValue {
        obj([("included", .array(selection.resources.map { r -> JSONValue in
            var pairs: [(String, JSONValue)] = [("id", .string(r.id))]
            switch selection.inclusion(of: r.id) {
            case .selected(let reason)?:
                switch reason {
                case .root: pairs.append(("selected", "root"))
                case .clusterDefault(let c): pairs += [("selected", "clusterDefault"), ("cluster", .string(c))]
                case .namespace(let n): pairs += [("selected", "namespace"), ("namespace", .string(n))]
                case .tagRule(let n): pairs += [("selected", "tagRule"), ("rule", .int(Int64(n)))]
                }
            case .pulledIn(let step)?:
                pairs.append(("pulledIn", obj([("from", .string(step.from)), ("relation", .string(step.relation)), ("path", .string(step.path))])))
            case nil:
                break
            }
            return obj(pairs)
        }))])
    }

    static func why(_ v: JSONValue) throws -> [String: Inclusion] {
        var out: [String: Inclusion] = [:]
        for e in try Reader(v, whyFile).array("included") {
            let r = Reader(e, whyFile + " entry")
            let id = try r.string("id")
            if let step = e["pulledIn"] {
                let s = Reader(step, whyFile + " \(id) pulledIn")
                out[id] = .pulledIn(WhyStep(from: try s.string("from"), relation: try s.string("relation"), to: id, path: try s.string("path")))
                continue
            }
            switch try r.string("selected") {
            case "root": out[id] = .selected(.root)
            case "clusterDefault": out[id] = .selected(.clusterDefault(cluster: try r.string("cluster")))
            case "namespace": out[id] = .selected(.namespace(try r.string("namespace")))
            case "tagRule": out[id] = .selected(.tagRule(try r.int("rule")))
            case let other: throw FormatError("\(whyFile): \(id): unknown selection reason '\(other)'")
            }
        }
        return out
    }

    // MARK: issues.json

    static func issuesJSON(_ selection: Selection) -> JSONValue {
        obj([
            ("dangling", .array(selection.dangling.map { d in
                // An external reference (a binding subject in an unselected namespace) says why.
                var pairs: [(String, JSONValue)] = [("from", .string(d.from)), ("path", .string(d.path)),
                                                    ("relation", .string(d.relation)), ("target", .string(d.target)),
                                                    ("expectedType", str(d.expectedType))]
                if let reason = d.reason { pairs.append(("reason", .string(reason))) }
                return obj(pairs)
            })),
            ("excluded", .array(selection.excluded.map { x in
                obj([("id", .string(x.id)), ("reason", .string(x.reason)),
                     ("wantedBy", .array(x.wantedBy.map { w in
                         obj([("from", str(w.from)), ("relation", .string(w.relation)), ("path", .string(w.path))])
                     }))])
            })),
            ("unknownRoots", strings(selection.unknownRoots)),
        ])
    }

    static func issues(_ v: JSONValue) throws -> PointIssues {
        let r = Reader(v, issuesFile)
        let dangling = try r.array("dangling").map { d in
            let x = Reader(d, issuesFile + " dangling")
            return DanglingReference(from: try x.string("from"), path: try x.string("path"), relation: try x.string("relation"),
                                     target: try x.string("target"), expectedType: try x.optString("expectedType"),
                                     reason: try x.optString("reason"))
        }
        let excluded = try r.array("excluded").map { e in
            let x = Reader(e, issuesFile + " excluded")
            let wants = try x.array("wantedBy").map { w in
                let y = Reader(w, issuesFile + " wantedBy")
                return ExcludedResource.Want(from: try y.optString("from"), relation: try y.string("relation"), path: try y.string("path"))
            }
            return ExcludedResource(id: try x.string("id"), reason: try x.string("reason"), wantedBy: wants)
        }
        return PointIssues(dangling: dangling, excluded: excluded, unknownRoots: try r.strings("unknownRoots"))
    }
}

/// What the capture's selection reported besides the resources: references to nothing, resources
/// an exclusion kept out, roots that named nothing.
public struct PointIssues: Sendable, Hashable {
    public var dangling: [DanglingReference]
    public var excluded: [ExcludedResource]
    public var unknownRoots: [String]
}

/// A recovery point operation that was refused: a bad id, a point that already exists, an
/// immutable point, a stored selection that no longer matches what was captured.
public struct RecoveryPointError: Error, Sendable, Equatable, CustomStringConvertible {
    public var message: String
    public init(_ message: String) { self.message = message }
    public var description: String { message }
}
