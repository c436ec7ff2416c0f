import Foundation
import StandbyCore

/// An inventory as Lua holds it (`standby.Inventory`). Resource handles are made on demand and
/// shared while Lua holds them, so `inv:get(x) == inv:get(x)`.
final class InventoryObject {
    let inventory: Inventory
    private var handles: [Int: Weak<ResourceObject>] = [:]

    init(_ inventory: Inventory) { self.inventory = inventory }

    func handle(at position: Int) -> ResourceObject {
        if let existing = handles[position]?.value { return existing }
        let handle = ResourceObject(owner: self, position: position)
        handles[position] = Weak(handle)
        return handle
    }

    func handles(for resources: [Resource]) -> [ResourceObject] {
        resources.compactMap { r in inventory.position(of: r.id).map(handle(at:)) }
    }
}

/// One resource as Lua holds it (`standby.Resource`). Its document becomes a Lua table on first
/// read of `res.doc`, not before: loading 100k objects costs no Lua memory until a script looks.
final class ResourceObject {
    let owner: InventoryObject
    let position: Int
    var document: LuaRef?

    init(owner: InventoryObject, position: Int) {
        self.owner = owner
        self.position = position
    }

    var resource: Resource { owner.inventory.resources[position] }
}

extension LuaCall {
    /// Pushes the string, or nil when there is none: absent facts read as nil in Lua, so
    /// `if res.kind then` works (`standby.null` is for JSON nulls inside documents).
    @discardableResult func push(optional value: String?) throws -> Int {
        guard let value else { return try pushNil() }
        return try push(value)
    }
}

struct Weak<T: AnyObject> {
    weak var value: T?
    init(_ value: T) { self.value = value }
}

extension LuaRuntime {
    /// `standby._inventory`: `load`, and the classes `standby.Inventory` and `standby.Resource`.
    func installInventoryBinding() throws {
        defineClass("standby.Resource", for: ResourceObject.self) { cls in
            cls.field("id") { .string($0.resource.id) }
            cls.field("type", push: { o, call in try call.push(optional: o.resource.type) })
            cls.field("kind", push: { o, call in try call.push(optional: o.resource.kind) })
            cls.field("group", push: { o, call in try call.push(optional: o.resource.group) })
            cls.field("api_version", push: { o, call in try call.push(optional: o.resource.apiVersion) })
            cls.field("name", push: { o, call in try call.push(optional: o.resource.name) })
            cls.field("namespace", push: { o, call in try call.push(optional: o.resource.namespace) })
            cls.field("cluster", push: { o, call in try call.push(optional: o.resource.cluster) })
            cls.field("region", push: { o, call in try call.push(optional: o.resource.region) })
            cls.field("labels") { .object(JSONObject($0.resource.labels.sorted { $0.key < $1.key }.map { ($0.key, .string($0.value)) })) }
            cls.field("tags") { .object(JSONObject($0.resource.tags.sorted { $0.key < $1.key }.map { ($0.key, .string($0.value)) })) }
            cls.field("aliases") { .array($0.resource.aliases.map(JSONValue.string)) }
            cls.field("source") { .string($0.resource.source.description) }
            cls.field("display") { .string($0.resource.display) }
            cls.field("doc", push: { object, call in
                if let cached = object.document { return try call.push(cached) }
                try call.push(object.resource.document)
                object.document = call.runtime.reference(call.L, at: -1)
                return 1
            })
            cls.toString { "standby.Resource(\($0.resource.id))" }
        }

        defineClass("standby.Inventory", for: InventoryObject.self) { cls in
            cls.field("count") { .int(Int64($0.inventory.count)) }
            cls.field("notes") { .array($0.inventory.notes.map(JSONValue.string)) }
            cls.field("gaps") { .array($0.inventory.gaps.map(\.json)) }
            cls.method("get") { inv, call in
                let id = try call.string(1)
                guard let at = inv.inventory.position(of: id) else { return try call.pushNil() }
                return try call.push(object: inv.handle(at: at))
            }
            cls.method("find") { inv, call in
                let query = try LuaRuntime.query(call, 1, function: "find")
                return try call.push(objects: inv.handles(for: inv.inventory.find(query)))
            }
            cls.method("summary") { inv, call in
                try call.push(inv.inventory.summary.json)
            }
            cls.method("clusters") { inv, call in
                try call.push(.array(inv.inventory.clusters.map { c in
                    .object(JSONObject([
                        ("name", .string(c.name)), ("cloud", .string(c.cloud.rawValue)),
                        ("id", c.controlPlaneID.map(JSONValue.string) ?? .null),
                    ]))
                }))
            }
            cls.toString { "standby.Inventory(\($0.inventory.count) resources)" }
        }

        try registerNativeModule("standby._inventory", functions: [
            "merge": { call in
                guard call.argumentCount >= 1 else {
                    throw LuaArgumentError(argument: 1, function: "merge", problem: "standby.Inventory expected, got no value")
                }
                var merged = try call.object(1, as: InventoryObject.self).inventory
                if call.argumentCount >= 2 {
                    for n in 2...call.argumentCount { merged = merged.merging(try call.object(n, as: InventoryObject.self).inventory) }
                }
                return try call.push(object: InventoryObject(merged))
            },
            "load": { call in
                let paths: [String]
                switch call.type(1) {
                case .string: paths = [try call.string(1)]
                case .table:
                    guard case .array(let items) = try call.json(1), !items.isEmpty,
                          items.allSatisfy({ $0.stringValue != nil }) else {
                        throw LuaArgumentError(argument: 1, function: "load", problem: "path or list of paths expected")
                    }
                    paths = items.compactMap(\.stringValue)
                default:
                    throw LuaArgumentError(argument: 1, function: "load",
                                           problem: "path or list of paths expected, got \(call.type(1))")
                }
                let opts = try OptionsTable(call, 2, function: "load", allowed: ["cluster", "region", "account", "partition"])
                let options = LoadOptions(cluster: try opts.string("cluster"), region: try opts.string("region"),
                                          account: try opts.string("account"),
                                          partition: try opts.string("partition") ?? "aws")
                for path in paths where !FileManager.default.fileExists(atPath: path) {
                    throw LuaError("cannot load '\(path)': no such file or folder (relative paths start at \(FileManager.default.currentDirectoryPath))")
                }
                // A parsed inventory holds about four times its text (README: 313 MiB of tree for
                // 87 MB of JSON): an inventory that cannot fit is refused before it is read.
                let size = paths.reduce(0) { $0 + LuaRuntime.bytesOnDisk($1) }
                try call.runtime.reserveHostMemory(size * 4, for: "loading \(paths.count == 1 ? "'\(paths[0])'" : "\(paths.count) inventory paths") (\(HostMemoryEstimate.describe(size)) on disk)")
                let inventory = try InventoryLoader.load(paths: paths, options: options)
                return try call.push(object: InventoryObject(inventory))
            },
        ])
    }

    /// The size of a file, or of every file under a folder.
    static func bytesOnDisk(_ path: String) -> Int {
        let manager = FileManager.default
        var isDirectory: ObjCBool = false
        guard manager.fileExists(atPath: path, isDirectory: &isDirectory) else { return 0 }
        if !isDirectory.boolValue { return (try? manager.attributesOfItem(atPath: path)[.size] as? Int) ?? 0 }
        var total = 0
        if let walker = manager.enumerator(at: URL(fileURLWithPath: path), includingPropertiesForKeys: [.fileSizeKey]) {
            for case let url as URL in walker {
                total += (try? url.resourceValues(forKeys: [.fileSizeKey]).fileSize) ?? 0
            }
        }
        return total
    }

    static func query(_ call: LuaCall, _ n: Int, function: String) throws -> ResourceQuery {
        let opts = try OptionsTable(call, n, function: function,
                                    allowed: ["type", "kind", "namespace", "label", "tag", "cluster", "name"])
        return ResourceQuery(type: try opts.string("type"), kind: try opts.string("kind"),
                             namespace: try opts.string("namespace"), label: try opts.string("label"),
                             tag: try opts.string("tag"), cluster: try opts.string("cluster"),
                             name: try opts.string("name"))
    }
}
