"""Health checks through the real binary, against real servers: an HTTP
server whose answer a file decides, raw servers that misbehave (silent,
garbage, a 10 MB body, a head cut short), a TCP listener that stops
accepting, an exec check that hangs with a child; restarts on unhealthy,
`healthy` dependents and `ready = "healthy"`."""
import os
import re
import socket
import sys

import pytest

from superv_harness import alive, wait_for
from test_engine import _toml, sh

HTTP_SERVER = r'''
import http.server, os, sys
class H(http.server.BaseHTTPRequestHandler):
    def do_GET(self):
        self.send_response(200 if os.path.exists("ok") and self.path == "/healthz?deep=1"
                           else 500)
        self.send_header("Content-Length", "0")
        self.end_headers()
    def log_message(self, *args):
        pass
http.server.HTTPServer(("127.0.0.1", int(sys.argv[1])), H).serve_forever()
'''

RAW_SERVER = r'''
import socket, sys, threading, time
port, mode = int(sys.argv[1]), sys.argv[2]
s = socket.socket()
s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
s.bind(("127.0.0.1", port))
s.listen(64)
held = []
def serve(c):
    try:
        c.recv(4096)
        if mode == "silent":
            held.append(c)
            return
        if mode == "garbage":
            c.sendall(b"\x00\x01 no http here\r\n\r\n")
        elif mode == "huge":
            c.sendall(b"HTTP/1.1 200 OK\r\nContent-Length: 10485760\r\n\r\n")
            c.sendall(b"x" * 10485760)
        elif mode == "half":
            c.sendall(b"HTTP/1.1 200 OK\r\nServ")
        c.close()
    except OSError:
        pass
while True:
    c, _ = s.accept()
    threading.Thread(target=serve, args=(c,), daemon=True).start()
'''

# Listens until the file `close` appears (which it removes): then refuses
# every connect, as a server whose listener died.
TCP_SERVER = r'''
import os, socket, sys, time
s = socket.socket()
s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
s.bind(("127.0.0.1", int(sys.argv[1])))
s.listen(64)
while not os.path.exists("close"):
    time.sleep(0.02)
os.remove("close")
s.close()
time.sleep(1000)
'''


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def python(name, source, *args, **opts):
    """A program running a Python script (written next to the config)."""
    opts.setdefault("startsecs", 0)
    argv = " ".join(str(a) for a in args)
    return sh(name, f"exec {sys.executable} {name}.py {argv}", **opts)


def healthcheck(name, **keys):
    lines = [f"[programs.{name}.healthcheck]"]
    lines += [f"{key} = {_toml(value)}" for key, value in keys.items()]
    return "\n".join(lines) + "\n\n"


def started(daemon, tmp_path, config, scripts):
    for name, source in scripts.items():
        (tmp_path / f"{name}.py").write_text(source)
    d = daemon(config)
    d.wait_ready()
    return d


def health_of(d, name):
    return d.status()[name].get("health") or {}


def wait_health(d, name, status, timeout=10.0):
    return wait_for(lambda: health_of(d, name).get("status") == status and d.status()[name],
                    timeout, interval=0.05, what=f"{name} to be {status}")


def test_http_check_passes_fails_and_restarts_the_unhealthy(daemon, tmp_path):
    port = free_port()
    (tmp_path / "ok").write_text("")
    d = started(daemon, tmp_path,
                python("web", HTTP_SERVER, port)
                + healthcheck("web", http=f"http://localhost:{port}/healthz?deep=1",
                              interval=0.3, timeout=0.25, retries=2, start_period=3),
                {"web": HTTP_SERVER})
    web = wait_health(d, "web", "healthy")
    assert web["healthy"] is True
    assert web["health"]["last"]["detail"] == "HTTP 200"
    assert web["health"]["last"]["latency_ms"] >= 0
    assert "healthy" in d.ctl("status", "web").stdout
    first = web["pid"]
    (tmp_path / "ok").unlink()
    d.wait_log(r"web: unhealthy \(2 failures: HTTP 500\): restarting it")
    (tmp_path / "ok").write_text("")
    d.wait_state("web", "RUNNING", count=2)
    assert d.pids_of("web")[1] != first
    wait_for(lambda: not alive(first), 5, what="the unhealthy instance's end")
    # The new instance's slow start falls in start_period: it does not count.
    wait_health(d, "web", "healthy")
    assert health_of(d, "web")["restarts"] == 1
    assert d.log().index("web: RUNNING -> STOPPING") < d.log().rindex("web: spawned")


@pytest.mark.parametrize("mode, reason", [
    ("silent", "timed out after 300 ms"),
    ("garbage", "not an HTTP response"),
    ("half", "connection closed in the middle of the response head"),
])
def test_a_misbehaving_server_fails_the_check_with_the_reason(daemon, tmp_path, mode, reason):
    port = free_port()
    d = started(daemon, tmp_path,
                python("web", RAW_SERVER, port, mode)
                + healthcheck("web", http=f"http://127.0.0.1:{port}/", interval=0.5,
                              timeout=0.3, retries=1, on_unhealthy="none"),
                {"web": RAW_SERVER})
    web = wait_health(d, "web", "unhealthy")
    assert web["healthy"] is False
    assert reason in web["health"]["last"]["detail"], web
    # At least one failure: another check may have ended between the two readings.
    assert re.search(rf"unhealthy \(\d+ failures?: {re.escape(reason)}", web["description"]), web
    assert web["state"] == "RUNNING" and len(d.pids_of("web")) == 1


def test_a_10_mb_body_is_not_read(daemon, tmp_path):
    port = free_port()
    d = started(daemon, tmp_path,
                python("web", RAW_SERVER, port, "huge")
                + healthcheck("web", http=f"http://127.0.0.1:{port}/", interval=0.3,
                              timeout=0.25, retries=1),
                {"web": RAW_SERVER})
    def rss_kib():
        return int(next(line.split()[1] for line in open(f"/proc/{d.pid}/status")
                        if line.startswith("VmRSS:")))
    wait_health(d, "web", "healthy")
    before = rss_kib()
    wait_for(lambda: health_of(d, "web")["checks"] >= 5, 10, what="five checks")
    assert health_of(d, "web")["status"] == "healthy"
    # One body held would be 10 MiB; none is read.
    assert rss_kib() - before < 4 * 1024, f"superv's RSS grew from {before} to {rss_kib()} KiB"


def test_a_tcp_listener_that_stops_accepting_is_restarted(daemon, tmp_path):
    port = free_port()
    d = started(daemon, tmp_path,
                python("db", TCP_SERVER, port)
                + healthcheck("db", tcp=f"127.0.0.1:{port}", interval=0.3, timeout=0.25,
                              retries=2, start_period=3),
                {"db": TCP_SERVER})
    wait_health(d, "db", "healthy")
    (tmp_path / "close").write_text("")
    d.wait_log(r"db: unhealthy \(2 failures: connect: Connection refused\): restarting it")
    d.wait_state("db", "RUNNING", count=2)
    wait_health(d, "db", "healthy")
    assert health_of(d, "db")["restarts"] == 1


def test_an_exec_check_that_hangs_is_killed_with_its_group(daemon, tmp_path):
    check = "echo $$ > check.pid; sleep 100 & echo $! > child.pid; wait"
    d = daemon(sh("web", "exec sleep 1000", startsecs=0)
               + healthcheck("web", exec=["/bin/sh", "-c", check], interval=1, timeout=0.3,
                             retries=1, on_unhealthy="none"))
    d.wait_ready()
    web = wait_health(d, "web", "unhealthy")
    assert "timed out after 300 ms" in web["health"]["last"]["detail"]
    for name in ("check.pid", "child.pid"):
        pid = int((tmp_path / name).read_text())
        wait_for(lambda: not alive(pid), 5, what=f"the check's {name} to end")


def test_an_exec_check_runs_in_the_programs_directory_and_environment(daemon, tmp_path):
    (tmp_path / "sub").mkdir()
    check = 'test "$CHECK_VAR" = x && test "${PWD##*/}" = sub'
    d = daemon(sh("web", "exec sleep 1000", startsecs=0, directory=str(tmp_path / "sub"),
                  environment={"CHECK_VAR": "x"})
               + healthcheck("web", exec=["/bin/sh", "-c", check], interval=0.5, timeout=0.4))
    d.wait_ready()
    web = wait_health(d, "web", "healthy")
    assert web["health"]["last"]["detail"] == "exit status 0"


def test_a_dependent_waits_for_healthy_and_ready_healthy_waits_for_a_pass(daemon, tmp_path):
    port = free_port()
    d = started(daemon, tmp_path,
                python("web", HTTP_SERVER, port, ready="healthy", ready_timeout=30)
                + healthcheck("web", http=f"http://127.0.0.1:{port}/healthz?deep=1",
                              interval=0.3, timeout=0.25, retries=100, on_unhealthy="none")
                + sh("app", "exec sleep 1000", startsecs=0, depends_on={"web": "healthy"}),
                {"web": HTTP_SERVER})
    wait_for(lambda: d.status()["app"]["description"] == "waiting for web (healthy)", 10,
             what="app waiting")
    wait_for(lambda: health_of(d, "web")["checks"] >= 2, 10, what="two checks")
    web = d.status()["web"]
    assert web["state"] == "STARTING" and web["ready"] is False and web["healthy"] is None
    assert ", health starting (" in web["description"], web
    assert d.pids_of("app") == []
    (tmp_path / "ok").write_text("")
    d.wait_state("app", "RUNNING")
    assert d.status()["web"]["state"] == "RUNNING"
    assert d.log().index("web: STARTING -> RUNNING") < d.log().index("app: spawned")


def test_no_check_no_health(daemon):
    d = daemon(sh("web", "exec sleep 1000", startsecs=0)).wait_ready()
    d.wait_status("web", "RUNNING")
    web = d.status()["web"]
    assert web["healthy"] is None and "health" not in web
