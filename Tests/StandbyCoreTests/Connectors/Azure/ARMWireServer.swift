import Foundation
import Testing
@testable import StandbyCore
import StandbyTestSupport

/// `Tests/Servers/arm_wire_server.py` (an in-memory ARM speaking ARM's wire format, seeded from
/// `Tests/Fixtures/arm`; not Azure), one per test so that tests running at once do not share
/// state, with its test controls.
struct ARMWireServer {
    let server: LocalServer
    var endpoint: String { server.endpoint }

    /// The fixture ids the server is seeded with.
    static let fixtureSubscription = "00000000-0000-0000-0000-000000000000"
    static let cluster = "/subscriptions/00000000-0000-0000-0000-000000000000/resourcegroups/rg1/providers/Microsoft.ContainerService/managedClusters/clustername1"
    static let agentPool = cluster + "/agentPools/agentpool1"
    static let routeTable = "/subscriptions/subid/resourceGroups/rg1/providers/Microsoft.Network/routeTables/testrt"
    static let firewall = "/subscriptions/subid/resourceGroups/rg1/providers/Microsoft.Network/azureFirewalls/azurefirewall"

    static func start() throws -> ARMWireServer {
        let fixtures = try #require(Fixtures.path("arm"))
        return ARMWireServer(server: try LocalServer.startScript("arm_wire_server.py", arguments: [fixtures], probe: "/_test/requests"))
    }

    /// Settings for this server: small retry backoffs and polling waits (a `Retry-After: 1` is
    /// honoured up to 10 ms), so that tests stay fast.
    func settings(subscription: String = ARMWireServer.fixtureSubscription, token: AzureTokenSource? = .accessToken("test-token"),
                  environment: [String: String] = [:]) -> AzureSettings {
        var settings = AzureSettings(subscription: subscription, endpoint: endpoint, token: token, environment: environment)
        settings.http.maxAttempts = 4
        settings.http.baseBackoff = 0.001
        settings.http.maxBackoff = 0.01
        settings.http.maxRetryAfter = 0.01
        settings.http.timeout = 20
        settings.polling = ARMPolling(interval: 0.001, longestWait: 0.01, timeout: 60)
        return settings
    }

    func client(subscription: String = ARMWireServer.fixtureSubscription, token: AzureTokenSource? = .accessToken("test-token"),
                environment: [String: String] = [:]) -> ARMClient {
        ARMClient(settings: settings(subscription: subscription, token: token, environment: environment))
    }

    /// POSTs a test control (`faults`, `fail`, `clients`, `resources`, `config`, `reset`).
    func control(_ name: String, _ body: JSONValue = [:]) throws {
        let response = try HTTPClient().send(HTTPRequest(method: "POST", url: "\(endpoint)/_test/\(name)",
                                                         headers: [("Content-Type", "application/json")],
                                                         body: Array(JSONSerializer.serialize(body).utf8)))
        #expect(response.status == 200, "POST /_test/\(name) → \(response.status)")
    }

    /// Every request the server got: `method`, `path`, `query`, `token` (whether one came) and `tokenHash`.
    func requests() throws -> [JSONValue] {
        let response = try HTTPClient().send(HTTPRequest(method: "GET", url: "\(endpoint)/_test/requests"))
        return try JSONParser.parse(response.body)["requests"]?.arrayValue ?? []
    }

    /// The requests to `path` (compared case-insensitively).
    func requests(to path: String, method: String = "GET") throws -> [JSONValue] {
        try requests().filter { $0["method"]?.stringValue == method && $0["path"]?.stringValue?.lowercased() == path.lowercased() }
    }

    /// What the server records of a token: the first 16 hex digits of its SHA-256.
    static func tokenHash(_ token: String) -> String { String(Digest.sha256(token).prefix(16)) }
}

