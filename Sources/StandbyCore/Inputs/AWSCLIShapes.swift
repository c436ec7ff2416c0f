/// Recognises aws-cli JSON output and turns it into ``Resource``s.
///
/// Each recognised top-level key (``shapes``) names one resource (`{"cluster": {...}}`) or a list
/// of them (`{"Subnets": [...]}`); pagination keys (`NextToken`, `Marker` …) are ignored. A
/// resource's id is its ARN; where the output carries none (VPCs, security groups on older CLIs,
/// launch templates) one is built from the region and account (the item's `OwnerId`, else
/// ``LoadOptions``), and failing that the native ID is the id. Native IDs, the EKS cluster name
/// and ECR repository URIs become aliases. The stored document is the item itself, unwrapped.
///
/// Any other single list (or object) of items carrying an ARN (a key ending in `Arn`/`ARN` whose
/// value starts with `arn:`) is kept too, typed `aws:{service}:{resource type}` from its ARN
/// (not a CloudFormation type, since Standby cannot know it).
public enum AWSCLIShapes {
    /// How to read one aws-cli output key.
    struct Shape: Sendable {
        /// The top-level key (`Subnets`).
        var key: String
        /// The resource type (`AWS::EC2::Subnet`).
        var type: String
        /// Keys that may hold the ARN, first present wins.
        var arnKeys: [String]
        /// The native ID key, if any.
        var idKey: String?
        /// Keys that may hold the name, first present wins (a `Name` tag is tried after them).
        var nameKeys: [String]
        /// Further alias keys.
        var aliasKeys: [String] = []
        /// Builds an ARN from the item when it has none: (item, partition, region, account) → ARN.
        var buildARN: (@Sendable (JSONObject, String, String?, String?) -> String?)? = nil
        /// Builds a fallback id when neither an ARN nor a native ID is available.
        var fallbackID: (@Sendable (JSONObject) -> String?)? = nil
    }

    static func ec2ARN(_ resource: String, idKey: String) -> @Sendable (JSONObject, String, String?, String?) -> String? {
        { item, partition, region, account in
            guard let id = item[idKey]?.stringValue, let region,
                  let account = item["OwnerId"]?.stringValue ?? account else { return nil }
            return "arn:\(partition):ec2:\(region):\(account):\(resource)/\(id)"
        }
    }

    static let clusterShape = Shape(
        key: "cluster", type: "AWS::EKS::Cluster", arnKeys: ["arn"], idKey: nil, nameKeys: ["name"],
        aliasKeys: ["name"],
        buildARN: { item, p, region, account in
            guard let name = item["name"]?.stringValue, let region, let account else { return nil }
            return "arn:\(p):eks:\(region):\(account):cluster/\(name)"
        },
        fallbackID: { $0["name"]?.stringValue })
    static let nodegroupShape = Shape(
        key: "nodegroup", type: "AWS::EKS::Nodegroup", arnKeys: ["nodegroupArn"], idKey: nil, nameKeys: ["nodegroupName"],
        fallbackID: { item in
            guard let c = item["clusterName"]?.stringValue, let n = item["nodegroupName"]?.stringValue else { return nil }
            return "\(c)/\(n)"
        })
    static let fargateShape = Shape(
        key: "fargateProfile", type: "AWS::EKS::FargateProfile", arnKeys: ["fargateProfileArn"], idKey: nil,
        nameKeys: ["fargateProfileName"],
        fallbackID: { item in
            guard let c = item["clusterName"]?.stringValue, let n = item["fargateProfileName"]?.stringValue else { return nil }
            return "\(c)/\(n)"
        })
    static let addonShape = Shape(
        key: "addon", type: "AWS::EKS::Addon", arnKeys: ["addonArn"], idKey: nil, nameKeys: ["addonName"],
        fallbackID: { item in
            guard let c = item["clusterName"]?.stringValue, let n = item["addonName"]?.stringValue else { return nil }
            return "\(c)/\(n)"
        })
    static let accessEntryShape = Shape(
        key: "accessEntry", type: EKSAccessTypes.accessEntry, arnKeys: ["accessEntryArn"], idKey: nil, nameKeys: ["principalArn"],
        fallbackID: { item in
            guard let c = item["clusterName"]?.stringValue, let p = item["principalArn"]?.stringValue else { return nil }
            return "\(c)/\(p)"
        })
    static let podIdentityShape = Shape(
        key: "association", type: EKSAccessTypes.podIdentityAssociation, arnKeys: ["associationArn"], idKey: nil,
        nameKeys: ["associationId"],
        fallbackID: { item in
            guard let c = item["clusterName"]?.stringValue, let ns = item["namespace"]?.stringValue,
                  let sa = item["serviceAccount"]?.stringValue else { return nil }
            return "\(c)/\(ns)/\(sa)"
        })
    static let vpcShape = Shape(key: "Vpcs", type: "AWS::EC2::VPC", arnKeys: ["VpcArn"], idKey: "VpcId", nameKeys: [],
                                buildARN: ec2ARN("vpc", idKey: "VpcId"))
    static let subnetShape = Shape(key: "Subnets", type: "AWS::EC2::Subnet", arnKeys: ["SubnetArn"], idKey: "SubnetId",
                                   nameKeys: [], buildARN: ec2ARN("subnet", idKey: "SubnetId"))
    static let securityGroupShape = Shape(
        key: "SecurityGroups", type: "AWS::EC2::SecurityGroup", arnKeys: ["SecurityGroupArn"], idKey: "GroupId",
        nameKeys: ["GroupName"], buildARN: ec2ARN("security-group", idKey: "GroupId"))
    static let launchTemplateShape = Shape(
        key: "LaunchTemplates", type: "AWS::EC2::LaunchTemplate", arnKeys: [], idKey: "LaunchTemplateId",
        nameKeys: ["LaunchTemplateName"], buildARN: ec2ARN("launch-template", idKey: "LaunchTemplateId"))
    static let volumeShape = Shape(key: "Volumes", type: "AWS::EC2::Volume", arnKeys: [], idKey: "VolumeId", nameKeys: [],
                                   buildARN: ec2ARN("volume", idKey: "VolumeId"))
    static let snapshotShape = Shape(key: "Snapshots", type: "AWS::EC2::Snapshot", arnKeys: [], idKey: "SnapshotId",
                                     nameKeys: [], buildARN: ec2ARN("snapshot", idKey: "SnapshotId"))
    static let roleShape = Shape(key: "Roles", type: "AWS::IAM::Role", arnKeys: ["Arn"], idKey: nil, nameKeys: ["RoleName"],
                                 aliasKeys: ["RoleId"])
    static let oidcShape = Shape(
        key: "OpenIDConnectProviderList", type: "AWS::IAM::OIDCProvider", arnKeys: ["Arn"], idKey: nil, nameKeys: [])
    static let keyShape = Shape(key: "KeyMetadata", type: "AWS::KMS::Key", arnKeys: ["Arn"], idKey: "KeyId", nameKeys: [])
    static let fileSystemShape = Shape(
        key: "FileSystems", type: "AWS::EFS::FileSystem", arnKeys: ["FileSystemArn"], idKey: "FileSystemId",
        nameKeys: ["Name"],
        buildARN: { item, p, region, account in
            guard let id = item["FileSystemId"]?.stringValue, let region,
                  let account = item["OwnerId"]?.stringValue ?? account else { return nil }
            return "arn:\(p):elasticfilesystem:\(region):\(account):file-system/\(id)"
        })
    static let accessPointShape = Shape(
        key: "AccessPoints", type: "AWS::EFS::AccessPoint", arnKeys: ["AccessPointArn"], idKey: "AccessPointId",
        nameKeys: ["Name"])
    static let userShape = Shape(key: "Users", type: "AWS::IAM::User", arnKeys: ["Arn"], idKey: nil, nameKeys: ["UserName"],
                                 aliasKeys: ["UserId"])
    static let repositoryShape = Shape(
        key: "repositories", type: "AWS::ECR::Repository", arnKeys: ["repositoryArn"], idKey: nil,
        nameKeys: ["repositoryName"], aliasKeys: ["repositoryUri"])

    /// Top-level key → (shape, whether the value is a list).
    static let shapes: [String: (Shape, isList: Bool)] = {
        var table: [String: (Shape, Bool)] = [:]
        func add(_ shape: Shape, list: [String], single: [String]) {
            for k in list { table[k] = (shape, true) }
            for k in single { table[k] = (shape, false) }
        }
        add(clusterShape, list: [], single: ["cluster"])
        add(nodegroupShape, list: [], single: ["nodegroup"])
        add(fargateShape, list: [], single: ["fargateProfile"])
        add(addonShape, list: [], single: ["addon"])
        add(accessEntryShape, list: [], single: ["accessEntry"])
        add(podIdentityShape, list: [], single: ["association"])
        add(vpcShape, list: ["Vpcs"], single: ["Vpc"])
        add(subnetShape, list: ["Subnets"], single: ["Subnet"])
        add(securityGroupShape, list: ["SecurityGroups"], single: [])
        add(launchTemplateShape, list: ["LaunchTemplates"], single: ["LaunchTemplate"])
        add(roleShape, list: ["Roles"], single: ["Role"])
        add(oidcShape, list: ["OpenIDConnectProviderList"], single: [])
        add(keyShape, list: [], single: ["KeyMetadata"])
        add(fileSystemShape, list: ["FileSystems"], single: [])
        add(repositoryShape, list: ["repositories"], single: ["repository"])
        add(accessPointShape, list: ["AccessPoints"], single: [])
        add(userShape, list: ["Users"], single: ["User"])
        add(volumeShape, list: ["Volumes"], single: [])
        add(snapshotShape, list: ["Snapshots"], single: [])
        return table
    }()

    /// Keys of aws-cli output that carry paging or request metadata, not resources.
    static let metadataKeys: Set<String> = ["NextToken", "nextToken", "Marker", "NextMarker", "IsTruncated", "ResponseMetadata"]

    /// True when `object` is aws-cli output Standby reads (known keys, or a generic ARN list).
    public static func recognises(_ object: JSONObject) -> Bool {
        if object.keys.contains(where: { shapes[$0] != nil }) { return true }
        if EKSAccessTypes.isPolicyList(object) { return true }
        return genericItems(object) != nil
    }

    /// The resources in one aws-cli output document.
    /// - Throws: ``InventoryLoadError/invalidIdentifier(source:id:reason:)`` for an item of a
    ///   generic list whose ARN is malformed.
    static func resources(from object: JSONObject, source: SourceRef, options: LoadOptions) throws -> [Resource] {
        var out: [Resource] = []
        var matched = false
        if EKSAccessTypes.isPolicyList(object) {
            return [EKSAccessTypes.policyList(object, source: source, options: options)]
        }
        for (key, value) in object.pairs {
            guard let (shape, isList) = shapes[key] else { continue }
            matched = true
            if isList {
                for (n, item) in (value.arrayValue ?? []).enumerated() {
                    guard let o = item.objectValue else { continue }
                    var src = source
                    src.item = n
                    out.append(resource(o, shape: shape, source: src, options: options))
                }
            } else if let o = value.objectValue {
                out.append(resource(o, shape: shape, source: source, options: options))
            }
        }
        if !matched, let (items, wrapped) = genericItems(object) {
            for (n, o) in items.enumerated() {
                guard let arnText = firstARN(in: o) else { continue }
                var src = source
                if wrapped { src.item = n }
                guard let arn = ARN(arnText) else {
                    throw InventoryLoadError.invalidIdentifier(source: src, id: arnText,
                                                               reason: ResourceIDCheck.problem(arn: arnText) ?? "is not an ARN")
                }
                let type = "aws:\(arn.service):\(arn.resourceType ?? arn.resource)"
                let shape = Shape(key: "", type: type, arnKeys: [], idKey: nil, nameKeys: ["Name", "name"])
                var r = resource(o, shape: shape, source: src, options: options)
                r.id = arnText
                r.identity = .aws(arn)
                r.region = arn.region.isEmpty ? options.region : arn.region
                if r.name == nil { r.name = arn.resourceID }
                out.append(r)
            }
        }
        return out
    }

    /// One resource from one aws-cli item.
    static func resource(_ item: JSONObject, shape: Shape, source: SourceRef, options: LoadOptions) -> Resource {
        let nativeID = shape.idKey.flatMap { item[$0]?.stringValue }
        var arnText = shape.arnKeys.lazy.compactMap { item[$0]?.stringValue }.first
        if arnText == nil {
            arnText = shape.buildARN?(item, options.partition, options.region, options.account)
        }
        let arn = arnText.flatMap(ARN.init)
        let id = arnText ?? nativeID ?? shape.fallbackID?(item) ?? "\(shape.type):\(source)"
        let tags = awsTags(item)
        var name = shape.nameKeys.lazy.compactMap { item[$0]?.stringValue }.first ?? tags["Name"]
        if name == nil, shape.type == oidcShape.type, let arnText, let r = arnText.range(of: "oidc-provider/") {
            name = String(arnText[r.upperBound...])
        }
        var aliases: [String] = []
        if let nativeID, nativeID != id { aliases.append(nativeID) }
        for key in shape.aliasKeys {
            if let a = item[key]?.stringValue, a != id, !aliases.contains(a) { aliases.append(a) }
        }
        if let arn, arnText != id { aliases.append(arn.description) }
        let region = arn.flatMap { $0.region.isEmpty ? nil : $0.region } ?? options.region
        return Resource(id: id, identity: .aws(arn), type: shape.type, name: name ?? nativeID ?? arn?.resourceID,
                        region: region, tags: tags, aliases: aliases, document: .object(item), source: source)
    }

    /// EKS-style `{"tags": {k: v}}` or EC2/IAM-style `{"Tags": [{"Key": k, "Value": v}]}`.
    static func awsTags(_ item: JSONObject) -> [String: String] {
        if let t = item["tags"], case .object = t { return Resource.stringMap(t) }
        guard let list = item["Tags"]?.arrayValue ?? item["TagList"]?.arrayValue else {
            if let t = item["Tags"], case .object = t { return Resource.stringMap(t) }
            return [:]
        }
        var tags: [String: String] = [:]
        for entry in list {
            if let k = entry["Key"]?.stringValue { tags[k] = entry["Value"]?.stringValue ?? "" }
        }
        return tags
    }

    /// For documents with one non-metadata key holding an object or a list of objects that carry
    /// ARNs: those objects, and whether they came from a list.
    static func genericItems(_ object: JSONObject) -> ([JSONObject], Bool)? {
        let keys = object.keys.filter { !metadataKeys.contains($0) }
        guard keys.count == 1, let value = object[keys[0]] else { return nil }
        switch value {
        case .object(let o):
            return firstARN(in: o) != nil ? ([o], false) : nil
        case .array(let items):
            let objects = items.compactMap(\.objectValue)
            guard !objects.isEmpty, objects.count == items.count, objects.allSatisfy({ firstARN(in: $0) != nil }) else { return nil }
            return (objects, true)
        default:
            return nil
        }
    }

    /// The value of the first key ending in `Arn`, `ARN` or equal to `arn` that holds an ARN.
    static func firstARN(in item: JSONObject) -> String? {
        for (k, v) in item.pairs where k == "arn" || k.hasSuffix("Arn") || k.hasSuffix("ARN") {
            if let s = v.stringValue, s.hasPrefix("arn:") { return s }
        }
        return nil
    }
}
