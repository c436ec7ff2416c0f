/// The form parameters of an AWS Query request, flattened from a JSON object as the protocol
/// spells them:
///
/// - IAM and STS (`.member`): `{"ClientIDList": ["a"], "Tags": [{"Key": "k", "Value": "v"}]}` →
///   `ClientIDList.member.1=a`, `Tags.member.1.Key=k`, `Tags.member.1.Value=v`;
/// - EC2 (`.ec2`): lists are numbered directly (`SubnetId.1=…`, `Filter.1.Value.1=…`).
///
/// Objects nest with dots; booleans are `true`/`false`; nulls are left out.
public enum AWSQueryParameters {
    public enum ListStyle: Sendable { case member, ec2 }

    public static func flatten(_ body: JSONValue, style: ListStyle) -> [(name: String, value: String)] {
        var out: [(name: String, value: String)] = []
        add(body, prefix: "", style: style, into: &out)
        return out
    }

    static func add(_ value: JSONValue, prefix: String, style: ListStyle, into out: inout [(name: String, value: String)]) {
        func join(_ key: String) -> String { prefix.isEmpty ? key : prefix + "." + key }
        switch value {
        case .null: return
        case .bool(let b): out.append((prefix, b ? "true" : "false"))
        case .int(let i): out.append((prefix, String(i)))
        case .double(let d): out.append((prefix, d.rounded() == d && abs(d) < 1e15 ? String(Int64(d)) : String(d)))
        case .string(let s): out.append((prefix, s))
        case .array(let items):
            if items.isEmpty, style == .member { out.append((prefix, "")); return }
            for (n, item) in items.enumerated() {
                add(item, prefix: style == .member ? join("member.\(n + 1)") : join(String(n + 1)), style: style, into: &out)
            }
        case .object(let object):
            for (key, item) in object.pairs { add(item, prefix: join(key), style: style, into: &out) }
        }
    }

    /// `application/x-www-form-urlencoded` text of `Action`, `Version` and the parameters.
    static func form(action: String, version: String, _ parameters: [(name: String, value: String)]) -> String {
        ([("Action", action), ("Version", version)] + parameters)
            .map { SigV4.uriEncode($0.0, keepSlash: false) + "=" + SigV4.uriEncode($0.1, keepSlash: false) }
            .joined(separator: "&")
    }
}
