import Foundation
import Testing
import StandbyCore

/// A Python server started by the tests on a free port of 127.0.0.1: the moto AWS server, or one
/// of the wire-format test servers in `Tests/Servers/` (local HTTP servers that speak the
/// Kubernetes API's or ARM's wire format; not a cluster, not Azure).
///
/// The script gets the port as its first argument. A watchdog thread ends it should this test
/// process die without exiting (its parent changes); at exit it is killed outright.
public final class LocalServer: @unchecked Sendable {
    public let endpoint: String
    private let process: Process

    private init(endpoint: String, process: Process) {
        self.endpoint = endpoint
        self.process = process
    }

    /// The repository's root (three folders above this file).
    public static var root: String {
        var root = (#filePath as NSString).resolvingSymlinksInPath
        for _ in 0..<3 { root = (root as NSString).deletingLastPathComponent }
        return root
    }

    /// `.venv/bin/python` at the repository's root (made by `scripts/test.sh`).
    public static var python: String { (root as NSString).appendingPathComponent(".venv/bin/python") }

    /// A test server script in `Tests/Servers/`.
    public static func script(_ name: String) -> String {
        (root as NSString).appendingPathComponent("Tests/Servers/\(name)")
    }

    private static let watchdog = """
        import os, runpy, sys, threading, time
        parent = os.getppid()
        def watch():
            while True:
                time.sleep(1)
                if os.getppid() != parent:
                    os._exit(0)
        threading.Thread(target=watch, daemon=True).start()
        """

    /// Starts `python -c <code>` with the watchdog, the port as `sys.argv[1]` and `arguments` after
    /// it; waits until `GET <endpoint><probe>` gets any HTTP answer (20 s at most).
    public static func start(name: String, code: String, arguments: [String] = [], probe: String = "/") throws(LocalServerError) -> LocalServer {
        guard FileManager.default.isExecutableFile(atPath: python) else {
            throw LocalServerError(message: "\(python) is missing: run scripts/test.sh (it creates .venv)")
        }
        var lastProblem = ""
        for _ in 0..<3 {
            guard let port = freePort() else { throw LocalServerError(message: "no free port on 127.0.0.1") }
            let log = FileManager.default.temporaryDirectory.appendingPathComponent("standby-\(name)-\(port).log")
            _ = FileManager.default.createFile(atPath: log.path, contents: nil)
            let process = Process()
            process.executableURL = URL(fileURLWithPath: python)
            process.arguments = ["-c", watchdog + "\n" + code, String(port)] + arguments
            process.standardInput = FileHandle.nullDevice
            let logHandle = try? FileHandle(forWritingTo: log)
            process.standardOutput = logHandle ?? FileHandle.nullDevice
            process.standardError = logHandle ?? FileHandle.nullDevice
            do {
                try process.run()
            } catch {
                throw LocalServerError(message: "cannot run \(python): \(error)")
            }
            let endpoint = "http://127.0.0.1:\(port)"
            if waitUntilAnswering(endpoint + probe, process: process) {
                let server = LocalServer(endpoint: endpoint, process: process)
                register(server)
                return server
            }
            if process.isRunning { kill(process.processIdentifier, SIGKILL) }
            let output = (try? String(contentsOf: log, encoding: .utf8)) ?? ""
            lastProblem = String(output.suffix(800))
        }
        throw LocalServerError(message: "\(name) did not answer within 20 s: \(lastProblem)")
    }

    /// Starts the script `Tests/Servers/<file>` (run as `__main__`).
    public static func startScript(_ file: String, arguments: [String] = [], probe: String = "/") throws(LocalServerError) -> LocalServer {
        let path = script(file)
        let code = "sys.argv = [\(pythonString(path))] + sys.argv[1:]\nrunpy.run_path(\(pythonString(path)), run_name='__main__')"
        return try start(name: (file as NSString).deletingPathExtension, code: code, arguments: arguments, probe: probe)
    }

    private static func pythonString(_ s: String) -> String {
        "'" + s.replacingOccurrences(of: "\\", with: "\\\\").replacingOccurrences(of: "'", with: "\\'") + "'"
    }

    /// Ends the server now, for a test that started one of its own (no waiting: it keeps
    /// nothing worth a clean stop).
    public func stop() {
        if process.isRunning { kill(process.processIdentifier, SIGKILL) }
    }

    // MARK: - Stopping at exit

    nonisolated(unsafe) private static var running: [LocalServer] = []
    private static let lock = NSLock()
    private static let installExitHandler: Void = {
        atexit { LocalServer.killAll() }
    }()

    private static func register(_ server: LocalServer) {
        _ = installExitHandler
        lock.lock(); running.append(server); lock.unlock()
    }

    /// Kills every server outright (they keep nothing worth a clean stop). No waiting: at exit
    /// Foundation's `waitUntilExit` never returns; the zombies are reaped when this process ends.
    private static func killAll() {
        lock.lock(); let servers = running; lock.unlock()
        for server in servers where server.process.isRunning { kill(server.process.processIdentifier, SIGKILL) }
    }

    /// Polls `url` until any HTTP answer, for up to 20 s.
    private static func waitUntilAnswering(_ url: String, process: Process) -> Bool {
        var options = HTTPClient.Options()
        options.maxAttempts = 1
        options.connectTimeout = 1
        options.timeout = 5
        let client = HTTPClient(options: options)
        let deadline = Date().addingTimeInterval(20)
        while Date() < deadline && process.isRunning {
            if (try? client.send(HTTPRequest(method: "GET", url: url))) != nil { return true }
            Thread.sleep(forTimeInterval: 0.1)
        }
        return false
    }

    /// A port of 127.0.0.1 nobody listens on now (the kernel's pick for port 0).
    private static func freePort() -> Int? {
        let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        guard fd >= 0 else { return nil }
        defer { close(fd) }
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_port = 0
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        var length = socklen_t(MemoryLayout<sockaddr_in>.size)
        let bound = withUnsafeMutablePointer(to: &address) { pointer in
            pointer.withMemoryRebound(to: sockaddr.self, capacity: 1) { generic in
                bind(fd, generic, length) == 0 && getsockname(fd, generic, &length) == 0
            }
        }
        guard bound else { return nil }
        return Int(UInt16(bigEndian: address.sin_port))
    }
}

public struct LocalServerError: Error, Sendable {
    public let message: String
}
