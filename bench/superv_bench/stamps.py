"""The helpers' stamps (see helper/benchhelper.c) and a pidfd on every helper that ever started.

Every helper writes "start NAME PID NS" when it starts and "term NAME PID NS" when SIGTERM reaches
it, NS being CLOCK_MONOTONIC, the clock of time.monotonic_ns(). The reader holds a pidfd on each
stamped pid: it knows exactly when a helper dies (poll on the pidfd), and it can kill every helper
it has seen at the end without ever hitting a recycled pid.
"""

import errno
import fcntl
import os
import select
import signal
import time
from dataclasses import dataclass


def _poll_one(fd, timeout):
    """True when fd is readable within timeout seconds (poll: fds above 1023 are fine)."""
    poller = select.poll()
    poller.register(fd, select.POLLIN)
    return bool(poller.poll(timeout * 1000))


@dataclass
class Stamp:
    what: str  # "start" or "term"
    name: str
    pid: int
    ns: int


class StampReader:
    PIPE_SIZE = 1 << 20

    def __init__(self, fifo_path):
        self.path = fifo_path
        os.mkfifo(fifo_path, 0o600)
        # O_RDWR: the fifo never reports EOF when no helper has it open.
        self.fd = os.open(fifo_path, os.O_RDWR | os.O_NONBLOCK | os.O_CLOEXEC)
        try:
            fcntl.fcntl(self.fd, fcntl.F_SETPIPE_SZ, self.PIPE_SIZE)
        except OSError:
            pass  # the default 64 KiB is enough as long as the reader keeps up
        self.buffer = b""
        self.starts = {}  # name -> latest start Stamp
        self.events = []  # every Stamp, in arrival order
        self.pidfds = {}  # pid -> pidfd, for every helper not yet known dead
        self.watched = set()  # pids whose death wait_for() records as it happens
        self.deaths = {}  # pid -> monotonic ns its death was seen (watched pids only)

    def close(self):
        self.kill_all()
        for fd in self.pidfds.values():
            os.close(fd)
        self.pidfds.clear()
        os.close(self.fd)

    # -- reading -----------------------------------------------------------------------------

    def _consume(self, data):
        self.buffer += data
        *lines, self.buffer = self.buffer.split(b"\n")
        for line in lines:
            what, name, pid, ns = line.decode().split()
            stamp = Stamp(what, name, int(pid), int(ns))
            self.events.append(stamp)
            if what == "start":
                self.starts[name] = stamp
                self._track(stamp.pid)

    def _track(self, pid):
        if pid in self.pidfds:
            return
        try:
            self.pidfds[pid] = os.pidfd_open(pid)
        except ProcessLookupError:
            pass  # already reaped: nothing left to watch or kill

    def drain(self):
        """Reads whatever is in the fifo now."""
        while True:
            try:
                data = os.read(self.fd, self.PIPE_SIZE)
            except BlockingIOError:
                return
            if not data:
                return
            self._consume(data)

    def watch(self, pids):
        """From now on, wait_for() also records when each of pids dies (in self.deaths)."""
        for pid in pids:
            if pid in self.pidfds:
                self.watched.add(pid)
            else:
                self.deaths.setdefault(pid, time.monotonic_ns())  # gone before it was seen

    def wait_for(self, predicate, deadline):
        """Reads stamps until predicate() is true; False at the deadline (a monotonic time).
        Meanwhile the deaths of watched pids are recorded as they happen."""
        while True:
            self.drain()
            if predicate():
                return True
            remaining = deadline - time.monotonic()
            if remaining <= 0:
                return False
            self._poll(min(remaining, 0.5))

    def _poll(self, timeout):
        poller = select.poll()
        poller.register(self.fd, select.POLLIN)
        by_fd = {self.pidfds[pid]: pid for pid in self.watched}
        for fd in by_fd:
            poller.register(fd, select.POLLIN)
        events = poller.poll(timeout * 1000)
        now = time.monotonic_ns()
        for fd, _ in events:
            pid = by_fd.get(fd)
            if pid is not None:
                self.deaths[pid] = now
                self.watched.discard(pid)

    def mark(self):
        """A position in the event list, to ask for the stamps that arrive after it."""
        self.drain()
        return len(self.events)

    def since(self, mark, what=None):
        return [e for e in self.events[mark:] if what is None or e.what == what]

    def current_pids(self, names):
        self.drain()
        return {n: self.starts[n].pid for n in names if n in self.starts}

    # -- processes ---------------------------------------------------------------------------

    def is_alive(self, pid):
        fd = self.pidfds.get(pid)
        if fd is None:
            return False
        return not _poll_one(fd, 0)

    def wait_dead(self, pids, deadline):
        """Waits until every pid in pids has exited; returns {pid: monotonic ns of the exit seen}.

        A pid missing from the result was still alive at the deadline."""
        died = {p: self.deaths[p] for p in pids if p in self.deaths}
        waiting = {p: self.pidfds[p] for p in pids if p in self.pidfds and p not in died}
        now = time.monotonic_ns()
        for p in pids:
            if p not in self.pidfds and p not in died:
                died[p] = now  # exited before its stamp was read
        while waiting:
            remaining = deadline - time.monotonic()
            if remaining <= 0:
                break
            poller = select.poll()
            for fd in waiting.values():
                poller.register(fd, select.POLLIN)
            events = poller.poll(min(remaining, 0.5) * 1000)
            now = time.monotonic_ns()
            ready = {fd for fd, _ in events}
            for pid, fd in list(waiting.items()):
                if fd in ready:
                    died[pid] = now
                    del waiting[pid]
        return died

    def forget_dead(self):
        """Closes the pidfds of helpers that have exited (keeps the fd count bounded)."""
        for pid in [p for p in self.pidfds if not self.is_alive(p)]:
            os.close(self.pidfds.pop(pid))
            self.watched.discard(pid)
            self.deaths.pop(pid, None)

    def kill(self, pid):
        fd = self.pidfds.get(pid)
        if fd is None:
            return False
        try:
            signal.pidfd_send_signal(fd, signal.SIGKILL)
            return True
        except ProcessLookupError:
            return False

    def kill_all(self):
        """SIGKILL to every helper still alive; returns how many there were."""
        self.drain()
        killed = 0
        for pid in list(self.pidfds):
            try:
                if self.is_alive(pid) and self.kill(pid):
                    killed += 1
            except OSError as e:
                if e.errno != errno.ESRCH:
                    raise
        return killed
