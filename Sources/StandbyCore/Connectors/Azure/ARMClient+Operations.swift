import Foundation

/// How an ARM long-running operation ended, as its polling saw it.
struct ARMOperationEnd {
    /// The terminal status the `Azure-AsyncOperation` (or, polled itself, the resource's
    /// `provisioningState`) reached; nil when a `Location` answer said it was done, or when the
    /// first answer named nothing to poll.
    var state: String?
    /// The operation's `error` object, when it gave one.
    var error: JSONValue?
    /// The `Location` URL's last answer, when that was what was polled.
    var locationAnswer: HTTPResponse?
}

extension ARMClient {
    /// Polls the long-running operation a PUT or DELETE answer (`first`) started until it ends:
    /// its `Azure-AsyncOperation`, else its `Location`, else (with `pollResource`) the resource at
    /// `url` itself, honouring `Retry-After` up to ``ARMPolling/longestWait`` and giving up after
    /// ``ARMPolling/timeout``. Operation URLs away from the endpoint are refused, never followed.
    /// `what` names the operation in errors and in `progress`.
    func awaitOperation(_ first: HTTPResponse, url: String, what: String, pollResource: Bool,
                        progress: (any ProgressReporter)? = nil) throws -> ARMOperationEnd {
        let asyncOperation = first.header("azure-asyncoperation")
        let location = first.header("location")
        for link in [asyncOperation, location].compactMap({ $0 }) where !isOnEndpoint(link) {
            throw ARMError(method: "PUT", url: url, status: first.status, code: "ForeignOperationURL",
                           message: "the operation URL points away from \(settings.endpoint): not followed")
        }
        if asyncOperation == nil, location == nil {
            guard pollResource else { return ARMOperationEnd() }
            if let state = (try? decode(first, method: "PUT", url: url))?["properties"]?["provisioningState"]?.stringValue,
               Self.isTerminal(state) {
                return ARMOperationEnd(state: state)
            }
        }
        let started = Date()
        var retryAfter = first.header("retry-after")
        var polls = 0
        while true {
            if Date().timeIntervalSince(started) > settings.polling.timeout {
                throw ARMError(method: "GET", url: asyncOperation ?? location ?? url, status: nil, code: "PollingTimedOut",
                               message: "\(what) had not finished after \(Int(settings.polling.timeout)) s; it goes on in Azure")
            }
            let pause = settings.polling.wait(retryAfter: retryAfter)
            if pause > 0 { Thread.sleep(forTimeInterval: pause) }
            polls += 1
            if let asyncOperation {
                let response = try send("GET", url: asyncOperation)
                guard (200...299).contains(response.status) else {
                    throw ARMError.from(response: response, method: "GET", url: asyncOperation)
                }
                let status = try decode(response, method: "GET", url: asyncOperation)
                let state = status["status"]?.stringValue ?? "InProgress"
                progress?.update("\(what) (\(state))", done: polls, total: nil)
                if Self.isTerminal(state) { return ARMOperationEnd(state: state, error: status["error"]) }
                retryAfter = response.header("retry-after")
            } else if let location {
                let response = try send("GET", url: location)
                progress?.update(what, done: polls, total: nil)
                if response.status != 202 { return ARMOperationEnd(locationAnswer: response) }
                retryAfter = response.header("retry-after")
            } else {
                let response = try send("GET", url: url)
                guard (200...299).contains(response.status) else { throw ARMError.from(response: response, method: "GET", url: url) }
                let state = try decode(response, method: "GET", url: url)["properties"]?["provisioningState"]?.stringValue ?? ""
                progress?.update("\(what) (\(state))", done: polls, total: nil)
                if Self.isTerminal(state) { return ARMOperationEnd(state: state) }
                retryAfter = response.header("retry-after")
            }
        }
    }

    static func isTerminal(_ state: String) -> Bool {
        ["succeeded", "failed", "canceled", "cancelled"].contains(state.lowercased())
    }
}
