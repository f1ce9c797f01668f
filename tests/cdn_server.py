"""A small HTTP server on 127.0.0.1 that records the purge requests it receives: the CDN
purgers (newsroom.cdn) are tested against what actually arrives over the wire."""

import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer


class _Recorder(BaseHTTPRequestHandler):
    def _record(self):
        length = int(self.headers.get("Content-Length") or 0)
        body = self.rfile.read(length) if length else b""
        self.server.received.append(
            {"method": self.command, "path": self.path, "headers": self.headers, "body": body}
        )
        self.send_response(200)
        self.send_header("Content-Length", "2")
        self.end_headers()
        self.wfile.write(b"{}")

    do_GET = do_POST = do_BAN = do_PURGE = _record

    def log_message(self, *args):
        pass


class PurgeServer:
    """Start with `with PurgeServer() as server:`; `server.url`, `server.received`."""

    def __enter__(self):
        self.httpd = ThreadingHTTPServer(("127.0.0.1", 0), _Recorder)
        self.httpd.received = []
        self.url = f"http://127.0.0.1:{self.httpd.server_port}"
        threading.Thread(target=self.httpd.serve_forever, daemon=True).start()
        return self

    @property
    def received(self) -> list[dict]:
        return self.httpd.received

    def __exit__(self, *exc):
        self.httpd.shutdown()
        self.httpd.server_close()
