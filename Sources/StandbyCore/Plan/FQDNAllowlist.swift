/// One allowlist entry that is not a domain the firewall can match, and why.
public struct FQDNProblem: Sendable, Hashable, CustomStringConvertible {
    /// The entry as given.
    public var entry: String
    /// 1-based position in the list.
    public var position: Int
    public var reason: String

    public init(entry: String, position: Int, reason: String) {
        self.entry = entry; self.position = position; self.reason = reason
    }

    public var description: String { "allow[\(position)] \"\(entry)\": \(reason)" }
}

/// The allowlist had entries that are not domains; every one is named.
public struct FQDNAllowlistError: Error, Sendable, CustomStringConvertible {
    public var problems: [FQDNProblem]

    public var description: String {
        let list = problems.map(\.description).joined(separator: "; ")
        return problems.count == 1 ? "invalid allowlist entry: \(list)" : "\(problems.count) invalid allowlist entries: \(list)"
    }
}

/// The egress allowlist of the sandbox firewall: domain names for Azure Firewall application rules
/// (`targetFqdns`), checked and normalised.
///
/// - A name is letters, digits and hyphens in dot-separated labels of 1–63 characters (no hyphen
///   at either end of a label), at least two labels, at most 253 characters. Case is folded; a
///   trailing dot (absolute name) is dropped.
/// - A wildcard is allowed only as the whole first label: `*.example.com` matches every subdomain.
///   `.example.com` (the form the Arpio sandbox list uses for "any subdomain") is read as
///   `*.example.com`. `*`, `*.com`, `foo.*.com`, `*example.com` are refused.
/// - URLs, ports, IP addresses and non-ASCII names (give the `xn--` form) are refused.
///
/// Duplicates (after normalisation) are dropped; the order of first appearance is kept.
public enum FQDNAllowlist {
    public static let maximumLength = 253
    public static let maximumLabelLength = 63

    /// The normalised list, or an error naming every bad entry.
    public static func validate(_ entries: [String]) throws -> [String] {
        var out: [String] = []
        var seen: Set<String> = []
        var problems: [FQDNProblem] = []
        for (i, entry) in entries.enumerated() {
            switch normalise(entry) {
            case .success(let name):
                if seen.insert(name).inserted { out.append(name) }
            case .failure(let reason):
                problems.append(FQDNProblem(entry: entry, position: i + 1, reason: reason.text))
            }
        }
        guard problems.isEmpty else { throw FQDNAllowlistError(problems: problems) }
        return out
    }

    struct Reason: Error { var text: String }

    /// One entry, normalised (`*.example.com`, `api.stripe.com`), or why it is refused.
    static func normalise(_ entry: String) -> Result<String, Reason> {
        func no(_ text: String) -> Result<String, Reason> { .failure(Reason(text: text)) }
        if entry.isEmpty { return no("empty") }
        if entry.contains(where: { $0.isWhitespace }) { return no("contains whitespace") }
        if entry.contains("://") || entry.contains("/") { return no("a URL or path; give the host name only (api.example.com)") }
        if entry.contains(":") { return no("has a port or is an IPv6 address; give the host name only (the firewall allows HTTP 80 and HTTPS 443)") }
        if !entry.unicodeScalars.allSatisfy(\.isASCII) {
            return no("has non-ASCII characters; give the internationalised name in its xn-- (punycode) form")
        }
        var name = entry.lowercased()
        if name.hasSuffix(".") && name.count > 1 { name.removeLast() }
        if name.hasPrefix(".") && !name.hasPrefix("..") { name = "*" + name }
        if name == "*" { return no("'*' would allow every destination; list the domains instead") }
        if name.count > maximumLength { return no("longer than \(maximumLength) characters (\(name.count))") }
        if IPv4Address(name) != nil { return no("an IP address; application rules match domain names (use a network rule for addresses)") }

        let labels = name.split(separator: ".", omittingEmptySubsequences: false).map(String.init)
        if labels.contains("") { return no("has an empty label (two dots in a row, or a dot at the start)") }
        for (n, label) in labels.enumerated() where label.contains("*") {
            if label != "*" { return no("a wildcard must be a whole label, as in *.example.com; '\(label)' mixes it with other characters") }
            if n != 0 { return no("a wildcard is allowed only as the first label, as in *.example.com") }
        }
        let wildcard = labels[0] == "*"
        let named = wildcard ? Array(labels.dropFirst()) : labels
        if named.count < 2 {
            return no(wildcard ? "too broad: a wildcard over a top-level domain" : "not a fully qualified domain name (one label)")
        }
        for label in named {
            if label.count > maximumLabelLength {
                return no("label '\(label.prefix(20))…' is \(label.count) characters; at most \(maximumLabelLength)")
            }
            if let bad = label.first(where: { !($0.isLetter || $0.isNumber || $0 == "-") }) {
                return no("'\(bad)' is not allowed in a domain name (letters, digits and hyphens only)")
            }
            if label.hasPrefix("-") || label.hasSuffix("-") { return no("label '\(label)' starts or ends with a hyphen") }
        }
        if let tld = named.last, tld.allSatisfy(\.isNumber) { return no("the top-level label '\(tld)' is all digits") }
        return .success(name)
    }
}
