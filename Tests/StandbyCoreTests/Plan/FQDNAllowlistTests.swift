import Testing
@testable import StandbyCore

/// The sandbox firewall's egress allowlist: what Azure Firewall application rules can match.
@Suite("FQDN allowlist")
struct FQDNAllowlistTests {
    @Test("valid entries are normalised: case folded, trailing dot dropped, .example.com read as *.example.com", arguments: [
        ("api.stripe.com", "api.stripe.com"),
        ("MCR.Microsoft.com", "mcr.microsoft.com"),
        ("*.example.com", "*.example.com"),
        (".blob.core.windows.net", "*.blob.core.windows.net"),
        ("*.hcp.westus2.azmk8s.io", "*.hcp.westus2.azmk8s.io"),
        ("example.com.", "example.com"),
        ("xn--bcher-kva.example", "xn--bcher-kva.example"),
        ("a-b.c-d.io", "a-b.c-d.io"),
        ("\(String(repeating: "a", count: 63)).com", "\(String(repeating: "a", count: 63)).com"),
    ])
    func valid(entry: String, normalised: String) throws {
        #expect(try FQDNAllowlist.validate([entry]) == [normalised])
    }

    @Test("invalid entries are refused, each named with why", arguments: [
        ("foo.*.com", "a wildcard is allowed only as the first label"),
        ("*", "'*' would allow every destination"),
        ("*.com", "too broad: a wildcard over a top-level domain"),
        ("*example.com", "a wildcard must be a whole label"),
        ("exa mple.com", "contains whitespace"),
        (" example.com", "contains whitespace"),
        ("", "empty"),
        ("a..b.com", "has an empty label"),
        ("..example.com", "has an empty label"),
        ("localhost", "not a fully qualified domain name"),
        ("https://example.com/x", "a URL or path"),
        ("example.com:443", "has a port"),
        ("10.1.2.3", "an IP address"),
        ("bücher.example", "non-ASCII"),
        ("under_score.example.com", "'_' is not allowed"),
        ("-lead.example.com", "starts or ends with a hyphen"),
        ("example.123", "all digits"),
        ("\(String(repeating: "a", count: 64)).com", "is 64 characters; at most 63"),
        (Array(repeating: "abcdefghi", count: 26).joined(separator: "."), "longer than 253 characters"),
    ])
    func invalid(entry: String, reason: String) {
        #expect {
            _ = try FQDNAllowlist.validate(["ok.example.com", entry])
        } throws: { error in
            guard let e = error as? FQDNAllowlistError, e.problems.count == 1 else { return false }
            let text = e.description
            return e.problems[0].entry == entry && e.problems[0].position == 2 && text.contains("allow[2] \"\(entry)\": ")
                && text.contains(reason)
        }
    }

    @Test("every bad entry is listed in one error")
    func allProblems() {
        #expect {
            _ = try FQDNAllowlist.validate(["foo.*.com", "good.example.com", "*", "exa mple.com"])
        } throws: { error in
            let text = "\(error)"
            return text.hasPrefix("3 invalid allowlist entries: allow[1] \"foo.*.com\"") && text.contains("allow[3] \"*\"")
                && text.contains("allow[4] \"exa mple.com\"") && !text.contains("good.example.com")
        }
    }

    @Test("duplicates after normalisation are dropped, the first position kept")
    func dedupe() throws {
        #expect(try FQDNAllowlist.validate(["b.com", ".a.com", "B.com", "*.a.com", "c.com.", "c.com"]) == ["b.com", "*.a.com", "c.com"])
        #expect(try FQDNAllowlist.validate([]) == [])
    }
}
