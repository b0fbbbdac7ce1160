"""A supervisord.conf as supervisord users write one (numprocs, a group, expansions, an include),
the real supervisorctl, and Debian's real supervisord for comparison (never as a system service:
only as a child of a test, in a temp dir)."""
import os
import re
import signal
import subprocess
import time
from pathlib import Path

from superv_harness import SUPERV, wait_for

SUPERVISORCTL = "/usr/bin/supervisorctl"
SUPERVISORD = "/usr/bin/supervisord"

CONF = """\
; supervisord.conf as people write it
[unix_http_server]
file = %(here)s/supervisor.sock   ; what supervisorctl talks to
chmod = 0700
{server_auth}

[supervisord]
logfile = %(here)s/main.log
pidfile = %(here)s/supervisord.pid
childlogdir = %(here)s/logs
identifier = compat
nodaemon = true
environment = SHARED="from the daemon"

[rpcinterface:supervisor]
supervisor.rpcinterface_factory = supervisor.rpcinterface:make_main_rpcinterface

[supervisorctl]
serverurl = unix://%(here)s/supervisor.sock
{ctl_auth}

[superv]
socket = %(here)s/superv.sock

[program:web]
command = /bin/sh -c "echo web %(process_num)02d of %(group_name)s says hi; exec sleep 1000"
process_name = %(program_name)s_%(process_num)02d
numprocs = 2
startsecs = 0
stopwaitsecs = 2
stdout_logfile = %(here)s/logs/%(program_name)s-%(process_num)02d.log

[program:worker]
command = /bin/sleep 1000
startsecs = 0
priority = 10
environment = GREETING="hello, world",WHERE="%(here)s"

[program:cron]
command = /bin/sleep 999
startsecs = 0

[program:manual]
command = /bin/sleep 998
autostart = false
startsecs = 0

[group:backend]
programs = worker,cron
priority = 50

[include]
files = conf.d/*.conf
"""

EXTRA = """\
[program:extra]
command = /bin/sleep 997   ; from an included file
startsecs = 0
stdout_logfile = %(here)s/extra.log
"""


def write_conf(directory: Path, username=None, password=None):
    directory = Path(directory)
    (directory / "logs").mkdir(exist_ok=True)
    (directory / "conf.d").mkdir(exist_ok=True)
    (directory / "conf.d" / "extra.conf").write_text(EXTRA)
    server_auth = f"username = {username}\npassword = {password}" if username else ""
    ctl_auth = f"username = {username}\npassword = {password}" if username else ""
    if password and password.startswith("{SHA}"):
        raise ValueError("give the plain password; supervisorctl needs it")
    path = directory / "supervisord.conf"
    path.write_text(CONF.format(server_auth=server_auth, ctl_auth=ctl_auth))
    return path


def ctl(conf: Path, *args, timeout=60, password=None):
    argv = [SUPERVISORCTL, "-c", str(conf)]
    if password:
        argv += ["-p", password]
    r = subprocess.run([*argv, *args], capture_output=True, text=True, timeout=timeout,
                       cwd=conf.parent)
    return r.returncode, r.stdout


def all_settled(conf: Path):
    """Every process of `status` is in a state it will stay in (no STARTING / STOPPING)."""
    _, out = ctl(conf, "status")
    lines = [l for l in out.splitlines() if l.strip()]
    return lines and not any(re.search(r"\s(STARTING|STOPPING|BACKOFF)\s", l) for l in lines)


def wait_settled(conf: Path, timeout=20):
    wait_for(lambda: all_settled(conf), timeout, interval=0.05, what="every process settled")


class SupervisordDaemon:
    """Debian's supervisord in the foreground, as the comparison's reference."""

    def __init__(self, conf: Path):
        self.conf = conf
        self.proc = None

    def start(self):
        self.proc = subprocess.Popen([SUPERVISORD, "-n", "-c", str(self.conf)],
                                     cwd=self.conf.parent, stdout=subprocess.DEVNULL,
                                     stderr=open(self.conf.parent / "supervisord.stderr", "wb"),
                                     start_new_session=True)
        wait_for(lambda: ctl(self.conf, "pid")[0] == 0, 20, interval=0.1, what="supervisord up")
        return self

    def stop(self):
        if self.proc is None:
            return
        if self.proc.poll() is None:
            self.proc.send_signal(signal.SIGTERM)
            try:
                self.proc.wait(timeout=20)
            except subprocess.TimeoutExpired:
                os.killpg(self.proc.pid, signal.SIGKILL)
                self.proc.wait()
        # Its children ran in its session: anything left goes with it.
        try:
            os.killpg(self.proc.pid, signal.SIGKILL)
        except ProcessLookupError:
            pass


def normalise(text: str) -> str:
    """What may differ between two daemons on the same config: pids, times, the version."""
    text = re.sub(r"pid \d+, uptime \d+:\d\d:\d\d", "pid N, uptime T", text)
    text = re.sub(r"^\d+$", "N", text, flags=re.M)  # `pid` output
    text = re.sub(r"[A-Z][a-z]{2} \d\d \d\d:\d\d [AP]M", "DATE", text)  # stop times
    return text


def edit_for_update(conf: Path):
    """Adds a program, changes one, removes one: what `reread` and `update` report."""
    text = conf.read_text()
    text = text.replace("[program:cron]\ncommand = /bin/sleep 999",
                        "[program:cron]\ncommand = /bin/sleep 996")
    text = text.replace("[program:manual]\ncommand = /bin/sleep 998\nautostart = false\n"
                        "startsecs = 0\n", "")
    text += "\n[program:fresh]\ncommand = /bin/sleep 995\nstartsecs = 0\n"
    conf.write_text(text)


# (supervisorctl arguments, how to compare the output: "exact" or "lines" — the order of a
# group's or all's results is not fixed even under supervisord), or a callable step.
SCENARIO = [
    (("status",), "exact"),
    (("status", "web:*"), "exact"),
    (("status", "nope"), "exact"),
    (("stop", "web:web_00"), "exact"),
    (("stop", "web:web_00"), "exact"),
    (("status",), "exact"),
    (("start", "web:web_00"), "exact"),
    (("start", "web:web_00"), "exact"),
    (("start", "nope"), "exact"),
    (("restart", "backend:*"), "lines"),
    (("stop", "all"), "lines"),
    (("status",), "exact"),
    (("start", "all"), "lines"),
    (("restart", "extra"), "exact"),
    (("signal", "CONT", "web:*"), "lines"),
    (("signal", "CONT", "manual"), "exact"),
    (("signal", "NOPE", "extra"), "exact"),
    (("pid", "backend:worker"), "exact"),
    (("pid", "all"), "exact"),
    (("avail",), "exact"),
    (("tail", "web:web_00"), "exact"),
    (("tail", "backend:worker"), "exact"),
    (("clear", "web:web_00"), "exact"),
    (("tail", "web:web_00"), "exact"),
    (("stop", "manual"), "exact"),
    (edit_for_update, None),
    (("reread",), "lines"),
    (("update",), "lines"),
    (("status",), "exact"),
    (("avail",), "exact"),
    (("reload",), "exact"),
    (("status",), "exact"),
    (("shutdown",), "exact"),
]


def run_scenario(conf: Path, password=None):
    """Runs SCENARIO with supervisorctl against whatever daemon serves `conf`; returns
    [(args, mode, exit code, output)]."""
    results = []
    wait_settled(conf)
    for step, mode in SCENARIO:
        if callable(step):
            step(conf)
            continue
        code, out = ctl(conf, *step, password=password)
        results.append((step, mode, code, out))
        if step[0] == "shutdown":
            break
        if step[0] == "reload":  # answered before the restart is done
            wait_for(lambda: ctl(conf, "pid")[0] == 0 and all_settled(conf), 30, interval=0.1,
                     what="the daemon back after reload")
        wait_settled(conf)
    return results


def comparable(mode, out):
    text = normalise(out)
    return sorted(text.splitlines()) if mode == "lines" else text.splitlines()
