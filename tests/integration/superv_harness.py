"""Runs the real superv binary in a temp dir and observes it.

Every wait has a deadline; nothing sleeps for synchronisation. Every process a
test starts is cleaned up by PID: the daemon, and every descendant it had.
"""
import json
import os
import re
import socket
import signal
import subprocess
import time
from pathlib import Path

SUPERV = os.environ.get("SUPERV_BIN", "superv")
BACKEND = os.environ.get("SUPERV_BACKEND", "auto")


def wait_for(predicate, timeout=10.0, interval=0.01, what="condition"):
    """Polls `predicate` until it returns a true value or `timeout` passes."""
    deadline = time.monotonic() + timeout
    while True:
        value = predicate()
        if value:
            return value
        if time.monotonic() > deadline:
            raise AssertionError(f"timed out after {timeout}s waiting for {what}")
        time.sleep(interval)


def children_of(pid):
    """Direct children of `pid`, from /proc."""
    out = []
    for entry in os.listdir("/proc"):
        if not entry.isdigit():
            continue
        try:
            stat = Path(f"/proc/{entry}/stat").read_text()
        except OSError:
            continue
        # The comm field may hold spaces: fields start after the last ')'.
        fields = stat[stat.rindex(")") + 2:].split()
        if int(fields[1]) == pid:
            out.append(int(entry))
    return out


def descendants(pid):
    found, todo = [], [pid]
    while todo:
        for child in children_of(todo.pop()):
            found.append(child)
            todo.append(child)
    return found


def proc_state(pid):
    """The one-letter state of `pid` ('Z' for a zombie), or None if gone."""
    try:
        stat = Path(f"/proc/{pid}/stat").read_text()
    except OSError:
        return None
    return stat[stat.rindex(")") + 2:].split()[0]


def start_time(pid):
    """Field 22 of /proc/PID/stat: tells a process from a later one with its pid."""
    try:
        stat = Path(f"/proc/{pid}/stat").read_text()
    except OSError:
        return None
    return stat[stat.rindex(")") + 2:].split()[19]


def alive(pid):
    state = proc_state(pid)
    return state is not None and state != "Z"


def request(daemon, message, timeout=10.0):
    """Sends one protocol request straight over the control socket; returns the reply lines,
    parsed (docs/protocol.md)."""
    with socket.socket(socket.AF_UNIX, socket.SOCK_STREAM) as s:
        s.settimeout(timeout)
        s.connect(str(daemon.socket))
        s.sendall(json.dumps(message).encode() + b"\n")
        data = b""
        while chunk := s.recv(65536):
            data += chunk
    return [json.loads(line) for line in data.splitlines()]


def run_cli(*args, env=None, timeout=30, **kw):
    full_env = dict(os.environ)
    full_env.update(env or {})
    return subprocess.run([SUPERV, *args], capture_output=True, text=True, timeout=timeout,
                          env=full_env, **kw)


class Daemon:
    """One `superv daemon` in its own directory, with its log in a file."""

    def __init__(self, workdir: Path, config_text: str = None, args=(), env=None,
                 command=None, wrapper=(), config_name="superv.toml"):
        self.dir = Path(workdir)
        self.config = self.dir / config_name
        if config_text is not None:
            self.config.write_text(config_text)
        self.log_path = self.dir / "superv.log"
        self.out_path = self.dir / "superv.out"
        self.args = list(args)
        self.socket = self.dir / "superv.sock"
        self.env = dict(os.environ)
        self.env.setdefault("SUPERV_BACKEND", BACKEND)
        self.env["SUPERV_SOCKET"] = str(self.socket)
        # `-- CMD` alone logs warnings only: the tests read the info lines.
        if config_text is None:
            self.env.setdefault("SUPERV_LOG_LEVEL", "info")
        self.env.update(env or {})
        self.command = command
        self.wrapper = list(wrapper)  # e.g. unshare: superv then runs as its child
        self.proc = None
        self._tree = set()

    def start(self):
        argv = [*self.wrapper, SUPERV, "daemon"]
        if self.config.exists():
            argv += ["-c", str(self.config)]
        argv += self.args
        if self.command:
            argv += ["--", *self.command]
        self.proc = subprocess.Popen(
            argv, cwd=self.dir, env=self.env, stdin=subprocess.DEVNULL,
            stdout=open(self.out_path, "wb"), stderr=open(self.log_path, "wb"),
            start_new_session=True)
        return self

    @property
    def pid(self):
        """superv's pid as this (the host's) namespace sees it."""
        if not self.wrapper or self._is_superv(self.proc.pid):
            return self.proc.pid  # no wrapper, or one that exec'd superv
        kids = wait_for(lambda: children_of(self.proc.pid), 5, what="superv under the wrapper")
        return kids[0]

    @staticmethod
    def _is_superv(pid):
        try:
            return os.path.samefile(f"/proc/{pid}/exe", SUPERV)
        except OSError:
            return False

    def log(self):
        return self.log_path.read_text(errors="replace") if self.log_path.exists() else ""

    def output(self):
        return self.out_path.read_text(errors="replace") if self.out_path.exists() else ""

    def wait_log(self, pattern, timeout=10.0, count=1):
        """Waits until `pattern` (a regex) matches `count` times; returns the matches."""
        rx = re.compile(pattern, re.M)

        def found():
            self.remember_tree()
            matches = rx.findall(self.log())
            return matches if len(matches) >= count else None

        try:
            return wait_for(found, timeout, what=f"log line /{pattern}/ x{count}")
        except AssertionError:
            raise AssertionError(f"no /{pattern}/ x{count} in log:\n{self.log()}") from None

    def count(self, pattern):
        return len(re.findall(pattern, self.log(), re.M))

    def pids_of(self, name):
        """Pids spawned for process `name`, in order."""
        return [int(p) for p in re.findall(rf"\b{re.escape(name)}: spawned pid (\d+)", self.log())]

    def wait_state(self, name, state, timeout=10.0, count=1):
        return self.wait_log(rf"\b{re.escape(name)}: \w+ -> {state}\b", timeout, count)

    def remember_tree(self):
        if self.proc and self.proc.poll() is None:
            self._tree.update((pid, start_time(pid)) for pid in descendants(self.proc.pid))
            self._tree.add((self.proc.pid, start_time(self.proc.pid)))

    def ctl(self, *args, timeout=60, **kw):
        """Runs `superv ARGS` as a client of this daemon."""
        self.remember_tree()
        return subprocess.run([SUPERV, *args], capture_output=True, text=True, timeout=timeout,
                              env=self.env, **kw)

    def status(self, *names):
        """`status --json` as a dict name -> process object."""
        r = self.ctl("status", "--json", *names)
        assert r.returncode in (0, 3), r.stderr
        return {p["name"]: p for p in json.loads(r.stdout)}

    def wait_ready(self, timeout=10.0):
        """Waits until the control socket answers."""
        wait_for(lambda: self.ctl("pid").returncode == 0, timeout, interval=0.02,
                 what="the control socket")
        return self

    def wait_status(self, name, state, timeout=10.0):
        def reached():
            procs = self.status()
            return procs.get(name, {}).get("state") == state and procs[name]
        return wait_for(reached, timeout, interval=0.02, what=f"{name} to be {state}")

    def signal(self, sig):
        self.remember_tree()
        os.kill(self.pid, sig)

    def wait_exit(self, timeout=15.0):
        try:
            return self.proc.wait(timeout=timeout)
        except subprocess.TimeoutExpired:
            raise AssertionError(f"superv did not exit in {timeout}s; log:\n{self.log()}")

    def stop(self):
        """Graceful stop if still running, then SIGKILL for anything left, by PID."""
        if self.proc is None:
            return
        if self.proc.poll() is None:
            try:
                self.signal(signal.SIGTERM)
            except (ProcessLookupError, AssertionError):
                pass
            try:
                self.proc.wait(timeout=15)
            except subprocess.TimeoutExpired:
                self.proc.kill()
                self.proc.wait()
        # Only a process that is still the one we saw (same start time).
        for pid, started in self._tree:
            if started is not None and start_time(pid) == started:
                try:
                    os.kill(pid, signal.SIGKILL)
                except ProcessLookupError:
                    pass

    def __enter__(self):
        return self.start()

    def __exit__(self, *exc):
        self.stop()
