import Foundation
import Testing
@testable import StandbyCore

/// A temporary folder for kubeconfig files.
private struct ConfigFolder {
    let url = FileManager.default.temporaryDirectory.appendingPathComponent("standby-kubeconfig-\(UUID().uuidString)")

    @discardableResult
    func write(_ name: String, _ text: String) throws -> String {
        let file = url.appendingPathComponent(name)
        try FileManager.default.createDirectory(at: file.deletingLastPathComponent(), withIntermediateDirectories: true)
        try text.write(to: file, atomically: true, encoding: .utf8)
        return file.path
    }
}

private let twoContexts = """
    apiVersion: v1
    kind: Config
    current-context: prod
    clusters:
    - name: prod-cluster
      cluster:
        server: https://prod.example.test:443/
        certificate-authority-data: \(Base64.encode(Array("-----BEGIN CERTIFICATE-----\nCA\n".utf8)))
    - name: dev-cluster
      cluster:
        server: https://dev.example.test
        insecure-skip-tls-verify: true
    contexts:
    - name: prod
      context:
        cluster: prod-cluster
        user: prod-user
        namespace: payments
    - name: dev
      context:
        cluster: dev-cluster
        user: dev-user
    users:
    - name: prod-user
      user:
        token: prod-secret-token
    - name: dev-user
      user:
        client-certificate: certs/dev.crt
        client-key: certs/dev.key
    """

@Suite("Kubeconfig loading") struct KubeconfigLoadingTests {
    @Test func currentContextGivesClusterServerNamespaceAndCA() throws {
        let folder = ConfigFolder()
        let path = try folder.write("config", twoContexts)
        let connection = try KubeConnection.load(KubeSettings(kubeconfig: path, environment: [:]))
        #expect(connection.contextName == "prod")
        #expect(connection.clusterName == "prod-cluster")
        #expect(connection.server == "https://prod.example.test:443")
        #expect(connection.namespace == "payments")
        #expect(connection.httpOptions.caData == Array("-----BEGIN CERTIFICATE-----\nCA\n".utf8))
        #expect(connection.httpOptions.insecureSkipTLSVerify == false)
        #expect(connection.authenticationDescription == "bearer token")
        #expect(try connection.credential().token == "prod-secret-token")
    }

    @Test func namedContextReadsCertificateFilesRelativeToTheKubeconfig() throws {
        let folder = ConfigFolder()
        let path = try folder.write("nested/config", twoContexts)
        try folder.write("nested/certs/dev.crt", "CERT")
        try folder.write("nested/certs/dev.key", "KEY")
        let connection = try KubeConnection.load(KubeSettings(kubeconfig: path, context: "dev", environment: [:]))
        #expect(connection.clusterName == "dev-cluster")
        #expect(connection.namespace == nil)
        #expect(connection.httpOptions.insecureSkipTLSVerify)
        #expect(connection.httpOptions.clientCertificate == Array("CERT".utf8))
        #expect(connection.httpOptions.clientKey == Array("KEY".utf8))
        #expect(connection.authenticationDescription == "client certificate")
    }

    @Test func kubeconfigListMergesWithTheFirstFileWinning() throws {
        let folder = ConfigFolder()
        let first = try folder.write("a/config", """
            current-context: dev
            clusters:
            - name: dev-cluster
              cluster: {server: "https://first.example.test"}
            users:
            - name: dev-user
              user: {tokenFile: token.txt}
            """)
        try folder.write("a/token.txt", "from-a-file\n")
        let second = try folder.write("b/config", twoContexts)
        let environment = ["KUBECONFIG": "\(first)::\(folder.url.path)/missing:\(second)"]
        let connection = try KubeConnection.load(KubeSettings(environment: environment))
        #expect(connection.contextName == "dev")            // current-context of the first file
        #expect(connection.server == "https://first.example.test") // cluster entry of the first file
        #expect(try connection.credential().token == "from-a-file") // tokenFile relative to a/config
        let prod = try KubeConnection.load(KubeSettings(context: "prod", environment: environment))
        #expect(prod.server == "https://prod.example.test:443")
    }

    @Test func defaultsToTheKubeconfigInHome() throws {
        let folder = ConfigFolder()
        try folder.write(".kube/config", twoContexts)
        let connection = try KubeConnection.load(KubeSettings(environment: ["HOME": folder.url.path]))
        #expect(connection.contextName == "prod")
        #expect(throws: KubeconfigError.self) { try KubeConnection.load(KubeSettings(environment: ["HOME": folder.url.path + "/none"])) }
    }

    @Test func missingContextClusterAndUserAreNamedWithTheFile() throws {
        let folder = ConfigFolder()
        let path = try folder.write("config", """
            current-context: orphan
            clusters:
            - name: c
              cluster: {server: "https://c.example.test"}
            contexts:
            - name: good
              context: {cluster: c, user: nobody}
            - name: orphan
              context: {cluster: gone, user: u}
            users: []
            """)
        let noContext = #expect(throws: KubeconfigError.self) {
            try KubeConnection.load(KubeSettings(kubeconfig: path, context: "staging", environment: [:]))
        }
        #expect(noContext?.description == "context \"staging\" is not in \(path) (contexts: good, orphan)")
        let noCluster = #expect(throws: KubeconfigError.self) { try KubeConnection.load(KubeSettings(kubeconfig: path, environment: [:])) }
        #expect(noCluster?.description == "context \"orphan\" (\(path):8) names cluster \"gone\", which is not in \(path) (clusters: c)")
        let noUser = #expect(throws: KubeconfigError.self) {
            try KubeConnection.load(KubeSettings(kubeconfig: path, context: "good", environment: [:]))
        }
        #expect(noUser?.description == "context \"good\" (\(path):6) names user \"nobody\", which is not in \(path) (users: none)")
        let noFile = #expect(throws: KubeconfigError.self) {
            try KubeConnection.load(KubeSettings(kubeconfig: path + ".missing", environment: [:]))
        }
        #expect(noFile?.description == "kubeconfig \(path).missing does not exist")
    }

    @Test func badValuesAreNamedWithoutTheirContent() throws {
        let folder = ConfigFolder()
        let path = try folder.write("config", """
            current-context: x
            clusters:
            - name: c
              cluster: {server: "https://c.example.test"}
            contexts:
            - name: x
              context: {cluster: c, user: u}
            users:
            - name: u
              user:
                client-certificate-data: bm90LWEtc2VjcmV0
                client-key-data: "secret-key-material!!"
            """)
        let error = #expect(throws: KubeconfigError.self) { try KubeConnection.load(KubeSettings(kubeconfig: path, environment: [:])) }
        #expect(error?.description == "user \"u\" (\(path):9): client-key-data is not valid base64")
        #expect(error?.description.contains("secret-key-material") == false)

        let legacy = try folder.write("legacy", """
            current-context: x
            clusters: [{name: c, cluster: {server: "https://c.example.test"}}]
            contexts: [{name: x, context: {cluster: c, user: u}}]
            users: [{name: u, user: {auth-provider: {name: azure, config: {access-token: abc}}}}]
            """)
        let provider = #expect(throws: KubeconfigError.self) { try KubeConnection.load(KubeSettings(kubeconfig: legacy, environment: [:])) }
        #expect(provider?.description.contains("auth-provider \"azure\", which is not supported") == true)
        #expect(provider?.description.contains("abc") == false)
    }

    @Test func execPluginCommandLineRedactsSecretLookingArguments() throws {
        let folder = ConfigFolder()
        let path = try folder.write("config", """
            current-context: x
            clusters: [{name: c, cluster: {server: "https://c.example.test"}}]
            contexts: [{name: x, context: {cluster: c, user: u}}]
            users:
            - name: u
              user:
                exec:
                  apiVersion: client.authentication.k8s.io/v1beta1
                  command: kubelogin
                  args: [get-token, --server-id, abc, --client-secret, hunter2, --password=swordfish]
            """)
        let connection = try KubeConnection.load(KubeSettings(kubeconfig: path, environment: [:]))
        guard case .exec(let plugin) = connection.authentication else {
            Issue.record("expected an exec plugin"); return
        }
        #expect(plugin.displayCommand == "kubelogin get-token --server-id abc --client-secret REDACTED --password=REDACTED")
        #expect(connection.authenticationDescription == "exec plugin kubelogin")
    }
}
