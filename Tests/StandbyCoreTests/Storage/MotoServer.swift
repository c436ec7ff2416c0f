import Foundation
import Testing
@testable import StandbyCore

/// One moto server (`python -m moto.server`, from the repository's `.venv`) for the whole test
/// process, on a free port of 127.0.0.1. Started by the first test that asks for it; stopped at
/// exit. A watchdog thread in the server ends it should this process die without exiting
/// (its parent changes), so no server outlives a crashed test run.
final class MotoServer: @unchecked Sendable {
    let endpoint: String
    private let process: Process

    private init(endpoint: String, process: Process) {
        self.endpoint = endpoint
        self.process = process
    }

    /// The shared server, or why it could not start.
    static let shared: Result<MotoServer, MotoServerError> = {
        do throws(MotoServerError) { return .success(try start()) } catch { return .failure(error) }
    }()

    /// The endpoint of the shared server, or `nil` after recording a failing issue.
    static func endpoint(sourceLocation: SourceLocation = #_sourceLocation) -> String? {
        switch shared {
        case .success(let server): return server.endpoint
        case .failure(let error):
            Issue.record("moto server: \(error.message)", sourceLocation: sourceLocation)
            return nil
        }
    }

    /// `.venv/bin/python` at the repository's root (four folders above this file).
    static var python: String {
        var root = (#filePath as NSString).resolvingSymlinksInPath
        for _ in 0..<4 { root = (root as NSString).deletingLastPathComponent }
        return (root as NSString).appendingPathComponent(".venv/bin/python")
    }

    private static let script = """
        import os, sys, threading, time
        parent = os.getppid()
        def watch():
            while True:
                time.sleep(1)
                if os.getppid() != parent:
                    os._exit(0)
        threading.Thread(target=watch, daemon=True).start()
        from moto.server import main
        main(["-H", "127.0.0.1", "-p", sys.argv[1]])
        """

    private static func start() throws(MotoServerError) -> MotoServer {
        guard FileManager.default.isExecutableFile(atPath: python) else {
            throw MotoServerError(message: "\(python) is missing: run scripts/test.sh (it creates .venv)")
        }
        var lastProblem = ""
        for _ in 0..<3 {
            guard let port = freePort() else { throw MotoServerError(message: "no free port on 127.0.0.1") }
            let log = FileManager.default.temporaryDirectory.appendingPathComponent("standby-moto-\(port).log")
            _ = FileManager.default.createFile(atPath: log.path, contents: nil)
            let process = Process()
            process.executableURL = URL(fileURLWithPath: python)
            process.arguments = ["-c", script, String(port)]
            process.standardInput = FileHandle.nullDevice
            let logHandle = try? FileHandle(forWritingTo: log)
            process.standardOutput = logHandle ?? FileHandle.nullDevice
            process.standardError = logHandle ?? FileHandle.nullDevice
            do {
                try process.run()
            } catch {
                throw MotoServerError(message: "cannot run \(python): \(error)")
            }
            let endpoint = "http://127.0.0.1:\(port)"
            if waitUntilAnswering(endpoint, process: process) {
                let server = MotoServer(endpoint: endpoint, process: process)
                atexit { if case .success(let server) = MotoServer.shared { server.stop() } }
                return server
            }
            if process.isRunning { kill(process.processIdentifier, SIGKILL) }
            let output = (try? String(contentsOf: log, encoding: .utf8)) ?? ""
            lastProblem = String(output.suffix(800))
        }
        throw MotoServerError(message: "did not answer within 20 s: \(lastProblem)")
    }

    /// Kills the server outright (it keeps nothing worth a clean stop). No waiting: at exit
    /// Foundation's `waitUntilExit` never returns, and moto's SIGTERM handler does not always
    /// end it; the zombie is reaped when this process ends.
    private func stop() {
        guard process.isRunning else { return }
        kill(process.processIdentifier, SIGKILL)
    }

    /// Polls `GET /moto-api/` until any HTTP answer, for up to 20 s.
    private static func waitUntilAnswering(_ endpoint: String, process: Process) -> Bool {
        var options = HTTPClient.Options()
        options.maxAttempts = 1
        options.connectTimeout = 1
        options.timeout = 5
        let client = HTTPClient(options: options)
        let deadline = Date().addingTimeInterval(20)
        while Date() < deadline && process.isRunning {
            if (try? client.send(HTTPRequest(method: "GET", url: endpoint + "/moto-api/"))) != nil { return true }
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

struct MotoServerError: Error, Sendable {
    let message: String
}
