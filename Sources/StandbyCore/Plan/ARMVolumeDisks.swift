/// Managed disks behind PersistentVolumes, created from their snapshot copies (``VolumeRestorePlan``).
///
/// Each disk restored from a copy is a nested deployment of `Microsoft.Compute/disks` with
/// `creationData` `{createOption: Copy, sourceResourceId: <copy>}`, the recovery location and the
/// zone the translated PersistentVolume needs; the rest of the body is the translated disk's (SKU,
/// encryption, tags) when the inventory holds it. A disk in an AKS node resource group waits for
/// the cluster that creates the group. A PV-backed disk without a copy is not in the template at
/// all (never `createOption: Empty`); the volume plan's note says what a person must do.
extension ARMBuild {
    /// Whether `r` is a disk the volume plan decides about (created from its copy, or deliberately not created).
    func isVolumeDisk(_ r: TranslatedResource, type lower: String) -> Bool {
        return lower == "microsoft.compute/disks" && translation.volumes.restore(forVolume: r.source.id)?.source.kind == .azureDisk
    }

    mutating func collectVolumeDisks() {
        guard let version = ARMResourceForm.templateAPIVersion("Microsoft.Compute/disks") else { return }
        for v in translation.volumes.restores where v.source.kind == .azureDisk && v.action == .fromCopy {
            guard let copy = v.copy, let rid = v.recoveryVolume, let id = ARMResourceID(rid) else { continue }
            let source = translation.resource(v.volumeResource ?? v.source.volumeID)
            var doc = ARMResourceForm.escapingExpressions(source?.document ?? .object(JSONObject()))
            if let location { doc.set([.key("location")], .string(location)) }
            if let zone = v.recoveryZone {
                doc.set([.key("zones")], .array([.string(zone)]))
            } else if case .object(var o) = doc {
                o["zones"] = nil
                doc = .object(o)
            }
            if doc["sku"] == nil, let sku = translation.resource(v.pv)?.document[path: [.key("spec"), .key("csi"),
                                                                                       .key("volumeAttributes"), .key("skuName")]] {
                doc.set([.key("sku"), .key("name")], sku)
            }
            doc.set([.key("properties"), .key("creationData")], .object(JSONObject([
                ("createOption", "Copy"), ("sourceResourceId", .string(copy.id)),
            ])))
            if doc[path: [.key("properties"), .key("diskSizeGB")]] == nil, let size = copy.sizeGiB ?? v.source.sizeGiB {
                doc.set([.key("properties"), .key("diskSizeGB")], .int(Int64(size)))
            }
            let (body, unknown) = ARMResourceForm.templateBody(document: doc, id: id, type: "Microsoft.Compute/disks",
                                                               apiVersion: version, resource: source?.source)
            reportUnknown(unknown, id: id, type: "Microsoft.Compute/disks", version: version)
            var after: [String] = []
            if isNodeGroup(id.resourceGroup), let cluster = clusterCreating(group: id.resourceGroup ?? "") { after.append(cluster) }
            add(ARMTemplateNode(id: id, type: "Microsoft.Compute/disks", body: body, after: after))
        }
    }

    /// The recovery id of the cluster whose node resource group is `group`.
    func clusterCreating(group: String) -> String? {
        translation.resources.first { r in
            r.source.type == ARMResourceTypes.managedClusters
                && r.document[path: [.key("properties"), .key("nodeResourceGroup")]]?.stringValue?.lowercased() == group.lowercased()
        }?.recoveryID
    }
}
