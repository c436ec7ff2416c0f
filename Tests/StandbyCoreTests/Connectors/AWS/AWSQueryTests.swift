import Foundation
import Testing
@testable import StandbyCore

@Suite("AWS Query parameters, XML answers and error answers")
struct AWSQueryTests {
    @Test func parametersFlattenPerDialect() {
        let body: JSONValue = ["Url": "https://x", "ClientIDList": ["a", "b"], "Tags": [["Key": "k", "Value": "v"]], "Flag": true]
        let iam = AWSQueryParameters.flatten(body, style: .member)
        #expect(iam.map { "\($0.name)=\($0.value)" } == ["Url=https://x", "ClientIDList.member.1=a", "ClientIDList.member.2=b",
                                                         "Tags.member.1.Key=k", "Tags.member.1.Value=v", "Flag=true"])
        let ec2 = AWSQueryParameters.flatten(["Filter": [["Name": "vpc-id", "Value": ["vpc-1", "vpc-2"]]], "SubnetId": ["s-1"]], style: .ec2)
        #expect(ec2.map { "\($0.name)=\($0.value)" } == ["Filter.1.Name=vpc-id", "Filter.1.Value.1=vpc-1", "Filter.1.Value.2=vpc-2",
                                                         "SubnetId.1=s-1"])
        #expect(AWSQueryParameters.form(action: "GetRole", version: "2010-05-08", [("RoleName", "a b/c")])
                == "Action=GetRole&Version=2010-05-08&RoleName=a%20b%2Fc")
    }

    @Test func ec2AnswersReadAsAWSCLIPrintsThem() throws {
        let xml = """
            <?xml version="1.0" encoding="UTF-8"?>
            <DescribeSecurityGroupsResponse xmlns="http://ec2.amazonaws.com/doc/2016-11-15/">
              <requestId>r</requestId>
              <securityGroupInfo>
                <item>
                  <ownerId>111111111111</ownerId><groupId>sg-1</groupId><groupName>web &amp; api</groupName>
                  <ipPermissions>
                    <item><ipProtocol>tcp</ipProtocol><fromPort>443</fromPort><toPort>443</toPort>
                      <groups><item><userId>111111111111</userId><groupId>sg-2</groupId></item></groups>
                      <ipRanges/>
                    </item>
                  </ipPermissions>
                  <tagSet><item><key>Name</key><value>true</value></item></tagSet>
                  <vpcId>vpc-1</vpcId>
                </item>
              </securityGroupInfo>
              <nextToken>page-2</nextToken>
            </DescribeSecurityGroupsResponse>
            """
        let tree = try XMLTree.parse(Array(xml.utf8), source: "test")
        #expect(tree.name == "DescribeSecurityGroupsResponse")
        #expect(tree.text("nextToken") == "page-2")
        let groups = AWSQueryAnswer.json(try #require(tree["securityGroupInfo"]))
        #expect(groups == [[
            "OwnerId": "111111111111", "GroupId": "sg-1", "GroupName": "web & api",
            "IpPermissions": [["IpProtocol": "tcp", "FromPort": 443, "ToPort": 443,
                               "UserIdGroupPairs": [["UserId": "111111111111", "GroupId": "sg-2"]], "IpRanges": []]],
            "Tags": [["Key": "Name", "Value": "true"]], "VpcId": "vpc-1",
        ]])
        // The shape recogniser takes it as aws-cli output.
        var builder = InventoryBuilder()
        try builder.add(["SecurityGroups": groups], source: SourceRef(path: "aws://ec2"), options: LoadOptions(region: "us-east-1"))
        #expect(builder.finish().resources.map(\.id) == ["arn:aws:ec2:us-east-1:111111111111:security-group/sg-1"])
    }

    @Test func iamAnswersDecodePolicies() throws {
        let xml = """
            <GetRoleResponse xmlns="https://iam.amazonaws.com/doc/2010-05-08/"><GetRoleResult><Role><Path>/</Path>
            <RoleName>r1</RoleName><Arn>arn:aws:iam::1:role/r1</Arn>
            <AssumeRolePolicyDocument>%7B%22Version%22%3A%222012-10-17%22%2C%22Statement%22%3A%5B%5D%7D</AssumeRolePolicyDocument>
            <MaxSessionDuration>3600</MaxSessionDuration><Tags/><RoleLastUsed/></Role></GetRoleResult></GetRoleResponse>
            """
        let role = AWSQueryAnswer.json(try #require(try XMLTree.parse(Array(xml.utf8), source: "t").first("Role")))
        #expect(role == ["Path": "/", "RoleName": "r1", "Arn": "arn:aws:iam::1:role/r1",
                         "AssumeRolePolicyDocument": ["Version": "2012-10-17", "Statement": []],
                         "MaxSessionDuration": 3600, "Tags": []])
    }

    @Test func malformedXMLNamesWhere() {
        let error = #expect(throws: XMLTreeError.self) { try XMLTree.parse(Array("<a>\n<b></a>".utf8), source: "iam GetRole answer") }
        #expect(error?.description.hasPrefix("iam GetRole answer: line 2: not well-formed XML") == true)
    }

    @Test func errorAnswersOfEachProtocol() {
        let query = HTTPResponse(status: 404, body: Array("""
            <ErrorResponse><Error><Type>Sender</Type><Code>NoSuchEntity</Code><Message>Role nope not found</Message></Error></ErrorResponse>
            """.utf8))
        let e1 = AWSErrorAnswer.error(query, service: "iam", operation: "GetRole")
        #expect(e1 == AWSError(service: "iam", operation: "GetRole", code: "NoSuchEntity", message: "Role nope not found", status: 404))
        #expect(e1.description == "AWS iam GetRole: NoSuchEntity: Role nope not found (HTTP 404)")
        #expect(e1.isNotFound)

        let ec2 = HTTPResponse(status: 400, body: Array("""
            <Response><Errors><Error><Code>InvalidVpcID.NotFound</Code><Message>no vpc-1</Message></Error></Errors></Response>
            """.utf8))
        #expect(AWSErrorAnswer.error(ec2, service: "ec2", operation: "DescribeVpcs").code == "InvalidVpcID.NotFound")

        let rest = HTTPResponse(status: 404, headers: ["x-amzn-errortype": "ResourceNotFoundException:http://internal.amazon.com/"],
                                body: Array(#"{"message": "No cluster found for name: x."}"#.utf8))
        let e3 = AWSErrorAnswer.error(rest, service: "eks", operation: "DescribeCluster")
        #expect(e3.code == "ResourceNotFoundException")
        #expect(e3.message == "No cluster found for name: x.")

        let json = HTTPResponse(status: 400, body: Array(#"{"__type": "com.amazonaws.kms#NotFoundException", "message": "Invalid keyId"}"#.utf8))
        #expect(AWSErrorAnswer.error(json, service: "kms", operation: "DescribeKey").code == "NotFoundException")

        let bare = HTTPResponse(status: 503, body: Array("Service Unavailable".utf8))
        #expect(AWSErrorAnswer.error(bare, service: "eks", operation: "ListClusters").description
                == "AWS eks ListClusters: failed (HTTP 503)")
    }

    @Test func timestampsReadAsAWSCLIPrintsThem() {
        #expect(AWSTimestamps.iso8601(in: ["cluster": ["createdAt": .double(1708441471.512), "name": "x"]])
                == ["cluster": ["createdAt": "2024-02-20T15:04:31.512000+00:00", "name": "x"]])
        #expect(AWSTimestamps.iso8601(in: ["CreationTime": 1708441471]) == ["CreationTime": "2024-02-20T15:04:31+00:00"])
    }
}
