import Foundation
import Testing
import StandbyCore
import StandbyTestSupport

/// A server that stops sending in the middle of a body: the client gives up after
/// ``HTTPClient/Options/stallSeconds``, not after the whole timeout (issue 12, defect 8).
@Suite struct HTTPStallTests {
    /// A loopback server: `/stall` sends the headers and 10 of the 100 bytes it announces, then
    /// holds the connection open; `/count` answers how many `/stall` requests it has had.
    static let code = """
        import http.server, socketserver, threading, time
        stalls = 0
        lock = threading.Lock()
        class Handler(http.server.BaseHTTPRequestHandler):
            protocol_version = 'HTTP/1.1'
            def log_message(self, *args): pass
            def do_GET(self):
                global stalls
                if self.path == '/stall':
                    with lock: stalls += 1
                    self.send_response(200)
                    self.send_header('Content-Length', '100')
                    self.end_headers()
                    self.wfile.write(b'0123456789')
                    self.wfile.flush()
                    time.sleep(600)
                    return
                body = str(stalls).encode() if self.path == '/count' else b'ok'
                self.send_response(200)
                self.send_header('Content-Length', str(len(body)))
                self.end_headers()
                self.wfile.write(body)
        class Server(socketserver.ThreadingMixIn, http.server.HTTPServer):
            daemon_threads = True
        Server(('127.0.0.1', int(sys.argv[1])), Handler).serve_forever()
        """

    @Test func aStalledBodyIsAbandonedAfterTheStallLimitAndTriedAgain() throws {
        let server = try LocalServer.start(name: "stall", code: Self.code)
        defer { server.stop() }
        var options = HTTPClient.Options()
        options.stallSeconds = 1
        options.timeout = 600          // the whole-transfer limit is not what ends it
        options.maxAttempts = 2
        options.baseBackoff = 0
        let client = HTTPClient(options: options)
        #expect {
            _ = try client.send(HTTPRequest(method: "GET", url: server.endpoint + "/stall"))
        } throws: { error in
            guard let e = error as? HTTPTransportError else { return false }
            return e.code == 28 && e.message.contains("too slow")
        }
        let count = try HTTPClient().send(HTTPRequest(method: "GET", url: server.endpoint + "/count"))
        #expect(String(decoding: count.body, as: UTF8.self) == "2")
    }
}
