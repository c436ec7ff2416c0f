import Foundation

/// Recovery points in an S3 bucket, under a key prefix: `s3://bucket/prefix`.
///
/// Each operation is one S3 request (a list, one per page of up to 1000 keys), signed with
/// SigV4. Without an endpoint the bucket is addressed virtual-hosted style at
/// `https://BUCKET.s3.REGION.amazonaws.com` (path style when the name has a dot, which TLS
/// certificates do not cover); with one (`http://127.0.0.1:5000` for moto) path style,
/// `ENDPOINT/BUCKET/KEY`. A failed request reads `s3://bucket/prefix: GET key: NoSuchBucket: The
/// specified bucket does not exist (HTTP 404)`.
public struct S3Store: PointStore {
    public let bucket: String
    /// Without slashes at either end; keys are stored as `prefix/key`.
    public let prefix: String
    public let region: String
    public let endpoint: String?
    /// Keys asked for per list page (S3 returns at most 1000).
    var pageSize: Int = 1000
    /// When set, every `put` writes the object under this Object Lock retention (the bucket must
    /// have Object Lock enabled): see ``locking(_:now:)``.
    public internal(set) var writeRetention: ObjectRetention?

    private let signer: SigV4
    private let client: HTTPClient

    public init(bucket: String, prefix: String, region: String, endpoint: String? = nil,
                credentials: AWSCredentials, client: HTTPClient = HTTPClient()) {
        self.bucket = bucket
        self.prefix = S3Store.trimSlashes(prefix)
        self.region = region
        self.endpoint = endpoint.map { $0.hasSuffix("/") ? String($0.dropLast()) : $0 }
        self.signer = SigV4(credentials: credentials, region: region, service: "s3")
        self.client = client
    }

    public var url: String { prefix.isEmpty ? "s3://\(bucket)" : "s3://\(bucket)/\(prefix)" }

    /// The bucket and prefix of `s3://bucket/prefix` (`s3://bucket` gives an empty prefix);
    /// `nil` for anything else.
    public static func parse(url: String) -> (bucket: String, prefix: String)? {
        guard url.hasPrefix("s3://") else { return nil }
        let rest = url.dropFirst("s3://".count)
        let bucket = rest.prefix { $0 != "/" }
        guard !bucket.isEmpty, !bucket.contains(where: { $0 == "?" || $0 == "#" || $0 == " " }) else { return nil }
        return (String(bucket), trimSlashes(String(rest.dropFirst(bucket.count))))
    }

    // MARK: - PointStore

    public func put(_ key: String, _ data: [UInt8]) throws {
        var headers: [(name: String, value: String)] = [(name: "Content-Type", value: "application/octet-stream")]
        if let writeRetention { headers += S3Store.lockHeaders(writeRetention, body: data) }
        let response = try send("PUT", key: key, body: data, headers: headers)
        guard (200...299).contains(response.status) else { throw failure("PUT", key, response) }
    }

    public func get(_ key: String) throws -> [UInt8] {
        let response = try send("GET", key: key)
        if response.status == 404 && S3Store.xmlValue("Code", in: response.body) != "NoSuchBucket" {
            throw StoreError.notFound(key)
        }
        guard (200...299).contains(response.status) else { throw failure("GET", key, response) }
        return response.body
    }

    public func list(prefix listPrefix: String) throws -> [String] {
        let full = objectKey(listPrefix)
        let storePrefix = prefix.isEmpty ? "" : prefix + "/"
        var keys: [String] = []
        var token: String?
        repeat {
            var query: [(name: String, value: String)] = [
                ("list-type", "2"), ("prefix", full), ("max-keys", String(pageSize)),
            ]
            if let token { query.append(("continuation-token", token)) }
            let response = try send("GET", key: nil, query: query)
            guard (200...299).contains(response.status) else { throw failure("LIST", listPrefix, response) }
            let text = String(decoding: response.body, as: UTF8.self)
            for contents in S3Store.xmlElements("Contents", in: text) {
                guard let key = S3Store.xmlElements("Key", in: contents).first.map(S3Store.xmlUnescape) else { continue }
                guard key.hasPrefix(storePrefix) else { continue }
                keys.append(String(key.dropFirst(storePrefix.count)))
            }
            let truncated = S3Store.xmlElements("IsTruncated", in: text).first == "true"
            let next = S3Store.xmlElements("NextContinuationToken", in: text).first.map(S3Store.xmlUnescape)
            if truncated {
                guard let next, !next.isEmpty, next != token else {
                    throw StoreError.failed("\(url): LIST \(listPrefix): a truncated page without a continuation token")
                }
                token = next
            } else {
                token = nil
            }
        } while token != nil
        return keys.sorted()
    }

    public func delete(_ key: String) throws {
        let response = try send("DELETE", key: key)
        // S3 answers 204 for a missing key too; a 404 here can only be a NoSuchKey from a look-alike.
        if response.status == 404 && S3Store.xmlValue("Code", in: response.body) == "NoSuchKey" { return }
        guard (200...299).contains(response.status) else { throw failure("DELETE", key, response) }
    }

    /// Creates the bucket unless it is there already (and ours), in the store's region; with
    /// `objectLock`, with Object Lock enabled (tests, and a first deployment). An existing bucket is
    /// left as it is.
    public func createBucketIfMissing(objectLock: Bool = false) throws {
        let head = try send("HEAD", key: nil)
        if (200...299).contains(head.status) { return }
        var body: [UInt8] = []
        if region != "us-east-1" {
            body = Array(("<CreateBucketConfiguration xmlns=\"http://s3.amazonaws.com/doc/2006-03-01/\">"
                + "<LocationConstraint>\(region)</LocationConstraint></CreateBucketConfiguration>").utf8)
        }
        let lock = objectLock ? [(name: "x-amz-bucket-object-lock-enabled", value: "true")] : []
        let response = try send("PUT", key: nil, body: body, headers: lock)
        if (200...299).contains(response.status) { return }
        if S3Store.xmlValue("Code", in: response.body) == "BucketAlreadyOwnedByYou" { return }
        throw failure("CREATE BUCKET", bucket, response)
    }

    // MARK: - Requests

    /// `prefix/key`, or `key` when there is no prefix.
    private func objectKey(_ key: String) -> String {
        prefix.isEmpty ? key : prefix + "/" + key
    }

    /// Signs and sends one request for `key` (relative to the prefix), or for the bucket itself.
    func send(_ method: String, key: String?, query: [(name: String, value: String)] = [],
                      body: [UInt8] = [], headers extra: [(name: String, value: String)] = []) throws -> HTTPResponse {
        let base: String, host: String, path: String
        let encodedKey = key.map { "/" + SigV4.uriEncode(objectKey($0), keepSlash: true) } ?? ""
        if let endpoint {
            guard let components = URLComponents(string: endpoint), let scheme = components.scheme,
                  let endpointHost = components.host, !endpointHost.isEmpty else {
                throw StoreError.failed("\(url): endpoint \(endpoint) is not a URL like http://127.0.0.1:5000")
            }
            host = components.port.map { "\(endpointHost):\($0)" } ?? endpointHost
            base = "\(scheme)://\(host)"
            path = "/" + SigV4.uriEncode(bucket, keepSlash: false) + encodedKey
        } else if bucket.contains(".") {
            host = "s3.\(region).amazonaws.com"
            base = "https://\(host)"
            path = "/" + SigV4.uriEncode(bucket, keepSlash: false) + encodedKey
        } else {
            host = "\(bucket).s3.\(region).amazonaws.com"
            base = "https://\(host)"
            path = encodedKey.isEmpty ? "/" : encodedKey
        }
        let queryString = SigV4.canonicalQuery(query)
        var headers: [(name: String, value: String)] = [(name: "host", value: host)] + extra
        signer.sign(method: method, canonicalURI: path, query: query, headers: &headers,
                    payloadHash: Digest.sha256(body))
        let request = HTTPRequest(method: method, url: base + path + (queryString.isEmpty ? "" : "?" + queryString),
                                  headers: headers, body: body)
        do {
            return try client.send(request)
        } catch let error as HTTPTransportError {
            throw StoreError.failed("\(url): \(method) \(key ?? bucket): \(error.message)")
        }
    }

    /// A failed response as an error: S3's `<Code>` and `<Message>` when the body has them.
    func failure(_ operation: String, _ what: String, _ response: HTTPResponse) -> StoreError {
        let code = S3Store.xmlValue("Code", in: response.body)
        let message = S3Store.xmlValue("Message", in: response.body)
        var text = "\(url): \(operation) \(what): "
        switch (code, message) {
        case let (code?, message?): text += "\(code): \(message)"
        case let (code?, nil): text += code
        case let (nil, message?): text += message
        case (nil, nil): text += "failed"
        }
        return .failed(text + " (HTTP \(response.status))")
    }

    // MARK: - Minimal XML

    private static func trimSlashes(_ text: String) -> String {
        var slice = Substring(text)
        while slice.hasPrefix("/") { slice = slice.dropFirst() }
        while slice.hasSuffix("/") { slice = slice.dropLast() }
        return String(slice)
    }

    /// The unescaped text of the first `<name>` element in an XML body.
    static func xmlValue(_ name: String, in body: [UInt8]) -> String? {
        xmlElements(name, in: String(decoding: body, as: UTF8.self)).first.map(xmlUnescape)
    }

    /// The raw (still escaped) content of each `<name>…</name>` element, in order; `<name/>` gives
    /// an empty string. Enough for S3's flat responses: the elements read are never nested in
    /// themselves, and S3 puts no attributes on them.
    static func xmlElements(_ name: String, in text: String) -> [String] {
        let open = "<\(name)>", empty = "<\(name)/>", close = "</\(name)>"
        var found: [String] = []
        var rest = text[...]
        while let start = rest.range(of: "<\(name)") {
            let after = rest[start.upperBound...]
            if after.hasPrefix(">") {
                let contentStart = rest.index(start.lowerBound, offsetBy: open.count)
                guard let end = rest[contentStart...].range(of: close) else { break }
                found.append(String(rest[contentStart..<end.lowerBound]))
                rest = rest[end.upperBound...]
            } else if after.hasPrefix("/>") {
                found.append("")
                rest = rest[rest.index(start.lowerBound, offsetBy: empty.count)...]
            } else {
                rest = after // a longer name (`<KeyCount>` when looking for `<Key>`)
            }
        }
        return found
    }

    /// Replaces XML's five named entities and numeric character references.
    static func xmlUnescape(_ text: String) -> String {
        guard text.contains("&") else { return text }
        var out = ""
        var rest = text[...]
        while let amp = rest.firstIndex(of: "&") {
            out += rest[..<amp]
            rest = rest[amp...]
            guard let semi = rest.firstIndex(of: ";") else { break }
            let entity = rest[rest.index(after: amp)..<semi]
            var replacement: String?
            switch entity {
            case "amp": replacement = "&"
            case "lt": replacement = "<"
            case "gt": replacement = ">"
            case "quot": replacement = "\""
            case "apos": replacement = "'"
            default:
                if entity.hasPrefix("#x") || entity.hasPrefix("#X") {
                    replacement = UInt32(entity.dropFirst(2), radix: 16).flatMap(Unicode.Scalar.init).map { String(Character($0)) }
                } else if entity.hasPrefix("#") {
                    replacement = UInt32(entity.dropFirst(), radix: 10).flatMap(Unicode.Scalar.init).map { String(Character($0)) }
                }
            }
            if let replacement {
                out += replacement
                rest = rest[rest.index(after: semi)...]
            } else {
                out += "&"
                rest = rest[rest.index(after: amp)...]
            }
        }
        out += rest
        return out
    }
}
