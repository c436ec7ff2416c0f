import Foundation

/// How the ARM connector reaches Azure: the subscription, the ARM endpoint, the token source and
/// the HTTP options.
public struct AzureSettings: Sendable {
    /// The subscription id requests are made in.
    public var subscription: String
    /// The ARM endpoint, `https://management.azure.com` (tests: `http://127.0.0.1:PORT`).
    public var endpoint: String
    /// Where the bearer token comes from; nil means ``AzureTokenSource/automatic(environment:)``.
    public var token: AzureTokenSource?
    /// The environment the token source reads (`AZURE_*`, and `PATH` to find `az`).
    public var environment: [String: String]
    /// Retries, timeouts, TLS (a CA bundle from `REQUESTS_CA_BUNDLE` or `STANDBY_CA_BUNDLE`) and
    /// the request log of every request.
    public var http: HTTPClient.Options
    /// The scope a service principal asks the token endpoint for.
    public var tokenScope: String = "https://management.azure.com/.default"
    /// How a deployment's asynchronous operation is polled.
    public var polling = ARMPolling()

    public init(subscription: String, endpoint: String = "https://management.azure.com", token: AzureTokenSource? = nil,
                environment: [String: String] = ProcessInfo.processInfo.environment) {
        self.subscription = subscription
        self.endpoint = endpoint
        self.token = token
        self.environment = environment
        self.http = HTTPClient.Options(environment: environment, caBundleVariables: ["REQUESTS_CA_BUNDLE"])
    }

    /// The token source in effect.
    public var tokenSource: AzureTokenSource { token ?? .automatic(environment: environment) }
}

/// How long to wait between polls of a long-running ARM operation, and for how long in all.
public struct ARMPolling: Sendable {
    /// The wait when the answer has no `Retry-After`.
    public var interval: Double = 10
    /// The longest wait honoured, whatever `Retry-After` asks (tests make this tiny).
    public var longestWait: Double = 60
    /// How long to wait for the operation before giving up (it goes on in Azure).
    public var timeout: Double = 3 * 3600

    public init(interval: Double = 10, longestWait: Double = 60, timeout: Double = 3 * 3600) {
        self.interval = interval
        self.longestWait = longestWait
        self.timeout = timeout
    }

    /// The wait before the next poll after an answer that carried `retryAfter`.
    func wait(retryAfter: String?) -> Double {
        let asked = retryAfter.flatMap { Double($0.trimmingCharacters(in: .whitespaces)) }.map { max(0, $0) }
        return min(asked ?? interval, longestWait)
    }
}
