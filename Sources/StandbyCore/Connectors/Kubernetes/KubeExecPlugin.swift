import Foundation

/// What authenticates requests to the API server at one moment: a bearer token, a client
/// certificate and key, or both. Its description never shows them.
struct KubeCredential: Sendable, CustomStringConvertible {
    var token: String?
    var clientCertificate: [UInt8]?
    var clientKey: [UInt8]?
    /// When an exec plugin's credential stops being valid; nil: until the server refuses it.
    var expiry: Date?

    var description: String {
        var parts: [String] = []
        if token != nil { parts.append("bearer token") }
        if clientCertificate != nil { parts.append("client certificate") }
        return "credential (" + (parts.isEmpty ? "none" : parts.joined(separator: ", ")) + ")"
    }
}

/// A kubeconfig `user.exec` credential plugin (`kubelogin get-token`, `aws eks get-token`,
/// `gke-gcloud-auth-plugin`), run as client-go runs it:
///
/// - the command is looked up on `PATH`, or, when it holds a `/` and is relative, in the
///   kubeconfig's folder;
/// - it inherits the settings' environment plus the entry's `env`, and `KUBERNETES_EXEC_INFO`
///   holds an `ExecCredential` (same `apiVersion` as the entry's, `spec.interactive: false`, and
///   `spec.cluster` when `provideClusterInfo` is set); standard input is closed; its standard
///   error is shown when ours is a terminal (sign-in prompts) and kept for error messages;
/// - it must exit 0 and print an `ExecCredential` of the same `apiVersion` whose `status` holds a
///   `token`, or `clientCertificateData` and `clientKeyData`, and optionally an
///   `expirationTimestamp` (RFC 3339).
///
/// Failures name the command (with secret-looking argument values redacted) and the user entry,
/// and quote the plugin's standard error; its standard output (the credential) never appears.
struct KubeExecPlugin: Sendable {
    static let supportedAPIVersions = ["client.authentication.k8s.io/v1", "client.authentication.k8s.io/v1beta1"]

    var apiVersion: String
    var command: String
    var args: [String]
    var env: [(name: String, value: String)]
    var installHint: String?
    /// The `spec.cluster` object of `KUBERNETES_EXEC_INFO`, when the entry sets `provideClusterInfo`.
    var clusterInfo: JSONValue?
    /// The environment the plugin inherits (the settings').
    var environment: [String: String]
    /// The kubeconfig's folder, for relative commands.
    var folder: String
    /// `user "name" (file:line)`, for messages.
    var userLocation: String

    /// Reads `exec` of a user entry.
    init(exec: JSONObject, user: Kubeconfig.Entry, environment: [String: String], clusterInfo: JSONValue) throws {
        let location = "user \"\(user.name)\" (\(user.location))"
        guard let command = exec["command"]?.stringValue, !command.isEmpty else {
            throw KubeconfigError("\(location): exec has no command")
        }
        let apiVersion = exec["apiVersion"]?.stringValue ?? ""
        guard KubeExecPlugin.supportedAPIVersions.contains(apiVersion) else {
            throw KubeconfigError("\(location): exec apiVersion \"\(apiVersion)\" is not supported (use one of \(KubeExecPlugin.supportedAPIVersions.joined(separator: ", ")))")
        }
        self.apiVersion = apiVersion
        self.command = command
        self.args = (exec["args"]?.arrayValue ?? []).compactMap(\.stringValue)
        self.env = (exec["env"]?.arrayValue ?? []).compactMap { item in
            guard let name = item["name"]?.stringValue else { return nil }
            return (name, item["value"]?.stringValue ?? "")
        }
        self.installHint = exec["installHint"]?.stringValue
        self.clusterInfo = exec["provideClusterInfo"]?.boolValue == true ? clusterInfo : nil
        self.environment = environment
        self.folder = user.folder
        self.userLocation = location
    }

    /// The command line for messages: argument values after secret-looking flags are redacted.
    var displayCommand: String {
        var shown = [command]
        var redactNext = false
        for arg in args {
            if redactNext { shown.append("REDACTED"); redactNext = false; continue }
            let flag = arg.drop { $0 == "-" }.lowercased()
            let looksSecret = arg.hasPrefix("-") && HTTPLog.secretNames.contains { flag.split(separator: "=").first?.contains($0) == true }
            if looksSecret, let eq = arg.firstIndex(of: "=") {
                shown.append(arg[...eq] + "REDACTED")
            } else {
                shown.append(arg)
                redactNext = looksSecret
            }
        }
        return shown.joined(separator: " ")
    }

    /// Runs the plugin and reads its credential.
    /// - Throws: ``KubeconfigError`` naming the command when it cannot run, fails, or prints
    ///   something that is not a usable `ExecCredential`.
    func run() throws -> KubeCredential {
        let failure = { (why: String) in KubeconfigError("exec plugin `\(displayCommand)` of \(userLocation) \(why)") }
        guard let executable = resolvedExecutable() else {
            var why = "failed: \(command) was not found" + (command.contains("/") ? "" : " on PATH")
            if let installHint, !installHint.isEmpty { why += "; " + installHint.trimmingCharacters(in: .whitespacesAndNewlines) }
            throw failure(why)
        }
        var environment = self.environment
        for (name, value) in env { environment[name] = value }
        environment["KUBERNETES_EXEC_INFO"] = JSONSerializer.serialize(execInfo)
        let output: CredentialCommand.Output
        do {
            output = try CredentialCommand(executable: executable, arguments: args, environment: environment,
                                           forwardStandardError: isatty(STDERR_FILENO) == 1).run()
        } catch {
            throw failure("could not start: \(error.localizedDescription)")
        }
        guard output.succeeded else {
            throw failure("failed (\(output.status))" + (output.said.isEmpty ? "" : ": \(output.said)"))
        }
        return try parse(stdout: [UInt8](output.stdout), failure: failure)
    }

    /// The `ExecCredential` handed to the plugin in `KUBERNETES_EXEC_INFO`.
    var execInfo: JSONValue {
        var spec = JSONObject([("interactive", .bool(false))])
        if let clusterInfo { spec["cluster"] = clusterInfo }
        return ["apiVersion": .string(apiVersion), "kind": "ExecCredential", "spec": .object(spec)]
    }

    func parse(stdout: [UInt8], failure: (String) -> KubeconfigError) throws -> KubeCredential {
        // The output holds the credential: a parse error's message (which may quote it) is not passed on.
        guard let credential = try? JSONParser.parse(stdout, source: "exec plugin output"), credential.objectValue != nil else {
            throw failure("printed something that is not JSON (an ExecCredential was expected)")
        }
        guard credential["kind"]?.stringValue == "ExecCredential" else {
            throw failure("printed an object of kind \(credential["kind"]?.stringValue ?? "(none)"), not an ExecCredential")
        }
        guard credential["apiVersion"]?.stringValue == apiVersion else {
            throw failure("printed an ExecCredential of apiVersion \(credential["apiVersion"]?.stringValue ?? "(none)"), but \(apiVersion) was asked for")
        }
        let status = credential["status"]
        var result = KubeCredential()
        result.token = status?["token"]?.stringValue.flatMap { $0.isEmpty ? nil : $0 }
        let certificate = status?["clientCertificateData"]?.stringValue
        let key = status?["clientKeyData"]?.stringValue
        if (certificate == nil) != (key == nil) {
            throw failure("printed only one of clientCertificateData and clientKeyData")
        }
        if let certificate, let key {
            result.clientCertificate = Array(certificate.utf8)
            result.clientKey = Array(key.utf8)
        }
        guard result.token != nil || result.clientCertificate != nil else {
            throw failure("printed an ExecCredential without status.token or status.clientCertificateData")
        }
        if let expiry = status?["expirationTimestamp"]?.stringValue {
            guard let date = KubeExecPlugin.parseTimestamp(expiry) else {
                throw failure("printed an expirationTimestamp that is not RFC 3339: \(expiry)")
            }
            result.expiry = date
        }
        return result
    }

    /// `2024-05-01T10:00:00Z`, with or without fractional seconds or an offset.
    static func parseTimestamp(_ text: String) -> Date? {
        let formatter = ISO8601DateFormatter()
        if let date = formatter.date(from: text) { return date }
        formatter.formatOptions = [.withInternetDateTime, .withFractionalSeconds]
        return formatter.date(from: text)
    }

    /// The plugin's path: absolute as given, relative to the kubeconfig's folder when it holds a
    /// `/`, else the first executable of that name on `PATH`.
    func resolvedExecutable() -> String? {
        let manager = FileManager.default
        if command.hasPrefix("/") { return manager.isExecutableFile(atPath: command) ? command : nil }
        if command.contains("/") {
            let path = (folder as NSString).appendingPathComponent(command)
            return manager.isExecutableFile(atPath: path) ? path : nil
        }
        return CredentialCommand.onPath(command, environment: environment)
    }
}

/// The last credential of an exec plugin or token source, shared by every client of one connection, kept until ten
/// seconds before its `expirationTimestamp` (or until the server answers 401).
final class KubeCredentialCache: @unchecked Sendable {
    private let lock = NSLock()
    private var credential: KubeCredential?

    /// The cached credential, or a new one from `fetch` (an exec plugin's run, a token source).
    func credential(now: Date = Date(), fetch: () throws -> KubeCredential) throws -> KubeCredential {
        lock.lock(); defer { lock.unlock() }
        if let credential, credential.expiry.map({ $0.timeIntervalSince(now) > 10 }) ?? true { return credential }
        let fresh = try fetch()
        credential = fresh
        return fresh
    }

    /// Forgets the credential (the server refused it).
    func invalidate() {
        lock.lock(); credential = nil; lock.unlock()
    }
}
