/// Builds the Kubernetes manifests of each recovery cluster, in restore order. (Stub.)
public enum KubernetesManifestBuilder {
    public static func build(_ translation: Translation) -> [KubernetesRestoreSet] { [] }
}
