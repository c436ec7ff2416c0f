/// Moves the objects of a mapped namespace (``TranslationSettings/namespaces``): sets
/// `metadata.namespace` to the recovery namespace, and renames a mapped Namespace object (with its
/// `kubernetes.io/metadata.name` label). Runs before the rules, so a rule sees the recovery
/// namespace; the references to moved objects follow after the rules (`NamespaceReferences`).
public struct NamespaceTranslation: TranslationStep {
    public let name = "built-in: namespace"

    public init() {}

    public func applies(to resource: Resource) -> Bool { resource.isKubernetesObject }

    public func apply(to document: inout TranslatedDocument, in context: TranslationContext) throws {
        let map = context.settings.namespaces
        guard !map.isEmpty, let ref = document.resource.kubeRef else { return }
        if let ns = ref.namespace, let target = map.target(of: ns) {
            document.set([.key("metadata"), .key("namespace")], .string(target), by: name)
        } else if ref.namespace == nil, ref.group.isEmpty, ref.kind == "Namespace", let target = map.target(of: ref.name) {
            document.set([.key("metadata"), .key("name")], .string(target), by: name)
            let label: [JSONPathComponent] = [.key("metadata"), .key("labels"), .key(NamespaceReferences.nameLabel)]
            if document[label] != nil { document.set(label, .string(target), by: name) }
        }
    }
}
