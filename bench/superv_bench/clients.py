"""Control clients speaking each daemon's own protocol over its Unix socket, and the real
command-line clients.

Both daemons are driven from this process directly (no `superv` or `supervisorctl` process per
command), so a measured time contains the daemon's work and not a client's start-up: a Python
`supervisorctl` needs about 150 ms to start, which would be charged to supervisord. The scenarios
about supervisorctl itself run the real one (run_command).
"""

import http.client
import json
import socket
import subprocess
import time
import xmlrpc.client

SUPERVISORCTL = "/usr/bin/supervisorctl"


class ControlError(Exception):
    pass


class SupervClient:
    """superv's JSON-lines protocol (docs/protocol.md): one request line, reply lines."""

    def __init__(self, path):
        self.path = path

    def request(self, message, timeout):
        with socket.socket(socket.AF_UNIX, socket.SOCK_STREAM) as sock:
            sock.settimeout(timeout)
            sock.connect(self.path)
            sock.sendall(json.dumps(message).encode() + b"\n")
            data = b""
            while not data.endswith(b"\n"):
                chunk = sock.recv(1 << 20)
                if not chunk:
                    break
                data += chunk
        if not data:
            raise ControlError(f"superv closed the connection without a reply to {message}")
        reply = json.loads(data.splitlines()[0])
        if not reply.get("ok", False) and "results" not in reply:
            raise ControlError(f"superv refused {message}: {reply}")
        return reply

    def status(self, timeout=10.0):
        """{name: (state, pid)} of every process."""
        reply = self.request({"cmd": "status"}, timeout)
        return {p["name"]: (p["state"], p["pid"]) for p in reply["processes"]}

    def reload(self, timeout):
        return self.request({"cmd": "reload"}, timeout)

    def start(self, names, timeout):
        return self.request({"cmd": "start", "names": names}, timeout)

    def stop(self, names, timeout):
        return self.request({"cmd": "stop", "names": names}, timeout)

    def version(self, timeout=10.0):
        return self.request({"cmd": "version"}, timeout)

    def shutdown(self, timeout):
        """Returns once the daemon has stopped everything (it closes the connection)."""
        with socket.socket(socket.AF_UNIX, socket.SOCK_STREAM) as sock:
            sock.settimeout(timeout)
            sock.connect(self.path)
            sock.sendall(b'{"cmd": "shutdown"}\n')
            while sock.recv(4096):
                pass


class _UnixHTTPConnection(http.client.HTTPConnection):
    def __init__(self, path, timeout):
        super().__init__("localhost", timeout=timeout)
        self.unix_path = path

    def connect(self):
        self.sock = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
        self.sock.settimeout(self.timeout)
        self.sock.connect(self.unix_path)


class _UnixTransport(xmlrpc.client.Transport):
    def __init__(self, path, timeout):
        super().__init__()
        self.unix_path = path
        self.timeout = timeout

    def make_connection(self, host):
        return _UnixHTTPConnection(self.unix_path, self.timeout)


class SupervisordClient:
    """supervisord's XML-RPC interface (superv serves it too), the calls supervisorctl makes for
    the same commands. Every call is a new connection, as every supervisorctl command is."""

    def __init__(self, path):
        self.path = path

    def _proxy(self, timeout):
        transport = _UnixTransport(self.path, timeout)
        return xmlrpc.client.ServerProxy("http://localhost/RPC2", transport=transport)

    def call(self, method, *args, timeout=10.0):
        proxy = self._proxy(timeout)
        try:
            return getattr(proxy.supervisor, method)(*args)
        except (OSError, xmlrpc.client.Error, http.client.HTTPException) as e:
            raise ControlError(f"supervisord {method}: {e}") from e

    def call_unparsed(self, method, timeout=10.0):
        """The HTTP body of the reply to supervisor.METHOD(), read to its end but not parsed:
        the daemon's part of a call without the client's XML decoding."""
        body = xmlrpc.client.dumps((), f"supervisor.{method}").encode()
        conn = _UnixHTTPConnection(self.path, timeout)
        try:
            conn.request("POST", "/RPC2", body, {"Content-Type": "text/xml"})
            reply = conn.getresponse()
            data = reply.read()
        except (OSError, http.client.HTTPException) as e:
            raise ControlError(f"{method} over XML-RPC: {e}") from e
        finally:
            conn.close()
        if reply.status != 200 or b"<fault>" in data:
            raise ControlError(f"{method} over XML-RPC: HTTP {reply.status}: {data[:200]!r}")
        return data

    def status(self, timeout=10.0):
        """{name: (state, pid)} of every process (the bare name, as superv reports it)."""
        infos = self.call("getAllProcessInfo", timeout=timeout)
        return {i["name"]: (i["statename"], i["pid"]) for i in infos}

    def reload(self, timeout):
        """`supervisorctl reload`: answers at once; the daemon then stops and restarts all."""
        return self.call("restart", timeout=timeout)

    def start_all(self, timeout):
        return self.call("startAllProcesses", True, timeout=timeout)

    def stop_all(self, timeout):
        return self.call("stopAllProcesses", True, timeout=timeout)

    def start(self, name, timeout):
        return self.call("startProcess", name, True, timeout=timeout)

    def stop(self, name, timeout):
        return self.call("stopProcess", name, True, timeout=timeout)

    def shutdown(self, timeout):
        return self.call("shutdown", timeout=timeout)


def run_command(argv, timeout):
    """Runs a client command to its exit (killed at the timeout); returns (seconds from its start
    to its exit, its CompletedProcess)."""
    t0 = time.monotonic_ns()
    done = subprocess.run(argv, stdin=subprocess.DEVNULL, capture_output=True, text=True,
                          timeout=timeout)
    return (time.monotonic_ns() - t0) / 1e9, done


def supervisorctl(ctl_config, *args):
    return [SUPERVISORCTL, "-c", ctl_config, *args]


def wait_until_answering(ping, deadline, what):
    """Calls ping() until it succeeds; raises at the deadline (a monotonic time)."""
    last = None
    while time.monotonic() < deadline:
        try:
            return ping()
        except (OSError, ControlError, ValueError) as e:
            last = e
            time.sleep(0.01)
    raise TimeoutError(f"{what} did not answer in time: {last}")
