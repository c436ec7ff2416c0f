import Foundation
import Testing
import StandbyCore

/// The sample EKS estate, created in the primary account through the AWS APIs.
public struct MotoEKSEstate {
    /// The VPC, subnets and security groups the cluster uses.
    public var network: MotoNetwork
    /// The KMS key of secrets encryption and EFS.
    public var keyARN: String
    /// The cluster's ARN, its OIDC issuer and provider, and the EFS file system's id.
    public var clusterARN: String
    public var issuer: String
    public var oidcProviderARN: String
    public var fileSystemID: String

    /// The cluster's name.
    public static let cluster = "eks-prod-use1"
    /// The roles the cluster, its node groups and Fargate profiles name.
    public static let roles = ["eks-prod-use1-cluster-role", "eks-prod-use1-node-role", "eks-prod-use1-fargate-pod-execution"]

    /// Creates the roles the EKS estate names, with the sample estate's trust policies.
    public static func createRoles(_ s: AWSSession) throws {
        let roles = try MotoAWS.estate("iam-roles.json")["Roles"]?.arrayValue ?? []
        for name in roles {
            guard let roleName = name["RoleName"]?.stringValue, Self.roles.contains(roleName) else { continue }
            _ = try s.query(.iam, "CreateRole", [
                "RoleName": .string(roleName), "Description": name["Description"] ?? "",
                "AssumeRolePolicyDocument": .string(JSONSerializer.serialize(name["AssumeRolePolicyDocument"] ?? [:])),
            ])
        }
    }

    /// Everything of `scripts/estate/aws` moto serves: VPC, subnets, security groups, IAM roles,
    /// KMS key, cluster, OIDC provider, IRSA role, launch template, node groups, Fargate
    /// profiles, ECR repositories, EFS file system and access point.
    public static func create(_ s: AWSSession) throws -> MotoEKSEstate {
        let network = try MotoNetwork.create(s, name: "eks-prod-use1")
        let account = s.account
        func mapped(_ value: JSONValue) -> JSONValue {
            // The estate's ids → the ones moto assigned.
            var text = JSONSerializer.serialize(value)
            let ids = [("subnet-0b1c2d3e4f5a60718", network.subnets[0]), ("subnet-0c2d3e4f5a6b70819", network.subnets[1]),
                       ("subnet-0d3e4f5a6b7c8091a", network.subnets[2]), ("subnet-0e4f5a6b7c8d9012b", network.subnets[3]),
                       ("sg-0a9b8c7d6e5f40312", network.controlPlaneGroup), ("sg-0b8c7d6e5f4a30211", network.remoteAccessGroup)]
            for (from, to) in ids { text = text.replacingOccurrences(of: from, with: to) }
            return (try? JSONParser.parse(text)) ?? value
        }
        try createRoles(s)
        let key = try s.json(.kms, "CreateKey", ["Description": "eks-prod-use1 secrets envelope encryption and EFS",
                                                 "KeySpec": "SYMMETRIC_DEFAULT", "KeyUsage": "ENCRYPT_DECRYPT"])
        let keyARN = try #require(key["KeyMetadata"]?["Arn"]?.stringValue)

        var cluster = EKSPlanBuilder.pick(EKSPlanBuilder.unwrap(try MotoAWS.estate("eks-cluster.json")), EKSPlanBuilder.clusterMembers)
        cluster["resourcesVpcConfig"] = .object(EKSPlanBuilder.pick(mapped(try MotoAWS.estate("eks-cluster.json")["cluster"]?["resourcesVpcConfig"] ?? [:]),
                                                                    EKSPlanBuilder.vpcMembers))
        cluster["encryptionConfig"] = [["resources": ["secrets"], "provider": ["keyArn": .string(keyARN)]]]
        let created = try s.rest(.eks, "CreateCluster", "POST", ["clusters"], body: .object(cluster))
        let clusterARN = try #require(created["cluster"]?["arn"]?.stringValue)
        let issuer = try #require(created["cluster"]?["identity"]?["oidc"]?["issuer"]?.stringValue)

        let provider = try s.query(.iam, "CreateOpenIDConnectProvider", [
            "Url": .string(issuer), "ClientIDList": ["sts.amazonaws.com"],
            "ThumbprintList": ["9e99a48a9960b14926bb7f3b02e22da2b0ab7280"],
        ])
        let providerARN = try #require(provider.first("OpenIDConnectProviderArn")?.text)
        // The condition key names the issuer without its scheme: `oidc.eks.<region>.amazonaws.com/id/<ID>`.
        let host = issuer.hasPrefix("https://") ? String(issuer.dropFirst("https://".count)) : issuer
        let trust: JSONValue = ["Version": "2012-10-17", "Statement": [[
            "Effect": "Allow", "Principal": ["Federated": .string(providerARN)], "Action": "sts:AssumeRoleWithWebIdentity",
            "Condition": ["StringEquals": .object(JSONObject([("\(host):sub", "system:serviceaccount:orders:orders-api")]))],
        ]]]
        _ = try s.query(.iam, "CreateRole", ["RoleName": "orders-api-irsa", "AssumeRolePolicyDocument": .string(JSONSerializer.serialize(trust))])
        _ = try s.query(.iam, "CreateRole", ["RoleName": "platform-admin", "AssumeRolePolicyDocument": "{}"]) // not the cluster's

        _ = try s.query(.ec2, "CreateLaunchTemplate", ["LaunchTemplateName": "eks-prod-use1-ng-general",
                                                       "LaunchTemplateData": ["InstanceType": "m6i.xlarge"]])
        for file in ["nodegroup-general.json", "nodegroup-batch-spot.json"] {
            var body = EKSPlanBuilder.pick(mapped(EKSPlanBuilder.unwrap(try MotoAWS.estate(file))), EKSPlanBuilder.nodegroupMembers)
            body["clusterName"] = nil
            body["nodeRole"] = .string("arn:aws:iam::\(account):role/eks-prod-use1-node-role")
            if case .object(var lt)? = body["launchTemplate"] { lt["id"] = nil; body["launchTemplate"] = .object(lt) }
            _ = try s.rest(.eks, "CreateNodegroup", "POST", ["clusters", Self.cluster, "node-groups"], body: .object(body))
        }
        for file in ["fargate-coredns.json", "fargate-orders-batch.json"] {
            var body = EKSPlanBuilder.pick(mapped(EKSPlanBuilder.unwrap(try MotoAWS.estate(file))), EKSPlanBuilder.fargateMembers)
            body["clusterName"] = nil
            body["podExecutionRoleArn"] = .string("arn:aws:iam::\(account):role/eks-prod-use1-fargate-pod-execution")
            _ = try s.rest(.eks, "CreateFargateProfile", "POST", ["clusters", Self.cluster, "fargate-profiles"], body: .object(body))
        }

        for repository in try MotoAWS.estate("ecr.json")["repositories"]?.arrayValue ?? [] {
            _ = try s.json(.ecr, "CreateRepository", .object(EKSPlanBuilder.pick(repository, [
                "repositoryName", "imageTagMutability", "imageScanningConfiguration", "encryptionConfiguration"])))
        }
        let fsSource = try #require(try MotoAWS.estate("efs.json")["FileSystems"]?[0])
        var fs = EKSPlanBuilder.pick(fsSource, ["CreationToken", "PerformanceMode", "Encrypted", "ThroughputMode", "Tags"])
        fs["KmsKeyId"] = .string(keyARN)
        let fileSystem = try s.rest(.efs, "CreateFileSystem", "POST", ["2015-02-01", "file-systems"], body: .object(fs))
        let fileSystemID = try #require(fileSystem["FileSystemId"]?.stringValue)
        let apSource = try #require(try MotoAWS.estate("efs-access-points.json")["AccessPoints"]?[0])
        var ap = EKSPlanBuilder.pick(apSource, ["ClientToken", "PosixUser", "RootDirectory", "Tags"])
        ap["FileSystemId"] = .string(fileSystemID)
        _ = try s.rest(.efs, "CreateAccessPoint", "POST", ["2015-02-01", "access-points"], body: .object(ap))

        return MotoEKSEstate(network: network, keyARN: keyARN, clusterARN: clusterARN, issuer: issuer,
                             oidcProviderARN: providerARN, fileSystemID: fileSystemID)
    }
}
