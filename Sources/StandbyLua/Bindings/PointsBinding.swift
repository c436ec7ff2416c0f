import Foundation
import StandbyCore

/// A store of recovery points as Lua holds it (`standby.Points`).
final class PointsObject {
    let store: any PointStore
    /// The signing public key that verifies points (PEM), when given.
    let verifyKey: String?
    /// The `endpoint` and `region` the store was opened with: AWS KMS is reached the same way.
    let endpoint: String?
    let region: String?

    init(store: any PointStore, verifyKey: String?, endpoint: String? = nil, region: String? = nil) {
        self.store = store; self.verifyKey = verifyKey; self.endpoint = endpoint; self.region = region
    }

    var catalog: PointCatalog { PointCatalog(store: store) }
}

/// A verified recovery point as Lua holds it (`standby.Point`).
final class PointObject {
    let point: RecoveryPoint
    /// The store's `endpoint` and `region`, for `selection{ kms = true }`.
    let endpoint: String?
    let region: String?
    init(_ point: RecoveryPoint, endpoint: String? = nil, region: String? = nil) {
        self.point = point; self.endpoint = endpoint; self.region = region
    }
}

extension LuaRuntime {
    /// The ids of the points `standby.capture{...}` stored in this runtime, in order.
    public var capturedPoints: [String] { bindings.capturedPoints }

    /// What each partial point among ``capturedPoints`` lacks (its inventory's gaps), by id.
    public var partialPoints: [String: [InventoryGap]] { bindings.partialPoints }

    /// The Object Lock every `standby.capture{...}` that names none writes its point under (the
    /// fleet's immutability policy); the store enforces it when it can, and a capture to a store
    /// that cannot records why in ``lockNotes``.
    public var defaultLock: ObjectLockPolicy? {
        get { bindings.defaultLock }
        set { bindings.defaultLock = newValue }
    }

    /// Why a captured point's lock was not enforced by its store, by point id.
    public var lockNotes: [String: String] { bindings.lockNotes }

    func installPointsBinding() throws {
        defineClass("standby.Points", for: PointsObject.self) { cls in
            cls.field("url") { .string($0.store.url) }
            cls.method("list") { p, call in
                try call.push(.array(try p.catalog.list(signingPublicPEM: p.verifyKey).map(\.json)))
            }
            cls.method("newest") { p, call in
                guard let key = p.verifyKey else {
                    throw LuaError("newest() opens only verified points: give verify_key to standby.points.open")
                }
                try call.checkTable(1, optional: true)
                let opts = try OptionsTable(call, 1, function: "newest", allowed: ["allow_older", "partial"])
                let choice: PointChoice
                do {
                    choice = try p.catalog.newest(signingPublicPEM: key, allowOlder: try opts.bool("allow_older") ?? false,
                                                  allowPartial: try opts.bool("partial") ?? false)
                } catch let refused as NewestPointRefusedError {
                    throw LuaError(Self.refusalMessage(refused))
                }
                if let point = choice.point {
                    try call.push(object: PointObject(point, endpoint: p.endpoint, region: p.region))
                } else {
                    try call.pushNil()
                }
                try call.push(.array(choice.passedOver.map(Self.refusalJSON)))
                return 2
            }
            cls.method("open") { p, call in
                let id = try call.string(1)
                guard let key = p.verifyKey else {
                    throw LuaError("open('\(id)'): a point is opened only after verification: give verify_key to standby.points.open")
                }
                return try call.push(object: PointObject(try RecoveryPoint.open(id, in: p.store, signingPublicPEM: key),
                                                         endpoint: p.endpoint, region: p.region))
            }
            cls.method("mark_immutable") { p, call in
                try p.catalog.markImmutable(try call.string(1))
                return 0
            }
            cls.method("prune") { p, call in
                try call.checkTable(1)
                let opts = try OptionsTable(call, 1, function: "prune", allowed: ["keep_last", "keep_daily", "keep_weekly"])
                guard let last = opts.object["keep_last"]?.intValue, last >= 0 else {
                    throw LuaArgumentError(argument: 1, function: "prune", problem: "field 'keep_last' is required: how many newest points to keep")
                }
                let daily = opts.object["keep_daily"]?.intValue ?? 0
                let weekly = opts.object["keep_weekly"]?.intValue ?? 0
                let pruned = try p.catalog.prune(RetentionPolicy(keepLast: Int(last), keepDailyDays: Int(daily), keepWeeklyWeeks: Int(weekly)), now: Date())
                return try call.push(.array(pruned.map { .string($0) }))
            }
            cls.toString { "standby.Points(\($0.store.url))" }
        }
        defineClass("standby.Point", for: PointObject.self) { cls in
            cls.field("id") { .string($0.point.summary.id) }
            cls.field("summary") { $0.point.summary.json }
            cls.method("volumes") { p, call in try call.push(.array(p.point.manifest.volumes.map(\.jsonValue))) }
            cls.method("selection") { p, call in
                try call.checkTable(1, optional: true)
                let opts = try OptionsTable(call, 1, function: "selection", allowed: ["recovery_key", "kms"])
                let keyPEM = try opts.object["recovery_key"]?.stringValue.map { try Self.readKey($0, what: "recovery_key", isPrivate: true) }
                let useKMS = opts.object["kms"]?.boolValue ?? false
                if useKMS && keyPEM != nil {
                    throw LuaArgumentError(argument: 1, function: "selection", problem: "give either 'recovery_key' or 'kms = true', not both")
                }
                let key: PointKey?
                if useKMS {
                    key = .kms(try AWSKMS.fromEnvironment(region: p.region, endpoint: p.endpoint))
                } else {
                    key = keyPEM.map(PointKey.recoveryPrivatePEM)
                }
                let selection = try p.point.selection(key: key)
                return try call.push(object: SelectionObject(selection, inventory: InventoryObject(selection.inventory)))
            }
            cls.toString { "standby.Point(\($0.point.summary.id))" }
        }
        try registerNativeModule("standby._points", functions: [
            "capture": { call in try Self.capture(call) },
            "open": { call in
                let url = try call.string(1)
                try call.checkTable(2, optional: true)
                let opts = try OptionsTable(call, 2, function: "open", allowed: ["verify_key", "endpoint", "region"])
                let key = try opts.object["verify_key"]?.stringValue.map { try Self.readKey($0, what: "verify_key") }
                let endpoint = opts.object["endpoint"]?.stringValue, region = opts.object["region"]?.stringValue
                let store = try PointStores.open(url, endpoint: endpoint, region: region, existing: true)
                return try call.push(object: PointsObject(store: store, verifyKey: key, endpoint: endpoint, region: region))
            },
        ])
    }

    /// `standby.capture{ selection, to, signing_key, recovery_key, sensitive, endpoint, region, id, kms_key, volumes, hooks }`.
    static func capture(_ call: LuaCall) throws -> Int {
        try call.checkTable(1)
        let opts = try OptionsTable(call, 1, function: "capture",
                                    allowed: ["to", "signing_key", "recovery_key", "sensitive", "endpoint", "region", "id", "kms_key", "lock", "volumes"],
                                    opaque: ["selection", "hooks"])
        let hooks = try CaptureHooks.read(call)
        if hooks != nil, opts.object["volumes"] == nil {
            throw LuaArgumentError(argument: 1, function: "capture", problem: "hooks run around the volume snapshots: give volumes too (volumes = true or { ... })")
        }
        guard let selection = try call.optionalObject(1, field: "selection", as: SelectionObject.self) else {
            throw LuaArgumentError(argument: 1, function: "capture", problem: "field 'selection' is required: a standby.Selection (from standby.select{...})")
        }
        guard let to = opts.object["to"]?.stringValue else {
            throw LuaArgumentError(argument: 1, function: "capture", problem: "field 'to' is required: a folder, file:///path or s3://bucket/prefix")
        }
        guard let signing = opts.object["signing_key"]?.stringValue else {
            throw LuaArgumentError(argument: 1, function: "capture", problem: "field 'signing_key' is required: the signing private key file (standby keys new)")
        }
        guard let recovery = opts.object["recovery_key"]?.stringValue else {
            throw LuaArgumentError(argument: 1, function: "capture", problem: "field 'recovery_key' is required: the recovery PUBLIC key file (standby keys new)")
        }
        var sensitive: [SensitiveValue] = []
        for (n, entry) in (opts.object["sensitive"]?.arrayValue ?? []).enumerated() {
            guard let path = entry["path"]?.stringValue else {
                throw LuaArgumentError(argument: 1, function: "capture", problem: "sensitive[\(n + 1)] needs a 'path' (e.g. { kind = \"ConfigMap\", path = \"data.DB_PASSWORD\" })")
            }
            sensitive.append(SensitiveValue(kind: entry["kind"]?.stringValue, path: path))
        }
        let endpoint = opts.object["endpoint"]?.stringValue, region = opts.object["region"]?.stringValue
        let lock = try lockOption(opts.object["lock"]) ?? call.runtime.bindings.defaultLock
        let locked = try StoreLocking.apply(lock, to: try PointStores.open(to, endpoint: endpoint, region: region))
        let store = locked.store
        var kms: KMSWrapping?
        if let kmsKey = opts.object["kms_key"]?.stringValue {
            guard !kmsKey.isEmpty else {
                throw LuaArgumentError(argument: 1, function: "capture", problem: "field 'kms_key' is empty: give a KMS key id, ARN or alias")
            }
            kms = KMSWrapping(client: try AWSKMS.fromEnvironment(region: region, endpoint: endpoint), keyID: kmsKey)
        }
        var options = CaptureOptions(signingPrivatePEM: try readKey(signing, what: "signing_key", isPrivate: true),
                                     recoveryPublicPEM: try readKey(recovery, what: "recovery_key"),
                                     sensitive: sensitive, id: opts.object["id"]?.stringValue, kms: kms)
        var afterFailure: String?
        if opts.object["volumes"] != nil {
            // The snapshots are tagged with the point's id, so it is chosen before they are taken.
            let id = try options.id ?? RecoveryPointWriter.defaultID(options.now)
            options.id = id
            if let hooks {
                let ran = try hooks.around(point: id, runtime: call.runtime) { consistency in
                    try captureVolumes(opts.object["volumes"], selection: selection.selection, point: id, consistency: consistency)
                }
                (options.volumes, options.volumeGaps) = ran.result
                afterFailure = ran.afterFailure
            } else {
                (options.volumes, options.volumeGaps) = try captureVolumes(opts.object["volumes"], selection: selection.selection, point: id)
            }
        }
        let summary = try RecoveryPointWriter.capture(selection.selection, to: store, options: options)
        call.runtime.bindings.capturedPoints.append(summary.id)
        if summary.isPartial { call.runtime.bindings.partialPoints[summary.id] = summary.gaps }
        if let afterFailure {
            throw LuaError("capture: point \(summary.id) was written with its volumes' snapshots, but hooks.after failed: \(afterFailure) "
                + "(what hooks.before changed may still be in place)")
        }
        guard let lock else { return try call.push(summary.json) }
        var json = summary.json.objectValue ?? JSONObject()
        var lockInfo: [(String, JSONValue)] = [("mode", .string(lock.mode.rawValue.lowercased())), ("enforced", .bool(locked.enforced))]
        if let until = (store as? S3Store)?.writeRetention { lockInfo.append(("until", .string(until.untilText))) }
        if let note = locked.note {
            lockInfo.append(("note", .string(note)))
            call.runtime.bindings.lockNotes[summary.id] = note
            FileHandle.standardError.write(Data("standby: \(note)\n".utf8))
        }
        json["lock"] = .object(JSONObject(lockInfo))
        return try call.push(.object(json))
    }

    /// `lock = { mode = "governance"|"compliance", days = N }`, checked.
    static func lockOption(_ value: JSONValue?) throws -> ObjectLockPolicy? {
        guard let value else { return nil }
        let problem = "field 'lock' must be { mode = \"governance\" or \"compliance\", days = N (at least 1) }"
        guard let modeName = value["mode"]?.stringValue, let mode = ObjectLockPolicy.Mode(name: modeName),
              let days = value["days"]?.intValue, days >= 1 else {
            throw LuaArgumentError(argument: 1, function: "capture", problem: problem)
        }
        return ObjectLockPolicy(mode: mode, days: Int(days))
    }

    /// Reads a PEM key file: a host API, so scripts never read files themselves. A private key
    /// that its group or others can read is used with a warning on standard error
    /// (``PrivateKeyFile``).
    static func readKey(_ path: String, what: String, isPrivate: Bool = false) throws -> String {
        guard let data = FileManager.default.contents(atPath: path), let text = String(data: data, encoding: .utf8) else {
            throw LuaError("\(what): cannot read \(path)")
        }
        if isPrivate, let warning = PrivateKeyFile.permissionWarning(path, what: what) {
            FileHandle.standardError.write(Data("standby: \(warning)\n".utf8))
        }
        return text
    }

    /// `newest()`'s error: which point, which check, and the two ways on.
    static func refusalMessage(_ e: NewestPointRefusedError) -> String {
        var ways: [String] = []
        if let older = e.older {
            ways.append("newest{ allow_older = true } to restore the older point \(older), which verifies (restoring it without asking would roll back silently)")
        }
        if e.refusal.check == "partial" { ways.append("newest{ partial = true } to restore \(e.refusal.id) as it is") }
        if ways.isEmpty { ways.append("no older point verifies and is whole either; capture a new point") }
        return "newest(): the newest \(e.refusal); pass " + ways.joined(separator: ", or ")
            + " (scripts/restore.lua takes --allow-older and --partial)"
    }

    /// `{ id, check, reason, gaps }`: a newer point `newest{ allow_older = true }` passed over.
    static func refusalJSON(_ r: PointRefusal) -> JSONValue {
        var pairs: [(String, JSONValue)] = [("id", .string(r.id)), ("check", .string(r.check)), ("reason", .string(r.detail))]
        if case .partial(let gaps) = r.reason { pairs.append(("gaps", .array(gaps.map(\.json)))) }
        return .object(JSONObject(pairs))
    }
}
