/// Why an identifier read from an input cannot name a resource, or `nil` when it can.
///
/// The inventory loader asks before it keeps a resource, so a malformed id (`arn:::::`,
/// `/subscriptions//resourceGroups//providers//`, a name with a NUL byte) is refused with the
/// file and the reason instead of becoming a resource nothing can resolve or restore.
public enum ResourceIDCheck {
    /// A control character (U+0000–U+001F, U+007F) in `text`, described, if there is one: no
    /// cloud or Kubernetes identifier holds one, and a NUL would cut the text short in C.
    public static func controlCharacter(in text: String) -> String? {
        guard let c = text.unicodeScalars.first(where: { $0.value < 0x20 || $0.value == 0x7F }) else { return nil }
        let hex = String(c.value, radix: 16, uppercase: true)
        return "contains the control character U+\(String(repeating: "0", count: 4 - hex.count) + hex)"
    }

    /// The problem with `text` as an ARM resource id.
    public static func problem(armID text: String) -> String? {
        if text.isEmpty { return "is empty" }
        if let c = controlCharacter(in: text) { return c }
        guard text.hasPrefix("/") else { return "does not start with '/': an ARM resource id is /subscriptions/{id}/…" }
        var segments = text.dropFirst().split(separator: "/", omittingEmptySubsequences: false)
        if segments.last == "" { segments.removeLast() }
        if let n = segments.firstIndex(of: "") {
            let after = n > 0 ? " after '\(segments[n - 1])'" : " at the start"
            return "has an empty segment (\"//\")\(after): every segment needs a value"
        }
        guard ARMResourceID(text) != nil else {
            return "is not an ARM resource id: expected /subscriptions/{id}[/resourceGroups/{name}]/providers/{Namespace}/{type}/{name}[/{type}/{name}…]"
        }
        return nil
    }

    /// The problem with `text` as an Amazon Resource Name.
    public static func problem(arn text: String) -> String? {
        if let c = controlCharacter(in: text) { return c }
        guard text.hasPrefix("arn:") else { return "does not start with 'arn:'" }
        let parts = text.split(separator: ":", maxSplits: 5, omittingEmptySubsequences: false)
        guard parts.count == 6 else {
            return "has \(parts.count) of the six ':'-separated parts of arn:partition:service:region:account:resource"
        }
        if parts[1].isEmpty { return "has an empty partition (arn:aws:…, arn:aws-cn:…)" }
        if parts[2].isEmpty { return "has an empty service (arn:aws:eks:…)" }
        let resource = parts[5]
        if resource.isEmpty { return "has an empty resource (the part after the fifth ':')" }
        if let cut = resource.firstIndex(where: { $0 == "/" || $0 == ":" }) {
            if cut == resource.startIndex { return "has a resource with an empty type before '\(resource[cut])'" }
            if resource.index(after: cut) == resource.endIndex {
                return "has a resource type '\(resource[..<cut])' with an empty id after '\(resource[cut])'"
            }
        }
        return nil
    }

    /// The problem with the id of a resource read from aws-cli output: an ARN when it starts
    /// with `arn:`, otherwise a native id (`vpc-…`) with no control character.
    public static func problem(awsID text: String) -> String? {
        if text.isEmpty { return "is empty" }
        if text.hasPrefix("arn:") { return problem(arn: text) }
        return controlCharacter(in: text)
    }
}
