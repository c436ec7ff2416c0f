/// Discovery of what an API server serves, with no list of kinds built in: `GET /api` and
/// `/apis` for the group versions, then each group version's `APIResourceList`.
struct KubeAPIDiscovery {
    /// Every top-level resource at the preferred version of each group (`v1` for the core group).
    var resources: [KubeAPIResource]
    /// Group versions whose resources could not be read (an aggregated API whose backend is down
    /// answers 503), with the API server's answer (after the HTTP client's retries). Discovery goes
    /// on without them, as kubectl's does; what to make of the gap is the caller's decision.
    var unavailable: [(groupVersion: String, error: KubeAPIError)]

    /// Discovers the preferred version of every group `client`'s server serves.
    /// - Throws: ``KubeAPIError`` or ``HTTPTransportError`` when `/api` or `/apis` fails.
    static func preferred(_ client: KubeAPIClient) throws -> KubeAPIDiscovery {
        var groupVersions: [String] = []
        let core = try client.get("/api")
        if let version = core["versions"]?.arrayValue?.first?.stringValue { groupVersions.append(version) }
        let groups = try client.get("/apis")
        for group in groups["groups"]?.arrayValue ?? [] {
            let preferred = group["preferredVersion"]?["groupVersion"]?.stringValue
                ?? group["versions"]?.arrayValue?.first?["groupVersion"]?.stringValue
            if let preferred { groupVersions.append(preferred) }
        }
        var discovery = KubeAPIDiscovery(resources: [], unavailable: [])
        for groupVersion in groupVersions {
            do {
                discovery.resources += try resources(client, groupVersion: groupVersion) ?? []
            } catch let error as KubeAPIError {
                discovery.unavailable.append((groupVersion, error))
            }
        }
        return discovery
    }

    /// The resources of one group version; nil when the server does not serve it (404).
    static func resources(_ client: KubeAPIClient, groupVersion: String) throws -> [KubeAPIResource]? {
        do {
            let list = try client.get(KubeAPIResource.path(groupVersion: groupVersion))
            return KubeAPIResource.resources(ofList: list, groupVersion: groupVersion)
        } catch let error as KubeAPIError where error.status == 404 {
            return nil
        }
    }
}

/// Finds the resource serving an object's `apiVersion` and `kind`, reading each group version's
/// `APIResourceList` once; ``refresh()`` forgets them (after CRDs were created, so their custom
/// resources resolve).
struct KubeResourceResolver {
    private var lists: [String: [KubeAPIResource]?] = [:]

    /// The resource for `kind` at `apiVersion`; nil when the server does not serve it.
    mutating func resource(apiVersion: String, kind: String, client: KubeAPIClient) throws -> KubeAPIResource? {
        if lists[apiVersion] == nil {
            lists[apiVersion] = .some(try KubeAPIDiscovery.resources(client, groupVersion: apiVersion))
        }
        return lists[apiVersion]??.first { $0.kind == kind }
    }

    mutating func refresh() { lists = [:] }
}
