/// Why an inventory could not be loaded. Syntax errors are thrown as ``JSONSyntaxError`` and
/// ``YAMLSyntaxError`` (`file:line:column: message`); everything else is one of these.
public enum InventoryLoadError: Error, Sendable, Equatable, CustomStringConvertible {
    /// A path given to the loader does not exist.
    case missingPath(String)
    /// A file could not be read.
    case unreadable(path: String, reason: String)
    /// A document is valid JSON/YAML but not a shape Standby recognises.
    case unrecognizedShape(source: SourceRef, detail: String)
    /// Kubernetes objects were found but no cluster was given for them.
    case kubernetesWithoutCluster(source: SourceRef)
    /// An estate manifest is malformed.
    case invalidEstate(path: String, message: String)
    /// A resource's id (or a Kubernetes object's name) is malformed; `reason` says how.
    case invalidIdentifier(source: SourceRef, id: String, reason: String)
    /// An archive (or a Velero backup folder) was refused: unreadable, beyond ``ArchiveLimits``, an
    /// entry escaping the tree, or not a Velero backup. `entry` names the entry when there is one.
    case archiveRefused(archive: String, entry: String?, reason: String)

    /// The shapes the loader accepts, for error messages.
    public static let acceptedShapes = """
        Accepted shapes: Kubernetes objects (apiVersion + kind), Lists and multi-document YAML; \
        ARM resources (id + type, as from `az resource show` or `az aks show`), `az resource list` arrays \
        and {"value": [...]} pages; Azure REST API examples ({"parameters", "responses"}); aws-cli output \
        ({"cluster"}, {"nodegroup"}, {"fargateProfile"}, {"addon"}, {"Vpcs"}, {"Subnets"}, {"SecurityGroups"}, \
        {"LaunchTemplates"}, {"Role"}/{"Roles"}, {"OpenIDConnectProviderList"}, {"KeyMetadata"}, \
        {"FileSystems"}, {"AccessPoints"}, {"repositories"}, {"Users"}, or any single list of objects carrying ARNs); aws-cli example \
        .rst files (blocks after "Output::"); Velero backups (.tar.gz, .tgz, .tar, or an extracted backup folder); \
        estate.yaml / estate.json manifests.
        """

    public var description: String {
        switch self {
        case .missingPath(let p):
            return "\(p): no such file or directory"
        case .unreadable(let p, let reason):
            return "\(p): cannot read: \(reason)"
        case .unrecognizedShape(let source, let detail):
            return "\(source): not a recognised resource document: \(detail). \(Self.acceptedShapes)"
        case .kubernetesWithoutCluster(let source):
            return "\(source): Kubernetes objects need a cluster. Pass the cluster name "
                + "(`--cluster NAME`, or `{ cluster = \"NAME\" }` in standby.inventory.load) or describe the clusters in an estate.yaml "
                + "(clusters: [{name, cloud, id, kubernetes: [paths]}])."
        case .invalidEstate(let p, let message):
            return "\(p): invalid estate manifest: \(message)"
        case .invalidIdentifier(let source, let id, let reason):
            return "\(source): the id \(id.debugDescription) \(reason)"
        case .archiveRefused(let archive, let entry, let reason):
            return "\(archive)\(entry.map { ": entry \($0.debugDescription)" } ?? ""): \(reason)"
        }
    }
}
