/// Recognises Kubernetes objects and Lists and turns them into ``Resource``s.
///
/// An object is a JSON object with string `apiVersion` and `kind`. A List is an object whose
/// kind is `List` or ends in `List` and which has an `items` array; each item becomes an object,
/// taking `apiVersion`/`kind` from the List (`DeploymentList` → `Deployment`) when it lacks them.
public enum KubernetesDocuments {
    /// True for a Kubernetes object or List.
    public static func isObject(_ object: JSONObject) -> Bool {
        object["apiVersion"]?.stringValue != nil && object["kind"]?.stringValue != nil
    }

    /// True for a `List` / `*List` with `items`.
    public static func isList(_ object: JSONObject) -> Bool {
        guard let kind = object["kind"]?.stringValue, kind.hasSuffix("List") else { return false }
        return object["items"]?.arrayValue != nil
    }

    /// The items of a List, completed with `apiVersion` and `kind` where missing.
    public static func items(ofList list: JSONObject) -> [JSONValue] {
        let items = list["items"]?.arrayValue ?? []
        let listKind = list["kind"]?.stringValue ?? "List"
        let itemKind = listKind == "List" ? nil : String(listKind.dropLast(4))
        let apiVersion = list["apiVersion"]?.stringValue
        guard itemKind != nil else { return items }
        return items.map { item in
            guard case .object(var o) = item, o["kind"] == nil || o["apiVersion"] == nil else { return item }
            if o["apiVersion"] == nil, let apiVersion { o["apiVersion"] = .string(apiVersion) }
            if o["kind"] == nil, let itemKind { o["kind"] = .string(itemKind) }
            return .object(o)
        }
    }

    /// A resource for one object of `cluster`, or `nil` when the object has no `metadata.name`
    /// (nor `generateName`).
    public static func resource(_ document: JSONValue, cluster: String, scope: KubeScope, source: SourceRef) -> Resource? {
        guard case .object(let object) = document,
              let apiVersion = object["apiVersion"]?.stringValue,
              let kind = object["kind"]?.stringValue else { return nil }
        let metadata = object["metadata"]?.objectValue ?? JSONObject()
        guard let name = metadata["name"]?.stringValue ?? metadata["generateName"]?.stringValue, !name.isEmpty else { return nil }
        let (group, version) = KubeRef.split(apiVersion: apiVersion)
        let namespace = scope.namespace(group: group, kind: kind, metadataNamespace: metadata["namespace"]?.stringValue)
        let ref = KubeRef(cluster: cluster, group: group, version: version, kind: kind, namespace: namespace, name: name)
        return Resource(id: ref.id, identity: .kube(ref), kind: kind, group: group, apiVersion: apiVersion,
                        name: name, namespace: namespace, cluster: cluster,
                        labels: Resource.stringMap(metadata["labels"]), document: document, source: source)
    }
}
