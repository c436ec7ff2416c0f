/// Writes the EBS volumes `plan:apply` made (``EBSVolumeHandles``) into the PersistentVolume
/// manifests that hold ``VolumeRestore/pendingHandle`` (the CSI `volumeHandle`, or in-tree
/// `awsElasticBlockStore.volumeID`), before they are sent.
///
/// A PersistentVolume whose volume was not made keeps its placeholder: the Kubernetes restore
/// never sends it (``KubernetesRestore/pendingVolumes``), and what needs it is blocked.
public enum PendingVolumeFill {
    public static func apply(_ sets: [KubernetesRestoreSet], _ volumes: EBSVolumeHandles) -> [KubernetesRestoreSet] {
        sets.map { set in
            var set = set
            for i in set.manifests.indices {
                set.manifests[i].document = fill(set.manifests[i].document, volumes.created)
            }
            return set
        }
    }

    /// Every string `pending:CreateVolume:<pv>` in `value` whose PersistentVolume has a volume, replaced by its id.
    static func fill(_ value: JSONValue, _ created: [String: String]) -> JSONValue {
        switch value {
        case .string(let text) where text.hasPrefix(VolumeRestore.pendingPrefix):
            return created[String(text.dropFirst(VolumeRestore.pendingPrefix.count))].map { .string($0) } ?? value
        case .object(var o):
            for (key, item) in o.pairs { o[key] = fill(item, created) }
            return .object(o)
        case .array(let items):
            return .array(items.map { fill($0, created) })
        default:
            return value
        }
    }

    /// The first value of `document` still waiting for a volume: its path and the PersistentVolume.
    static func pending(in document: JSONValue, at path: String = "") -> (path: String, pv: String)? {
        switch document {
        case .string(let text) where text.hasPrefix(VolumeRestore.pendingPrefix):
            return (path, String(text.dropFirst(VolumeRestore.pendingPrefix.count)))
        case .object(let o):
            for (key, value) in o.pairs {
                if let found = pending(in: value, at: path.isEmpty ? key : path + "." + key) { return found }
            }
        case .array(let items):
            for (n, item) in items.enumerated() {
                if let found = pending(in: item, at: "\(path)[\(n)]") { return found }
            }
        default: break
        }
        return nil
    }
}
