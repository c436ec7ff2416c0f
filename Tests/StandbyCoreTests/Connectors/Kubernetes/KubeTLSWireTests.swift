import Foundation
import Testing
@testable import StandbyCore
import StandbyTestSupport

/// A throwaway CA, a server certificate for 127.0.0.1 and two client certificates, made with the
/// `openssl` command in a temporary folder.
private struct TestCertificates {
    let folder: URL

    static func make() throws -> TestCertificates? {
        guard let openssl = ["/usr/bin/openssl", "/usr/local/bin/openssl"].first(where: FileManager.default.isExecutableFile) else {
            Issue.record("the openssl command is needed to make test certificates")
            return nil
        }
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("standby-kube-tls-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        try "subjectAltName=IP:127.0.0.1\n".write(to: folder.appendingPathComponent("san.ext"), atomically: true, encoding: .utf8)
        let ec = ["-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:prime256v1", "-nodes"]
        var steps: [[String]] = [["req", "-x509"] + ec + ["-keyout", "ca.key", "-out", "ca.crt", "-days", "2", "-subj", "/CN=standby-test-ca"]]
        for (name, extra) in [("server", ["-extfile", "san.ext"]), ("client", []), ("exec-client", [])] {
            let cn = name == "server" ? "127.0.0.1" : "standby-test-\(name)"
            steps.append(["req"] + ec + ["-keyout", "\(name).key", "-out", "\(name).csr", "-subj", "/CN=\(cn)"])
            steps.append(["x509", "-req", "-in", "\(name).csr", "-CA", "ca.crt", "-CAkey", "ca.key", "-CAcreateserial",
                          "-out", "\(name).crt", "-days", "2"] + extra)
        }
        for arguments in steps {
            let process = Process()
            process.executableURL = URL(fileURLWithPath: openssl)
            process.arguments = arguments
            process.currentDirectoryURL = folder
            process.standardOutput = FileHandle.nullDevice
            process.standardError = FileHandle.nullDevice
            try process.run()
            process.waitUntilExit()
            guard process.terminationStatus == 0 else {
                Issue.record("openssl \(arguments.joined(separator: " ")) failed")
                return nil
            }
        }
        return TestCertificates(folder: folder)
    }

    func path(_ name: String) -> String { folder.appendingPathComponent(name).path }
    func base64(_ name: String) throws -> String { Base64.encode([UInt8](try Data(contentsOf: folder.appendingPathComponent(name)))) }
}

/// The server with TLS on, and its TLS endpoint.
private func tlsServer(_ certificates: TestCertificates) throws -> (KubeWireTestServer, String)? {
    guard let server = KubeWireTestServer.start(arguments: ["--tls", certificates.path("server.crt"), certificates.path("server.key"),
                                                            certificates.path("ca.crt")]) else { return nil }
    let answer = try server.control.send(HTTPRequest(method: "GET", url: server.endpoint + "/_test/tls"))
    let port = try #require(try JSONParser.parse(answer.body)["port"]?.intValue)
    return (server, "https://127.0.0.1:\(port)")
}

/// A kubeconfig for `server` with the given cluster and user lines.
private func kubeconfig(_ server: KubeWireTestServer, endpoint: String, cluster: String, user: String) throws -> String {
    try server.write("tls-config", """
        current-context: tls
        clusters:
        - name: tls-cluster
          cluster:
            server: \(endpoint)
        \(cluster)
        contexts:
        - name: tls
          context: {cluster: tls-cluster, user: tls-user}
        users:
        - name: tls-user
          user:
        \(user)

        """)
}

@Suite("Kubernetes TLS against a wire-format test server") struct KubeTLSWireTests {
    @Test func certificateAuthorityDataAndClientCertificateFilesAreUsed() throws {
        guard let certificates = try TestCertificates.make(), let (server, endpoint) = try tlsServer(certificates) else { return }
        try FileManager.default.copyItem(atPath: certificates.path("client.crt"), toPath: server.folder.appendingPathComponent("client.crt").path)
        let path = try kubeconfig(server, endpoint: endpoint,
                                  cluster: "    certificate-authority-data: \(try certificates.base64("ca.crt"))",
                                  user: "    client-certificate: client.crt\n    client-key-data: \(try certificates.base64("client.key"))")
        let inventory = try KubernetesDiscovery(connection: try server.connection(kubeconfig: path)).inventory()
        #expect(inventory.clusters.map(\.name) == ["tls-cluster"])
        let requests = try server.requests()
        #expect(!requests.isEmpty)
        #expect(requests.allSatisfy { $0["clientCertificate"] == "standby-test-client" })
    }

    @Test("a CA bundle file verifies the server; without it the same server is refused")
    func caBundleFilesVerifyServers() throws {
        guard let certificates = try TestCertificates.make(), let (_, endpoint) = try tlsServer(certificates) else { return }
        var options = HTTPClient.Options(environment: ["AWS_CA_BUNDLE": certificates.path("ca.crt")], caBundleVariables: ["AWS_CA_BUNDLE"])
        options.maxAttempts = 1
        #expect(options.caBundlePath == certificates.path("ca.crt"))
        let verified = try HTTPClient(options: options).send(HTTPRequest(method: "GET", url: endpoint + "/version"))
        #expect(verified.status == 200)
        var plain = HTTPClient.Options(environment: [:])
        plain.maxAttempts = 1
        #expect(plain.caBundlePath == nil)
        #expect(throws: HTTPTransportError.self) { try HTTPClient(options: plain).send(HTTPRequest(method: "GET", url: endpoint + "/version")) }
        #expect(HTTPClient.Options(environment: ["STANDBY_CA_BUNDLE": "/etc/dr/ca.pem"], caBundleVariables: ["AWS_CA_BUNDLE"]).caBundlePath == "/etc/dr/ca.pem")
    }

    @Test func serverVerificationIsOnUnlessTheKubeconfigSkipsIt() throws {
        guard let certificates = try TestCertificates.make(), let (server, endpoint) = try tlsServer(certificates) else { return }
        let unverified = try kubeconfig(server, endpoint: endpoint, cluster: "", user: "    token: t")
        #expect(throws: HTTPTransportError.self) { try KubernetesDiscovery(connection: try server.connection(kubeconfig: unverified)).inventory() }

        let skipping = try kubeconfig(server, endpoint: endpoint, cluster: "    insecure-skip-tls-verify: true", user: "    token: t")
        _ = try KubernetesDiscovery(connection: try server.connection(kubeconfig: skipping)).inventory()
        #expect(try server.requests().allSatisfy { $0["clientCertificate"] == .null })
    }

    @Test func execPluginClientCertificateIsUsed() throws {
        guard let certificates = try TestCertificates.make(), let (server, endpoint) = try tlsServer(certificates) else { return }
        func jsonString(_ file: String) throws -> String {
            JSONSerializer.serialize(.string(String(decoding: try Data(contentsOf: certificates.folder.appendingPathComponent(file)), as: UTF8.self)))
        }
        try server.write("credential.json", """
            {"apiVersion": "client.authentication.k8s.io/v1", "kind": "ExecCredential",
             "status": {"clientCertificateData": \(try jsonString("exec-client.crt")), "clientKeyData": \(try jsonString("exec-client.key"))}}
            """)
        try server.write("cert-plugin", "#!/bin/sh\ncat \"$(dirname \"$0\")/credential.json\"\n", executable: true)
        let path = try kubeconfig(server, endpoint: endpoint,
                                  cluster: "    certificate-authority: \(certificates.path("ca.crt"))",
                                  user: "    exec: {apiVersion: client.authentication.k8s.io/v1, command: ./cert-plugin, interactiveMode: Never}")
        _ = try KubernetesDiscovery(connection: try server.connection(kubeconfig: path)).inventory()
        let requests = try server.requests()
        #expect(!requests.isEmpty)
        #expect(requests.allSatisfy { $0["clientCertificate"] == "standby-test-exec-client" && $0["authorization"] == "none" })
    }
}
