"""The two supervisors under test: their configs, their daemons, and their shutdown.

A peer writes a config for a ProgramSet into a work directory (configs.py) and starts its daemon in
the foreground, in its own session (process group), with its own control socket and log file, and,
when asked (always for supervisord), supervisord's XML-RPC interface on a unix socket that
`supervisorctl -c daemon.ctl_config` reaches. A Daemon
is a context manager: on exit it asks for a shutdown, SIGKILLs every helper the stamp reader has
seen (so that slow stops do not hold the run up), waits for the daemon with a deadline, and kills
its process group if it is still there.
"""

import os
import signal
import subprocess
import time
from dataclasses import dataclass

from . import configs
from .clients import ControlError, SupervClient, SupervisordClient, wait_until_answering

SUPERVISORD = "/usr/bin/supervisord"


@dataclass
class ProgramSet:
    """N identical programs p0000, p0001, ... each running the bench helper."""

    count: int
    term_delay_ms: int = 0  # time a helper takes to exit after SIGTERM
    ignore_term: bool = False  # helper ignores SIGTERM (only SIGKILL ends it)
    startsecs: int = 0
    stopwaitsecs: int = 10
    autorestart: bool = False
    autostart: bool = True
    # Per program, for the start order scenario (names absent: the set's defaults):
    term_delays: dict = None  # name -> ms after SIGTERM, instead of term_delay_ms
    superv_lines: dict = None  # name -> extra TOML lines of its [programs.NAME] (superv only)

    @property
    def names(self):
        return [f"p{i:04d}" for i in range(self.count)]

    def command(self, helper, fifo, name):
        if self.ignore_term:
            return [helper, fifo, name, "ignore-term"]
        delay = (self.term_delays or {}).get(name, self.term_delay_ms)
        return [helper, fifo, name, "term-delay", str(delay)]

    def extra_superv_lines(self, name):
        return (self.superv_lines or {}).get(name, [])


class Daemon:
    """A running supervisor daemon: the process, its client, and the way to tear it down."""

    def __init__(self, label, proc, client, stamps, log_path, http_socket=None, ctl_config=None):
        self.label = label
        self.proc = proc
        self.pid = proc.pid
        self.client = client
        self.stamps = stamps
        self.log_path = log_path
        self.http_socket = http_socket  # supervisord's XML-RPC interface (None: not served)
        self.ctl_config = ctl_config  # for `supervisorctl -c`

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        self.close()
        return False

    def alive(self):
        return self.proc.poll() is None

    def request_shutdown(self):
        raise NotImplementedError

    def close(self, deadline_s=30.0):
        if self.alive():
            try:
                self.request_shutdown()
            except (OSError, ControlError, TimeoutError):
                pass
        deadline = time.monotonic() + deadline_s
        while self.alive() and time.monotonic() < deadline:
            self.stamps.kill_all()  # stops that take seconds are not what is measured here
            try:
                self.proc.wait(timeout=0.05)
            except subprocess.TimeoutExpired:
                pass
        if self.alive():
            os.killpg(self.pid, signal.SIGKILL)  # its own session: the daemon's process group
            self.proc.wait(timeout=10)
        self.stamps.kill_all()
        self.stamps.forget_dead()


class SupervDaemon(Daemon):
    def __init__(self, *args, binary, **kwargs):
        super().__init__(*args, **kwargs)
        self.cli = [binary, "-s", self.client.path]  # `superv -s SOCKET COMMAND`

    def request_shutdown(self):
        self.client.request({"cmd": "shutdown"}, timeout=5.0)  # answers at once, then works

    def reload(self, timeout):
        self.client.reload(timeout)

    def start_all(self, timeout):
        self.client.start(["all"], timeout)

    def stop_all(self, timeout):
        self.client.stop(["all"], timeout)

    def start(self, name, timeout):
        self.client.start([name], timeout)

    def stop(self, name, timeout):
        self.client.stop([name], timeout)

    def status(self, timeout=10.0):
        return self.client.status(timeout)


class SupervisordDaemon(Daemon):
    def __init__(self, *args, group=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.group = group

    def _spec(self, name):
        return f"{self.group}:{name}" if self.group else name

    def request_shutdown(self):
        self.client.shutdown(timeout=5.0)

    def reload(self, timeout):
        self.client.reload(timeout)

    def start_all(self, timeout):
        self.client.start_all(timeout)

    def stop_all(self, timeout):
        self.client.stop_all(timeout)

    def start(self, name, timeout):
        self.client.start(self._spec(name), timeout)

    def stop(self, name, timeout):
        self.client.stop(self._spec(name), timeout)

    def status(self, timeout=10.0):
        return self.client.status(timeout)


def _spawn(argv, log_path, env=None):
    log = open(log_path, "ab")
    try:
        return subprocess.Popen(argv, stdin=subprocess.DEVNULL, stdout=log, stderr=log,
                                start_new_session=True, env=env, close_fds=True)
    finally:
        log.close()


class SupervPeer:
    def __init__(self, binary, backend):
        self.binary = binary
        self.backend = backend  # "uring" or "epoll"
        self.label = f"superv/{backend}"
        self.key = backend

    def launch(self, workdir, programs, helper, stamps, timeout=60.0, http=False,
               config_format="toml"):
        """The daemon on superv.toml (with `http`, a [superv.http] listener and a
        supervisorctl.conf for it), or with config_format "ini" on a supervisord.conf without
        groups (its XML-RPC interface on [unix_http_server] file; the control socket from
        $SUPERV_SOCKET, as the conf has no [superv] section)."""
        socket_path = os.path.join(workdir, "superv.sock")
        http_socket = os.path.join(workdir, "superv-http.sock")
        env = {k: v for k, v in os.environ.items() if not k.startswith("SUPERV_")}
        if config_format == "ini":
            config = ctl_config = os.path.join(workdir, "supervisord.conf")
            configs.supervisord_conf(config, programs, helper, stamps.path, http_socket, None,
                                     workdir)
            env["SUPERV_SOCKET"] = socket_path
        else:
            config = os.path.join(workdir, "superv.toml")
            configs.superv_toml(config, programs, helper, stamps.path, socket_path,
                                http_socket if http else None)
            ctl_config = os.path.join(workdir, "supervisorctl.conf") if http else None
            if http:
                configs.supervisorctl_conf(ctl_config, http_socket)
            else:
                http_socket = None
        log_path = os.path.join(workdir, f"superv-{self.backend}.log")
        proc = _spawn([self.binary, "daemon", "-c", config, "--backend", self.backend], log_path,
                      env)
        daemon = SupervDaemon(self.label, proc, SupervClient(socket_path), stamps, log_path,
                              http_socket=http_socket, ctl_config=ctl_config, binary=self.binary)
        try:
            version = wait_until_answering(daemon.client.version, time.monotonic() + timeout,
                                           self.label)
            wanted = "io_uring" if self.backend == "uring" else "epoll"
            if not version.get("backend", "").startswith(wanted):
                raise RuntimeError(f"{self.label}: daemon runs backend {version.get('backend')}")
            if http_socket:
                wait_until_answering(lambda: SupervisordClient(http_socket).call("getPID"),
                                     time.monotonic() + timeout, f"{self.label} over XML-RPC")
        except BaseException:
            daemon.close()
            raise
        return daemon


class SupervisordPeer:
    def __init__(self, group):
        self.group = "x" if group else None
        self.label = "supervisord" + ("" if group else " (no group)")
        self.key = "supervisord" if group else "supervisord-nogroup"

    def launch(self, workdir, programs, helper, stamps, timeout=120.0, http=True,
               config_format="ini"):
        """supervisord always serves its XML-RPC interface and reads its own format: the last
        two arguments are there to be launched like superv."""
        socket_path = os.path.join(workdir, "supervisord.sock")
        config = os.path.join(workdir, "supervisord.conf")
        configs.supervisord_conf(config, programs, helper, stamps.path, socket_path, self.group,
                                 workdir)
        log_path = os.path.join(workdir, "supervisord.log")
        proc = _spawn([SUPERVISORD, "-n", "-c", config], log_path)
        daemon = SupervisordDaemon(self.label, proc, SupervisordClient(socket_path), stamps,
                                   log_path, group=self.group, http_socket=socket_path,
                                   ctl_config=config)
        try:
            wait_until_answering(lambda: daemon.client.call("getPID"),
                                 time.monotonic() + timeout, self.label)
        except BaseException:
            daemon.close()
            raise
        return daemon
