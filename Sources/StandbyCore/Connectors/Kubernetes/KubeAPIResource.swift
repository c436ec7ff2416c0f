/// One resource an API server serves at one group version, as an `APIResourceList` entry
/// describes it (`apps/v1` `deployments`, kind `Deployment`, namespaced, verbs …).
public struct KubeAPIResource: Sendable, Hashable, CustomStringConvertible {
    /// The API group; `""` for the core group.
    public var group: String
    public var version: String
    /// The plural resource name used in paths (`deployments`).
    public var name: String
    public var kind: String
    public var namespaced: Bool
    public var verbs: [String]

    public init(group: String, version: String, name: String, kind: String, namespaced: Bool, verbs: [String]) {
        self.group = group; self.version = version; self.name = name; self.kind = kind
        self.namespaced = namespaced; self.verbs = verbs
    }

    /// `apps/v1`, or `v1` for the core group.
    public var groupVersion: String { group.isEmpty ? version : "\(group)/\(version)" }

    /// `apps/v1 deployments`.
    public var description: String { "\(groupVersion) \(name)" }

    /// `/api/v1` or `/apis/<group>/<version>`.
    public var groupVersionPath: String { KubeAPIResource.path(groupVersion: groupVersion) }

    /// The collection: every namespace's objects when `namespace` is nil.
    public func collectionPath(namespace: String?) -> String {
        if namespaced, let namespace {
            return "\(groupVersionPath)/namespaces/\(KubeAPIClient.percentEncoded(namespace))/\(name)"
        }
        return "\(groupVersionPath)/\(name)"
    }

    /// One object.
    public func objectPath(namespace: String?, name object: String) -> String {
        collectionPath(namespace: namespaced ? namespace : nil) + "/" + KubeAPIClient.percentEncoded(object)
    }

    /// `/api/v1` for `v1`, `/apis/apps/v1` for `apps/v1`.
    static func path(groupVersion: String) -> String {
        groupVersion.contains("/") ? "/apis/\(groupVersion)" : "/api/\(groupVersion)"
    }

    /// The top-level resources of an `APIResourceList` (subresources such as `pods/log` left out).
    static func resources(ofList list: JSONValue, groupVersion: String) -> [KubeAPIResource] {
        let (group, version) = KubeRef.split(apiVersion: groupVersion)
        return (list["resources"]?.arrayValue ?? []).compactMap { entry in
            guard let name = entry["name"]?.stringValue, !name.isEmpty, !name.contains("/"),
                  let kind = entry["kind"]?.stringValue else { return nil }
            return KubeAPIResource(group: group, version: version, name: name, kind: kind,
                                   namespaced: entry["namespaced"]?.boolValue ?? false,
                                   verbs: (entry["verbs"]?.arrayValue ?? []).compactMap(\.stringValue))
        }
    }
}
