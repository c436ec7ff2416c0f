import Foundation

/// Debug logging of HTTP requests: one line per try, `http: GET https://host/path?a=1 → 200 in 12 ms`.
///
/// A line names the method, the URL (query values whose names look secret — signatures, tokens,
/// credentials, keys, codes, passwords — replaced by `REDACTED`), the status or the transport
/// failure, the time taken and the try number. Headers (an `Authorization`, a session token) and
/// bodies (a Secret's data, a client secret) are never logged.
public struct HTTPLog: Sendable {
    private let write: @Sendable (String) -> Void

    /// A log writing each line to `write`.
    public init(_ write: @escaping @Sendable (String) -> Void) { self.write = write }

    /// Lines to standard error.
    public static let standardError = HTTPLog { line in
        FileHandle.standardError.write(Data((line + "\n").utf8))
    }

    /// ``standardError`` when `STANDBY_LOG` is `debug`, else nil.
    public static func fromEnvironment(_ environment: [String: String] = ProcessInfo.processInfo.environment) -> HTTPLog? {
        environment["STANDBY_LOG"]?.lowercased() == "debug" ? .standardError : nil
    }

    func record(_ request: HTTPRequest, status: Int?, failure: String?, attempt: Int, started: Date) {
        let milliseconds = Int((Date().timeIntervalSince(started) * 1000).rounded())
        var line = "http: \(request.method.uppercased()) \(HTTPLog.redacted(request.url)) → "
        line += status.map(String.init) ?? "failed (\(failure ?? "no response"))"
        line += " in \(milliseconds) ms"
        if attempt > 1 { line += " (try \(attempt))" }
        write(line)
    }

    /// Name fragments of query parameters whose values are never logged.
    static let secretNames = ["sig", "token", "credential", "secret", "password", "key", "code", "assertion"]

    /// `url` with the values of secret-looking query parameters replaced by `REDACTED`.
    public static func redacted(_ url: String) -> String {
        guard let q = url.firstIndex(of: "?") else { return url }
        let head = url[..<q]
        var fragment = ""
        var query = url[url.index(after: q)...]
        if let hash = query.firstIndex(of: "#") {
            fragment = String(query[hash...])
            query = query[..<hash]
        }
        let pairs = query.split(separator: "&", omittingEmptySubsequences: false).map { pair -> String in
            guard let eq = pair.firstIndex(of: "=") else { return String(pair) }
            let name = pair[..<eq].lowercased()
            return secretNames.contains(where: name.contains) ? "\(pair[..<eq])=REDACTED" : String(pair)
        }
        return head + "?" + pairs.joined(separator: "&") + fragment
    }
}

extension HTTPClient.Options {
    /// The defaults, with the request log ``HTTPLog/fromEnvironment(_:)`` turns on and the CA
    /// bundle the environment names: the first of `caBundleVariables` set (a connector's own
    /// convention, `AWS_CA_BUNDLE`, `REQUESTS_CA_BUNDLE`), else `STANDBY_CA_BUNDLE`.
    public init(environment: [String: String], caBundleVariables: [String] = []) {
        self.init()
        log = HTTPLog.fromEnvironment(environment)
        caBundlePath = (caBundleVariables + ["STANDBY_CA_BUNDLE"]).lazy.compactMap { environment[$0] }.first { !$0.isEmpty }
    }
}
