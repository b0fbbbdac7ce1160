"""Idle cost (context switches and CPU time over a quiet interval) and memory of the daemon."""

import time

from ..clients import SupervisordClient
from ..measure import memory_kib, sample
from ..peers import ProgramSet
from ..session import session, wait_status


def footprint(ctx, peer, n, idle_s, settle_s, http_rounds=None):
    """The daemon with n idle programs (default startsecs=1, as users run them), read settle_s
    after all are RUNNING (start-up work is over by then).

    With http_rounds (a number), the daemon serves supervisord's XML-RPC interface and is read
    settle_s after that many rounds of the calls `supervisorctl status` makes (getVersion,
    getAllProcessInfo; each a new connection) from the runner, so that the listener's code is
    resident; "before_calls" is (RSS, RssAnon) read before the first call.

    Returns {"rss": KiB, "anon": KiB} and, when idle_s > 0, "switches" (voluntary + involuntary
    context switches of every thread over idle_s), "main_switches" (the main thread's),
    "cpu_ms" (schedstat), "stat_cpu_ms" (utime + stime of /proc/PID/stat) and "threads"."""
    programs = ProgramSet(n, startsecs=1)
    out = {}
    launch = {} if http_rounds is None else {"http": True}
    with session(ctx, peer, programs, **launch) as daemon:
        wait_status(daemon, programs.names, time.monotonic() + 60 + 0.2 * n,
                    f"{peer.label} start of {n}")
        time.sleep(settle_s)
        if http_rounds is not None:
            out["before_calls"] = memory_kib(daemon.pid)
            xmlrpc = SupervisordClient(daemon.http_socket)
            for _ in range(http_rounds):
                xmlrpc.call("getVersion")
                if len(xmlrpc.call("getAllProcessInfo")) != n:
                    raise RuntimeError(f"{peer.label}: getAllProcessInfo lacks processes")
            time.sleep(settle_s)
        if idle_s > 0:
            before = sample(daemon.pid)
            time.sleep(idle_s)
            after = sample(daemon.pid)
            out["switches"] = (after.voluntary + after.nonvoluntary
                               - before.voluntary - before.nonvoluntary)
            out["main_switches"] = (after.main_voluntary + after.main_nonvoluntary
                                    - before.main_voluntary - before.main_nonvoluntary)
            out["cpu_ms"] = (after.cpu_s - before.cpu_s) * 1000
            out["stat_cpu_ms"] = (after.stat_cpu_s - before.stat_cpu_s) * 1000
            out["threads"] = after.threads
        out["rss"], out["anon"] = memory_kib(daemon.pid)
    ctx.log(f"  {peer.label} N={n}: {out}")
    return out
