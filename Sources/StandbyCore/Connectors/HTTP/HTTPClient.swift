import CCurl
import Foundation

/// One HTTP request: what ``HTTPClient/send(_:)`` sends.
///
/// Its descriptions name only the method and URL: header values (an `Authorization`) and bodies
/// never reach a message or a log.
public struct HTTPRequest: Sendable, CustomStringConvertible, CustomDebugStringConvertible {
    public var method: String
    public var url: String
    /// Sent in this order; a header the caller sets replaces curl's own (`host`, `content-type`).
    public var headers: [(name: String, value: String)]
    public var body: [UInt8]

    public init(method: String, url: String, headers: [(name: String, value: String)] = [], body: [UInt8] = []) {
        self.method = method
        self.url = url
        self.headers = headers
        self.body = body
    }

    public var description: String { "\(method) \(url)" }
    public var debugDescription: String { "\(method) \(url) (\(headers.count) headers, \(body.count) bytes)" }
}

/// What came back: any status, including 4xx and 5xx (only a failed transfer throws).
public struct HTTPResponse: Sendable {
    public var status: Int
    /// Header names in lower case; a repeated header's values joined with ", ".
    public var headers: [String: String]
    public var body: [UInt8]

    public init(status: Int, headers: [String: String] = [:], body: [UInt8] = []) {
        self.status = status
        self.headers = headers
        self.body = body
    }

    /// The value of a header, by name in any case.
    public func header(_ name: String) -> String? { headers[name.lowercased()] }
}

/// A transfer that failed without an HTTP response (no connection, a timeout, a TLS failure).
public struct HTTPTransportError: Error, Sendable, CustomStringConvertible {
    public var method: String
    public var url: String
    /// libcurl's `CURLcode`.
    public var code: Int
    public var message: String

    public var description: String { "\(method) \(url): \(message) (curl error \(code))" }

    /// Worth another try: the connection, not the request, failed.
    var isRetryable: Bool {
        let retryable: [CURLcode] = [
            CURLE_COULDNT_RESOLVE_HOST, CURLE_COULDNT_CONNECT, CURLE_OPERATION_TIMEDOUT,
            CURLE_SEND_ERROR, CURLE_RECV_ERROR, CURLE_GOT_NOTHING, CURLE_PARTIAL_FILE,
            CURLE_SSL_CONNECT_ERROR, CURLE_HTTP2, CURLE_HTTP2_STREAM,
        ]
        return retryable.contains { Int($0.rawValue) == code }
    }
}

/// A small HTTP client over libcurl's easy interface.
///
/// Concurrency: the client is a `final class` marked `@unchecked Sendable`. Its only mutable
/// state is a pool of idle easy handles, guarded by a lock; a request takes a handle from the pool
/// (or makes one), uses it alone, and gives it back. So requests from several threads run at once,
/// and each handle keeps its connections open for the next request (connection reuse).
///
/// Each request: TLS verified (optionally against `caBundlePath`), connect timeout 10 s, total
/// 60 s, a stalled transfer (under 1 byte/s for 10 s, ``Options/stallSeconds``) abandoned, no
/// redirects followed, only `http` and `https`. A 429, a 5xx, a stall or a failed connection is
/// tried again, up to ``Options/maxAttempts`` in all, after an exponential backoff with jitter, or
/// after the server's `Retry-After` when it asks for longer. With ``Options/log`` set, each try is
/// logged as one line (method, URL with secret-looking query values redacted, status, time):
/// never a header or a body.
public final class HTTPClient: @unchecked Sendable {
    public struct Options: Sendable {
        /// A PEM bundle of CA certificates to verify servers against, instead of the system's.
        public var caBundlePath: String?
        public var connectTimeout: Double = 10
        public var timeout: Double = 60
        /// A transfer that moves less than ``stallBytesPerSecond`` for this many seconds, waiting
        /// for the answer or in the middle of its body, is abandoned (curl error 28, "Operation too
        /// slow") and tried again like a failed connection: a server that stops sending costs
        /// this long per try, not the whole ``timeout``. 0 turns the check off.
        public var stallSeconds: Int = 10
        /// The speed under which a transfer counts as stalled.
        public var stallBytesPerSecond: Int = 1
        /// Tries in all, the first included.
        public var maxAttempts: Int = 4
        /// The backoff before the second try; doubled for each try after it.
        public var baseBackoff: Double = 0.25
        public var maxBackoff: Double = 8
        /// The longest `Retry-After` honoured.
        public var maxRetryAfter: Double = 30
        /// PEM CA certificates held in memory (a kubeconfig's `certificate-authority-data`).
        public var caData: [UInt8]?
        /// A PEM client certificate and its key, for TLS client authentication.
        public var clientCertificate: [UInt8]?
        public var clientKey: [UInt8]?
        /// Skips server verification; only when a configuration asks for it explicitly
        /// (`insecure-skip-tls-verify: true`).
        public var insecureSkipTLSVerify = false
        /// Where each try is logged at debug level; nil logs nothing.
        public var log: HTTPLog?

        public init(caBundlePath: String? = nil) {
            self.caBundlePath = caBundlePath
        }
    }

    public let options: Options
    private let lock = NSLock()
    private var idle: [UnsafeMutableRawPointer] = []
    private static let maxIdle = 8

    private static let globalInit: Bool = curl_global_init(CCurl_global_default()) == CURLE_OK

    public init(options: Options = Options()) {
        _ = HTTPClient.globalInit
        self.options = options
    }

    deinit {
        for handle in idle { curl_easy_cleanup(handle) }
    }

    /// Sends `request`, trying again as the type's documentation says. Returns any HTTP
    /// response (the last one, when all tries got a 429 or a 5xx); throws
    /// ``HTTPTransportError`` when the last try got none.
    public func send(_ request: HTTPRequest) throws -> HTTPResponse {
        var attempt = 1
        while true {
            do {
                let started = Date()
                let response: HTTPResponse
                do {
                    response = try sendOnce(request)
                } catch let error as HTTPTransportError {
                    options.log?.record(request, status: nil, failure: error.message, attempt: attempt, started: started)
                    throw error
                }
                options.log?.record(request, status: response.status, failure: nil, attempt: attempt, started: started)
                let retryable = response.status == 429 || (500...599).contains(response.status)
                guard retryable, attempt < options.maxAttempts else { return response }
                sleep(HTTPClient.retryDelay(attempt: attempt, retryAfter: response.header("retry-after"), options: options))
            } catch let error as HTTPTransportError {
                guard error.isRetryable, attempt < options.maxAttempts else { throw error }
                sleep(HTTPClient.retryDelay(attempt: attempt, retryAfter: nil, options: options))
            }
            attempt += 1
        }
    }

    /// The wait after try number `attempt` failed: `base·2^(attempt-1)` capped at `maxBackoff`,
    /// of which a random half is taken off (jitter); a longer `Retry-After` (seconds or an HTTP
    /// date), up to `maxRetryAfter`, wins.
    static func retryDelay(attempt: Int, retryAfter: String?, options: Options,
                           random: Double = Double.random(in: 0...1), now: Date = Date()) -> Double {
        let exponential = min(options.maxBackoff, options.baseBackoff * pow(2, Double(max(0, attempt - 1))))
        let jittered = exponential / 2 + exponential / 2 * random
        guard let retryAfter = retryAfter?.trimmingCharacters(in: .whitespaces), !retryAfter.isEmpty else {
            return jittered
        }
        var asked: Double?
        if let seconds = Double(retryAfter), seconds >= 0 {
            asked = seconds
        } else {
            let formatter = DateFormatter()
            formatter.locale = Locale(identifier: "en_US_POSIX")
            formatter.timeZone = TimeZone(identifier: "GMT")
            formatter.dateFormat = "EEE, dd MMM yyyy HH:mm:ss zzz"
            if let date = formatter.date(from: retryAfter) { asked = max(0, date.timeIntervalSince(now)) }
        }
        guard let asked else { return jittered }
        return max(jittered, min(asked, options.maxRetryAfter))
    }

    private func sleep(_ seconds: Double) {
        if seconds > 0 { Thread.sleep(forTimeInterval: seconds) }
    }

    // MARK: - One transfer

    private func checkout() throws -> UnsafeMutableRawPointer {
        lock.lock()
        let handle = idle.popLast()
        lock.unlock()
        if let handle { return handle }
        guard let fresh = curl_easy_init() else {
            throw HTTPTransportError(method: "", url: "", code: Int(CURLE_FAILED_INIT.rawValue), message: "curl_easy_init failed")
        }
        return fresh
    }

    private func checkin(_ handle: UnsafeMutableRawPointer, reusable: Bool) {
        // Drops the pointers to this request's buffers; keeps the open connections.
        curl_easy_reset(handle)
        lock.lock()
        let keep = reusable && idle.count < HTTPClient.maxIdle
        if keep { idle.append(handle) }
        lock.unlock()
        if !keep { curl_easy_cleanup(handle) }
    }

    private func sendOnce(_ request: HTTPRequest) throws -> HTTPResponse {
        let handle = try checkout()
        var reusable = true
        defer { checkin(handle, reusable: reusable) }

        var headerList: UnsafeMutablePointer<curl_slist>?
        defer { curl_slist_free_all(headerList) }
        var lines = request.headers.map { $0.value.isEmpty ? "\($0.name);" : "\($0.name): \($0.value)" }
        let method = request.method.uppercased()
        let sendsBody = !request.body.isEmpty || method == "PUT" || method == "POST"
        if sendsBody && !request.headers.contains(where: { $0.name.lowercased() == "content-type" }) {
            lines.append("Content-Type:") // removes curl's form-encoded default
        }
        lines.append("Expect:") // no 100-continue round trip
        for line in lines {
            guard let appended = curl_slist_append(headerList, line) else {
                throw transportError(request, CURLE_OUT_OF_MEMORY, "curl_slist_append failed")
            }
            headerList = appended
        }

        let collector = ResponseCollector()
        var errorBuffer = [CChar](repeating: 0, count: Int(CURL_ERROR_SIZE) + 1)
        // A zero-length body still needs a valid pointer: a NULL one makes curl read stdin.
        let body = request.body.isEmpty ? [UInt8](repeating: 0, count: 1) : request.body

        let code: CURLcode = withExtendedLifetime(collector) {
            body.withUnsafeBytes { bodyBytes in
                errorBuffer.withUnsafeMutableBufferPointer { errorBytes in
                    let context = Unmanaged.passUnretained(collector).toOpaque()
                    var setup = [CURLcode]()
                    setup.append(CCurl_setopt_string(handle, CURLOPT_URL, request.url))
                    setup.append(CCurl_setopt_pointer(handle, CURLOPT_ERRORBUFFER, UnsafeMutableRawPointer(errorBytes.baseAddress)))
                    setup.append(CCurl_setopt_long(handle, CURLOPT_NOSIGNAL, 1))
                    setup.append(CCurl_setopt_string(handle, CURLOPT_PROTOCOLS_STR, "http,https"))
                    setup.append(CCurl_setopt_long(handle, CURLOPT_FOLLOWLOCATION, 0))
                    setup.append(CCurl_setopt_long(handle, CURLOPT_PATH_AS_IS, 1))
                    setup.append(CCurl_setopt_long(handle, CURLOPT_CONNECTTIMEOUT_MS, Int(options.connectTimeout * 1000)))
                    setup.append(CCurl_setopt_long(handle, CURLOPT_TIMEOUT_MS, Int(options.timeout * 1000)))
                    setup.append(CCurl_setopt_long(handle, CURLOPT_LOW_SPEED_TIME, options.stallSeconds))
                    setup.append(CCurl_setopt_long(handle, CURLOPT_LOW_SPEED_LIMIT, options.stallSeconds > 0 ? options.stallBytesPerSecond : 0))
                    setup.append(CCurl_setopt_long(handle, CURLOPT_SSL_VERIFYPEER, options.insecureSkipTLSVerify ? 0 : 1))
                    setup.append(CCurl_setopt_long(handle, CURLOPT_SSL_VERIFYHOST, options.insecureSkipTLSVerify ? 0 : 2))
                    if let ca = options.caBundlePath {
                        setup.append(CCurl_setopt_string(handle, CURLOPT_CAINFO, ca))
                    }
                    if let ca = options.caData {
                        setup.append(ca.withUnsafeBytes { CCurl_setopt_blob(handle, CURLOPT_CAINFO_BLOB, $0.baseAddress, $0.count) })
                    }
                    if let certificate = options.clientCertificate {
                        setup.append(CCurl_setopt_string(handle, CURLOPT_SSLCERTTYPE, "PEM"))
                        setup.append(certificate.withUnsafeBytes { CCurl_setopt_blob(handle, CURLOPT_SSLCERT_BLOB, $0.baseAddress, $0.count) })
                    }
                    if let key = options.clientKey {
                        setup.append(CCurl_setopt_string(handle, CURLOPT_SSLKEYTYPE, "PEM"))
                        setup.append(key.withUnsafeBytes { CCurl_setopt_blob(handle, CURLOPT_SSLKEY_BLOB, $0.baseAddress, $0.count) })
                    }
                    setup.append(CCurl_setopt_slist(handle, CURLOPT_HTTPHEADER, headerList))
                    setup.append(CCurl_setopt_callback(handle, CURLOPT_WRITEFUNCTION) { data, size, count, context in
                        let length = size * count
                        guard length > 0, let data, let context else { return length }
                        let collector = Unmanaged<ResponseCollector>.fromOpaque(context).takeUnretainedValue()
                        collector.body.append(contentsOf: UnsafeRawBufferPointer(start: data, count: length))
                        return length
                    })
                    setup.append(CCurl_setopt_pointer(handle, CURLOPT_WRITEDATA, context))
                    setup.append(CCurl_setopt_callback(handle, CURLOPT_HEADERFUNCTION) { data, size, count, context in
                        let length = size * count
                        guard length > 0, let data, let context else { return length }
                        let collector = Unmanaged<ResponseCollector>.fromOpaque(context).takeUnretainedValue()
                        collector.headerLine(UnsafeRawBufferPointer(start: data, count: length))
                        return length
                    })
                    setup.append(CCurl_setopt_pointer(handle, CURLOPT_HEADERDATA, context))
                    switch method {
                    case "GET" where request.body.isEmpty:
                        setup.append(CCurl_setopt_long(handle, CURLOPT_HTTPGET, 1))
                    case "HEAD":
                        setup.append(CCurl_setopt_long(handle, CURLOPT_NOBODY, 1))
                    default:
                        if sendsBody {
                            setup.append(CCurl_setopt_off(handle, CURLOPT_POSTFIELDSIZE_LARGE, curl_off_t(request.body.count)))
                            setup.append(CCurl_setopt_pointer(handle, CURLOPT_POSTFIELDS, UnsafeMutableRawPointer(mutating: bodyBytes.baseAddress)))
                        }
                        if method != "POST" {
                            setup.append(CCurl_setopt_string(handle, CURLOPT_CUSTOMREQUEST, method))
                        }
                    }
                    if let failed = setup.first(where: { $0 != CURLE_OK }) { return failed }
                    return curl_easy_perform(handle)
                }
            }
        }

        guard code == CURLE_OK else {
            reusable = false
            let detail = String(decoding: errorBuffer.prefix { $0 != 0 }.map { UInt8(bitPattern: $0) }, as: UTF8.self)
            throw transportError(request, code, detail.isEmpty ? String(cString: curl_easy_strerror(code)) : detail)
        }
        var status = 0
        _ = CCurl_getinfo_long(handle, CURLINFO_RESPONSE_CODE, &status)
        return HTTPResponse(status: status, headers: collector.headers, body: collector.body)
    }

    private func transportError(_ request: HTTPRequest, _ code: CURLcode, _ message: String) -> HTTPTransportError {
        HTTPTransportError(method: request.method, url: request.url, code: Int(code.rawValue), message: message)
    }
}

/// Gathers one transfer's response for the C callbacks (reached through an unretained pointer,
/// alive for the whole transfer); used by one thread at a time.
private final class ResponseCollector {
    var body: [UInt8] = []
    var headers: [String: String] = [:]

    func headerLine(_ bytes: UnsafeRawBufferPointer) {
        let line = String(decoding: bytes, as: UTF8.self).trimmingCharacters(in: .whitespacesAndNewlines)
        if line.hasPrefix("HTTP/") {
            headers = [:] // a new response (after a 100 Continue): only the last one counts
            return
        }
        guard let colon = line.firstIndex(of: ":") else { return }
        let name = line[..<colon].trimmingCharacters(in: .whitespaces).lowercased()
        let value = line[line.index(after: colon)...].trimmingCharacters(in: .whitespaces)
        guard !name.isEmpty else { return }
        if let existing = headers[name] {
            headers[name] = existing + ", " + value
        } else {
            headers[name] = value
        }
    }
}
