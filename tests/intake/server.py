"""A fixture web server on loopback for the intake's tests: routes set by each test, every request logged.

A route is (status, headers, body) or a function of the request handler that writes its own response (slow,
endless, looping). Pages change while the server runs, as a publisher's do.
"""

import http.server
import threading
import time


class Handler(http.server.BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"

    def log_message(self, format, *args):
        pass

    def do_GET(self):
        server = self.server
        path = self.path
        with server.lock:
            server.requests.append((path, dict(self.headers)))
            route = server.routes.get(path)
        if route is None:
            return self.reply(404, {"Content-Type": "text/html"}, b"<html><body><p>Not found</p></body></html>")
        if callable(route):
            return route(self)
        status, headers, body = route
        etag = headers.get("ETag")
        if etag and self.headers.get("If-None-Match") == etag:
            return self.reply(304, {"ETag": etag}, b"")
        modified = headers.get("Last-Modified")
        if modified and self.headers.get("If-Modified-Since") == modified:
            return self.reply(304, {"Last-Modified": modified}, b"")
        return self.reply(status, headers, body)

    def reply(self, status, headers, body):
        self.send_response(status)
        for name, value in headers.items():
            self.send_header(name, value)
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)


class FixtureServer(http.server.ThreadingHTTPServer):
    daemon_threads = True

    def __init__(self):
        super().__init__(("127.0.0.1", 0), Handler)
        self.routes, self.requests, self.lock = {}, [], threading.Lock()
        self.thread = threading.Thread(target=self.serve_forever, daemon=True)
        self.thread.start()

    @property
    def base(self):
        return f"http://127.0.0.1:{self.server_address[1]}"

    def url(self, path):
        return self.base + path

    def page(self, path, body, *, status=200, content_type="text/html; charset=utf-8", **headers):
        body = body.encode() if isinstance(body, str) else body
        self.routes[path] = (status, {"Content-Type": content_type, **headers}, body)

    def handle(self, path, function):
        self.routes[path] = function

    def redirect(self, path, to, status=301):
        self.routes[path] = (status, {"Location": to}, b"")

    def remove(self, path):
        self.routes.pop(path, None)

    def hits(self, path):
        with self.lock:
            return [headers for requested, headers in self.requests if requested == path]

    def stop(self):
        self.shutdown()
        self.server_close()


def slow(handler, seconds=30):
    """A byte a second: each read comes in time, the whole never does."""
    handler.send_response(200)
    handler.send_header("Content-Type", "text/html")
    handler.send_header("Content-Length", str(seconds))
    handler.end_headers()
    try:
        for _ in range(seconds):
            handler.wfile.write(b"x")
            handler.wfile.flush()
            time.sleep(1)
    except OSError:
        pass


def huge(handler, megabytes=50):
    """A 50 MB page, sent without a length, as a chunked stream."""
    handler.send_response(200)
    handler.send_header("Content-Type", "text/html")
    handler.send_header("Transfer-Encoding", "chunked")
    handler.end_headers()
    chunk = b"<p>" + b"a" * (1024 * 1024 - 7) + b"</p>"
    try:
        for _ in range(megabytes):
            handler.wfile.write(f"{len(chunk):x}\r\n".encode() + chunk + b"\r\n")
        handler.wfile.write(b"0\r\n\r\n")
    except OSError:
        pass
