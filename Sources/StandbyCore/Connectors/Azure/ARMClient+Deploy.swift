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
        // How the operation ended matters less than how the deployment did: read it once it has.
        _ = try awaitOperation(response, url: url, what: "deploying \(name)", pollResource: true, progress: progress)
        let finished = try request("GET", url: url)
        let state = finished["properties"]?["provisioningState"]?.stringValue ?? ""
        if state == "Failed" || state == "Canceled" {
            throw deploymentError(finished["properties"]?["error"], state: state, name: name, url: url)
        }
        progress.event("deployed \(name): \(state)")
        return finished
    }

    private func deploymentError(_ error: JSONValue?, state: String, name: String, url: String) -> ARMError {
        if let error, let parsed = ARMError.parse(error) {
            return ARMError(method: "PUT", url: url, status: nil, code: parsed.code, message: parsed.message, details: parsed.details)
        }
        return ARMError(method: "PUT", url: url, status: nil, code: "Deployment\(state)", message: "deployment \(name) ended \(state)")
    }
}
