import Foundation

/// Api-versions of resource types Standby's own table does not know, asked of ARM: `GET
/// /subscriptions/{id}/providers/{namespace}` lists each resource type of the namespace with the
/// api-versions it serves. The newest stable one is used (the newest preview when there is no
/// stable one). Answers are kept per namespace for the client's life, so a resource group of a
/// hundred Application Insights components costs one provider read.
final class ARMProviderVersions: @unchecked Sendable {
    private let lock = NSLock()
    /// Held while a provider is read.
    private let fetching = NSLock()
    /// Lower-case namespace → lower-case type without the namespace (`components`,
    /// `components/analyticsitems`) → the chosen api-version. A namespace ARM does not know maps
    /// to an empty table.
    private var namespaces: [String: [String: String]] = [:]

    /// The api-version to read `type` (`Microsoft.Insights/components`) with, or nil when its
    /// provider serves no such type. Reads the provider on the namespace's first use.
    func version(of type: String, subscription: String, client: ARMClient) throws -> String? {
        let parts = type.split(separator: "/", maxSplits: 1).map(String.init)
        guard parts.count == 2 else { return nil }
        let namespace = parts[0].lowercased(), rest = parts[1].lowercased()
        if let known = cached(namespace) { return known[rest] }
        // One read per namespace, even when several reads in flight need it at once.
        fetching.lock()
        defer { fetching.unlock() }
        if let known = cached(namespace) { return known[rest] }
        let table = try read(namespace: parts[0], subscription: subscription, client: client)
        lock.lock()
        namespaces[namespace] = table
        lock.unlock()
        return table[rest]
    }

    private func cached(_ namespace: String) -> [String: String]? {
        lock.lock()
        defer { lock.unlock() }
        return namespaces[namespace]
    }

    private func read(namespace: String, subscription: String, client: ARMClient) throws -> [String: String] {
        let provider: JSONValue
        do {
            provider = try client.request("GET", url: client.url(path: "/subscriptions/\(subscription)/providers/\(namespace)",
                                                                 apiVersion: ARMAPIVersions.resources))
        } catch let error as ARMError where error.status == 404 {
            return [:]
        }
        return Self.versions(of: provider)
    }

    /// Each resource type of a Provider document with its newest stable api-version (else its
    /// newest preview); the dates in api-versions sort as text.
    static func versions(of provider: JSONValue) -> [String: String] {
        var out: [String: String] = [:]
        for entry in provider["resourceTypes"]?.arrayValue ?? [] {
            guard let type = entry["resourceType"]?.stringValue else { continue }
            let versions = (entry["apiVersions"]?.arrayValue ?? []).compactMap(\.stringValue)
            let stable = versions.filter { !$0.lowercased().contains("preview") }
            if let chosen = (stable.isEmpty ? versions : stable).max() { out[type.lowercased()] = chosen }
        }
        return out
    }
}

