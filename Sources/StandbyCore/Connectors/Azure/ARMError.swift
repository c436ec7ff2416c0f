/// One entry of an ARM error's `details`: what failed and where.
public struct ARMErrorDetail: Sendable, Hashable, CustomStringConvertible {
    /// ARM's or the resource provider's error code (`QuotaExceeded`, `InvalidParameter`).
    public var code: String
    public var message: String
    /// The resource or deployment it is about (an ARM id), when ARM says.
    public var target: String?

    public init(code: String, message: String, target: String? = nil) {
        self.code = code; self.message = message; self.target = target
    }

    /// `…/managedClusters/aks: QuotaExceeded: Operation could not be completed…`.
    public var description: String { (target.map { "\($0): " } ?? "") + "\(code): \(message)" }
}

/// An ARM request that failed: the method and URL (secret-looking query values redacted; headers
/// and bodies never appear), the HTTP status, and ARM's error `code`, `message` and `details`.
///
/// `GET https://management.azure.com/subscriptions/…/managedClusters/x?api-version=2025-10-01: 404
/// ResourceNotFound: The Resource 'Microsoft.ContainerService/managedClusters/x' … was not found.`
public struct ARMError: Error, Sendable, CustomStringConvertible {
    /// `GET`, `PUT`.
    public var method: String
    /// The request URL, redacted as ``HTTPLog/redacted(_:)`` does.
    public var url: String
    /// The HTTP status; nil when the failure is not an HTTP answer's (no api-version known, a poll
    /// that timed out, a deployment that was accepted and then ended `Failed`).
    public var status: Int?
    /// ARM's error code (`ResourceNotFound`, `DeploymentFailed`), or `HTTP<status>` for a body that is not ARM's.
    public var code: String
    public var message: String
    /// The innermost details of the error tree, depth first; each keeps the nearest `target`
    /// named on its way down (a failed deployment names the resource that failed there).
    public var details: [ARMErrorDetail]

    public init(method: String, url: String, status: Int?, code: String, message: String, details: [ARMErrorDetail] = []) {
        self.method = method.uppercased()
        self.url = HTTPLog.redacted(url)
        self.status = status
        self.code = code
        self.message = message
        self.details = details
    }

    public var description: String {
        var text = "\(method) \(url): "
        if let status { text += "\(status) " }
        text += "\(code): \(message)"
        if let first = details.first { text += " (\(first))" }
        if details.count > 1 { text += " (and \(details.count - 1) more)" }
        return text
    }

    /// The error of an ARM response: `{"error": {"code", "message", "details"}}` (also the bare
    /// `{"code", "message"}` some operations answer with); the status and the start of the body
    /// when the body is not ARM's.
    static func from(response: HTTPResponse, method: String, url: String) -> ARMError {
        let body = try? JSONParser.parse(response.body, source: url)
        if let error = body?["error"] ?? body, let parsed = parse(error) {
            return ARMError(method: method, url: url, status: response.status, code: parsed.code,
                            message: parsed.message, details: parsed.details)
        }
        let text = String(decoding: response.body.prefix(300), as: UTF8.self)
            .trimmingCharacters(in: .whitespacesAndNewlines)
        return ARMError(method: method, url: url, status: response.status, code: "HTTP\(response.status)",
                        message: text.isEmpty ? "no error body" : text)
    }

    /// An ARM error object's code, message and innermost details; nil when `error` is not one.
    static func parse(_ error: JSONValue) -> (code: String, message: String, details: [ARMErrorDetail])? {
        guard let code = error["code"]?.stringValue else { return nil }
        let message = error["message"]?.stringValue ?? ""
        var leaves: [ARMErrorDetail] = []
        collectLeaves(error["details"], inheritedTarget: error["target"]?.stringValue, into: &leaves)
        return (code, message, leaves)
    }

    private static func collectLeaves(_ details: JSONValue?, inheritedTarget: String?, into leaves: inout [ARMErrorDetail]) {
        for detail in details?.arrayValue ?? [] {
            let target = detail["target"]?.stringValue ?? inheritedTarget
            if let inner = detail["details"]?.arrayValue, !inner.isEmpty {
                collectLeaves(detail["details"], inheritedTarget: target, into: &leaves)
            } else if let code = detail["code"]?.stringValue {
                leaves.append(ARMErrorDetail(code: code, message: detail["message"]?.stringValue ?? "", target: target))
            }
        }
    }
}

/// A bearer token could not be had: which source, and why (never the token or a secret).
public struct AzureTokenError: Error, Sendable, CustomStringConvertible {
    /// The source, as ``AzureTokenSource/description`` names it.
    public var source: String
    public var message: String

    public init(source: String, message: String) { self.source = source; self.message = message }

    public var description: String { "no Azure token from the \(source): \(message)" }
}
