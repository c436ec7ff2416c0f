/// Points the PersistentVolume manifests at the restored volumes (``VolumeRestorePlan``).
///
/// An Azure disk PV names the disk the template creates from the copy (its recovery id, written by
/// the translation) and its zone affinity names the recovery location's zone; an EBS PV holds
/// ``VolumeRestore/pendingHandle`` until `CreateVolume` returns the new `vol-` id (in-tree
/// `awsElasticBlockStore` PVs too), and its zone affinity names the recovery AZ.
enum VolumeManifestPatch {
    static func apply(_ sets: [KubernetesRestoreSet], _ translation: Translation) -> [KubernetesRestoreSet] {
        let volumes = translation.volumes
        guard volumes.restores.contains(where: { $0.action == .fromCopy }) else { return sets }
        return sets.map { set in
            var set = set
            for i in set.manifests.indices {
                guard let v = volumes.restore(forPV: set.manifests[i].source), v.action == .fromCopy else { continue }
                var doc = set.manifests[i].document
                switch v.source.kind {
                case .azureDisk:
                    if let id = v.recoveryVolume { doc.set(v.source.pathComponents, .string(id)) }
                    if let zone = v.recoveryZone, let location = translation.settings.to.azure?.location {
                        setZone(&doc, "\(ARMLocation.normalized(location))-\(zone)")
                    }
                case .ebs:
                    doc.set(v.source.pathComponents, .string(v.pendingHandle))
                    if let zone = v.recoveryZone { setZone(&doc, zone) }
                case .efs, .azureFiles:
                    break
                }
                set.manifests[i].document = doc
            }
            return set
        }
    }

    /// Sets the first value of every zone match expression of the PV's required node affinity.
    static func setZone(_ doc: inout JSONValue, _ zone: String) {
        let termsPath: [JSONPathComponent] = [.key("spec"), .key("nodeAffinity"), .key("required"), .key("nodeSelectorTerms")]
        guard let terms = doc[path: termsPath]?.arrayValue else { return }
        for (t, term) in terms.enumerated() {
            for (e, expr) in (term["matchExpressions"]?.arrayValue ?? []).enumerated() {
                guard let key = expr["key"]?.stringValue, PersistentVolumeSource.zoneKeys.contains(key),
                      expr["values"]?.arrayValue?.isEmpty == false else { continue }
                doc.set(termsPath + [.index(t), .key("matchExpressions"), .index(e), .key("values")], .array([.string(zone)]))
            }
        }
    }
}
