/// What a recovery cluster serves, read before the first write: every group version `/api` and
/// `/apis` list (all versions, not only the preferred ones), and the resources of the group
/// versions a restore needs.
struct KubeServedAPIs: Sendable {
    /// Every group version served (`v1`, `apps/v1`, `extensions/v1beta1` …).
    var groupVersions: Set<String>
    /// The resources of the group versions read, by group version.
    var resources: [String: [KubeAPIResource]]

    /// The resource for `kind` at `apiVersion`; nil when the cluster does not serve it.
    func resource(apiVersion: String, kind: String) -> KubeAPIResource? {
        resources[apiVersion]?.first { $0.kind == kind }
    }

    /// Whether `apiVersion` `kind` is served.
    func serves(apiVersion: String, kind: String) -> Bool { resource(apiVersion: apiVersion, kind: kind) != nil }

    /// The versions of `group` served, as `group/version` (or `version` for the core group).
    func versions(ofGroup group: String) -> [String] {
        groupVersions.filter { KubeRef.split(apiVersion: $0).group == group }.sorted()
    }

    /// Reads `/api`, `/apis`, then the `APIResourceList` of each of `needed` that is served
    /// (several at once).
    /// - Throws: ``KubeAPIError`` or a transport error when a read fails (a group version listed
    ///   by `/apis` whose list cannot be read is an error too: what the restore would send to it
    ///   cannot be checked).
    static func read(_ client: KubeAPIClient, needed: Set<String>, width: Int = 8) throws -> KubeServedAPIs {
        var served: Set<String> = []
        for version in try client.get("/api")["versions"]?.arrayValue ?? [] {
            if let v = version.stringValue { served.insert(v) }
        }
        for group in try client.get("/apis")["groups"]?.arrayValue ?? [] {
            for version in group["versions"]?.arrayValue ?? [] {
                if let gv = version["groupVersion"]?.stringValue { served.insert(gv) }
            }
        }
        let toRead = needed.filter(served.contains).sorted()
        let lists = try RequestsInFlight(width: width).map(toRead.count) { n in
            try KubeAPIDiscovery.resources(client, groupVersion: toRead[n]) ?? []
        }
        var resources: [String: [KubeAPIResource]] = [:]
        for (n, gv) in toRead.enumerated() { resources[gv] = lists[n] }
        return KubeServedAPIs(groupVersions: served, resources: resources)
    }
}
