import Foundation
import Testing
@testable import StandbyCore

@Suite("EKS plan: the sample estate")
struct EKSPlanTests {
    static let roleARN = "arn:aws:iam::\(SampleEstate.recoveryAccount):role/eks-prod-use1-cluster-role"
    static let privateSubnets: [JSONValue] = ["subnet-0a0000000000000a1", "subnet-0a0000000000000b2"]

    static func plan(overrides: [String: String] = [:], mode: TranslationMode = .test) throws -> EKSRecoveryPlan {
        let plans = EKSPlanBuilder.build(try SampleEstate.translate(mode: mode, overrides: overrides))
        #expect(plans.count == 1)
        return try #require(plans.first)
    }

    static func request(_ p: EKSRecoveryPlan, _ operation: String, _ name: String? = nil) throws -> EKSRequest {
        try #require(p.requests.first { r in
            r.operation == operation && (name == nil || [r.body["nodegroupName"], r.body["fargateProfileName"]].contains(.string(name ?? "")))
        }, "no \(operation) \(name ?? "")")
    }

    @Test func requestsComeInOrder() throws {
        let p = try Self.plan(overrides: KubernetesEKSTranslationTests.awsOverrides)
        #expect(p.cluster == "eks-prod-use1")
        // Then the access (EKSAccessPlan): entries with their policies (the IAM user's left
        // out), the pod identity association no add-on owns, the add-ons.
        #expect(p.requests.map(\.operation) == ["CreateCluster", "CreateOpenIDConnectProvider", "CreateNodegroup", "CreateNodegroup",
                                                "CreateFargateProfile", "CreateFargateProfile",
                                                "CreateAccessEntry", "CreateAccessEntry", "AssociateAccessPolicy", "AssociateAccessPolicy",
                                                "CreateAccessEntry", "AssociateAccessPolicy", "CreatePodIdentityAssociation",
                                                "CreateAddon", "CreateAddon"])
        #expect(p.requests.map(\.step) == Array(1...15))
        #expect(p.requests.map(\.service) == ["eks", "iam"] + Array(repeating: "eks", count: 13))
        for r in p.requests {
            #expect(r.account == SampleEstate.recoveryAccount)
            #expect(r.region == "us-west-2")
            #expect(r.after.allSatisfy { $0 < r.step }, "step \(r.step) waits for a later step")
            if r.step > 1 && r.operation != "AssociateAccessPolicy" { #expect(r.after.contains(1)) }
        }
        // EKS creates one Fargate profile of a cluster at a time.
        #expect(p.requests[5].after.contains(5))
        #expect(p.requests[0].creates == "arn:aws:eks:us-west-2:\(SampleEstate.recoveryAccount):cluster/eks-prod-use1")
        #expect(p.requests[2].creates == "arn:aws:eks:us-west-2:\(SampleEstate.recoveryAccount):nodegroup/eks-prod-use1/ng-batch-spot")
    }

    @Test func createClusterTakesOnlyRequestMembers() throws {
        let p = try Self.plan(overrides: KubernetesEKSTranslationTests.awsOverrides)
        let body = try Self.request(p, "CreateCluster").body
        let keys = Set(body.objectValue?.keys ?? [])
        #expect(keys.isSubset(of: Set(EKSPlanBuilder.clusterMembers)), "\(keys)")
        for key in ["name", "version", "roleArn", "resourcesVpcConfig", "kubernetesNetworkConfig", "logging", "encryptionConfig",
                    "tags", "accessConfig"] {
            #expect(keys.contains(key), "\(key) is missing")
        }
        for key in ["arn", "endpoint", "identity", "status", "certificateAuthority", "platformVersion", "createdAt", "health"] {
            #expect(body[key] == nil, "\(key) is server-set")
        }
        #expect(body["name"] == "eks-prod-use1")
        #expect(body["version"] == "1.30")
        #expect(body["roleArn"] == .string(Self.roleARN))
        let vpc = try #require(body["resourcesVpcConfig"]?.objectValue)
        #expect(Set(vpc.keys) == ["subnetIds", "securityGroupIds", "endpointPublicAccess", "endpointPrivateAccess", "publicAccessCidrs"])
        #expect(vpc["subnetIds"] == .array(Self.privateSubnets + ["subnet-0a0000000000000c3", "subnet-0a0000000000000d4"]))
        #expect(body["kubernetesNetworkConfig"]?["serviceIpv4Cidr"] == "172.20.0.0/16")
        #expect(body["kubernetesNetworkConfig"]?["elasticLoadBalancing"] == nil)
        #expect(body["accessConfig"] == ["authenticationMode": "API_AND_CONFIG_MAP"])
        #expect(body["logging"]?["clusterLogging"]?.arrayValue?.count == 2)
    }

    @Test func oidcProviderWaitsForTheNewIssuer() throws {
        let p = try Self.plan()
        let oidc = try Self.request(p, "CreateOpenIDConnectProvider")
        #expect(oidc.step == 2)
        #expect(oidc.after == [1])
        #expect(oidc.pending == ["Url": "step 1 cluster.identity.oidc.issuer"])
        #expect(oidc.body["ClientIDList"] == ["sts.amazonaws.com"])
        #expect(oidc.body["Url"] == nil)
        #expect(!JSONSerializer.serialize(oidc.body).contains("us-east-1"))
        #expect(oidc.creates.hasPrefix("arn:aws:iam::\(SampleEstate.recoveryAccount):oidc-provider/"))
        // IRSA roles trust the source's provider until someone points them at the new one.
        let irsa = try #require(p.notes.first { $0.message.contains("trust policies") })
        #expect(irsa.message.contains("role/orders-api-irsa"))
        #expect(irsa.message.contains("after step 2"))
    }

    @Test("a node group with a launch template gets no diskSize or remoteAccess, which EKS refuses beside one, even when the describe answer reports defaults (as moto's does)")
    func launchTemplateNodeGroupsLeaveOutWhatTheTemplateSets() throws {
        struct Defaults: TranslationStep {
            var name = "test: describe defaults"
            func applies(to r: Resource) -> Bool { r.type == "AWS::EKS::Nodegroup" }
            func apply(to d: inout TranslatedDocument, in c: TranslationContext) throws {
                if d[[.key("diskSize")]] == nil { d.set([.key("diskSize")], 20, by: name) }
                if d[[.key("remoteAccess")]] == nil { d.set([.key("remoteAccess")], ["ec2SshKey": "eksKeypair"], by: name) }
            }
        }
        let translation = try SampleEstate.translate(overrides: KubernetesEKSTranslationTests.awsOverrides, rules: [Defaults()])
        let p = try #require(EKSPlanBuilder.build(translation).first)
        let general = try Self.request(p, "CreateNodegroup", "ng-general").body
        #expect(general["launchTemplate"] != nil)
        #expect(general["diskSize"] == nil && general["remoteAccess"] == nil)
        #expect(!p.notes.contains { $0.message.contains("EC2 key pair eksKeypair") }, "the template's key pair is not asked for")
        let spot = try Self.request(p, "CreateNodegroup", "ng-batch-spot").body
        #expect(spot["diskSize"] == 100 && spot["remoteAccess"]?["ec2SshKey"] == "eks-prod-ops", "no launch template: kept")
    }

    @Test func nodeGroupsAndFargateProfilesAreTranslated() throws {
        let p = try Self.plan(overrides: KubernetesEKSTranslationTests.awsOverrides)
        let spot = try Self.request(p, "CreateNodegroup", "ng-batch-spot").body
        let spotKeys = Set(spot.objectValue?.keys ?? [])
        #expect(spotKeys.isSubset(of: Set(EKSPlanBuilder.nodegroupMembers)))
        #expect(spot["clusterName"] == "eks-prod-use1")
        #expect(spot["subnets"] == .array(Self.privateSubnets))
        #expect(spot["nodeRole"] == .string("arn:aws:iam::\(SampleEstate.recoveryAccount):role/eks-prod-use1-node-role"))
        #expect(spot["remoteAccess"] == ["ec2SshKey": "eks-prod-ops", "sourceSecurityGroups": ["sg-0b0000000000000a1"]])
        #expect(spot["capacityType"] == "SPOT")
        #expect(spot["scalingConfig"] == ["minSize": 0, "maxSize": 8, "desiredSize": 2])
        #expect(spot["taints"]?[0]?["effect"] == "NO_SCHEDULE")
        #expect(spot["diskSize"] == 100)
        #expect(spot["version"] == "1.30" && spot["releaseVersion"] == "1.30.4-20241115")
        for key in ["nodegroupArn", "status", "resources", "health", "createdAt", "modifiedAt"] { #expect(spot[key] == nil) }

        let general = try Self.request(p, "CreateNodegroup", "ng-general").body
        #expect(general["launchTemplate"] == ["name": "eks-prod-use1-ng-general", "version": "3"], "named, not by the source id")
        #expect(p.notes.contains { $0.message.contains("launch template eks-prod-use1-ng-general") })
        #expect(p.notes.contains { $0.message.contains("EC2 key pair eks-prod-ops") })

        let fargate = try Self.request(p, "CreateFargateProfile", "fp-orders-batch").body
        #expect(Set(fargate.objectValue?.keys ?? []) == Set(EKSPlanBuilder.fargateMembers))
        #expect(fargate["podExecutionRoleArn"] == .string("arn:aws:iam::\(SampleEstate.recoveryAccount):role/eks-prod-use1-fargate-pod-execution"))
        #expect(fargate["subnets"] == .array(Self.privateSubnets))
        #expect(fargate["selectors"] == [["namespace": "orders", "labels": ["compute": "fargate"]]])
    }

    @Test func unmappedIdsAreNamedInNotes() throws {
        let p = try Self.plan()
        let cluster = try #require(p.notes.first { $0.message.hasPrefix("step 1 CreateCluster still names source values") })
        #expect(cluster.subject == "arn:aws:eks:us-west-2:\(SampleEstate.recoveryAccount):cluster/eks-prod-use1")
        for id in ["subnet-0b1c2d3e4f5a60718", "subnet-0e4f5a6b7c8d9012b", "sg-0a9b8c7d6e5f40312",
                   "arn:aws:kms:us-east-1:111111111111:key/1f2e3d4c-5b6a-4978-8a9b-0c1d2e3f4a5b"] {
            #expect(cluster.message.contains(id), "\(id) is not named")
        }
        #expect(cluster.message.contains("standby.map_id"))
        let spot = try #require(p.notes.first { $0.message.hasPrefix("step 3 CreateNodegroup") })
        #expect(spot.message.contains("sg-0b8c7d6e5f4a30211"))
        #expect(p.notes.contains { $0.message.hasPrefix("step 5 CreateFargateProfile") && $0.message.contains("subnet-0b1c2d3e4f5a60718") })

        // With the network mapped, only what has no override is left.
        let mapped = try Self.plan(overrides: KubernetesEKSTranslationTests.awsOverrides)
        let left = try #require(mapped.notes.first { $0.message.hasPrefix("step 1 CreateCluster") })
        #expect(!left.message.contains("subnet-"))
        #expect(left.message.contains("sg-0a9b8c7d6e5f40312"))
        #expect(!mapped.notes.contains { $0.message.hasPrefix("step 3") || $0.message.hasPrefix("step 5") })
        #expect(mapped.notes.contains { $0.message.contains("IAM roles") && $0.message.contains("eks-prod-use1-node-role") })
    }

    @Test func noSourceAccountOrRegionOutsideNotedValues() throws {
        let p = try Self.plan(overrides: KubernetesEKSTranslationTests.awsOverrides
                              .merging(["sg-0a9b8c7d6e5f40312": "sg-0b0000000000000c3",
                                        "arn:aws:kms:us-east-1:111111111111:key/1f2e3d4c-5b6a-4978-8a9b-0c1d2e3f4a5b":
                                            "arn:aws:kms:us-west-2:999988887777:key/00000000-1111-4222-8333-444444444444"]) { a, _ in a })
        for r in p.requests {
            let text = JSONSerializer.serialize(r.body) + r.creates
            #expect(!text.contains("111111111111"), "step \(r.step)")
            #expect(!text.contains("us-east-1"), "step \(r.step)")
        }
        #expect(!p.notes.contains { $0.message.contains("still names source values") })
    }

    @Test func reservedTagsAreLeftOut() throws {
        struct StackTag: TranslationStep {
            let name = "stack tag"
            func applies(to resource: Resource) -> Bool { resource.type == "AWS::EKS::Cluster" }
            func apply(to document: inout TranslatedDocument, in context: TranslationContext) throws {
                document.set([.key("tags"), .key("aws:cloudformation:stack-name")], "eks-stack", by: name)
            }
        }
        let t = try SampleEstate.translate(mode: .test, rules: [StackTag()])
        let translated = try #require(t.resource(SampleEstate.eksARN))
        #expect(translated.document["tags"]?["aws:cloudformation:stack-name"] == "eks-stack")
        let body = try Self.request(try #require(EKSPlanBuilder.build(t).first), "CreateCluster").body
        #expect(body["tags"]?["aws:cloudformation:stack-name"] == nil)
        #expect(body["tags"]?["Team"] == "platform")
    }

    @Test func noAWSClustersNoPlans() throws {
        let selection = try SampleEstate.inventory().select(SelectionRequest(roots: [SampleEstate.aksID]))
        let t = Translator(settings: TranslationSettings(to: SampleEstate.recovery)).translate(selection)
        #expect(EKSPlanBuilder.build(t).isEmpty)
    }
}
