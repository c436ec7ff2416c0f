import COpenSSL
import Foundation

/// An AWS access key, with the session token of temporary credentials. Its description shows the
/// access key ID only.
public struct AWSCredentials: Sendable, Equatable, CustomStringConvertible, CustomDebugStringConvertible {
    public var accessKeyID: String
    public var secretAccessKey: String
    public var sessionToken: String?

    public init(accessKeyID: String, secretAccessKey: String, sessionToken: String? = nil) {
        self.accessKeyID = accessKeyID
        self.secretAccessKey = secretAccessKey
        self.sessionToken = sessionToken
    }

    /// `AWS_ACCESS_KEY_ID`, `AWS_SECRET_ACCESS_KEY` and `AWS_SESSION_TOKEN` (optional); `nil`
    /// unless both of the first two are set and not empty.
    public static func fromEnvironment(_ environment: [String: String] = ProcessInfo.processInfo.environment) -> AWSCredentials? {
        guard let id = environment["AWS_ACCESS_KEY_ID"], !id.isEmpty,
              let secret = environment["AWS_SECRET_ACCESS_KEY"], !secret.isEmpty else { return nil }
        let token = environment["AWS_SESSION_TOKEN"].flatMap { $0.isEmpty ? nil : $0 }
        return AWSCredentials(accessKeyID: id, secretAccessKey: secret, sessionToken: token)
    }

    public var description: String { "AWS credentials \(accessKeyID)\(sessionToken == nil ? "" : " (temporary)")" }
    public var debugDescription: String { description }
}

/// AWS Signature Version 4, header-signed (`Authorization: AWS4-HMAC-SHA256 …`), as S3 and the
/// other services take it. HMAC-SHA256 through OpenSSL's `EVP_Q_mac`.
public struct SigV4: Sendable {
    public var credentials: AWSCredentials
    public var region: String
    public var service: String

    public init(credentials: AWSCredentials, region: String, service: String = "s3") {
        self.credentials = credentials
        self.region = region
        self.service = service
    }

    /// The steps of one signature, for tests and for debugging. None holds the secret key.
    public struct Signature: Sendable {
        public var canonicalRequest: String
        public var stringToSign: String
        public var signedHeaders: String
        /// 64 lower-case hex digits.
        public var signature: String
        /// The `Authorization` header's value.
        public var authorization: String
    }

    /// The signature of a request.
    /// - Parameters:
    ///   - canonicalURI: the path as sent, already URI-encoded (S3: each segment once, with
    ///     ``uriEncode(_:keepSlash:)``); `/` when empty.
    ///   - query: the query parameters, not encoded; they are encoded and sorted here.
    ///   - headers: every header to sign (`host` and the `x-amz-*` ones at least), any case.
    ///   - payloadHash: the hex SHA-256 of the body (or `UNSIGNED-PAYLOAD`).
    ///   - timestamp: `yyyyMMdd'T'HHmmss'Z'`, as in `x-amz-date`.
    public func signature(method: String, canonicalURI: String, query: [(name: String, value: String)],
                          headers: [(name: String, value: String)], payloadHash: String,
                          timestamp: String) -> Signature {
        // Canonical headers: lower-case names, trimmed values with inner runs of spaces made one,
        // a repeated name's values joined by commas, sorted by name.
        var merged: [String: [String]] = [:]
        for (name, value) in headers {
            let canonicalValue = value.split(separator: " ", omittingEmptySubsequences: true).joined(separator: " ")
                .trimmingCharacters(in: .whitespacesAndNewlines)
            merged[name.lowercased().trimmingCharacters(in: .whitespaces), default: []].append(canonicalValue)
        }
        let names = merged.keys.sorted()
        let canonicalHeaders = names.map { "\($0):\(merged[$0]!.joined(separator: ","))\n" }.joined()
        let signedHeaders = names.joined(separator: ";")

        let canonicalRequest = [
            method.uppercased(),
            canonicalURI.isEmpty ? "/" : canonicalURI,
            SigV4.canonicalQuery(query),
            canonicalHeaders,
            signedHeaders,
            payloadHash,
        ].joined(separator: "\n")

        let day = String(timestamp.prefix(8))
        let scope = "\(day)/\(region)/\(service)/aws4_request"
        let stringToSign = ["AWS4-HMAC-SHA256", timestamp, scope, Digest.sha256(canonicalRequest)].joined(separator: "\n")

        let key = SigV4.signingKey(secret: credentials.secretAccessKey, day: day, region: region, service: service)
        let signature = Digest.hex(SigV4.hmacSHA256(key: key, data: Array(stringToSign.utf8)))
        let authorization = "AWS4-HMAC-SHA256 Credential=\(credentials.accessKeyID)/\(scope),"
            + "SignedHeaders=\(signedHeaders),Signature=\(signature)"
        return Signature(canonicalRequest: canonicalRequest, stringToSign: stringToSign,
                         signedHeaders: signedHeaders, signature: signature, authorization: authorization)
    }

    /// Signs a request in place: adds `x-amz-date`, `x-amz-content-sha256`, the session token's
    /// `x-amz-security-token` when there is one, then `Authorization`. Every header already in
    /// `headers` (`host` included, which the caller must set) is signed.
    public func sign(method: String, canonicalURI: String, query: [(name: String, value: String)],
                     headers: inout [(name: String, value: String)], payloadHash: String, date: Date = Date()) {
        let timestamp = SigV4.timestamp(date)
        headers.removeAll {
            ["x-amz-date", "x-amz-content-sha256", "x-amz-security-token", "authorization"].contains($0.name.lowercased())
        }
        headers.append((name: "x-amz-date", value: timestamp))
        headers.append((name: "x-amz-content-sha256", value: payloadHash))
        if let token = credentials.sessionToken {
            headers.append((name: "x-amz-security-token", value: token))
        }
        let signed = signature(method: method, canonicalURI: canonicalURI, query: query, headers: headers,
                               payloadHash: payloadHash, timestamp: timestamp)
        headers.append((name: "Authorization", value: signed.authorization))
    }

    /// A presigned request (query-string authentication): the query to send, `query` followed by
    /// `X-Amz-Algorithm`, `X-Amz-Credential`, `X-Amz-Date`, `X-Amz-Expires`, the session token's
    /// `X-Amz-Security-Token`, `X-Amz-SignedHeaders` and `X-Amz-Signature`, already encoded (append
    /// it after `?`). `headers` (`host` at least) must be sent with the request as signed. The
    /// payload is `UNSIGNED-PAYLOAD`, as AWS's presigned URLs (S3's, `aws eks get-token`'s) have it.
    public func presignedQuery(method: String, canonicalURI: String, query: [(name: String, value: String)],
                               headers: [(name: String, value: String)], expires: Int, date: Date = Date()) -> String {
        let timestamp = SigV4.timestamp(date)
        let scope = "\(timestamp.prefix(8))/\(region)/\(service)/aws4_request"
        let signedHeaders = headers.map { $0.name.lowercased() }.sorted().joined(separator: ";")
        var all = query
        all.append(("X-Amz-Algorithm", "AWS4-HMAC-SHA256"))
        all.append(("X-Amz-Credential", "\(credentials.accessKeyID)/\(scope)"))
        all.append(("X-Amz-Date", timestamp))
        all.append(("X-Amz-Expires", String(expires)))
        if let token = credentials.sessionToken { all.append(("X-Amz-Security-Token", token)) }
        all.append(("X-Amz-SignedHeaders", signedHeaders))
        let signed = signature(method: method, canonicalURI: canonicalURI, query: all, headers: headers,
                               payloadHash: "UNSIGNED-PAYLOAD", timestamp: timestamp)
        return SigV4.canonicalQuery(all) + "&X-Amz-Signature=" + signed.signature
    }

    // MARK: - Pieces

    /// `date` as `yyyyMMdd'T'HHmmss'Z'` (UTC).
    public static func timestamp(_ date: Date) -> String {
        var seconds = time_t(date.timeIntervalSince1970.rounded(.down))
        var parts = tm()
        gmtime_r(&seconds, &parts)
        return String(format: "%04d%02d%02dT%02d%02d%02dZ", Int(parts.tm_year) + 1900, Int(parts.tm_mon) + 1,
                      Int(parts.tm_mday), Int(parts.tm_hour), Int(parts.tm_min), Int(parts.tm_sec))
    }

    /// AWS's URI encoding: every byte of the UTF-8 but `A-Z a-z 0-9 - _ . ~` as `%XX` (upper-case
    /// hex); `/` kept when `keepSlash` (object paths), encoded otherwise (query names and values).
    public static func uriEncode(_ text: String, keepSlash: Bool) -> String {
        let digits = Array("0123456789ABCDEF".utf8)
        var out: [UInt8] = []
        out.reserveCapacity(text.utf8.count)
        for byte in text.utf8 {
            if isUnreserved(byte) || (keepSlash && byte == 0x2F) {
                out.append(byte)
            } else {
                out.append(0x25) // %
                out.append(digits[Int(byte >> 4)])
                out.append(digits[Int(byte & 0x0F)])
            }
        }
        return String(decoding: out, as: UTF8.self)
    }

    private static func isUnreserved(_ byte: UInt8) -> Bool {
        switch byte {
        case 0x41...0x5A, 0x61...0x7A, 0x30...0x39: return true // A-Z a-z 0-9
        case 0x2D, 0x5F, 0x2E, 0x7E: return true // - _ . ~
        default: return false
        }
    }

    /// The canonical query string: each name and value encoded, sorted by name then value,
    /// `name=value` joined by `&` (a valueless parameter is `name=`). Send exactly this string.
    public static func canonicalQuery(_ query: [(name: String, value: String)]) -> String {
        // The encoded strings are ASCII, so String order is byte order, as AWS sorts.
        let encoded: [(String, String)] = query.map { (uriEncode($0.name, keepSlash: false), uriEncode($0.value, keepSlash: false)) }
        let sorted = encoded.sorted { (a: (String, String), b: (String, String)) -> Bool in
            a.0 == b.0 ? a.1 < b.1 : a.0 < b.0
        }
        return sorted.map { (pair: (String, String)) -> String in pair.0 + "=" + pair.1 }.joined(separator: "&")
    }

    /// `HMAC(HMAC(HMAC(HMAC("AWS4" + secret, day), region), service), "aws4_request")`.
    static func signingKey(secret: String, day: String, region: String, service: String) -> [UInt8] {
        var key = hmacSHA256(key: Array(("AWS4" + secret).utf8), data: Array(day.utf8))
        key = hmacSHA256(key: key, data: Array(region.utf8))
        key = hmacSHA256(key: key, data: Array(service.utf8))
        return hmacSHA256(key: key, data: Array("aws4_request".utf8))
    }

    /// HMAC-SHA256 of `data` under `key`.
    static func hmacSHA256(key: [UInt8], data: [UInt8]) -> [UInt8] {
        var out = [UInt8](repeating: 0, count: 32)
        var length = 0
        let done = key.withUnsafeBytes { keyBytes in
            data.withUnsafeBytes { dataBytes in
                out.withUnsafeMutableBytes { outBytes in
                    EVP_Q_mac(nil, "HMAC", nil, "SHA256", nil, keyBytes.baseAddress, keyBytes.count,
                              dataBytes.baseAddress?.assumingMemoryBound(to: UInt8.self), dataBytes.count,
                              outBytes.baseAddress?.assumingMemoryBound(to: UInt8.self), outBytes.count, &length)
                }
            }
        }
        guard done != nil, length == 32 else { fatalError("OpenSSL HMAC-SHA256 failed") }
        return out
    }
}
