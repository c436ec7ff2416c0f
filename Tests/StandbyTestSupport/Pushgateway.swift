import Foundation
import Testing
import StandbyCore

/// A real Prometheus Pushgateway (Debian's `prometheus-pushgateway`, installed by
/// `scripts/test.sh`) on a free port of 127.0.0.1, for the test that starts it. It keeps its
/// metrics in memory only. It runs as the child of a small Python parent (``LocalServer``'s
/// watchdog) and dies with it (`PR_SET_PDEATHSIG`).
public enum Pushgateway {
    public static let binary = "/usr/bin/prometheus-pushgateway"

    /// Starts one, or nil after recording a failing issue (a missing Pushgateway never lets a
    /// test pass silently).
    public static func start(sourceLocation: SourceLocation = #_sourceLocation) -> LocalServer? {
        guard FileManager.default.isExecutableFile(atPath: binary) else {
            Issue.record("\(binary) is missing: run scripts/test.sh (it installs the Debian package prometheus-pushgateway)", sourceLocation: sourceLocation)
            return nil
        }
        let code = """
            import ctypes, signal, subprocess
            libc = ctypes.CDLL("libc.so.6", use_errno=True)
            def die_with_parent():
                libc.prctl(1, signal.SIGKILL)
            child = subprocess.Popen(["\(binary)", "--web.listen-address=127.0.0.1:" + sys.argv[1]], preexec_fn=die_with_parent)
            sys.exit(child.wait())
            """
        do {
            return try LocalServer.start(name: "pushgateway", code: code, probe: "/-/ready")
        } catch {
            Issue.record("Pushgateway: \(error.message)", sourceLocation: sourceLocation)
            return nil
        }
    }

    /// The value of `metric` in the group whose labels include `labels`, read from the
    /// Pushgateway's API (`GET /api/v1/metrics`); nil when it has none.
    public static func value(_ metric: String, labels: [String: String], at endpoint: String) throws -> Double? {
        let response = try HTTPClient().send(HTTPRequest(method: "GET", url: endpoint + "/api/v1/metrics"))
        let json = try JSONParser.parse(response.body, source: "pushgateway /api/v1/metrics")
        for group in json["data"]?.arrayValue ?? [] {
            let groupLabels = group["labels"]?.objectValue
            guard labels.allSatisfy({ groupLabels?[$0.key]?.stringValue == $0.value }) else { continue }
            guard let text = group[metric]?["metrics"]?[0]?["value"]?.stringValue else { return nil }
            return Double(text)
        }
        return nil
    }
}
