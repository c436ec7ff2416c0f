"""The plumbing every wire-format test server shares: an HTTP/1.1 handler that answers JSON in
one write, quietly, and a threaded server on 127.0.0.1. The servers built on it
(kube_wire_server.py, arm_wire_server.py) speak their API's wire format; this module speaks none."""

import json
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer


class JSONHandler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"
    # One write per response and no Nagle delay: headers and body in separate small writes meet
    # the client's delayed ACK and cost 40 ms a request on kept-alive connections.
    wbufsize = 1 << 16
    disable_nagle_algorithm = True
    content_type = "application/json"

    def log_message(self, fmt, *args):  # quiet: tests read the servers' own request logs
        pass

    def extra_headers(self):
        """Headers every response carries (ARM's x-ms-request-id)."""
        return {}

    def send_json(self, status, body, headers=None):
        data = json.dumps(body).encode()
        self.send_response(status)
        self.send_header("Content-Type", self.content_type)
        self.send_header("Content-Length", str(len(data)))
        for k, v in {**self.extra_headers(), **(headers or {})}.items():
            self.send_header(k, v)
        self.end_headers()
        self.wfile.write(data)

    def read_body(self):
        length = int(self.headers.get("Content-Length") or 0)
        return self.rfile.read(length) if length else b""


def serve(port, handler):
    """Serves `handler` on 127.0.0.1:`port`, one thread per connection, until killed."""
    server = ThreadingHTTPServer(("127.0.0.1", port), handler)
    server.daemon_threads = True
    server.serve_forever()
