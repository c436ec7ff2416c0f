import Foundation
import Testing
@testable import StandbyCore

/// Keys (generated once), temporary stores and small selections for the recovery point tests.
enum PointTestSupport {
    static let signing: SigningKeyPair = try! SigningKeyPair.generate()
    static let recovery: RecoveryKeyPair = try! RecoveryKeyPair.generate()
    /// 2026-11-24T12:00:00Z
    static let noon = Date(timeIntervalSince1970: 1_795_521_600)

    static func tempRoot() -> String {
        FileManager.default.temporaryDirectory.appendingPathComponent("standby-points-\(UUID().uuidString)").path
    }

    static func options(id: String? = nil, now: Date = noon, sensitive: [SensitiveValue] = []) -> CaptureOptions {
        CaptureOptions(signingPrivatePEM: signing.privatePEM, recoveryPublicPEM: recovery.publicPEM, sensitive: sensitive,
                       id: id, now: now)
    }

    /// A one-ConfigMap selection in `cluster`.
    static func tiny(cluster: String = "c1") -> Selection {
        let ref = KubeRef(cluster: cluster, group: "", version: "v1", kind: "ConfigMap", namespace: "ns", name: "cm")
        let doc: JSONValue = ["apiVersion": "v1", "kind": "ConfigMap", "metadata": ["name": "cm", "namespace": "ns"], "data": ["k": "v"]]
        let r = Resource(id: ref.id, identity: .kube(ref), kind: "ConfigMap", group: "", apiVersion: "v1", name: "cm",
                         namespace: "ns", cluster: cluster, document: doc, source: SourceRef(path: "memory"))
        let inv = Inventory(resources: [r], clusters: [Cluster(name: cluster)])
        return inv.select(SelectionRequest(roots: [ref.id]))
    }

    /// Every file under `root` (path relative to it, bytes).
    static func files(under root: String) throws -> [(String, [UInt8])] {
        var out: [(String, [UInt8])] = []
        guard let walker = FileManager.default.enumerator(atPath: root) else { return [] }
        while let rel = walker.nextObject() as? String {
            var dir: ObjCBool = false
            guard FileManager.default.fileExists(atPath: root + "/" + rel, isDirectory: &dir), !dir.boolValue else { continue }
            out.append((rel, [UInt8](try Data(contentsOf: URL(fileURLWithPath: root + "/" + rel)))))
        }
        return out
    }

    static func flipByte(_ path: String, at fraction: Double = 0.5) throws {
        var bytes = [UInt8](try Data(contentsOf: URL(fileURLWithPath: path)))
        let i = min(bytes.count - 1, Int(Double(bytes.count) * fraction))
        bytes[i] ^= 0x01
        try Data(bytes).write(to: URL(fileURLWithPath: path))
    }
}

/// A store that records the order of deletions.
final class RecordingStore: PointStore, @unchecked Sendable {
    let inner: FolderStore
    private let lock = NSLock()
    private var _deleted: [String] = []
    init(_ inner: FolderStore) { self.inner = inner }
    var deleted: [String] { lock.lock(); defer { lock.unlock() }; return _deleted }
    var url: String { inner.url }
    func put(_ key: String, _ data: [UInt8]) throws { try inner.put(key, data) }
    func get(_ key: String) throws -> [UInt8] { try inner.get(key) }
    func list(prefix: String) throws -> [String] { try inner.list(prefix: prefix) }
    func delete(_ key: String) throws { lock.lock(); _deleted.append(key); lock.unlock(); try inner.delete(key) }
}
