import Foundation
import Testing
import StandbyCore

/// One moto server (`python -m moto.server`, from the repository's `.venv`) for the whole test
/// process, on a free port of 127.0.0.1, started by the first test that asks for it (see
/// ``LocalServer``).
public enum MotoServer {
    /// The shared server, or why it could not start.
    public static let shared: Result<LocalServer, LocalServerError> = {
        do throws(LocalServerError) {
            return .success(try start())
        } catch { return .failure(error) }
    }()

    /// A moto server of the caller's own, for a test that must see no other test's resources
    /// (the same names in the same accounts).
    public static func start() throws(LocalServerError) -> LocalServer {
        try LocalServer.start(name: "moto", code: "from moto.server import main\nmain(['-H', '127.0.0.1', '-p', sys.argv[1]])",
                              probe: "/moto-api/")
    }

    /// The endpoint of the shared server, or `nil` after recording a failing issue.
    public static func endpoint(sourceLocation: SourceLocation = #_sourceLocation) -> String? {
        switch shared {
        case .success(let server): return server.endpoint
        case .failure(let error):
            Issue.record("moto server: \(error.message)", sourceLocation: sourceLocation)
            return nil
        }
    }
}
