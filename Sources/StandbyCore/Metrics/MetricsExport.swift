import Foundation

/// Where a run's metrics go: a node-exporter textfile-collector file (written atomically: a
/// temporary file in the same folder renamed over it, as the collector requires) and a
/// Prometheus Pushgateway.
public enum MetricsExport {
    /// Writes `text` to `path` atomically.
    public static func writeTextfile(_ text: String, to path: String) throws {
        let url = URL(fileURLWithPath: path)
        try FileManager.default.createDirectory(at: url.deletingLastPathComponent(), withIntermediateDirectories: true)
        let temp = url.deletingLastPathComponent().appendingPathComponent(StagingArea.name(label: url.lastPathComponent))
        do {
            try Data(text.utf8).write(to: temp)
            guard rename(temp.path, path) == 0 else { throw StoreError.failed("cannot rename over \(path): \(String(cString: strerror(errno)))") }
        } catch {
            try? FileManager.default.removeItem(at: temp)
            throw StoreError.failed("cannot write the metrics to \(path): \(error)")
        }
    }

    /// Pushes `text` to the Pushgateway at `gateway` (`http://host:9091`) in the group
    /// `job="standby", cluster=…, kind=…`, with POST: the metrics named replace those of the
    /// same name in the group, others stay (a failed run does not erase the last success time).
    public static func push(_ text: String, to gateway: String, cluster: String, kind: String,
                            client: HTTPClient = HTTPClient()) throws {
        var base = gateway
        while base.hasSuffix("/") { base.removeLast() }
        let url = "\(base)/metrics/job/standby/cluster/\(pathSegment(cluster))/kind/\(pathSegment(kind))"
        let response: HTTPResponse
        do {
            response = try client.send(HTTPRequest(method: "POST", url: url,
                                                   headers: [(name: "Content-Type", value: "text/plain; version=0.0.4")],
                                                   body: Array(text.utf8)))
        } catch let e as HTTPTransportError {
            throw StoreError.failed("Pushgateway \(gateway): \(e.message)")
        }
        guard (200...299).contains(response.status) else {
            throw StoreError.failed("Pushgateway \(gateway): POST \(url): HTTP \(response.status): \(String(decoding: response.body.prefix(300), as: UTF8.self))")
        }
    }

    /// A label value as a Pushgateway path segment (percent-encoded).
    static func pathSegment(_ value: String) -> String {
        value.addingPercentEncoding(withAllowedCharacters: .alphanumerics.union(CharacterSet(charactersIn: "-._~"))) ?? value
    }
}
