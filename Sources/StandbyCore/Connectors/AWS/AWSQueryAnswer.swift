import Foundation

/// Turns the XML answers of the AWS Query services (EC2, IAM, STS) into JSON in the shape
/// aws-cli prints them, so that ``AWSCLIShapes`` reads them as it reads aws-cli output:
///
/// - an element whose children are all `<item>` (EC2) or `<member>` (IAM) is a list;
/// - EC2's camel-case names become aws-cli's (`vpcId` → `VpcId`, `tagSet` → `Tags`,
///   `groups` → `UserIdGroupPairs`);
/// - `true`/`false` become booleans (not tag keys and values), known counts and ports numbers;
/// - IAM's URL-encoded policy documents (`AssumeRolePolicyDocument`) become JSON objects;
/// - empty elements are left out, but for lists (`<tagSet/>`, `<Tags/>`), which become `[]`.
public enum AWSQueryAnswer {
    /// EC2 element names aws-cli spells otherwise than by capitalising them.
    static let ec2Names: [String: String] = [
        "tagSet": "Tags", "groups": "UserIdGroupPairs", "vpcSet": "Vpcs", "subnetSet": "Subnets",
        "securityGroupInfo": "SecurityGroups", "launchTemplates": "LaunchTemplates",
    ]
    /// Elements whose text is a number in aws-cli output.
    static let integerNames: Set<String> = [
        "FromPort", "ToPort", "AvailableIpAddressCount", "DefaultVersionNumber", "LatestVersionNumber",
        "MaxSessionDuration", "Ipv6Netmask", "VersionNumber",
    ]
    /// Elements that hold lists even when empty.
    static let listNames: Set<String> = ["Tags", "ClientIDList", "ThumbprintList", "Roles", "OpenIDConnectProviderList",
                                         "IpPermissions", "IpPermissionsEgress", "IpRanges", "Ipv6Ranges",
                                         "PrefixListIds", "UserIdGroupPairs"]
    /// Elements that hold URL-encoded JSON policy documents.
    static let policyNames: Set<String> = ["AssumeRolePolicyDocument", "PolicyDocument"]

    /// The JSON of `element`'s content (its children), with aws-cli's names.
    public static func json(_ element: XMLTree) -> JSONValue {
        value(of: element, named: awsName(element.name)) ?? .object(JSONObject())
    }

    /// The aws-cli name of an element.
    static func awsName(_ name: String) -> String {
        if let known = ec2Names[name] { return known }
        guard let first = name.first, first.isLowercase else { return name }
        return first.uppercased() + name.dropFirst()
    }

    static func value(of element: XMLTree, named name: String) -> JSONValue? {
        if element.children.isEmpty {
            if element.text.isEmpty {
                return listNames.contains(name) || element.name.hasSuffix("Set") ? .array([]) : nil
            }
            return scalar(element.text, named: name)
        }
        if element.children.allSatisfy({ $0.name == "item" || $0.name == "member" }) {
            return .array(element.children.compactMap { value(of: $0, named: "") })
        }
        var object = JSONObject()
        for child in element.children {
            let key = awsName(child.name)
            if let v = value(of: child, named: key) { object[key] = v }
        }
        return .object(object)
    }

    static func scalar(_ text: String, named name: String) -> JSONValue {
        if policyNames.contains(name) {
            let decoded = text.removingPercentEncoding ?? text
            if let policy = try? JSONParser.parse(decoded, source: name) { return policy }
            return .string(decoded)
        }
        if integerNames.contains(name), let n = Int64(text) { return .int(n) }
        if !["Key", "Value"].contains(name) {
            if text == "true" { return .bool(true) }
            if text == "false" { return .bool(false) }
        }
        return .string(text)
    }
}

/// Reads AWS error answers of every protocol: JSON (`__type` or `code`, else the
/// `X-Amzn-ErrorType` header; `message` or `Message`) and XML (`<Error><Code>`, `<Message>`).
enum AWSErrorAnswer {
    static func error(_ response: HTTPResponse, service: String, operation: String) -> AWSError {
        var code: String?
        var message = ""
        let body = response.body
        let firstByte = body.first { !($0 == 0x20 || $0 == 0x0A || $0 == 0x0D || $0 == 0x09) }
        if firstByte == UInt8(ascii: "{"), let json = try? JSONParser.parse(body, source: "\(operation) answer") {
            code = json["__type"]?.stringValue ?? json["code"]?.stringValue ?? json["Code"]?.stringValue
            message = json["message"]?.stringValue ?? json["Message"]?.stringValue ?? ""
        } else if firstByte == UInt8(ascii: "<"), let xml = try? XMLTree.parse(body, source: "\(operation) answer"),
                  let error = xml.first("Error") {
            code = error.text("Code")
            message = error.text("Message") ?? error.text("message") ?? ""
        }
        if code == nil { code = response.header("x-amzn-errortype") }
        return AWSError(service: service, operation: operation, code: code.map(cleanCode), message: message,
                        status: response.status)
    }

    /// `com.amazonaws.kms#NotFoundException` or `ResourceNotFoundException:http://…` → the bare code.
    static func cleanCode(_ code: String) -> String {
        var c = Substring(code)
        if let hash = c.lastIndex(of: "#") { c = c[c.index(after: hash)...] }
        if let colon = c.firstIndex(of: ":") { c = c[..<colon] }
        return String(c)
    }
}
