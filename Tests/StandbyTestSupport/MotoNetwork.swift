import Foundation
import Testing
import StandbyCore

/// The network a cluster lives in, as created on moto.
public struct MotoNetwork {
    /// The VPC's id.
    public var vpc: String
    /// Four subnets: two private (a, b), two public (c, d), as the sample estate has them.
    public var subnets: [String]
    /// The additional control-plane security group and the node remote-access one.
    public var controlPlaneGroup: String
    public var remoteAccessGroup: String

    /// Creates a VPC, four subnets and two security groups in the session's region.
    public static func create(_ s: AWSSession, name: String) throws -> MotoNetwork {
        func tags(_ type: String, _ value: String) -> JSONValue {
            [["ResourceType": .string(type), "Tag": [["Key": "Name", "Value": .string(value)]]]]
        }
        let vpc = try #require(try s.query(.ec2, "CreateVpc", ["CidrBlock": "10.42.0.0/16", "TagSpecification": tags("vpc", name)])
            .first("vpcId")?.text)
        var subnets: [String] = []
        for (n, zone) in ["a", "b", "a", "b"].enumerated() {
            let answer = try s.query(.ec2, "CreateSubnet", [
                "VpcId": .string(vpc), "CidrBlock": .string("10.42.\(n * 16).0/20"), "AvailabilityZone": .string(s.region + zone),
                "TagSpecification": tags("subnet", "\(name)-\(n < 2 ? "private" : "public")-\(zone)"),
            ])
            subnets.append(try #require(answer.first("subnetId")?.text))
        }
        func group(_ groupName: String) throws -> String {
            try #require(try s.query(.ec2, "CreateSecurityGroup", ["GroupName": .string(groupName), "VpcId": .string(vpc),
                                                                   "GroupDescription": .string(groupName)]).first("groupId")?.text)
        }
        return MotoNetwork(vpc: vpc, subnets: subnets, controlPlaneGroup: try group("\(name)-control-plane"),
                           remoteAccessGroup: try group("\(name)-remote-access"))
    }
}
