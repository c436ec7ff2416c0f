/// EKS specifics, following the EKS replication tables: the cluster role, subnets, node group
/// remote-access security groups and subnets, and the Fargate pod execution role and subnets are
/// translated (by ``ReferenceTranslation``, through the ID map); the attributes the tables list as
/// replicated without translation are carried unchanged and said so here, as are the references
/// only the restore can fill in (the recovery cluster's OIDC issuer, launch template ids).
public struct EKSTranslation: TranslationStep {
    public let name = "built-in: EKS"

    public init() {}

    public func applies(to resource: Resource) -> Bool {
        ["AWS::EKS::Cluster", "AWS::EKS::Nodegroup", "AWS::IAM::Role"].contains(resource.type ?? "")
    }

    static let unchanged = "replicated without translation, as the EKS cluster table specifies"
    static let oidc = "names the source cluster's OIDC issuer; the recovery cluster gets its own when it is created, and the restore fills it in"

    public func apply(to document: inout TranslatedDocument, in context: TranslationContext) throws {
        let r = document.resource
        let body: [JSONPathComponent] = r.document["cluster"] != nil ? [.key("cluster")]
            : r.document["nodegroup"] != nil ? [.key("nodegroup")] : []
        switch r.type {
        case "AWS::EKS::Cluster":
            let sgs = body + [.key("resourcesVpcConfig"), .key("securityGroupIds")]
            for (i, v) in (document[sgs]?.arrayValue ?? []).enumerated() {
                guard let sg = v.stringValue else { continue }
                let path = sgs + [.index(i)]
                if case .mapped(let to, "override")? = context.map(sg) {
                    document.set(path, .string(to), by: "built-in: VPC config security group (override)")
                } else {
                    document.keep(path.dotted, value: sg, reason: Self.unchanged + " (map it with standby.map_id to change it)",
                                  disposition: .carriedAsIs)
                }
            }
            let enc = body + [.key("encryptionConfig")]
            for (i, v) in (document[enc]?.arrayValue ?? []).enumerated() {
                let path = enc + [.index(i), .key("provider"), .key("keyArn")]
                if let key = v["provider"]?["keyArn"]?.stringValue {
                    if case .mapped(let to, _)? = context.map(key) {
                        document.set(path, .string(to), by: "built-in: secrets encryption key")
                    } else {
                        document.keep(path.dotted, value: key, reason: Self.unchanged
                                      + "; a KMS key is regional: map it with standby.map_id to a recovery key")
                    }
                }
            }
        case "AWS::EKS::Nodegroup":
            let lt = body + [.key("launchTemplate"), .key("id")]
            if let id = document[lt]?.stringValue {
                if case .mapped(let to, _)? = context.map(id) {
                    document.set(lt, .string(to), by: "built-in: launch template")
                } else {
                    document.keep(lt.dotted, value: id, reason: "launch template found by name (launchTemplate.name) in the recovery account",
                                  disposition: .carriedAsIs)
                }
            }
        case "AWS::IAM::Role":
            // Trust policies of IRSA roles name the cluster's OIDC provider and issuer.
            var oidcPaths: [String] = []
            document.value.forEachString { path, s, _ in
                if s.contains("oidc.eks.") || s.contains(":oidc-provider/") { oidcPaths.append(path.dotted + "\u{0}" + s) }
            }
            for entry in oidcPaths {
                let parts = entry.split(separator: "\u{0}", maxSplits: 1).map(String.init)
                document.keep(parts[0], value: parts.count > 1 ? parts[1] : "", reason: Self.oidc)
            }
        default:
            break
        }
    }
}
