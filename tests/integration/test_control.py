"""The control socket and the CLI: every command, its output and exit code."""
import json
import os
import shutil
import signal
import socket
import stat
import subprocess
import tempfile
import threading
import time

import pytest

from superv_harness import SUPERV, alive, run_cli, wait_for
from test_engine import SLOW_STOP, sh

SLEEPER = "exec sleep 1000"


def two_programs():
    return (sh("web", SLEEPER, startsecs=0.1) + sh("worker", SLEEPER, startsecs=0.1)
            + sh("batch", "exit 0", autostart=False, startsecs=0, autorestart="never"))


def test_status_lists_processes_and_exits_3_unless_all_running(daemon):
    d = daemon(two_programs()).wait_ready()
    d.wait_status("web", "RUNNING")
    d.wait_status("worker", "RUNNING")
    r = d.ctl("status")
    assert r.returncode == 3, r.stdout  # batch is STOPPED
    lines = {l.split()[0]: l for l in r.stdout.splitlines()}
    assert "RUNNING" in lines["web"] and "pid" in lines["web"] and "uptime" in lines["web"]
    assert "STOPPED" in lines["batch"] and "Not started" in lines["batch"]
    r = d.ctl("status", "web", "worker")
    assert r.returncode == 0, r.stdout


def test_status_json_has_the_documented_fields(daemon):
    d = daemon(two_programs()).wait_ready()
    web = d.wait_status("web", "RUNNING")
    assert web["group"] == "web"
    assert web["pid"] == d.pids_of("web")[-1]
    assert web["exitstatus"] is None and web["signal"] is None
    assert abs(web["since"] - time.time()) < 60
    batch = d.status()["batch"]
    assert batch["pid"] == 0 and batch["state"] == "STOPPED"


def test_start_stop_restart_block_until_done(daemon):
    d = daemon(two_programs()).wait_ready()
    d.wait_status("web", "RUNNING")
    old = d.status()["web"]["pid"]
    r = d.ctl("restart", "web")
    assert r.returncode == 0, r.stderr
    assert r.stdout.strip() == "web: restarted"
    new = d.status()["web"]["pid"]
    assert new != old and not alive(old) and alive(new)

    r = d.ctl("stop", "web", "worker")
    assert r.returncode == 0
    assert sorted(r.stdout.split("\n")[:2]) == ["web: stopped", "worker: stopped"]
    assert {p["state"] for p in d.status().values()} == {"STOPPED"}

    r = d.ctl("start", "all")
    assert r.returncode == 1  # batch exits at once: not RUNNING
    assert "web: started" in r.stdout and "batch: ERROR" in r.stdout


def test_stop_of_many_is_one_batch(daemon):
    cfg = "".join(sh(f"s{i}", SLOW_STOP.format(secs=1), startsecs=0.1) for i in range(10))
    d = daemon(cfg).wait_ready()
    d.wait_log("-> RUNNING", count=10)
    t0 = time.monotonic()
    r = d.ctl("stop", "all")
    took = time.monotonic() - t0
    assert r.returncode == 0
    assert 0.9 <= took < 6, took  # concurrent: one grace (1 s), not ten


def test_group_selectors(daemon):
    cfg = (sh("web", SLEEPER, startsecs=0) + sh("worker", SLEEPER, startsecs=0, numprocs=2)
           + '[groups.backend]\nprograms = ["web", "worker"]\n')
    d = daemon(cfg).wait_ready()
    wait_for(lambda: len(d.status()) == 3 and all(
        p["state"] == "RUNNING" for p in d.status().values()), what="all running")
    assert d.status()["worker_01"]["group"] == "backend"
    r = d.ctl("stop", "backend:worker_00")
    assert r.stdout.strip() == "backend:worker_00: stopped"
    r = d.ctl("stop", "backend:*")
    assert r.returncode == 0
    assert all(p["state"] == "STOPPED" for p in d.status().values())
    r = d.ctl("start", "backend")  # a bare group name selects the group
    assert r.returncode == 0 and r.stdout.count("started") == 3


def test_unknown_name_is_one_line_and_exit_2(daemon):
    d = daemon(two_programs()).wait_ready()
    for cmd in (["start", "nope"], ["stop", "web", "nope"], ["status", "nope"],
                ["signal", "HUP", "nope"], ["pid", "nope"]):
        r = d.ctl(*cmd)
        assert r.returncode == 2, cmd
        assert r.stderr.strip() == "superv: no such process: nope", r.stderr


def test_signal_delivers_by_name_or_number(daemon):
    d = daemon(sh("trap", "trap 'echo got-hup' HUP; trap 'echo got-usr1' USR1; "
                          "while :; do sleep 0.05; done", startsecs=0.1)).wait_ready()
    d.wait_status("trap", "RUNNING")
    assert d.ctl("signal", "HUP", "trap").returncode == 0
    assert d.ctl("signal", "SIGUSR1", "trap").returncode == 0
    wait_for(lambda: "got-hup" in d.output() and "got-usr1" in d.output(), what="both traps")
    assert d.ctl("signal", "10", "trap").stdout.strip() == "trap: signalled"
    r = d.ctl("signal", "NOTASIG", "trap")
    assert r.returncode == 2 and "unknown signal" in r.stderr


def test_pid_prints_daemon_and_process_pids(daemon):
    d = daemon(two_programs()).wait_ready()
    d.wait_status("web", "RUNNING")
    assert d.ctl("pid").stdout.strip() == str(d.pid)
    assert d.ctl("pid", "web").stdout.strip() == str(d.status()["web"]["pid"])


def test_version_works_with_and_without_a_daemon(daemon, tmp_path):
    r = run_cli("-s", str(tmp_path / "none.sock"), "version")
    assert r.returncode == 0 and r.stdout.startswith("superv ")
    d = daemon(two_programs()).wait_ready()
    r = d.ctl("version")
    assert r.returncode == 0 and "backend" in r.stdout


def test_no_daemon_is_exit_4_with_one_line(tmp_path):
    r = run_cli("-s", str(tmp_path / "none.sock"), "status")
    assert r.returncode == 4
    assert len(r.stderr.strip().splitlines()) == 1
    assert "no superv is listening on" in r.stderr


def test_reload_restarts_everything_from_the_new_config(daemon):
    d = daemon(two_programs()).wait_ready()
    d.wait_status("web", "RUNNING")
    before = d.status()
    d.config.write_text(sh("web", SLEEPER, startsecs=0.1) + sh("fresh", SLEEPER, startsecs=0.1))
    r = d.ctl("reload")
    assert r.returncode == 0, r.stderr
    after = d.status()
    assert set(after) == {"web", "fresh"}
    assert after["web"]["state"] == "RUNNING" and after["fresh"]["state"] == "RUNNING"
    assert after["web"]["pid"] != before["web"]["pid"]
    assert not alive(before["worker"]["pid"])


def test_update_applies_only_the_difference(daemon):
    d = daemon(sh("keep", SLEEPER, startsecs=0.1) + sh("edit", SLEEPER, startsecs=0.1)
               + sh("gone", SLEEPER, startsecs=0.1)).wait_ready()
    wait_for(lambda: all(p["state"] == "RUNNING" for p in d.status().values()), what="running")
    before = d.status()
    d.config.write_text(sh("keep", SLEEPER, startsecs=0.1)
                        + sh("edit", SLEEPER, startsecs=0.1, stopwaitsecs=3)
                        + sh("new", SLEEPER, startsecs=0.1))
    r = d.ctl("update")
    assert r.returncode == 0, r.stderr
    assert r.stdout.splitlines() == ["gone: stopped and removed", "edit: changed, restarted",
                                     "new: added"]
    after = d.status()
    assert set(after) == {"keep", "edit", "new"}
    assert after["keep"]["pid"] == before["keep"]["pid"]  # untouched
    assert after["edit"]["pid"] != before["edit"]["pid"] and after["edit"]["state"] == "RUNNING"
    assert after["new"]["state"] == "RUNNING"
    assert not alive(before["gone"]["pid"]) and not alive(before["edit"]["pid"])
    r = d.ctl("update")
    assert r.stdout.strip() == "no changes"
    assert d.status()["keep"]["pid"] == before["keep"]["pid"]


@pytest.mark.parametrize("cmd", ["reload", "update"])
def test_broken_config_changes_nothing(daemon, cmd):
    d = daemon(two_programs()).wait_ready()
    d.wait_status("web", "RUNNING")
    d.wait_status("worker", "RUNNING")
    before = {n: p["pid"] for n, p in d.status().items()}
    d.config.write_text('[programs.web]\ncommand = ["/bin/true"]\nstartsecs = "x"\nbogus = 1\n')
    r = d.ctl(cmd)
    assert r.returncode == 2
    errors = r.stderr.strip().splitlines()
    assert len(errors) == 2
    assert all(e.startswith(f"{d.config}:") for e in errors)
    assert {n: p["pid"] for n, p in d.status().items()} == before


def test_shutdown_stops_everything_and_the_daemon_exits_0(daemon):
    d = daemon(two_programs()).wait_ready()
    d.wait_status("web", "RUNNING")
    pids = [p["pid"] for p in d.status().values() if p["pid"]]
    r = d.ctl("shutdown")
    assert r.returncode == 0 and "shut down" in r.stdout
    assert d.wait_exit() == 0
    assert not any(alive(p) for p in pids)
    assert not d.socket.exists()


def test_socket_is_private_by_default(daemon):
    d = daemon(two_programs()).wait_ready()
    assert stat.S_IMODE(os.stat(d.socket).st_mode) == 0o600


def as_nobody(d, *args):
    return subprocess.run(["setpriv", "--reuid=nobody", "--regid=nogroup", "--clear-groups",
                           SUPERV, *args], capture_output=True, text=True, timeout=30,
                          env=d.env)


@pytest.fixture
def public_dir():
    """A directory anyone may traverse (pytest's tmp_path is private to root)."""
    path = tempfile.mkdtemp(prefix="superv-test-")
    os.chmod(path, 0o755)
    yield path
    shutil.rmtree(path, ignore_errors=True)


def test_non_owner_cannot_connect_to_a_private_socket(daemon, public_dir):
    d = daemon(f'[superv]\nsocket = "{public_dir}/private.sock"\n\n' + two_programs(),
               env={"SUPERV_SOCKET": f"{public_dir}/private.sock"}).wait_ready()
    r = as_nobody(d, "status")
    assert r.returncode == 4
    assert "permission denied: cannot connect to" in r.stderr


def test_non_owner_is_refused_by_peer_credentials(daemon, public_dir):
    d = daemon(f'[superv]\nsocket = "{public_dir}/open.sock"\nsocket_mode = "0666"\n\n'
               + two_programs(), env={"SUPERV_SOCKET": f"{public_dir}/open.sock"}).wait_ready()
    d.wait_status("web", "RUNNING")
    r = as_nobody(d, "stop", "web")
    assert r.returncode == 4
    assert "permission denied: uid 65534 may not control this superv" in r.stderr
    assert d.status()["web"]["state"] == "RUNNING"


def raw(d, payload, read=True, timeout=5):
    s = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
    s.settimeout(timeout)
    s.connect(str(d.socket))
    if payload:
        s.sendall(payload)
    data = b""
    if read:
        while True:
            chunk = s.recv(65536)
            if not chunk:
                break
            data += chunk
    s.close()
    return data


def test_garbage_and_oversized_requests_are_rejected_and_harmless(daemon):
    d = daemon(two_programs()).wait_ready()
    d.wait_status("web", "RUNNING")
    for junk in (b"hello\n", b"[1,2]\n", b'{"cmd": 5}\n', b'{"cmd":"explode"}\n',
                 b'{"cmd":"status","names":"x"}\n', b"\xff\xfe\n"):
        reply = json.loads(raw(d, junk))
        assert reply["ok"] is False and reply["kind"] == "usage", junk
    reply = json.loads(raw(d, b"x" * (70 * 1024)))
    assert "larger than" in reply["error"]
    assert d.ctl("status", "web").returncode == 0


def test_silent_and_half_written_clients_do_not_block_others(daemon):
    d = daemon(two_programs()).wait_ready()
    d.wait_status("web", "RUNNING")
    silent = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
    silent.connect(str(d.socket))
    half = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
    half.connect(str(d.socket))
    half.sendall(b'{"cmd": "sta')
    t0 = time.monotonic()
    assert d.ctl("status", "web").returncode == 0
    assert time.monotonic() - t0 < 2
    # A client that leaves mid-request, or before reading its reply.
    raw(d, b'{"cmd": "status"', read=False)
    raw(d, b'{"cmd": "status"}\n', read=False)
    # The silent one is told off after the request deadline and closed.
    silent.settimeout(20)
    assert b"no request received in time" in silent.recv(4096)
    silent.close()
    half.close()
    assert d.ctl("status", "web").returncode == 0


def test_fifty_clients_at_once_are_all_served(daemon):
    d = daemon(two_programs()).wait_ready()
    d.wait_status("web", "RUNNING")
    results = [None] * 50

    def one(i):
        results[i] = d.ctl("status", "--json", "web").returncode

    threads = [threading.Thread(target=one, args=(i,)) for i in range(50)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(60)
    assert results == [0] * 50


def test_tail_of_inherited_output_says_so(daemon):
    d = daemon(two_programs()).wait_ready()
    r = d.ctl("tail", "web")
    assert r.returncode == 1
    assert len(r.stderr.strip().splitlines()) == 1


def test_tail_prints_the_end_of_a_log_file(daemon, tmp_path):
    log = tmp_path / "out.log"
    d = daemon(sh("talk", "i=0; while [ $i -lt 500 ]; do echo line-$i; i=$((i+1)); done; "
                          "exec sleep 1000", startsecs=0.1, stdout_logfile=str(log))).wait_ready()
    wait_for(lambda: log.exists() and "line-499" in log.read_text(), what="output in the file")
    r = d.ctl("tail", "talk")
    assert r.returncode == 0
    assert r.stdout.endswith("line-499\n")
    assert len(r.stdout) <= 1600
    r = d.ctl("tail", "-n", "9", "talk", "stdout")
    assert r.stdout == "line-499\n"


def test_version_json_names_the_backend(daemon):
    d = daemon(two_programs()).wait_ready()
    reply = json.loads(d.ctl("version", "--json").stdout)
    assert reply["version"] and reply["pid"] == d.pid
    assert reply["backend"] in ("io_uring (waitid)", "io_uring (poll)", "epoll")
