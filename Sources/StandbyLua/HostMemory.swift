import CLua
import CLuaShim
import Foundation
import StandbyCore

/// The host's memory account: Swift objects a script holds (inventories, selections,
/// translations, plans) count against the script's memory ceiling, next to Lua's own allocations.
///
/// Swift allocations cannot be counted as they happen, so each object says what it holds, as an
/// estimate (`LuaHostSized.hostBytes`), when it is handed to Lua; the estimate is charged while Lua
/// holds the object and released when Lua collects it. Work that is about to build a large object
/// asks first (`reserveHostMemory`), so an inventory bigger than the ceiling is refused before it is
/// read, and a JSON text whose parsed tree cannot fit is refused before it is parsed. The estimates
/// follow Swift's layouts on 64-bit platforms:
///   - a JSON value: 24 bytes in its parent; a string longer than 15 bytes adds 32 + its UTF-8
///     length; an array adds 32 + 24 per element; an object adds 32 + 40 per member (key + value);
///   - a resource: its document, plus 512 bytes for its fields, labels, tags and index entries;
///   - a selection: 320 bytes per selected resource (documents are shared with the inventory);
///   - a translation and a plan: their translated documents, plus 512 bytes per resource;
///   - an inventory about to be loaded: four times its bytes on disk (a parsed tree holds about
///     3.6 times its JSON text);
///   - a JSON text about to be decoded: 48 bytes per value (values counted by `,`, `[` and `{`)
///     plus the text.
/// Objects share storage (a selection keeps its inventory alive), so the account can undercount
/// what stays alive after Lua dropped one handle, and overcount two handles of shared data; it
/// bounds the big structures a script builds, which is what the ceiling is for.
protocol LuaHostSized: AnyObject {
    /// Estimated bytes this object holds on its own.
    var hostBytes: Int { get }
}

/// The host refused to hold more for the script: the memory ceiling would be crossed.
/// Lua sees "script.lua:12: memory ceiling of 64 MiB exceeded: <reason>", and the script stops.
public struct LuaMemoryError: Error, CustomStringConvertible, Sendable {
    public var message: String
    public init(_ message: String) { self.message = message }
    public var description: String { message }
}

enum HostMemoryEstimate {
    static let resourceOverhead = 512
    static let selectedResource = 320

    static func bytes(of value: JSONValue) -> Int {
        switch value {
        case .null, .bool, .int, .double: return 24
        case .string(let s): return 24 + extra(s)
        case .array(let items): return 24 + 32 + items.reduce(0) { $0 + bytes(of: $1) }
        case .object(let o): return 24 + 32 + o.pairs.reduce(0) { $0 + 16 + extra($1.key) + bytes(of: $1.value) }
        }
    }

    private static func extra(_ s: String) -> Int {
        let n = s.utf8.count
        return n > 15 ? 32 + n : 0
    }

    static func bytes(of inventory: Inventory) -> Int {
        inventory.resources.reduce(0) { $0 + resourceOverhead + bytes(of: $1.document) }
    }

    static func bytes(of translation: Translation) -> Int {
        translation.resources.reduce(0) { $0 + resourceOverhead + bytes(of: $1.document) }
            + translation.added.count * resourceOverhead
    }

    /// The parsed tree of a JSON text, before it becomes Lua tables: 48 bytes per value (counted
    /// by the separators and openings that start one) plus the text's strings.
    static func jsonTree(_ text: [UInt8]) -> Int {
        var values = 1
        for byte in text where byte == UInt8(ascii: ",") || byte == UInt8(ascii: "[") || byte == UInt8(ascii: "{") {
            values += 1
        }
        return values * 48 + text.count
    }

    /// "80 MiB", "1.5 MiB", "300 KiB".
    static func describe(_ bytes: Int) -> String {
        let mib = 1 << 20
        if bytes >= 10 * mib { return "\(bytes / mib) MiB" }
        if bytes >= mib { return String(format: "%.1f MiB", Double(bytes) / Double(mib)) }
        return "\(max(1, bytes / 1024)) KiB"
    }
}

extension InventoryObject: LuaHostSized {
    var hostBytes: Int { HostMemoryEstimate.bytes(of: inventory) }
}

extension SelectionObject: LuaHostSized {
    var hostBytes: Int { selection.resources.count * HostMemoryEstimate.selectedResource }
}

extension TranslationObject: LuaHostSized {
    var hostBytes: Int { estimatedBytes }
}

extension PlanBox: LuaHostSized {
    /// The plan's documents are its translation's (estimated once, by the translation).
    var hostBytes: Int { translation.estimatedBytes }
}

extension LuaRuntime {
    /// Bytes the script holds now: Lua's allocations plus the host account.
    var scriptMemoryInUse: Int {
        let shared = CLuaShim_state(mainState)!.pointee
        return Int(shared.used + shared.host_used)
    }

    /// Checks that `bytes` more fit under the memory ceiling (collecting Lua's garbage first if
    /// they do not), before building something that big for the script.
    /// - Throws: `LuaMemoryError` naming `what` when they do not fit.
    public func reserveHostMemory(_ bytes: Int, for what: String) throws {
        guard limits.hasCeiling, bytes > 0 else { return }
        if scriptMemoryInUse + bytes <= limits.memoryCeiling { return }
        CLuaShim_collect(mainState) // releases collected objects' host charges too
        let inUse = scriptMemoryInUse
        if inUse + bytes <= limits.memoryCeiling { return }
        let detail = "\(what) needs about \(HostMemoryEstimate.describe(bytes)), "
            + "\(HostMemoryEstimate.describe(inUse)) already in use"
        hostMemoryDetail = detail
        throw LuaMemoryError("memory ceiling of \(limits.ceilingDescription) exceeded: \(detail)")
    }

    /// Charges a new box of `object` to the host account. The trampoline enforces the ceiling once
    /// the Swift function returns; when Lua collects the box, the bytes leave the account and are
    /// charged to the instruction budget (like any garbage: building them was work).
    func chargeHostMemory(for object: AnyObject, box: UnsafeMutablePointer<CLuaShim_Box>) {
        guard let sized = object as? LuaHostSized else { return }
        let bytes = sized.hostBytes
        box.pointee.bytes = bytes
        let shared = CLuaShim_state(mainState)!
        shared.pointee.host_used += bytes
    }

    static func hostObjectName(_ object: AnyObject) -> String {
        switch object {
        case is InventoryObject: return "an inventory"
        case is SelectionObject: return "a selection"
        case is TranslationObject: return "a translation"
        case is PlanBox: return "a plan"
        default: return "an object"
        }
    }
}
