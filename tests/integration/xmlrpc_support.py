"""Talking to superv's HTTP server as supervisord's clients do: Python's xmlrpc.client over TCP
or a unix socket, and raw HTTP for what clients never send."""
import http.client
import socket
import xmlrpc.client


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class UnixHTTPConnection(http.client.HTTPConnection):
    def __init__(self, path, timeout=30):
        super().__init__("localhost", timeout=timeout)
        self.path = path

    def connect(self):
        self.sock = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
        self.sock.settimeout(self.timeout)
        self.sock.connect(self.path)


class UnixTransport(xmlrpc.client.Transport):
    """xmlrpc.client over a unix socket (what supervisorctl's SupervisorTransport does)."""

    def __init__(self, path, username=None, password=None):
        super().__init__()
        self.socket_path = path
        self.auth = (username, password) if username else None

    def make_connection(self, host):
        return UnixHTTPConnection(self.socket_path)

    def send_headers(self, connection, headers):
        if self.auth:
            import base64
            token = base64.b64encode(f"{self.auth[0]}:{self.auth[1]}".encode()).decode()
            headers = list(headers) + [("Authorization", "Basic " + token)]
        super().send_headers(connection, headers)


def tcp_proxy(port, username=None, password=None):
    auth = f"{username}:{password}@" if username else ""
    return xmlrpc.client.ServerProxy(f"http://{auth}127.0.0.1:{port}/RPC2")


def unix_proxy(path, username=None, password=None):
    return xmlrpc.client.ServerProxy("http://localhost/RPC2",
                                     transport=UnixTransport(str(path), username, password))


def raw_http(port, payload, timeout=15, read=True):
    """Sends bytes to the TCP listener; returns everything it answered until it closed."""
    with socket.create_connection(("127.0.0.1", port), timeout=timeout) as s:
        s.sendall(payload)
        if not read:
            return b""
        data = b""
        try:
            while chunk := s.recv(65536):
                data += chunk
        except (ConnectionResetError, socket.timeout):
            pass
        return data


def status_line(response: bytes):
    return response.split(b"\r\n", 1)[0].decode(errors="replace")


def rpc_body(method, *params):
    return xmlrpc.client.dumps(params, method).encode()


def post(port, body, headers="", version="1.1"):
    return (f"POST /RPC2 HTTP/{version}\r\nHost: x\r\nContent-Type: text/xml\r\n"
            f"Content-Length: {len(body)}\r\nConnection: close\r\n{headers}\r\n").encode() + body
