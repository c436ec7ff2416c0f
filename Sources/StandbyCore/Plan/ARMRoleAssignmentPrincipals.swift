/// Role assignments whose principal is a managed identity of the recovery point: the recovery
/// identity is a new service principal with a new principal id, so the captured id would name the
/// source's identity (or nobody).
///
/// - When the template creates the identity, the assignment's `principalId` becomes
///   `reference(identity).principalId` and the assignment waits for it.
/// - When the identity is one the template does not create (AKS creates the kubelet and add-on
///   identities in the node resource group), a note says the assignment must be made again for the
///   recovery identity once it exists.
/// - An assignment whose principal belongs to another tenant than the recovery's is left out with a
///   note (ARM refuses a principal it cannot find).
extension ARMBuild {
    mutating func roleAssignmentPrincipals() {
        // Captured principal id → (source identity, recovery id of the identity node, if the template creates it).
        var identities: [String: (source: String, node: ARMResourceID?)] = [:]
        for r in translation.resources where r.source.type?.lowercased() == "microsoft.managedidentity/userassignedidentities" {
            guard let principal = r.source.document["properties"]?["principalId"]?.stringValue?.lowercased() else { continue }
            let node = r.recoveryID.flatMap(ARMResourceID.init).flatMap { id in index(of: id) != nil ? id : nil }
            identities[principal] = (r.source.id, node)
        }
        var dropped: [Int] = []
        for n in nodes.indices where nodes[n].lowerType == "microsoft.authorization/roleassignments" {
            guard let principal = nodes[n].body["properties"]?["principalId"]?.stringValue else { continue }
            guard let identity = identities[principal.lowercased()] else {
                // A principal of another tenant (``ClusterAccessTranslation`` kept it): ARM would refuse the assignment.
                if let kept = translated[nodes[n].id.key]?.untranslated.first(where: { $0.path == "properties.principalId" }) {
                    notes.append(PlanNote(subject: nodes[n].id.description, message: "not in the ARM template: the principal "
                        + "\(principal) is \(kept.reason)"))
                    dropped.append(n)
                }
                continue
            }
            guard let node = identity.node else {
                notes.append(PlanNote(subject: nodes[n].id.description, message: "the principal \(principal) is the managed identity "
                    + "\(identity.source), which the template does not create (AKS creates it with the cluster): its recovery "
                    + "counterpart has a new principal id, so assign the role to it once it exists"))
                continue
            }
            guard case .object(var body) = nodes[n].body, case .object(var properties)? = body["properties"] else { continue }
            properties["principalId"] = .string("[reference('\(node.description)', '\(ARMResourceForm.identityAPIVersion)').principalId]")
            body["properties"] = .object(properties)
            nodes[n].body = .object(body)
            nodes[n].after.append(node.description)
        }
        for n in dropped.reversed() { nodes.remove(at: n) }
    }
}
