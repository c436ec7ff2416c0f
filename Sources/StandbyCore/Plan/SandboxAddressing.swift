/// An IPv4 address.
struct IPv4Address: Hashable, Comparable, CustomStringConvertible {
    var value: UInt32

    init(_ value: UInt32) { self.value = value }

    /// Dotted quad (`10.40.0.4`); `nil` for anything else (IPv6, a name, leading zeros are accepted).
    init?(_ text: String) {
        let parts = text.split(separator: ".", omittingEmptySubsequences: false)
        guard parts.count == 4 else { return nil }
        var v: UInt32 = 0
        for p in parts {
            guard !p.isEmpty, p.count <= 3, p.allSatisfy({ $0.isASCII && $0.isNumber }), let n = UInt32(p), n <= 255 else {
                return nil
            }
            v = v << 8 | n
        }
        value = v
    }

    var description: String {
        "\(value >> 24).\(value >> 16 & 0xff).\(value >> 8 & 0xff).\(value & 0xff)"
    }

    static func < (a: IPv4Address, b: IPv4Address) -> Bool { a.value < b.value }
}

/// An IPv4 prefix (`10.40.0.0/22`).
struct IPv4Prefix: Hashable, CustomStringConvertible {
    /// The network address (host bits cleared).
    var network: IPv4Address
    var length: Int

    init(network: IPv4Address, length: Int) {
        self.length = length
        self.network = IPv4Address(network.value & Self.mask(length))
    }

    /// `a.b.c.d/n`; `nil` for IPv6 and malformed text. Host bits are cleared.
    init?(_ text: String) {
        let parts = text.split(separator: "/", omittingEmptySubsequences: false)
        guard parts.count == 2, let address = IPv4Address(String(parts[0])), let n = Int(parts[1]), (0...32).contains(n) else {
            return nil
        }
        self.init(network: address, length: n)
    }

    static func mask(_ length: Int) -> UInt32 { length == 0 ? 0 : UInt32.max << UInt32(32 - length) }

    var size: UInt64 { UInt64(1) << UInt64(32 - length) }
    var first: UInt32 { network.value }
    var last: UInt32 { network.value | ~Self.mask(length) }

    func contains(_ address: IPv4Address) -> Bool { address.value & Self.mask(length) == network.value }

    func overlaps(_ other: IPv4Prefix) -> Bool { first <= other.last && other.first <= last }

    var description: String { "\(network)/\(length)" }
}

/// Address arithmetic for the sandbox: a free `/26` for `AzureFirewallSubnet`, pinned frontend
/// addresses taken from the end of a subnet.
enum SandboxAddressing {
    /// Azure Firewall needs its subnet to be at least a /26.
    static let firewallSubnetLength = 26

    /// The highest aligned block of `length` inside `space` that overlaps none of `used`, searching
    /// the address-space prefixes from the last one back (so the firewall sits at the top of the
    /// VNet, away from the subnets that grow from the bottom).
    static func freeBlock(length: Int, in space: [IPv4Prefix], avoiding used: [IPv4Prefix]) -> IPv4Prefix? {
        for prefix in space.reversed() where prefix.length <= length {
            let step = UInt64(1) << UInt64(32 - length)
            var start = UInt64(prefix.last) + 1 - step
            while start >= UInt64(prefix.first) {
                let candidate = IPv4Prefix(network: IPv4Address(UInt32(start)), length: length)
                if let blocking = used.filter({ $0.overlaps(candidate) }).min(by: { $0.first < $1.first }) {
                    // Jump below the lowest blocking prefix, realigned.
                    guard UInt64(blocking.first) >= step else { break }
                    let below = UInt64(blocking.first) - step
                    start = below & ~(step - 1)
                    continue
                }
                return candidate
            }
        }
        return nil
    }

    /// Addresses Azure leaves to hosts in `subnet`: all but the network address, the next three
    /// (gateway and DNS) and the broadcast address.
    static func usableRange(_ subnet: IPv4Prefix) -> ClosedRange<UInt32>? {
        guard subnet.length <= 29 else { return nil }
        return (subnet.first + 4)...(subnet.last - 1)
    }

    /// The next address of `subnet`, from its end down, that is not in `taken`.
    static func nextFromEnd(in subnet: IPv4Prefix, taken: Set<IPv4Address>) -> IPv4Address? {
        guard let range = usableRange(subnet) else { return nil }
        var v = range.upperBound
        while v >= range.lowerBound {
            let a = IPv4Address(v)
            if !taken.contains(a) { return a }
            if v == range.lowerBound { break }
            v -= 1
        }
        return nil
    }
}
