import Foundation

/// Finds the resource serving an `apiVersion` and `kind` for several threads at once: each group
/// version's `APIResourceList` is read once and kept once it lists something; one the server does
/// not serve (yet: a new CRD's) is read again on the next call.
final class SharedResolver: @unchecked Sendable {
    private let lock = NSLock()
    private var lists: [String: [KubeAPIResource]] = [:]

    init(_ served: KubeServedAPIs? = nil) {
        lists = served?.resources ?? [:]
    }

    /// The resource; nil when the server does not serve it.
    func resource(apiVersion: String, kind: String, client: KubeAPIClient) throws -> KubeAPIResource? {
        lock.lock()
        let cached = lists[apiVersion]
        lock.unlock()
        if let found = cached?.first(where: { $0.kind == kind }) { return found }
        return try read(apiVersion: apiVersion, client: client).first { $0.kind == kind }
    }

    /// The resource of a kind a CRD of the restore serves: discovery may list it a moment after
    /// the CRD is Established, so the group version is read again every `poll` seconds until
    /// `deadline`.
    func awaitResource(apiVersion: String, kind: String, client: KubeAPIClient, deadline: Date, poll: Double) throws -> KubeAPIResource? {
        if let found = try resource(apiVersion: apiVersion, kind: kind, client: client) { return found }
        while Date().addingTimeInterval(poll) <= deadline {
            Thread.sleep(forTimeInterval: poll)
            if let found = try read(apiVersion: apiVersion, client: client).first(where: { $0.kind == kind }) { return found }
        }
        return nil
    }

    private func read(apiVersion: String, client: KubeAPIClient) throws -> [KubeAPIResource] {
        let list = try KubeAPIDiscovery.resources(client, groupVersion: apiVersion) ?? []
        if !list.isEmpty {
            lock.lock()
            lists[apiVersion] = list
            lock.unlock()
        }
        return list
    }
}
