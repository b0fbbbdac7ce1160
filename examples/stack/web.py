"""The web app of examples/stack.toml: serves, on 127.0.0.1:$WEB_PORT, what the
`migrate` one-shot wrote into redis (on 127.0.0.1:$REDIS_PORT). Python's
standard library only: redis is spoken to in RESP over a plain socket.

    GET /         the greeting, the schema version and the services, as text
    GET /healthz  200 "ok" while redis answers PING, else 503

superv starts it only once migrate has completed, and counts it ready once
its port accepts a connection (ready = { tcp = ... }).
"""
import os
import signal
import socket
import sys
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

REDIS = ("127.0.0.1", int(os.environ["REDIS_PORT"]))
PORT = int(os.environ["WEB_PORT"])


class RedisError(Exception):
    pass


def redis(*args):
    """Sends one command to redis and returns its decoded reply."""
    request = b"*%d\r\n" % len(args)
    for a in args:
        a = str(a).encode()
        request += b"$%d\r\n%s\r\n" % (len(a), a)
    with socket.create_connection(REDIS, timeout=2) as s:
        s.sendall(request)
        return _reply(s.makefile("rb"))


def _reply(f):
    line = f.readline()
    if not line.endswith(b"\r\n"):
        raise RedisError("connection closed mid-reply")
    kind, rest = line[:1], line[1:-2]
    if kind == b"+":
        return rest.decode()
    if kind == b"-":
        raise RedisError(rest.decode())
    if kind == b":":
        return int(rest)
    if kind == b"$":
        n = int(rest)
        if n < 0:
            return None
        data = f.read(n + 2)
        return data[:-2].decode()
    if kind == b"*":
        n = int(rest)
        return None if n < 0 else [_reply(f) for _ in range(n)]
    raise RedisError(f"unexpected reply {line!r}")


class Handler(BaseHTTPRequestHandler):
    def do_GET(self):
        try:
            if self.path == "/healthz":
                self.send_text(200, "ok\n" if redis("PING") == "PONG" else "no PONG\n")
            elif self.path == "/":
                greeting = redis("GET", "app:greeting")
                version = redis("GET", "schema:version")
                services = redis("LRANGE", "app:services", 0, -1)
                self.send_text(200, f"{greeting}\nschema version {version}\n"
                               f"services: {' '.join(services)}\n")
            else:
                self.send_text(404, "not found\n")
        except (OSError, RedisError) as e:
            self.send_text(503, f"redis unavailable: {e}\n")

    def send_text(self, code, text):
        body = text.encode()
        self.send_response(code)
        self.send_header("Content-Type", "text/plain; charset=utf-8")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, fmt, *args):
        print(f"web: {self.address_string()} {fmt % args}", flush=True)


def main():
    # superv stops it with SIGTERM: exit 0 rather than die of the signal.
    signal.signal(signal.SIGTERM, lambda *_: sys.exit(0))
    server = ThreadingHTTPServer(("127.0.0.1", PORT), Handler)
    print(f"web: listening on 127.0.0.1:{PORT}, redis at {REDIS[0]}:{REDIS[1]}", flush=True)
    try:
        server.serve_forever()
    finally:
        server.server_close()


if __name__ == "__main__":
    main()
