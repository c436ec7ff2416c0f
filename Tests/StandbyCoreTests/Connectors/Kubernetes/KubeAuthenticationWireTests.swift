import Foundation
import Testing
@testable import StandbyCore
import StandbyTestSupport

/// An exec credential plugin: a shell script printing an ExecCredential with `token`, counting its
/// runs in `runs.txt` and keeping the `KUBERNETES_EXEC_INFO` it got in `exec-info.json`.
private func plugin(apiVersion: String = "client.authentication.k8s.io/v1", token: String,
                    expiry: String = "2099-01-01T00:00:00Z") -> String {
    """
    #!/bin/sh
    cd "$(dirname "$0")"
    echo run >> runs.txt
    printf '%s' "$KUBERNETES_EXEC_INFO" > exec-info.json
    printf '%s' "$PLUGIN_GREETING" > greeting.txt
    cat <<JSON
    {"apiVersion": "\(apiVersion)", "kind": "ExecCredential",
     "status": {"token": "\(token)", "expirationTimestamp": "\(expiry)"}}
    JSON

    """
}

private func execUser(command: String, apiVersion: String = "client.authentication.k8s.io/v1", args: [String] = []) -> String {
    """
        exec:
          apiVersion: \(apiVersion)
          command: \(command)
          args: [\(args.joined(separator: ", "))]
          env:
          - {name: PLUGIN_GREETING, value: hello}
          provideClusterInfo: true
          interactiveMode: Never
    """
}

@Suite("Kubernetes authentication against a wire-format test server") struct KubeAuthenticationWireTests {
    @Test func tokenIsSentAsBearer() throws {
        guard let server = KubeWireTestServer.start() else { return }
        let inventory = try KubernetesDiscovery(connection: try server.connection()).inventory()
        #expect(inventory.clusters.map(\.name) == ["wire-cluster"])
        let authorizations = Set(try server.requests().compactMap { $0["authorization"]?.stringValue })
        #expect(authorizations == [KubeWireTestServer.recorded(token: KubeWireTestServer.token)])
    }

    @Test func tokenFileIsReadRelativeToTheKubeconfig() throws {
        guard let server = KubeWireTestServer.start() else { return }
        try server.write("secrets/token", "from-token-file\n")
        let path = try server.writeKubeconfig(user: "    tokenFile: secrets/token")
        _ = try KubernetesDiscovery(connection: try server.connection(kubeconfig: path)).inventory()
        let authorizations = Set(try server.requests().compactMap { $0["authorization"]?.stringValue })
        #expect(authorizations == [KubeWireTestServer.recorded(token: "from-token-file")])
    }

    @Test func execPluginTokenIsSentAndCachedUntilItExpires() throws {
        guard let server = KubeWireTestServer.start() else { return }
        try server.write("bin/get-token", plugin(token: "exec-token-1"), executable: true)
        let path = try server.writeKubeconfig(user: execUser(command: "bin/get-token"))
        try server.post("/_test/auth", ["tokenSha256": .string(Digest.sha256("exec-token-1"))])
        let connection = try server.connection(kubeconfig: path)
        _ = try KubernetesDiscovery(connection: connection).inventory()
        _ = try KubernetesDiscovery(connection: connection).inventory()

        let requests = try server.requests()
        #expect(requests.count > 10)
        #expect(Set(requests.compactMap { $0["authorization"]?.stringValue }) == [KubeWireTestServer.recorded(token: "exec-token-1")])
        let runs = try String(contentsOf: server.folder.appendingPathComponent("bin/runs.txt"), encoding: .utf8)
        #expect(runs == "run\n") // cached across requests and across discoveries of one connection

        let info = try JSONParser.parse(String(contentsOf: server.folder.appendingPathComponent("bin/exec-info.json"), encoding: .utf8))
        #expect(info["apiVersion"] == "client.authentication.k8s.io/v1")
        #expect(info["kind"] == "ExecCredential")
        #expect(info["spec"]?["interactive"] == false)
        #expect(info["spec"]?["cluster"]?["server"]?.stringValue == server.endpoint)
        #expect(try String(contentsOf: server.folder.appendingPathComponent("bin/greeting.txt"), encoding: .utf8) == "hello")
    }

    @Test func expiredExecCredentialIsFetchedAgain() throws {
        guard let server = KubeWireTestServer.start() else { return }
        try server.write("bin/get-token", plugin(apiVersion: "client.authentication.k8s.io/v1beta1", token: "short-lived",
                                                 expiry: "2001-01-01T00:00:00Z"), executable: true)
        let path = try server.writeKubeconfig(user: execUser(command: "bin/get-token", apiVersion: "client.authentication.k8s.io/v1beta1"))
        _ = try KubernetesDiscovery(connection: try server.connection(kubeconfig: path)).inventory()
        let requests = try server.requests()
        let runs = try String(contentsOf: server.folder.appendingPathComponent("bin/runs.txt"), encoding: .utf8)
        #expect(runs.split(separator: "\n").count == requests.count)
        #expect(Set(requests.compactMap { $0["authorization"]?.stringValue }) == [KubeWireTestServer.recorded(token: "short-lived")])
    }

    @Test func refusedExecCredentialIsFetchedAgainOnce() throws {
        guard let server = KubeWireTestServer.start() else { return }
        // Prints "first" on its first run and "second" after: the server only accepts "second".
        try server.write("bin/rotating", """
            #!/bin/sh
            cd "$(dirname "$0")"
            if [ -f seen ]; then t=second; else t=first; touch seen; fi
            echo "{\\"apiVersion\\":\\"client.authentication.k8s.io/v1\\",\\"kind\\":\\"ExecCredential\\",\\"status\\":{\\"token\\":\\"$t\\"}}"

            """, executable: true)
        let path = try server.writeKubeconfig(user: execUser(command: "bin/rotating"))
        try server.post("/_test/auth", ["tokenSha256": .string(Digest.sha256("second"))])
        _ = try KubernetesDiscovery(connection: try server.connection(kubeconfig: path)).inventory()
        let authorizations = try server.requests().compactMap { $0["authorization"]?.stringValue }
        #expect(authorizations.first == KubeWireTestServer.recorded(token: "first"))
        #expect(authorizations.dropFirst().allSatisfy { $0 == KubeWireTestServer.recorded(token: "second") })
    }

    @Test func failingExecPluginIsNamedWithItsErrorOutput() throws {
        guard let server = KubeWireTestServer.start() else { return }
        try server.write("bin/broken-login", """
            #!/bin/sh
            echo '{"apiVersion":"client.authentication.k8s.io/v1","kind":"ExecCredential","status":{"token":"leaked-token"}}'
            echo "error: device code expired, run az login" >&2
            exit 3

            """, executable: true)
        let path = try server.writeKubeconfig(user: execUser(command: "bin/broken-login", args: ["get-token", "--login", "devicecode"]))
        let connection = try server.connection(kubeconfig: path)
        let error = #expect(throws: KubeconfigError.self) { try KubernetesDiscovery(connection: connection).inventory() }
        let message = error?.description ?? ""
        #expect(message.hasPrefix("exec plugin `bin/broken-login get-token --login devicecode` of user \"wire-user\" (\(path):"))
        #expect(message.hasSuffix("failed (exit status 3): error: device code expired, run az login"))
        #expect(!message.contains("leaked-token"))
        #expect(try server.requests().isEmpty)

        let missing = try server.writeKubeconfig(user: execUser(command: "no-such-login-plugin-\(UUID().uuidString.prefix(6))"), name: "missing")
        let notFound = #expect(throws: KubeconfigError.self) {
            try KubernetesDiscovery(connection: try server.connection(kubeconfig: missing)).inventory()
        }
        #expect(notFound?.description.contains("was not found on PATH") == true)
    }
}
