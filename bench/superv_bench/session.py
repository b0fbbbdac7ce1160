"""Running one daemon for a scenario: work directory, stamp fifo, start-up, checks, teardown."""

import contextlib
import os
import tempfile
import threading
import time
from dataclasses import dataclass

from .clients import ControlError
from .stamps import StampReader


@dataclass
class Context:
    helper: str  # the compiled bench helper
    floor: str  # the compiled platform-floor tool
    workroot: str  # a temporary directory for this run
    log: callable  # progress output
    probe: str = None  # the compiled init probe (helper/initprobe.c)
    check: str = None  # the compiled failing health check (helper/benchcheck.c)
    serve: str = None  # the compiled server the health checks probe (helper/benchserve.c)


@contextlib.contextmanager
def session(ctx, peer, programs, timeout=None, **launch_options):
    """A daemon of `peer` running `programs`, every autostart program stamped; torn down after.
    launch_options go to peer.launch (http, config_format)."""
    workdir = tempfile.mkdtemp(prefix=f"{peer.key}-{programs.count}-", dir=ctx.workroot)
    stamps = StampReader(os.path.join(workdir, "stamps.fifo"))
    try:
        timeout = timeout or 60.0 + 0.2 * programs.count
        daemon = peer.launch(workdir, programs, ctx.helper, stamps, timeout=timeout,
                             **launch_options)
        with daemon:
            if programs.autostart:
                wait_all_started(stamps, programs.names, {}, time.monotonic() + timeout,
                                 f"{peer.label}: initial start of {programs.count} programs")
            yield daemon
    finally:
        stamps.close()


def wait_all_started(stamps, names, old_pids, deadline, what):
    """Until every name has a start stamp with a pid other than old_pids[name]."""

    def done():
        return all(n in stamps.starts and stamps.starts[n].pid != old_pids.get(n)
                   for n in names)

    if not stamps.wait_for(done, deadline):
        missing = sum(1 for n in names
                      if n not in stamps.starts or stamps.starts[n].pid == old_pids.get(n))
        raise TimeoutError(f"{what}: {missing} of {len(names)} programs did not start in time")
    return max(stamps.starts[n].ns for n in names)


def wait_status(daemon, names, deadline, what, state="RUNNING"):
    """Until the daemon reports every name in `state` (RUNNING: with the pid last stamped)."""
    last = None
    while time.monotonic() < deadline:
        try:
            status = daemon.status(timeout=max(0.1, deadline - time.monotonic()))
            wrong = [n for n in names if status.get(n, (None, 0))[0] != state
                     or (state == "RUNNING" and status[n][1] != daemon.stamps.starts[n].pid)]
            if not wrong:
                return
            last = f"{len(wrong)} not {state}, e.g. {wrong[0]}: {status.get(wrong[0])}"
        except (OSError, ControlError, TimeoutError, KeyError) as e:
            last = str(e)  # supervisord's socket is down during its restart
        time.sleep(0.02)
    raise TimeoutError(f"{what}: status never showed all {state}: {last}")


class Call:
    """A blocking control request run on a thread, with the monotonic time it returned."""

    def __init__(self, fn, *args):
        self.done_ns = None
        self.error = None
        self.thread = threading.Thread(target=self._run, args=(fn, args), daemon=True)
        self.thread.start()

    def _run(self, fn, args):
        try:
            fn(*args)
        except Exception as e:  # reported by join()
            self.error = e
        self.done_ns = time.monotonic_ns()

    def join(self, deadline, what):
        self.thread.join(max(0.0, deadline - time.monotonic()))
        if self.thread.is_alive():
            raise TimeoutError(f"{what}: no answer in time")
        if self.error is not None:
            raise self.error
        return self.done_ns
