extension FuzzTarget {
    /// ARM ids: a parsed id round-trips through its canonical text (same segments, parts and
    /// key); its parents are shorter and above it; ``ResourceIDCheck`` accepts nothing the parser
    /// refuses.
    static func armID(_ text: String) throws -> Outcome {
        let t = FuzzTarget.armID
        let problem = ResourceIDCheck.problem(armID: text)
        guard let id = ARMResourceID(text) else {
            try t.expect(problem != nil, "ResourceIDCheck accepts \(excerpt(text)) but ARMResourceID does not parse it")
            return .refused
        }
        let canonical = id.description
        guard let again = ARMResourceID(canonical) else {
            throw FuzzInvariantViolation(t, "canonical text \(excerpt(canonical)) of \(excerpt(text)) does not parse")
        }
        try t.expect(again.segments == id.segments && again.description == canonical,
                     "canonical text \(excerpt(canonical)) parses to \(excerpt(again.description))")
        try t.expect(again.subscription == id.subscription && again.resourceGroup == id.resourceGroup
                     && again.providerNamespace == id.providerNamespace && again.typeSegments == id.typeSegments
                     && again.nameSegments == id.nameSegments,
                     "canonical text \(excerpt(canonical)) parses to other parts")
        try t.expect(again == id && id.key == canonical.lowercased(), "key \(excerpt(id.key)) is not the lower-cased canonical text")
        try t.expect(id.typeSegments.count == id.nameSegments.count, "\(id.typeSegments.count) types for \(id.nameSegments.count) names")
        var count = id.segments.count
        var parent = id.parent
        while let p = parent {
            try t.expect(p.segments.count < count, "parent \(excerpt(p.description)) is not shorter than its child")
            try t.expect(id.isDescendant(of: p), "\(excerpt(canonical)) is not a descendant of its ancestor \(excerpt(p.description))")
            count = p.segments.count
            parent = p.parent
        }
        return problem == nil ? .accepted : .refused
    }

    /// ARNs: the parser and ``ResourceIDCheck`` agree; a parsed ARN gives back exactly its text,
    /// and its type and id make up its resource.
    static func arn(_ text: String) throws -> Outcome {
        let t = FuzzTarget.arn
        let problem = ResourceIDCheck.problem(arn: text)
        guard let arn = ARN(text) else {
            try t.expect(problem != nil, "ResourceIDCheck accepts \(excerpt(text)) but ARN does not parse it")
            return .refused
        }
        try t.expect(problem == nil, "ARN parses \(excerpt(text)) that ResourceIDCheck refuses: \(problem ?? "")")
        try t.expect(arn.description == text, "ARN \(excerpt(text)) gives back \(excerpt(arn.description))")
        try t.expect(ARN(arn.description) == arn, "ARN \(excerpt(text)) does not parse back to itself")
        try t.expect(!arn.partition.isEmpty && !arn.service.isEmpty && !arn.resource.isEmpty && !arn.resourceID.isEmpty,
                     "ARN \(excerpt(text)) has an empty partition, service, resource or id")
        if let type = arn.resourceType {
            let separator = arn.resource[arn.resource.index(arn.resource.startIndex, offsetBy: type.count)]
            try t.expect(arn.resource == type + String(separator) + arn.resourceID,
                         "ARN \(excerpt(text)): type \(type) and id \(excerpt(arn.resourceID)) do not make up the resource")
        }
        return .accepted
    }

    /// Image references and the other references inside a string, through the
    /// ``ReferenceRewriter`` a translation uses (a source account's ECR, an ACR in the inventory,
    /// ARM ids, ARNs, regions): every edit is either made or explained; a string with no edit
    /// made comes back unchanged; every replacement is in the result.
    static func image(_ text: String) throws -> Outcome {
        let t = FuzzTarget.image
        let result = imageRewriter.rewrite(text)
        for edit in result.edits {
            try t.expect(!edit.before.isEmpty, "an edit of \(excerpt(text)) replaces nothing")
            try t.expect((edit.after == nil) != (edit.reason == nil),
                         "edit of \(excerpt(edit.before)) has \(edit.after == nil ? "neither" : "both") a replacement and a reason")
            if let after = edit.after {
                // Compared as UTF-8: a combining mark after the replacement joins its last
                // character into another grapheme, which `String.contains` would not match.
                try t.expect(Array(result.text.utf8).firstRange(of: Array(after.utf8)) != nil,
                             "replacement \(excerpt(after)) is not in the result \(excerpt(result.text))")
            }
        }
        if !result.changed {
            try t.expect(result.text == text, "nothing rewritten, yet \(excerpt(text)) became \(excerpt(result.text))")
            return .refused
        }
        return .accepted
    }

    /// A rewriter over a small estate: one source account and region, a source subscription with
    /// an ACR and a Key Vault, both recovery sites.
    private static let imageRewriter: ReferenceRewriter = {
        let sub = "8f3c2a1e-5b7d-4c9a-9e21-3d6f0a4b7c15"
        func resource(_ type: String, _ group: String, _ name: String) -> Resource {
            let id = "/subscriptions/\(sub)/resourceGroups/\(group)/providers/\(type)/\(name)"
            return Resource(id: id, identity: .arm(ARMResourceID(id)!), type: type, name: name, region: "westeurope",
                            document: [:], source: SourceRef(path: "fuzz.json", document: 0))
        }
        let resources = [resource("Microsoft.ContainerRegistry/registries", "rg-app", "crapp"),
                         resource("Microsoft.KeyVault/vaults", "rg-sec", "kv-app")]
        let source = SourceEnvironment(subscriptions: [sub], locations: ["westeurope"], tenants: ["72f988bf-86f1-41af-91ab-2d7cd011db47"],
                                       accounts: ["111111111111"], regions: ["us-east-1"])
        let to = RecoveryEnvironment(azure: AzureSite(subscription: "0b9d4c3e-7a61-4f2b-8c5d-1e2f3a4b5c6d", location: "northeurope",
                                                      tenant: "5e1f2d3c-4b5a-4968-8776-a5b4c3d2e1f0"),
                                     aws: AWSSite(account: "999988887777", region: "us-west-2"), resourceGroups: ["rg-app": "rg-app-dr"])
        let ids = RecoveryIDMap(resources: resources, inventory: Inventory(resources: resources), to: to, source: source, overrides: [:])
        return ReferenceRewriter(ids: ids)
    }()
}
