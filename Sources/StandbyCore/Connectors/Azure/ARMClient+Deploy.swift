import Foundation

extension ARMClient {
    /// The URL of subscription deployment `name`.
    func deploymentURL(_ name: String) -> String {
        url(path: "/subscriptions/\(settings.subscription)/providers/Microsoft.Resources/deployments/\(name)",
            apiVersion: ARMAPIVersions.deployments)
    }

    /// Deploys `template` at subscription scope in Incremental mode
    /// (`PUT /subscriptions/S/providers/Microsoft.Resources/deployments/NAME`), waits for it by
    /// polling its `Azure-AsyncOperation` (else `Location`, else the deployment itself), honouring
    /// `Retry-After` up to ``ARMPolling/longestWait``, and returns the finished deployment.
    ///
    /// `parameters` is either a parameters file (`{"$schema", "parameters": {...}}`) or the
    /// parameters object itself. Deploying the same template again is safe: Incremental mode
    /// updates what exists and creates what does not.
    /// - Throws: ``ARMError``: the PUT's error, or, for a deployment that ended `Failed` or
    ///   `Canceled`, the deployment's error with its details (the failing resources as targets).
    public func deploy(name: String, location: String, template: JSONValue, parameters: JSONValue,
                       progress: any ProgressReporter) throws -> JSONValue {
        let url = deploymentURL(name)
        let values = parameters["parameters"]?.objectValue != nil && parameters["$schema"] != nil
            ? parameters["parameters"]! : parameters
        let body: JSONValue = .object(JSONObject([
            ("location", .string(location)),
            ("properties", .object(JSONObject([
                ("mode", "Incremental"), ("template", template), ("parameters", values),
            ]))),
        ]))
        progress.update("deploying \(name)", done: 0, total: nil)
        let response = try send("PUT", url: url, body: body)
        guard (200...299).contains(response.status) else { throw ARMError.from(response: response, method: "PUT", url: url) }
        try wait(for: response, deployment: name, url: url, progress: progress)
        let finished = try request("GET", url: url)
        let state = finished["properties"]?["provisioningState"]?.stringValue ?? ""
        if state == "Failed" || state == "Canceled" {
            throw deploymentError(finished["properties"]?["error"], state: state, name: name, url: url)
        }
        progress.event("deployed \(name): \(state)")
        return finished
    }

    /// Polls until the deployment reaches a terminal state.
    private func wait(for put: HTTPResponse, deployment name: String, url: String, progress: any ProgressReporter) throws {
        let asyncOperation = put.header("azure-asyncoperation")
        let location = put.header("location")
        let started = Date()
        var retryAfter = put.header("retry-after")
        var polls = 0
        for link in [asyncOperation, location].compactMap({ $0 }) where !isOnEndpoint(link) {
            throw ARMError(method: "PUT", url: url, status: put.status, code: "ForeignOperationURL",
                           message: "the operation URL points away from \(settings.endpoint): not followed")
        }
        if asyncOperation == nil, location == nil,
           let state = (try? decode(put, method: "PUT", url: url))?["properties"]?["provisioningState"]?.stringValue,
           Self.isTerminal(state) {
            return
        }
        while true {
            if Date().timeIntervalSince(started) > settings.polling.timeout {
                throw ARMError(method: "GET", url: asyncOperation ?? location ?? url, status: nil, code: "PollingTimedOut",
                               message: "deployment \(name) had not finished after \(Int(settings.polling.timeout)) s; it goes on in Azure")
            }
            let pause = settings.polling.wait(retryAfter: retryAfter)
            if pause > 0 { Thread.sleep(forTimeInterval: pause) }
            polls += 1
            if let asyncOperation {
                let response = try send("GET", url: asyncOperation)
                guard (200...299).contains(response.status) else {
                    throw ARMError.from(response: response, method: "GET", url: asyncOperation)
                }
                let status = try decode(response, method: "GET", url: asyncOperation)["status"]?.stringValue ?? "Running"
                progress.update("deploying \(name) (\(status))", done: polls, total: nil)
                if Self.isTerminal(status) { return }
                retryAfter = response.header("retry-after")
            } else if let location {
                let response = try send("GET", url: location)
                progress.update("deploying \(name)", done: polls, total: nil)
                if response.status != 202 { return } // done: the deployment GET tells how it ended
                retryAfter = response.header("retry-after")
            } else {
                let response = try send("GET", url: url)
                guard (200...299).contains(response.status) else { throw ARMError.from(response: response, method: "GET", url: url) }
                let state = try decode(response, method: "GET", url: url)["properties"]?["provisioningState"]?.stringValue ?? ""
                progress.update("deploying \(name) (\(state))", done: polls, total: nil)
                if Self.isTerminal(state) { return }
                retryAfter = response.header("retry-after")
            }
        }
    }

    static func isTerminal(_ state: String) -> Bool {
        ["succeeded", "failed", "canceled", "cancelled"].contains(state.lowercased())
    }

    private func deploymentError(_ error: JSONValue?, state: String, name: String, url: String) -> ARMError {
        if let error, let parsed = ARMError.parse(error) {
            return ARMError(method: "PUT", url: url, status: nil, code: parsed.code, message: parsed.message, details: parsed.details)
        }
        return ARMError(method: "PUT", url: url, status: nil, code: "Deployment\(state)", message: "deployment \(name) ended \(state)")
    }
}
