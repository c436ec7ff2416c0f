/// A resource the recovery plan names but does not create and the recovery point does not hold:
/// a disk encryption set, proximity placement group, capacity reservation group, host group,
/// node-image snapshot or public IP prefix a translated reference points at, a Key Vault of
/// another subscription, the cluster of a standalone agent pool. It must exist in the recovery
/// environment before the plan runs; the report lists every one under "Needs a person".
public struct AssumedTarget: Sendable, Hashable {
    /// The id the plan names (translated, or as captured when it is another subscription's).
    public var recoveryID: String
    /// The id as the capture names it.
    public var sourceID: String
    /// The source id of the resource that needs it.
    public var neededBy: String
    /// Where that resource names it (`properties.proximityPlacementGroupID`), or `(parent)`.
    public var path: String
    public var why: String

    public init(recoveryID: String, sourceID: String, neededBy: String, path: String, why: String) {
        self.recoveryID = recoveryID; self.sourceID = sourceID; self.neededBy = neededBy; self.path = path; self.why = why
    }

    /// `{ "recovery_id", "source_id", "needed_by", "path", "why" }`.
    public var jsonValue: JSONValue {
        .object(JSONObject([("recovery_id", .string(recoveryID)), ("source_id", .string(sourceID)),
                            ("needed_by", .string(neededBy)), ("path", .string(path)), ("why", .string(why))]))
    }
}

/// Finds the ``AssumedTarget``s of a translation: every ARM id a translated ARM document names
/// (values and object keys, such as `userAssignedIdentities`) outside server-set and read-only
/// properties and tags, whose target the inventory holds neither itself nor through an ancestor
/// (a subnet of a captured VNet is held), that is not the document's own resource, its parent
/// or child, and not in an AKS node resource group (AKS creates what lives there), nor an outbound
/// IP or prefix the cluster's outbound type drops from the template (``AKSOutbound``).
enum AssumedTargets {
    static func find(_ translated: [TranslatedResource], inventory: Inventory, ids: RecoveryIDMap) -> [AssumedTarget] {
        var nodeGroups: Set<String> = []
        for r in translated where r.source.type == ARMResourceTypes.managedClusters {
            if let g = AKSDocument.nodeResourceGroup(r.source.document) { nodeGroups.insert(g.lowercased()) }
        }
        func inNodeGroup(_ id: ARMResourceID) -> Bool {
            guard let g = id.resourceGroup?.lowercased() else { return false }
            return g.hasPrefix("mc_") || nodeGroups.contains(g)
        }
        func held(_ id: ARMResourceID) -> Bool {
            var cursor: ARMResourceID? = id
            while let c = cursor, c.providerNamespace != nil {
                if inventory.get(c.description) != nil { return true }
                cursor = c.parent
            }
            return false
        }
        /// `a` is `b` or one of its descendants.
        func within(_ a: ARMResourceID, _ b: ARMResourceID) -> Bool {
            var cursor: ARMResourceID? = a
            while let c = cursor {
                if c == b { return true }
                cursor = c.parent
            }
            return false
        }
        var out: [AssumedTarget] = []
        var seen: Set<String> = []
        func add(_ target: ARMResourceID, by r: TranslatedResource, path: String, why: String? = nil) {
            let source = target.description
            let mapping = ids.map(source)
            if case .unmapped? = mapping { return }   // already reported as a value nobody translates
            guard seen.insert(Resource.lookupKey(source) + "|" + Resource.lookupKey(r.source.id)).inserted else { return }
            let recovery = mapping?.recoveryID ?? source
            let reason = why ?? (mapping == nil
                ? "of another subscription than the recovery point's: carried over as is, so it must exist and be reachable "
                    + "from the recovery environment"
                : "not in the recovery point: the plan names its recovery id but does not create it")
            out.append(AssumedTarget(recoveryID: recovery, sourceID: source, neededBy: r.source.id, path: path, why: reason))
        }
        for r in translated {
            guard let own = r.source.armID, let type = r.source.type else { continue }
            if type == ARMResourceTypes.agentPools, let cluster = own.parent, !held(cluster) {
                add(cluster, by: r, path: "(parent)", why: "the agent pool's cluster is not in the recovery point: the pool is "
                    + "deployed into it, so it must exist first")
            }
            r.source.document.forEachString { path, text, isKey in
                guard text.utf8.count > 15, ARMDocumentShapes.looksLikeARMID(text), let target = ARMResourceID(text),
                      target.providerNamespace != nil, target.subscription != nil else { return }
                if case .key("tags")? = path.first { return }
                if path == [.key("id")] { return }
                let checked = isKey ? Array(path.dropLast()) : path
                if ServerSetFields.contains(checked, of: r.source) || AzureRESTModels.isReadOnly(checked, type: type) { return }
                // Gone from the translated document (a step removed it): nothing is assumed.
                if !isKey, r.document[path: path] == nil { return }
                // Outbound IPs a failover test's userDefinedRouting drops from the template.
                if type == ARMResourceTypes.managedClusters, AKSOutbound.isDropped(path, in: r.document) { return }
                if within(target, own) || within(own, target) || inNodeGroup(target) || held(target) { return }
                add(target, by: r, path: path.dotted)
            }
        }
        return out
    }
}
