import Foundation

/// A credential helper run as a child process: `az account get-access-token`, a kubeconfig's
/// `exec` plugin (`kubelogin`, `aws eks get-token`).
///
/// Standard output holds the credential, so it is returned to the caller alone and never quoted
/// in an error; standard error is read on another thread (neither pipe can fill up and block the
/// helper), kept for error messages, and shown as it comes when ``forwardStandardError`` is set (a
/// device-code sign-in prompt reaches the person at the terminal).
struct CredentialCommand {
    var executable: String
    var arguments: [String]
    var environment: [String: String]
    var forwardStandardError = false

    /// What the helper did.
    struct Output {
        var stdout: Data
        var stderr: Data
        /// Ended with exit status 0.
        var succeeded: Bool
        /// `exit status 2`, `signal 9`.
        var status: String

        /// The end of what it wrote on standard error, trimmed: for error messages.
        var said: String {
            String(decoding: stderr.suffix(600), as: UTF8.self).trimmingCharacters(in: .whitespacesAndNewlines)
        }
    }

    /// Runs the helper to its end.
    /// - Throws: the reason it could not be started (never anything it printed).
    func run() throws -> Output {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: executable)
        process.arguments = arguments
        process.environment = environment
        process.standardInput = FileHandle.nullDevice
        let output = Pipe(), errors = Pipe()
        process.standardOutput = output
        process.standardError = errors
        try process.run()
        let errorBytes = PipeDrain(errors.fileHandleForReading, forward: forwardStandardError ? FileHandle.standardError : nil)
        let stdout = output.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        let stderr = errorBytes.wait()
        let exited = process.terminationReason == .exit
        return Output(stdout: stdout, stderr: stderr, succeeded: exited && process.terminationStatus == 0,
                      status: exited ? "exit status \(process.terminationStatus)" : "signal \(process.terminationStatus)")
    }

    /// The first executable file named `command` in the folders of `PATH` (default
    /// `/usr/local/bin:/usr/bin:/bin`), or nil.
    static func onPath(_ command: String, environment: [String: String]) -> String? {
        let path = environment["PATH"] ?? "/usr/local/bin:/usr/bin:/bin"
        for folder in path.split(separator: ":") where !folder.isEmpty {
            let candidate = (String(folder) as NSString).appendingPathComponent(command)
            if FileManager.default.isExecutableFile(atPath: candidate) { return candidate }
        }
        return nil
    }
}

/// Reads a pipe to its end on a background thread, passing what it reads on to `forward` as it
/// comes.
private final class PipeDrain: @unchecked Sendable {
    private var data = Data()
    private let done = DispatchSemaphore(value: 0)

    init(_ handle: FileHandle, forward: FileHandle?) {
        Thread.detachNewThread { [self] in
            while true {
                let chunk = handle.availableData
                if chunk.isEmpty { break }
                data.append(chunk)
                forward?.write(chunk)
            }
            done.signal()
        }
    }

    func wait() -> Data {
        done.wait()
        return data
    }
}
