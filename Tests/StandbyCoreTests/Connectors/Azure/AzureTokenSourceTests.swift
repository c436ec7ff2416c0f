import Foundation
import Testing
@testable import StandbyCore
import StandbyTestSupport

@Suite("Azure token sources against a wire-format test server")
struct AzureTokenSourceTests {
    static let tenant = "72f988bf-86f1-41af-91ab-2d7cd011db47"
    static let clientID = "6f3a1c2e-0000-4d5e-9abc-1234567890ab"
    static let secret = "s3cr3t~Value.For-Tests"

    @Test func automaticPrefersTheTokenThenTheServicePrincipalThenTheCLI() {
        let sp = ["AZURE_TENANT_ID": "t", "AZURE_CLIENT_ID": "c", "AZURE_CLIENT_SECRET": "s"]
        guard case .accessToken("tok") = AzureTokenSource.automatic(environment: sp.merging(["AZURE_ACCESS_TOKEN": "tok"]) { a, _ in a }) else {
            Issue.record("AZURE_ACCESS_TOKEN should win"); return
        }
        guard case .servicePrincipal("t", "c", "s", "https://login.microsoftonline.com") = AzureTokenSource.automatic(environment: sp) else {
            Issue.record("a service principal from AZURE_TENANT_ID/CLIENT_ID/CLIENT_SECRET"); return
        }
        guard case .servicePrincipal(_, _, _, "https://login.microsoftonline.us") =
                AzureTokenSource.automatic(environment: sp.merging(["AZURE_AUTHORITY_HOST": "https://login.microsoftonline.us"]) { a, _ in a }) else {
            Issue.record("AZURE_AUTHORITY_HOST picks the authority"); return
        }
        guard case .azureCLI = AzureTokenSource.automatic(environment: ["AZURE_TENANT_ID": "t", "AZURE_CLIENT_ID": "c"]) else {
            Issue.record("without a secret, the CLI"); return
        }
        let described = "\(AzureTokenSource.servicePrincipal(tenant: "t", clientID: "c", secret: "hush", authorityHost: "h"))"
            + "\(AzureTokenSource.accessToken("hush"))" + String(reflecting: AzureTokenSource.accessToken("hush"))
        #expect(!described.contains("hush"))
    }

    @Test func theEnvironmentTokenIsSentAsTheBearerToken() throws {
        let arm = try ARMWireServer.start()
        let client = arm.client(token: nil, environment: ["AZURE_ACCESS_TOKEN": "env-token-1"])
        _ = try client.get(id: ARMWireServer.routeTable)
        let seen = try arm.requests(to: ARMWireServer.routeTable)
        #expect(seen.count == 1)
        #expect(seen.first?["tokenHash"]?.stringValue == ARMWireServer.tokenHash("env-token-1"))
    }

    @Test func aServicePrincipalGetsOneTokenFromTheTokenEndpointAndReusesIt() throws {
        let arm = try ARMWireServer.start()
        try arm.control("clients", ["tenant": .string(Self.tenant), "clientId": .string(Self.clientID), "secret": .string(Self.secret)])
        let client = arm.client(token: nil, environment: [
            "AZURE_TENANT_ID": Self.tenant, "AZURE_CLIENT_ID": Self.clientID, "AZURE_CLIENT_SECRET": Self.secret,
            "AZURE_AUTHORITY_HOST": arm.endpoint,
        ])
        _ = try client.get(id: ARMWireServer.routeTable)
        _ = try client.get(id: ARMWireServer.firewall)
        let tokenPosts = try arm.requests(to: "/\(Self.tenant)/oauth2/v2.0/token", method: "POST")
        #expect(tokenPosts.count == 1)
        let reads = try arm.requests().filter { $0["method"] == "GET" }
        #expect(reads.count == 2)
        let hashes = Set(reads.compactMap { $0["tokenHash"]?.stringValue })
        #expect(hashes.count == 1, "both reads carry the same token")
        #expect(reads.allSatisfy { $0["token"] == true })
    }

    @Test func aWrongClientSecretIsAClearErrorWithoutTheSecret() throws {
        let arm = try ARMWireServer.start()
        try arm.control("clients", ["tenant": .string(Self.tenant), "clientId": .string(Self.clientID), "secret": .string(Self.secret)])
        let client = arm.client(token: .servicePrincipal(tenant: Self.tenant, clientID: Self.clientID, secret: "wrong-secret-value",
                                                         authorityHost: arm.endpoint + "/"))
        let error = try #require(throws: AzureTokenError.self) { try client.get(id: ARMWireServer.routeTable) }
        let text = error.description
        #expect(text.contains("401 invalid_client"))
        #expect(text.contains("AADSTS7000215: Invalid client secret provided"))
        #expect(text.contains("service principal \(Self.clientID) of tenant \(Self.tenant)"))
        #expect(text.contains("/\(Self.tenant)/oauth2/v2.0/token"))
        #expect(!text.contains("wrong-secret-value"))
        #expect(try arm.requests().filter { $0["method"] == "GET" }.isEmpty, "no ARM request without a token")
    }

    @Test func theAzureCLITokenComesFromAzAccountGetAccessToken() throws {
        let arm = try ARMWireServer.start()
        let folder = try TemporaryFolder()
        defer { folder.remove() }
        let script = try folder.write("bin/az", """
            #!/bin/sh
            echo "$@" > "\(folder.path)/args"
            printf '{"accessToken": "cli-token-42", "expiresOn": "2099-01-01 00:00:00.000000", "expires_on": 4070908800, "tokenType": "Bearer"}\\n'
            """)
        try FileManager.default.setAttributes([.posixPermissions: 0o755], ofItemAtPath: script)
        let client = arm.client(token: nil, environment: ["PATH": "\(folder.path)/bin:/usr/bin:/bin"])
        _ = try client.get(id: ARMWireServer.routeTable)
        _ = try client.get(id: ARMWireServer.firewall)
        let reads = try arm.requests()
        #expect(reads.count == 2)
        #expect(reads.allSatisfy { $0["tokenHash"]?.stringValue == ARMWireServer.tokenHash("cli-token-42") })
        let args = try String(contentsOfFile: folder.path + "/args", encoding: .utf8)
        #expect(args.trimmingCharacters(in: .whitespacesAndNewlines) == "account get-access-token --output json")
    }

    @Test func aMissingAzIsAClearError() throws {
        let arm = try ARMWireServer.start()
        let folder = try TemporaryFolder()
        defer { folder.remove() }
        let client = arm.client(token: .azureCLI, environment: ["PATH": folder.path])
        let error = try #require(throws: AzureTokenError.self) { try client.get(id: ARMWireServer.routeTable) }
        #expect(error.description.contains("the Azure CLI (az) is not on PATH"))
        #expect(error.description.contains("AZURE_ACCESS_TOKEN"))
        #expect(try arm.requests().isEmpty)
    }

    @Test func aFailingAzSaysWhatAzSaidButNeverItsOutput() throws {
        let arm = try ARMWireServer.start()
        let folder = try TemporaryFolder()
        defer { folder.remove() }
        let script = try folder.write("az", """
            #!/bin/sh
            echo '{"accessToken": "half-printed-token"}'
            echo "ERROR: Please run 'az login' to setup account." >&2
            exit 1
            """)
        try FileManager.default.setAttributes([.posixPermissions: 0o755], ofItemAtPath: script)
        let client = arm.client(token: .azureCLI, environment: ["PATH": "\(folder.path):/usr/bin:/bin"])
        let error = try #require(throws: AzureTokenError.self) { try client.get(id: ARMWireServer.routeTable) }
        #expect(error.description.contains("(exit status 1): ERROR: Please run 'az login' to setup account."))
        #expect(!error.description.contains("half-printed-token"))
    }

    @Test func aRefusedTokenIsFetchedAgainOnceWhenTheSourceCanGiveANewOne() throws {
        let arm = try ARMWireServer.start()
        let folder = try TemporaryFolder()
        defer { folder.remove() }
        // Each run prints the next token: cli-token-1, cli-token-2, …
        let script = try folder.write("az", """
            #!/bin/sh
            n=$(cat "\(folder.path)/count" 2>/dev/null || echo 0)
            n=$((n + 1))
            echo $n > "\(folder.path)/count"
            printf '{"accessToken": "cli-token-%s", "expires_on": 4070908800}\\n' $n
            """)
        try FileManager.default.setAttributes([.posixPermissions: 0o755], ofItemAtPath: script)
        try arm.control("expire", ["tokenHash": .string(ARMWireServer.tokenHash("cli-token-1"))])
        let client = arm.client(token: .azureCLI, environment: ["PATH": "\(folder.path):/usr/bin:/bin"])
        let body = try client.get(id: ARMWireServer.routeTable)
        #expect(body["name"] == "testrt")
        let hashes = try arm.requests(to: ARMWireServer.routeTable).compactMap { $0["tokenHash"]?.stringValue }
        #expect(hashes == [ARMWireServer.tokenHash("cli-token-1"), ARMWireServer.tokenHash("cli-token-2")])
    }

    @Test func aRefusedEnvironmentTokenIsAClearARMError() throws {
        let arm = try ARMWireServer.start()
        try arm.control("expire", ["tokenHash": .string(ARMWireServer.tokenHash("stale-env-token"))])
        let client = arm.client(token: .accessToken("stale-env-token"))
        let error = try #require(throws: ARMError.self) { try client.get(id: ARMWireServer.routeTable) }
        #expect(error.status == 401)
        #expect(error.code == "ExpiredAuthenticationToken")
        #expect(!error.description.contains("stale-env-token"))
        #expect(try arm.requests(to: ARMWireServer.routeTable).count == 1, "nothing to refresh: asked once")
    }
}
