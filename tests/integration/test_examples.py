"""The bundled examples, run by the real binary.

examples/stack.toml (redis ready by sd_notify, a `migrate` one-shot, a Python
web app ready by TCP) runs as it is, with only its ports rewritten to free ones
and its data directory to the test's temp dir, and the scripts run from
examples/stack/: it starts in dependency order, serves what migrate wrote,
stops in reverse, and comes back with its data. Every bundled config passes
`superv check`.
"""
import shutil
import socket
import subprocess
import urllib.request
from pathlib import Path

import pytest

from superv_harness import SUPERV, alive, wait_for
from test_start_order import order_of

EXAMPLES = Path(__file__).resolve().parents[2] / "examples"
STACK = EXAMPLES / "stack.toml"

needs_redis = pytest.mark.skipif(
    shutil.which("redis-server") is None or shutil.which("redis-cli") is None,
    reason="redis-server / redis-cli not installed (Debian: redis-server, redis-tools; "
           "scripts/install-deps installs them)")


def free_ports(n):
    """n distinct free TCP ports on 127.0.0.1, never redis's default 6379."""
    socks, ports = [], []
    try:
        while len(ports) < n:
            s = socket.socket()
            s.bind(("127.0.0.1", 0))
            socks.append(s)
            port = s.getsockname()[1]
            if port != 6379:
                ports.append(port)
    finally:
        for s in socks:
            s.close()
    return ports


def replace_once(text, old, new, count=1):
    assert text.count(old) == count, f"examples/stack.toml no longer has {count} x {old!r}"
    return text.replace(old, new)


def stack_config(tmp_path, redis_port, web_port):
    """examples/stack.toml with the ports and the data directory moved; the
    programs still run the scripts in examples/stack/. The socket is relative
    to the config, so it lands in tmp_path."""
    text = STACK.read_text()
    text = replace_once(text, 'REDIS_PORT = "16379"', f'REDIS_PORT = "{redis_port}"')
    text = replace_once(text, 'WEB_PORT = "18080"', f'WEB_PORT = "{web_port}"')
    text = replace_once(text, 'ready = { tcp = 18080 }', f'ready = {{ tcp = {web_port} }}')
    text = replace_once(text, 'STACK_DATA = "data"', f'STACK_DATA = "{tmp_path / "data"}"')
    text = replace_once(text, 'directory = "stack"', f'directory = "{EXAMPLES / "stack"}"',
                        count=3)
    settings = "\n".join(line.split("#")[0] for line in text.splitlines())
    for fixed in ("16379", "18080", '"data"', '"stack"'):
        assert fixed not in settings, f"{fixed} left in the generated config:\n{text}"
    return text


def redis_cli(port, *args):
    r = subprocess.run(["redis-cli", "-h", "127.0.0.1", "-p", str(port), *args],
                       capture_output=True, text=True, timeout=10)
    assert r.returncode == 0, r.stderr
    return r.stdout.strip()


def http_get(port, path="/"):
    with urllib.request.urlopen(f"http://127.0.0.1:{port}{path}", timeout=5) as resp:
        return resp.status, resp.read().decode()


@pytest.fixture
def stack(daemon, tmp_path):
    redis_port, web_port = free_ports(2)
    d = daemon(stack_config(tmp_path, redis_port, web_port), config_name="stack.toml")
    # The config names its socket (stack.sock beside it): the clients use it.
    d.socket = tmp_path / "stack.sock"
    d.env["SUPERV_SOCKET"] = str(d.socket)
    d.wait_ready()
    d.redis_port, d.web_port = redis_port, web_port
    return d


def comm_of(pid):
    # Not /proc/PID/exe: Debian's redis-server is a link to redis-check-rdb.
    return Path(f"/proc/{pid}/comm").read_text().strip()


@needs_redis
def test_the_stack_starts_in_order_serves_and_stops_in_reverse(stack):
    d = stack
    d.wait_state("web", "RUNNING", timeout=30)
    procs = d.status()
    redis, migrate, web = procs["redis"], procs["migrate"], procs["web"]
    assert redis["state"] == "RUNNING" and redis["ready"] is True
    assert migrate["state"] == "EXITED" and migrate["type"] == "oneshot"
    assert migrate["exitstatus"] == 0 and migrate["pid"] == 0
    assert web["state"] == "RUNNING" and web["ready"] is True

    # redis.sh exec'd the real redis-server, on our port, not a system one.
    redis_pid, web_pid = redis["pid"], web["pid"]
    assert d.pids_of("redis") == [redis_pid] and comm_of(redis_pid) == "redis-server"
    info = redis_cli(d.redis_port, "INFO", "server")
    assert f"process_id:{redis_pid}" in info and f"tcp_port:{d.redis_port}" in info

    # Each link waits for the one before it: redis RUNNING only once ready
    # (READY=1 from redis itself), migrate spawned only after that, web only
    # after migrate exited 0, and web RUNNING only once its port answers.
    log = d.log()
    redis_ready, migrate_spawned, migrate_done, web_spawned, web_ready = order_of(
        log, r"redis: STARTING -> RUNNING", r"migrate: spawned", r"migrate: STARTING -> EXITED",
        r"web: spawned", r"web: STARTING -> RUNNING")
    assert redis_ready < migrate_spawned < migrate_done < web_spawned < web_ready
    assert "migrate: schema version 0 -> 2" in d.output()

    # What migrate wrote, served by web.
    assert redis_cli(d.redis_port, "GET", "schema:version") == "2"
    status, body = http_get(d.web_port)
    assert status == 200
    assert body == ("Hello from redis, loaded by the migrate one-shot\n"
                    "schema version 2\nservices: redis migrate web\n")
    assert http_get(d.web_port, "/healthz") == (200, "ok\n")

    # Stopping redis stops what needs it first: web is down before redis gets
    # its SIGTERM.
    r = d.ctl("stop", "redis")
    assert r.returncode == 0, r.stdout + r.stderr
    assert "web" in r.stdout and "redis" in r.stdout
    procs = d.status()
    assert procs["redis"]["state"] == "STOPPED" and procs["web"]["state"] == "STOPPED"
    web_stopping, web_stopped, redis_stopping = order_of(
        d.log(), r"web: RUNNING -> STOPPING", r"web: STOPPING -> STOPPED",
        r"redis: RUNNING -> STOPPING")
    assert web_stopping < web_stopped < redis_stopping
    assert not alive(redis_pid) and not alive(web_pid)

    # `start web` brings redis back first; the data survived in the
    # append-only file, so the completed migrate is left done.
    r = d.ctl("start", "web", timeout=60)
    assert r.returncode == 0, r.stdout + r.stderr
    assert "redis" in r.stdout and "web" in r.stdout
    log = d.log()
    assert log.rindex("redis: STARTING -> RUNNING") < log.rindex("web: spawned")
    procs = d.status()
    assert procs["redis"]["ready"] is True and procs["web"]["ready"] is True
    assert len(d.pids_of("redis")) == 2 and len(d.pids_of("web")) == 2
    assert len(d.pids_of("migrate")) == 1 and procs["migrate"]["state"] == "EXITED"
    assert "schema version 2" in http_get(d.web_port)[1]

    # Shutdown: the same reverse order; nothing of the stack is left.
    pids = [procs["redis"]["pid"], procs["web"]["pid"]]
    r = d.ctl("shutdown")
    assert r.returncode == 0, r.stderr
    assert d.wait_exit() == 0
    log = d.log()
    web_gone = log.rindex("web: STOPPING -> STOPPED")
    redis_stopping = log.rindex("redis: RUNNING -> STOPPING")
    assert web_gone < redis_stopping
    wait_for(lambda: not any(alive(p) for p in pids), what="redis and web gone")


@needs_redis
def test_rerunning_migrate_is_harmless(stack):
    """`restart migrate` runs the one-shot again against the loaded redis: it
    finds schema version 2 and changes nothing; web restarts after it."""
    d = stack
    d.wait_state("web", "RUNNING", timeout=30)
    r = d.ctl("restart", "migrate", timeout=60)
    assert r.returncode == 0, r.stdout + r.stderr
    assert len(d.pids_of("migrate")) == 2 and len(d.pids_of("web")) == 2
    assert len(d.pids_of("redis")) == 1
    wait_for(lambda: "migrate: schema version 2 -> 2" in d.output(), what="the second migrate")
    assert redis_cli(d.redis_port, "LRANGE", "app:services", "0", "-1").split() == \
        ["redis", "migrate", "web"]
    assert http_get(d.web_port)[0] == 200


@pytest.mark.parametrize("name", ["superv.toml", "stack.toml"])
def test_the_bundled_examples_pass_check(name):
    r = subprocess.run([SUPERV, "check", "-c", str(EXAMPLES / name)], capture_output=True,
                       text=True, timeout=30)
    assert r.returncode == 0, r.stdout + r.stderr


def test_the_generated_stack_passes_check(tmp_path):
    conf = tmp_path / "stack.toml"
    conf.write_text(stack_config(tmp_path, *free_ports(2)))
    r = subprocess.run([SUPERV, "check", "-c", str(conf)], capture_output=True, text=True,
                       timeout=30)
    assert r.returncode == 0, r.stdout + r.stderr
