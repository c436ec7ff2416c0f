/// The kinds of reference a string can hold.
public enum ReferenceKind: String, Sendable, Hashable {
    case armID = "Azure resource ID"
    case arn = "ARN"
    case awsID = "AWS ID"
    case ecrImage = "ECR image"
    case acrImage = "ACR image"
    case keyVault = "Key Vault"
    case subscription = "subscription ID"
    case account = "account ID"
    case tenant = "tenant ID"
    case region = "region"
}

/// One reference found in a string: rewritten (`after` set) or kept (`reason` set).
public struct StringEdit: Sendable, Hashable {
    public var kind: ReferenceKind
    public var before: String
    public var after: String?
    public var reason: String?
    /// Kept on purpose (another account's registry), not for want of a mapping.
    public var deliberate = false
}

/// A string with its references rewritten, and what was done.
public struct RewrittenString: Sendable, Hashable {
    public var text: String
    public var edits: [StringEdit]

    /// True when some reference was rewritten.
    public var changed: Bool { edits.contains { $0.after != nil } }
}

/// Finds and rewrites the references embedded in any string: whole or embedded ARM IDs (a CSI
/// `volumeHandle`, an AGIC annotation), ARNs (an `aws-auth` `mapRoles` YAML block, a comma list in
/// an ALB annotation), AWS IDs (`subnet-…`, `fs-…::fsap-…`), ECR registries of source accounts and
/// ACRs in the inventory (image references), Key Vault hosts (`kv.vault.azure.net`), source
/// subscription and tenant GUIDs, and source regions (`us-east-1`, `us-east-1a`, `westeurope-1`).
///
/// Ids are looked up in the ``RecoveryIDMap``; what belongs to another subscription or account
/// is left alone. Scans bytes once; strings with nothing to rewrite cost no allocation beyond the scan.
public final class ReferenceRewriter: Sendable {
    let ids: RecoveryIDMap
    /// Source regions and locations with their recovery counterpart (nil: no recovery site).
    private let regions: [(name: [UInt8], to: String?, caseInsensitive: Bool)]
    /// Every source name (subscription, tenant, account, region, location) holds a ``PlainText``
    /// trigger byte, so a string without one holds no reference: it is not scanned.
    let skipsPlainText: Bool

    public init(ids: RecoveryIDMap) {
        self.ids = ids
        let s = ids.source
        skipsPlainText = PlainText.allHaveTrigger(s.subscriptions, s.tenants, s.accounts, s.regions, s.locations)
        var regions: [(name: [UInt8], to: String?, caseInsensitive: Bool)] = []
        for r in ids.source.regions.sorted(by: { $0.count > $1.count }) {
            regions.append((Array(r.utf8), ids.to.aws?.region, false))
        }
        for l in ids.source.locations.sorted(by: { $0.count > $1.count }) {
            regions.append((Array(l.utf8), ids.to.azure?.location, true))
        }
        self.regions = regions
    }

    public func rewrite(_ text: String) -> RewrittenString {
        // A whole value that is a source account ID (`UserIdGroupPairs[].UserId`, `OwnerId`).
        // Only whole values: an account ID inside a name (`orders-uploads-111111111111`) is part of
        // a globally unique name the operator must choose, and is reported, not guessed.
        if text.utf8.count == 12, ids.source.accounts.contains(text) {
            let to = ids.to.aws?.account
            return RewrittenString(text: to ?? text, edits: [StringEdit(kind: .account, before: text, after: to,
                                                                        reason: to == nil ? "no AWS recovery site" : nil)])
        }
        if let r = text.utf8.withContiguousStorageIfAvailable({ scan($0, text) }) { return r }
        let copy = Array(text.utf8)
        return copy.withUnsafeBufferPointer { scan($0, text) }
    }

    private func scan(_ b: Bytes, _ text: String) -> RewrittenString {
        if skipsPlainText, !PlainText.hasTrigger(b) { return RewrittenString(text: text, edits: []) }
        var edits: [StringEdit] = []
        var out: [UInt8] = []
        var copied = 0   // bytes of b already accounted for in `out`
        var i = 0
        func emit(_ start: Int, _ end: Int, _ edit: StringEdit) {
            edits.append(edit)
            guard let after = edit.after else { return }
            out.append(contentsOf: UnsafeBufferPointer(rebasing: b[copied..<start]))
            out.append(contentsOf: after.utf8)
            copied = end
        }
        while i < b.count {
            let c = b[i]
            let atBoundary = i == 0 || !Self.isAlnum(b[i - 1])
            if c == UInt8(ascii: "/"), let end = matchARM(b, i) {
                let token = String(decoding: UnsafeBufferPointer(rebasing: b[i..<end]), as: UTF8.self)
                if let e = edit(.armID, token, ids.map(token)) { emit(i, end, e) }
                i = end; continue
            }
            guard atBoundary else { i += 1; continue }
            if c == UInt8(ascii: "a"), Self.hasPrefix(b, i, Self.arnPrefix), let end = Self.tokenEnd(b, i, allowColon: true) {
                let token = String(decoding: UnsafeBufferPointer(rebasing: b[i..<end]), as: UTF8.self)
                if ARN(token) != nil, let e = edit(.arn, token, ids.map(token)) { emit(i, end, e) }
                i = end; continue
            }
            if Self.isDigit(c), let (end, e) = matchECR(b, i) {
                if let e { emit(i, end, e) }
                i = end; continue
            }
            if Self.isHex(c), let end = Self.guidEnd(b, i) {
                let token = String(decoding: UnsafeBufferPointer(rebasing: b[i..<end]), as: UTF8.self).lowercased()
                if ids.source.subscriptions.contains(token) {
                    let to = ids.to.azure?.subscription
                    emit(i, end, StringEdit(kind: .subscription, before: token, after: to,
                                            reason: to == nil ? "no Azure recovery site" : nil))
                } else if ids.source.tenants.contains(token) {
                    let to = ids.to.azure?.tenant
                    emit(i, end, StringEdit(kind: .tenant, before: token, after: to,
                                            reason: to == nil ? "the recovery tenant is not given (to.azure.tenant)" : nil))
                }
                i = end; continue
            }
            if Self.isAlpha(c) {
                let wordEnd = Self.hostEnd(b, i)
                if let (end, e) = matchHost(b, i, wordEnd) {
                    if let e { emit(i, end, e) }
                    i = end; continue
                }
                if let end = Self.awsIDEnd(b, i) {
                    let token = String(decoding: UnsafeBufferPointer(rebasing: b[i..<end]), as: UTF8.self)
                    if let e = edit(.awsID, token, ids.map(token)) { emit(i, end, e) }
                    i = end; continue
                }
                if let (end, to, name) = matchRegion(b, i) {
                    emit(i, end, StringEdit(kind: .region, before: name, after: to,
                                            reason: to == nil ? "no recovery site for region \(name)" : nil))
                    i = end; continue
                }
            }
            i += 1
        }
        guard copied > 0 else { return RewrittenString(text: text, edits: edits) }
        out.append(contentsOf: UnsafeBufferPointer(rebasing: b[copied..<b.count]))
        return RewrittenString(text: String(decoding: out, as: UTF8.self), edits: edits)
    }

    private func edit(_ kind: ReferenceKind, _ token: String, _ m: IDMapping?) -> StringEdit? {
        switch m {
        case .mapped(let to, _)?: return to == token ? nil : StringEdit(kind: kind, before: token, after: to, reason: nil)
        case .unmapped(let reason)?: return StringEdit(kind: kind, before: token, after: nil, reason: reason)
        case nil: return nil
        }
    }

    // MARK: - Matchers

    /// `/subscriptions/{guid}…` (any case) up to the end of the token.
    private func matchARM(_ b: Bytes, _ i: Int) -> Int? {
        guard Self.hasPrefix(b, i, Self.subscriptionsPrefix, caseInsensitive: true) else { return nil }
        guard var end = Self.tokenEnd(b, i, allowColon: false) else { return nil }
        while end > i, b[end - 1] == UInt8(ascii: "/") || b[end - 1] == UInt8(ascii: ".") { end -= 1 }
        return end
    }

    /// `{12 digits}.dkr.ecr.{region}.amazonaws.com[.cn]`.
    private func matchECR(_ b: Bytes, _ i: Int) -> (Int, StringEdit?)? {
        guard i + 12 < b.count, (i..<i + 12).allSatisfy({ Self.isDigit(b[$0]) }),
              Self.hasPrefix(b, i + 12, Self.ecrInfix) else { return nil }
        let regionStart = i + 12 + 9
        var j = regionStart
        while j < b.count, Self.isAlnum(b[j]) || b[j] == UInt8(ascii: "-") { j += 1 }
        guard Self.hasPrefix(b, j, Self.amazonawsSuffix) else { return nil }
        var end = j + 14
        if Self.hasPrefix(b, end, Self.cnSuffix) { end += 3 }
        let account = String(decoding: UnsafeBufferPointer(rebasing: b[i..<i + 12]), as: UTF8.self)
        let host = String(decoding: UnsafeBufferPointer(rebasing: b[i..<end]), as: UTF8.self)
        guard ids.source.accounts.contains(account) else {
            return (end, StringEdit(kind: .ecrImage, before: host, after: nil,
                                    reason: "ECR registry of account \(account), not a source account: images are pulled from it as they are",
                                    deliberate: true))
        }
        guard let aws = ids.to.aws else {
            return (end, StringEdit(kind: .ecrImage, before: host, after: nil, reason: "no AWS recovery site"))
        }
        let suffix = aws.partition == "aws-cn" ? ".amazonaws.com.cn" : ".amazonaws.com"
        return (end, StringEdit(kind: .ecrImage, before: host, after: "\(aws.account).dkr.ecr.\(aws.region)\(suffix)", reason: nil))
    }

    /// `{vault}.vault.azure.net` and `{registry}.azurecr.io`, for vaults and registries in the inventory.
    private func matchHost(_ b: Bytes, _ i: Int, _ labelEnd: Int) -> (Int, StringEdit?)? {
        guard labelEnd < b.count, b[labelEnd] == UInt8(ascii: ".") else { return nil }
        for (suffix, kind) in Self.hostSuffixes {
            guard Self.hasPrefix(b, labelEnd, suffix) else { continue }
            let name = String(decoding: UnsafeBufferPointer(rebasing: b[i..<labelEnd]), as: UTF8.self)
            let end = labelEnd + suffix.count
            let m = kind == .keyVault ? ids.vaultName(name) : ids.registryName(name)
            switch m {
            case .mapped(let to, _)?:
                return (labelEnd, to == name ? nil : StringEdit(kind: kind, before: name, after: to, reason: nil))
            case .unmapped(let reason)?:
                return (end, StringEdit(kind: kind, before: name, after: nil, reason: reason))
            case nil:
                return (end, nil)
            }
        }
        return nil
    }

    /// A source region as a whole token, or an availability zone of one (`us-east-1a`, `westeurope-1`).
    private func matchRegion(_ b: Bytes, _ i: Int) -> (Int, String?, String)? {
        for r in regions {
            guard Self.hasPrefix(b, i, r.name, caseInsensitive: r.caseInsensitive) else { continue }
            let end = i + r.name.count
            if end == b.count || !Self.isAlnum(b[end]) {
                return (end, r.to, String(decoding: r.name, as: UTF8.self))
            }
            // AWS zone letter: us-east-1a
            if !r.caseInsensitive, Self.isLower(b[end]), end + 1 == b.count || !Self.isAlnum(b[end + 1]) {
                return (end, r.to, String(decoding: r.name, as: UTF8.self))
            }
        }
        return nil
    }

    // MARK: - Bytes

    static func isDigit(_ c: UInt8) -> Bool { c >= 48 && c <= 57 }
    static func isLower(_ c: UInt8) -> Bool { c >= 97 && c <= 122 }
    static func isAlpha(_ c: UInt8) -> Bool { isLower(c) || (c >= 65 && c <= 90) }
    static func isAlnum(_ c: UInt8) -> Bool { isDigit(c) || isAlpha(c) }
    static func isHex(_ c: UInt8) -> Bool { isDigit(c) || (c >= 97 && c <= 102) || (c >= 65 && c <= 70) }

    typealias Bytes = UnsafeBufferPointer<UInt8>
    static let arnPrefix = Array("arn:".utf8)
    static let subscriptionsPrefix = Array("/subscriptions/".utf8)
    static let ecrInfix = Array(".dkr.ecr.".utf8)
    static let amazonawsSuffix = Array(".amazonaws.com".utf8)
    static let cnSuffix = Array(".cn".utf8)
    static let hostSuffixes: [([UInt8], ReferenceKind)] = [(Array(".vault.azure.net".utf8), .keyVault), (Array(".azurecr.io".utf8), .acrImage)]

    static func hasPrefix(_ b: Bytes, _ i: Int, _ p: [UInt8], caseInsensitive: Bool = false) -> Bool {
        guard i + p.count <= b.count else { return false }
        for k in 0..<p.count {
            var x = b[i + k], y = p[k]
            if caseInsensitive {
                if x >= 65 && x <= 90 { x += 32 }
                if y >= 65 && y <= 90 { y += 32 }
            }
            if x != y { return false }
        }
        return true
    }

    /// End of an id token: stops at whitespace, quotes, separators and brackets (and `:` unless allowed).
    static func tokenEnd(_ b: Bytes, _ i: Int, allowColon: Bool) -> Int? {
        var j = i
        while j < b.count {
            switch b[j] {
            case 0...32, UInt8(ascii: "\""), UInt8(ascii: "'"), UInt8(ascii: ","), UInt8(ascii: ";"), UInt8(ascii: ")"),
                 UInt8(ascii: "]"), UInt8(ascii: "}"), UInt8(ascii: ">"), UInt8(ascii: "<"), UInt8(ascii: "?"),
                 UInt8(ascii: "#"), UInt8(ascii: "|"), UInt8(ascii: "`"), UInt8(ascii: "&"), UInt8(ascii: "="):
                return j > i ? j : nil
            case UInt8(ascii: ":") where !allowColon:
                return j > i ? j : nil
            default: j += 1
            }
        }
        return j > i ? j : nil
    }

    /// End of a DNS label run (`kv-payments`) starting at `i`.
    static func hostEnd(_ b: Bytes, _ i: Int) -> Int {
        var j = i
        while j < b.count, isAlnum(b[j]) || b[j] == UInt8(ascii: "-") { j += 1 }
        return j
    }

    /// End of an AWS ID (`subnet-0a1b2c3d`, 8 or 17 lower-case hex digits) starting at `i`.
    static func awsIDEnd(_ b: Bytes, _ i: Int) -> Int? {
        var dash = i
        while dash < b.count, isLower(b[dash]), dash - i < 9 { dash += 1 }
        guard dash < b.count, b[dash] == UInt8(ascii: "-"), dash > i, dash - i <= 8 else { return nil }
        // Cheap check first: a hex digit must follow the dash.
        guard dash + 1 < b.count, isHex(b[dash + 1]),
              AWSNativeID.prefixes[String(decoding: UnsafeBufferPointer(rebasing: b[i..<dash]), as: UTF8.self)] != nil else { return nil }
        var j = dash + 1
        while j < b.count, isDigit(b[j]) || (b[j] >= 97 && b[j] <= 102) { j += 1 }
        let n = j - dash - 1
        guard n == 8 || n == 17, j == b.count || !isAlnum(b[j]) else { return nil }
        return j
    }

    /// End of a GUID (8-4-4-4-12 hex) starting at `i`, bounded by non-alphanumerics.
    static func guidEnd(_ b: Bytes, _ i: Int) -> Int? {
        guard i + 36 <= b.count else { return nil }
        for (k, c) in b[i..<i + 36].enumerated() {
            if k == 8 || k == 13 || k == 18 || k == 23 {
                guard c == UInt8(ascii: "-") else { return nil }
            } else if !isHex(c) { return nil }
        }
        guard i + 36 == b.count || !isAlnum(b[i + 36]) else { return nil }
        return i + 36
    }
}
