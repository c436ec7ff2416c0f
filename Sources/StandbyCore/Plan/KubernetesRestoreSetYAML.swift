extension KubernetesRestoreSet {
    /// Every manifest as one multi-document YAML stream, in restore order (``YAMLEmitter``):
    /// `kubectl apply -f` applies the documents in this order. Empty when there are no manifests.
    public var multiDocumentYAML: String { YAMLEmitter.emit(documents: manifests.map(\.document)) }
}
