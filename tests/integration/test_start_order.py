"""Start order through the real binary: a three-level stack (a db that is
ready only after a delay, by each readiness kind; a migrate oneshot; a web)
starts in order and stops in reverse; systemd-notify from a shell script;
a failing oneshot blocks its dependents; a ready timeout; `start` / `stop`
take dependencies and dependents along; a cycle is refused by `check`."""
import re
import socket
import subprocess

import pytest

from superv_harness import SUPERV, wait_for
from test_engine import sh


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


# Each db writes db.ready just before it signals readiness; migrate fails
# unless it is there, and web unless migrate has run: a start out of order
# ends FATAL.
def db_program(kind, port):
    mark = "sleep 0.4; touch db.ready; "
    if kind == "notify":
        return sh("db", mark + "systemd-notify --ready --status='accepting connections'; "
                  "exec sleep 1000", ready="notify", startsecs=0)
    if kind == "fd":
        return sh("db", mark + "echo ok >&3; exec sleep 1000", startsecs=0) + "ready = { fd = 3 }\n"
    if kind == "tcp":
        listen = (f"import socket,time; s=socket.socket(); s.bind(('127.0.0.1', {port})); "
                  "s.listen(); time.sleep(1000)")
        return sh("db", mark + f'exec /usr/bin/python3 -c "{listen}"', startsecs=0) + \
            f"ready = {{ tcp = {port} }}\n"
    if kind == "log":
        return sh("db", mark + "echo 'db: listening on 5432'; exec sleep 1000", startsecs=0,
                  stdout_logfile="db.log") + 'ready = { log = "listening on \\\\d+" }\n'
    raise ValueError(kind)


def stack(kind, port=0, migrate="test -f db.ready && touch migrated"):
    return (db_program(kind, port)
            + sh("migrate", migrate, type="oneshot", startretries=0, depends_on=["db"])
            + sh("web", "test -f migrated || exit 1; exec sleep 1000", startsecs=0,
                 startretries=0)
            + 'depends_on = { db = "ready", migrate = "completed" }\n')


def order_of(log, *patterns):
    """The log offsets of the first match of each pattern (all must match)."""
    offsets = []
    for p in patterns:
        m = re.search(p, log, re.M)
        assert m, f"no /{p}/ in log:\n{log}"
        offsets.append(m.start())
    return offsets


@pytest.mark.parametrize("kind", ["notify", "fd", "tcp", "log"])
def test_a_stack_starts_in_order_and_stops_in_reverse(daemon, kind):
    d = daemon(stack(kind, free_port()))
    d.wait_ready()
    d.wait_state("web", "RUNNING")
    procs = d.status()
    assert procs["db"]["state"] == "RUNNING" and procs["db"]["ready"] is True
    assert procs["migrate"]["state"] == "EXITED" and procs["migrate"]["type"] == "oneshot"
    assert procs["web"]["state"] == "RUNNING"
    log = d.log()
    ready, migrate, migrated, web = order_of(
        log, r"db: STARTING -> RUNNING", r"migrate: spawned", r"migrate: STARTING -> EXITED",
        r"web: spawned")
    assert ready < migrate < migrated < web
    if kind == "notify":
        assert "accepting connections" in procs["db"]["description"]
    r = d.ctl("shutdown")
    assert r.returncode == 0, r.stderr
    d.wait_exit()
    web_stop, db_stop = order_of(d.log(), r"web: RUNNING -> STOPPING", r"db: RUNNING -> STOPPING")
    web_gone = order_of(d.log(), r"web: STOPPING -> STOPPED")[0]
    assert web_stop < web_gone < db_stop, "db stops only once web is down"


def test_waiting_processes_say_what_they_wait_for(daemon):
    d = daemon(sh("db", "sleep 1000", ready="notify", startsecs=0, ready_timeout=30)
               + sh("web", "exec sleep 1000", depends_on=["db"]))
    d.wait_ready()
    d.wait_state("db", "STARTING")
    web = wait_for(lambda: d.status()["web"].get("description") == "waiting for db (ready)"
                   and d.status()["web"], what="web's description")
    assert web["state"] == "STOPPED" and web["pid"] == 0
    assert d.pids_of("web") == []


def test_a_failing_oneshot_blocks_its_dependents(daemon):
    d = daemon(stack("fd", migrate="echo 'migration 7 failed' >&2; exit 3"))
    d.wait_ready()
    d.wait_state("migrate", "FATAL")
    web = wait_for(lambda: d.status()["web"]["description"] == "dependency migrate is FATAL"
                   and d.status()["web"], what="web blocked by migrate")
    assert web["state"] == "STOPPED" and d.pids_of("web") == []
    assert d.status()["db"]["state"] == "RUNNING"
    assert "Bad exit code 3" in d.ctl("status", "migrate").stdout or \
        "exit status 3" in d.ctl("status", "migrate").stdout


def test_not_ready_in_time_is_a_failed_start_with_that_reason(daemon):
    d = daemon(sh("db", "exec sleep 1000", ready="notify", startsecs=0, ready_timeout=0.5,
                  startretries=0)
               + sh("web", "exec sleep 1000", depends_on=["db"]))
    d.wait_state("db", "FATAL")
    assert "not ready after 500 ms" in d.status()["db"]["description"]
    assert d.status()["web"]["description"] == "dependency db is FATAL"


def test_start_and_stop_take_dependencies_and_dependents_along(daemon):
    d = daemon(sh("db", "exec sleep 1000", autostart=False, startsecs=0)
               + sh("web", "exec sleep 1000", autostart=False, startsecs=0,
                    depends_on={"db": "running"}))
    d.wait_ready()
    r = d.ctl("start", "web")
    assert r.returncode == 0, r.stdout + r.stderr
    assert "db" in r.stdout and "web" in r.stdout
    assert d.status()["db"]["state"] == "RUNNING"
    r = d.ctl("stop", "db")
    assert r.returncode == 0, r.stdout + r.stderr
    procs = d.status()
    assert procs["web"]["state"] == "STOPPED" and procs["db"]["state"] == "STOPPED"
    web_stopped, db_stopping = order_of(d.log(), r"web: STOPPING -> STOPPED",
                                        r"db: RUNNING -> STOPPING")
    assert web_stopped < db_stopping


def test_restart_restarts_what_needs_it(daemon):
    d = daemon(sh("db", "exec sleep 1000", startsecs=0)
               + sh("web", "exec sleep 1000", startsecs=0, depends_on={"db": "running"}))
    d.wait_state("web", "RUNNING")
    r = d.ctl("restart", "db")
    assert r.returncode == 0, r.stdout + r.stderr
    assert len(d.pids_of("db")) == 2 and len(d.pids_of("web")) == 2
    log = d.log()
    assert log.rindex("web: spawned") > log.rindex("db: spawned")


def test_check_names_a_cycle(tmp_path):
    conf = tmp_path / "superv.toml"
    conf.write_text(sh("a", "true", depends_on=["b"]) + sh("b", "true", depends_on=["a"]))
    r = subprocess.run([SUPERV, "check", "-c", str(conf)], capture_output=True, text=True)
    assert r.returncode != 0
    assert re.search(r"superv\.toml:\d+:\d+: .*dependency cycle: (a -> b -> a|b -> a -> b)",
                     r.stdout + r.stderr), r.stdout + r.stderr


# web needs db only through the completed oneshot migrate: `stop db` and a
# shutdown select web (it is printed), so they must stop it before db too.
@pytest.mark.parametrize("how", ["stop", "shutdown"])
def test_a_dependent_through_a_completed_oneshot_stops_first(daemon, how):
    d = daemon(sh("db", "exec sleep 1000", startsecs=0)
               + sh("migrate", "true", type="oneshot", depends_on=["db"])
               + sh("web", "exec sleep 1000", startsecs=0, depends_on={"migrate": "completed"}))
    d.wait_state("web", "RUNNING")
    r = d.ctl("stop", "db") if how == "stop" else d.ctl("shutdown")
    assert r.returncode == 0, r.stdout + r.stderr
    if how == "stop":
        assert "web: stopped" in r.stdout
    else:
        d.wait_exit()
    web_gone, db_stopping = order_of(d.log(), r"web: STOPPING -> STOPPED",
                                     r"db: RUNNING -> STOPPING")
    assert web_gone < db_stopping, d.log()
