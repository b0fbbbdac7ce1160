"""Debian's real supervisorctl against superv serving a supervisord.conf (numprocs, a group,
expansions, an include): every command, with a password and without, printing what it prints
against supervisord 4.2.5 itself (test_supervisord_compare.py runs both)."""
import os
import re
import signal
import subprocess
import time

import pytest

from superv_harness import SUPERV, Daemon, wait_for
from supervisorctl_support import (SUPERVISORCTL, SupervisordDaemon, comparable, ctl, run_scenario,
                                wait_settled, write_conf)


@pytest.fixture
def served(tmp_path):
    """superv on a supervisord.conf; yields (daemon, conf)."""
    started = []

    def make(**auth):
        conf = write_conf(tmp_path, **auth)
        d = Daemon(tmp_path, config_name="supervisord.conf").start()
        started.append(d)
        wait_for(lambda: ctl(conf, "pid", password=auth.get("password"))[0] == 0, 10,
                 what="supervisorctl to reach superv")
        wait_settled(conf)
        return d, conf

    yield make
    for d in started:
        d.stop()


def test_status_names_processes_as_supervisord_does(served):
    d, conf = served()
    code, out = ctl(conf, "status")
    names = [line.split()[0] for line in out.splitlines()]
    assert names == ["backend:cron", "backend:worker", "extra", "manual", "web:web_00",
                     "web:web_01"]
    assert re.search(r"^web:web_00\s+RUNNING\s+pid \d+, uptime 0:00:\d\d$", out, re.M)
    assert re.search(r"^manual\s+STOPPED\s+Not started$", out, re.M)
    assert code == 3  # supervisorctl: not everything running
    assert ctl(conf, "status", "web:*")[0] == 0
    assert ctl(conf, "pid")[1].strip() == str(d.pid)


def test_the_expansions_and_environment_reach_the_programs(served, tmp_path):
    d, conf = served()
    assert "web 00 of web says hi" in ctl(conf, "tail", "web:web_00")[1]
    pid = int(ctl(conf, "pid", "backend:worker")[1])
    env = dict(kv.split("=", 1) for kv in open(f"/proc/{pid}/environ").read().split("\0") if kv)
    assert env["GREETING"] == "hello, world" and env["WHERE"] == str(tmp_path)
    assert env["SHARED"] == "from the daemon"
    assert env["SUPERVISOR_PROCESS_NAME"] == "worker" and env["SUPERVISOR_GROUP_NAME"] == "backend"
    assert env["SUPERVISOR_SERVER_URL"] == f"unix://{tmp_path}/supervisor.sock"


def test_tail_f_streams_until_interrupted(served, tmp_path):
    d, conf = served()
    follower = subprocess.Popen([SUPERVISORCTL, "-c", str(conf), "tail", "-f", "web:web_01"],
                                stdout=subprocess.PIPE, text=True)
    try:
        assert follower.stdout.readline().startswith("==> Press Ctrl-C to exit <==")
        assert "web 01 of web says hi" in follower.stdout.readline()
        ctl(conf, "restart", "web:web_01")  # more output arrives on the same stream
        assert "web 01 of web says hi" in follower.stdout.readline()
    finally:
        follower.send_signal(signal.SIGINT)
        follower.wait(timeout=10)


def test_maintail_shows_supervs_own_log(served, tmp_path):
    d, conf = served()
    code, out = ctl(conf, "maintail")
    assert code == 0 and "web:web_00: spawned pid" in out
    assert ctl(conf, "maintail", "-200")[1].strip()
    follower = subprocess.Popen([SUPERVISORCTL, "-c", str(conf), "maintail", "-f"],
                                stdout=subprocess.PIPE, text=True)
    try:
        follower.stdout.readline()
        ctl(conf, "stop", "extra")
        wait_for(lambda: "extra: STOPPING -> STOPPED" in follower.stdout.readline(), 10)
    finally:
        follower.send_signal(signal.SIGINT)
        follower.wait(timeout=10)


def test_reread_of_a_broken_config_is_an_error_and_changes_nothing(served, tmp_path):
    d, conf = served()
    before = ctl(conf, "pid", "all")[1]
    conf.write_text(conf.read_text() + "\n[program:broken]\nnumprocs = lots\n")
    code, out = ctl(conf, "reread")
    assert code != 0 and out.startswith("ERROR: CANT_REREAD: ") and "supervisord.conf:" in out
    assert ctl(conf, "pid", "all")[1] == before


def test_update_of_one_group_and_version(served):
    d, conf = served()
    assert ctl(conf, "version")[1].strip() == ctl(conf, "version")[1].strip() != ""
    text = conf.read_text().replace("/bin/sleep 999", "/bin/sleep 994")
    conf.write_text(text.replace("command = /bin/sleep 997", "command = /bin/sleep 993"))
    code, out = ctl(conf, "update", "backend")
    assert out.splitlines() == ["backend: stopped", "backend: updated process group"]
    assert "sleep 997" in open(f"/proc/{ctl(conf, 'pid', 'extra')[1].strip()}/cmdline").read().replace("\0", " ")


def test_a_password_is_required_when_configured(served, tmp_path):
    d, conf = served(username="admin", password="s3cret")
    assert ctl(conf, "status", password="s3cret")[0] == 3
    code, out = ctl(conf, "-u", "admin", "-p", "wrong", "status")
    assert "Server requires authentication" in out and code != 0


def test_shutdown(served):
    d, conf = served()
    assert ctl(conf, "shutdown") == (0, "Shut down\n")
    assert d.wait_exit() == 0


def test_import_gives_a_toml_that_runs_the_same_processes(served, tmp_path):
    d, conf = served()
    from_ini = {(p["group"], p["name"], p["state"]) for p in d.status().values()}
    r = subprocess.run([SUPERV, "import", str(conf)], capture_output=True, text=True, timeout=30)
    assert r.returncode == 0, r.stderr
    d.stop()
    other = tmp_path / "imported"
    other.mkdir()
    toml = r.stdout.replace(str(tmp_path / "superv.sock"), str(other / "superv.sock"))
    toml = toml.replace(str(tmp_path / "supervisor.sock"), str(other / "http.sock"))
    again = Daemon(other, toml).start()
    try:
        again.wait_ready()
        wait_for(lambda: {(p["group"], p["name"], p["state"]) for p in again.status().values()}
                 == from_ini, 10, what="the same processes from the imported TOML")
    finally:
        again.stop()
