/// The Kubernetes connector's verbs on one cluster, for restore hooks and verification: read an
/// object, server-side apply one. Resources are found by discovery (read once per group version).
public final class KubeVerbs: @unchecked Sendable {
    let client: KubeAPIClient
    let fieldManager: String
    let defaultNamespace: String
    private let resolver: SharedResolver

    init(client: KubeAPIClient, fieldManager: String, resolver: SharedResolver) {
        self.client = client
        self.fieldManager = fieldManager
        self.defaultNamespace = client.connection.namespace ?? "default"
        self.resolver = resolver
    }

    /// Verbs on `connection`'s cluster.
    public convenience init(connection: KubeConnection, fieldManager: String = "standby") {
        self.init(client: KubeAPIClient(connection: connection), fieldManager: fieldManager, resolver: SharedResolver())
    }

    /// The object, or nil when it does not exist (404).
    /// - Throws: ``KubeVerbsError`` when the kind is not served; ``KubeAPIError`` for other answers.
    public func get(apiVersion: String, kind: String, namespace: String?, name: String) throws -> JSONValue? {
        let path = try self.path(apiVersion: apiVersion, kind: kind, namespace: namespace, name: name)
        do {
            return try client.get(path)
        } catch let error as KubeAPIError where error.status == 404 {
            return nil
        }
    }

    /// Server-side apply of `document` (our field manager, forced); returns the object as applied.
    public func apply(_ document: JSONValue) throws -> JSONValue {
        guard let apiVersion = document["apiVersion"]?.stringValue, let kind = document["kind"]?.stringValue,
              let name = document["metadata"]?["name"]?.stringValue, !name.isEmpty else {
            throw KubeVerbsError(message: "apply: the object needs apiVersion, kind and metadata.name")
        }
        guard let resource = try resolver.resource(apiVersion: apiVersion, kind: kind, client: client) else {
            throw KubeVerbsError(message: "apply: the cluster does not serve \(apiVersion) \(kind)")
        }
        var body = document
        var namespace: String?
        if resource.namespaced {
            namespace = document["metadata"]?["namespace"]?.stringValue ?? defaultNamespace
            body.set([.key("metadata"), .key("namespace")], .string(namespace!))
        }
        return try client.apply(resource.objectPath(namespace: namespace, name: name), object: body, fieldManager: fieldManager).object
    }

    /// The path of an object.
    func path(apiVersion: String, kind: String, namespace: String?, name: String) throws -> String {
        guard let resource = try resolver.resource(apiVersion: apiVersion, kind: kind, client: client) else {
            throw KubeVerbsError(message: "the cluster does not serve \(apiVersion) \(kind)")
        }
        return resource.objectPath(namespace: resource.namespaced ? (namespace ?? defaultNamespace) : nil, name: name)
    }
}

/// A request ``KubeVerbs`` cannot make.
public struct KubeVerbsError: Error, Sendable, CustomStringConvertible {
    public var message: String
    public var description: String { message }
}
