/// An API server's refusal: the request, the HTTP status, and the `Status` object's `reason` and
/// `message` (`409 Conflict: Operation cannot be fulfilled on configmaps "app"…`).
///
/// Built from the `Status` body only: a body that is not a `Status` is summarised by its status
/// code, never quoted, so no object's content (a Secret's data) reaches a message.
public struct KubeAPIError: Error, Sendable, CustomStringConvertible {
    public var method: String
    /// The path and query of the request (`/api/v1/namespaces/shop/configmaps?limit=500`).
    public var path: String
    /// The HTTP status code.
    public var status: Int
    /// `Status.reason` (`NotFound`, `Conflict`, `Expired`, `Forbidden`, `Invalid` …), or `""`.
    public var reason: String
    /// `Status.message`, or a short statement when the body was not a `Status`.
    public var message: String

    public init(method: String, path: String, status: Int, reason: String, message: String) {
        self.method = method; self.path = path; self.status = status; self.reason = reason; self.message = message
    }

    /// Reads the `Status` body of an error response.
    init(method: String, path: String, response: HTTPResponse) {
        self.method = method
        self.path = path
        self.status = response.status
        let body = try? JSONParser.parse(response.body, source: "response")
        if let body, body["kind"]?.stringValue == "Status" {
            reason = body["reason"]?.stringValue ?? ""
            message = KubeAPIError.shortened(body["message"]?.stringValue ?? "")
        } else {
            reason = ""
            message = "the answer (\(response.header("content-type") ?? "no content type"), \(response.body.count) bytes) is not a Status object"
        }
    }

    /// `GET /api/v1/pods: 403 Forbidden: pods is forbidden: User "x" cannot list…`.
    public var description: String {
        "\(method) \(path): \(status)" + (reason.isEmpty ? "" : " \(reason)") + (message.isEmpty ? "" : ": \(message)")
    }

    /// `reason: message`, for an apply report line.
    public var summary: String {
        (reason.isEmpty ? "HTTP \(status)" : "\(status) \(reason)") + (message.isEmpty ? "" : ": \(message)")
    }

    /// At most 1,000 characters (validation messages can quote long values).
    static func shortened(_ message: String) -> String {
        message.count <= 1000 ? message : String(message.prefix(1000)) + "…"
    }
}
