import Foundation
import Testing
@testable import StandbyCore
import StandbyTestSupport

/// The debug request log: one line per try, never a header, a body or a secret query value.
@Suite("HTTP request log")
struct HTTPLogTests {
    final class Lines: @unchecked Sendable {
        private let lock = NSLock()
        private var lines: [String] = []
        func append(_ line: String) { lock.lock(); lines.append(line); lock.unlock() }
        var all: [String] { lock.lock(); defer { lock.unlock() }; return lines }
    }

    @Test func secretLookingQueryValuesAreRedacted() {
        #expect(HTTPLog.redacted("https://a.blob.core.windows.net/c/x?sv=2022&sig=AbC%2F&se=2026") ==
                "https://a.blob.core.windows.net/c/x?sv=2022&sig=REDACTED&se=2026")
        #expect(HTTPLog.redacted("https://s3.amazonaws.com/b/k?X-Amz-Credential=AKIA/x&X-Amz-Signature=ff&X-Amz-Security-Token=t&partNumber=2") ==
                "https://s3.amazonaws.com/b/k?X-Amz-Credential=REDACTED&X-Amz-Signature=REDACTED&X-Amz-Security-Token=REDACTED&partNumber=2")
        #expect(HTTPLog.redacted("https://k8s/api/v1/pods?limit=500&continue=abc") == "https://k8s/api/v1/pods?limit=500&continue=abc",
                "a continue token is a page cursor, not a credential")
        #expect(HTTPLog.redacted("https://login/t/oauth2?code=123&client_secret=s#frag") == "https://login/t/oauth2?code=REDACTED&client_secret=REDACTED#frag")
        #expect(HTTPLog.redacted("https://management.azure.com/subscriptions/x?api-version=2024-01-01") ==
                "https://management.azure.com/subscriptions/x?api-version=2024-01-01")
    }

    @Test("each try is one line with method, redacted URL, status and time; no header or body reaches it (against a moto server)")
    func requestsAreLoggedWithoutSecrets() throws {
        guard let endpoint = MotoServer.endpoint() else { return }
        let lines = Lines()
        var options = HTTPClient.Options()
        options.log = HTTPLog { lines.append($0) }
        let client = HTTPClient(options: options)
        let secret = "secret-token-5d1e"
        let response = try client.send(HTTPRequest(
            method: "GET", url: endpoint + "/moto-api/?token=\(secret)&view=1",
            headers: [(name: "Authorization", value: "Bearer \(secret)")], body: []))
        #expect(response.status == 200)
        let line = try #require(lines.all.first)
        #expect(lines.all.count == 1)
        #expect(line.hasPrefix("http: GET \(endpoint)/moto-api/?token=REDACTED&view=1 → 200 in "))
        #expect(line.hasSuffix(" ms"))
        #expect(!line.contains(secret) && !line.contains("Authorization") && !line.contains("Bearer"))
    }

    @Test("a transfer that fails is logged as failed, with every try numbered")
    func failuresAndRetriesAreLogged() throws {
        let lines = Lines()
        var options = HTTPClient.Options()
        options.log = HTTPLog { lines.append($0) }
        options.maxAttempts = 2
        options.baseBackoff = 0.01
        options.connectTimeout = 1
        let client = HTTPClient(options: options)
        #expect(throws: HTTPTransportError.self) {
            _ = try client.send(HTTPRequest(method: "POST", url: "http://127.0.0.1:1/x", body: Array("password=hunter2".utf8)))
        }
        #expect(lines.all.count == 2)
        #expect(lines.all.allSatisfy { $0.hasPrefix("http: POST http://127.0.0.1:1/x → failed (") })
        #expect(lines.all.last?.hasSuffix("(try 2)") == true)
        #expect(!lines.all.joined().contains("hunter2"))
    }

    @Test func theEnvironmentTurnsTheLogOn() {
        #expect(HTTPLog.fromEnvironment(["STANDBY_LOG": "debug"]) != nil)
        #expect(HTTPLog.fromEnvironment(["STANDBY_LOG": "info"]) == nil)
        #expect(HTTPLog.fromEnvironment([:]) == nil)
    }
}
