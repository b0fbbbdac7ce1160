"""Health checks (issue 16): the daemon's CPU time and wake-ups while it checks many programs by
TCP or HTTP, and the time from a failed check to the restart's SIGTERM.

The checked port is one server of the runner's, helper/benchserve.c (one process, blocking
accept(): it runs only when a check connects), which every check targets: in "tcp" mode it
accepts each connection and closes it, in "http" mode it reads the request head and answers 200
with an empty body. Its cost is read beside superv's, and is not superv's. The failing check is
helper/benchcheck.c (static), which stamps "check NAME PID NS" into the stamp fifo and exits 1;
the programs are the bench helper, which stamps "term" at its SIGTERM."""

import json
import subprocess
import time

from .. import configs
from ..measure import sample
from ..peers import ProgramSet
from ..session import session, wait_all_started, wait_status


class Server:
    """helper/benchserve.c in `mode` ("tcp" or "http") on a port of 127.0.0.1 the kernel picks;
    a context manager: SIGTERM at the exit, which makes it print how many it served."""

    def __init__(self, ctx, mode):
        self.proc = subprocess.Popen([ctx.serve, mode], stdin=subprocess.DEVNULL,
                                     stdout=subprocess.PIPE, text=True, close_fds=True)
        self.pid = self.proc.pid
        self.served = None
        line = self.proc.stdout.readline().split()
        if len(line) != 2 or line[0] != "port":
            self.close()
            raise RuntimeError(f"benchserve {mode}: no port announced ({line})")
        self.port = int(line[1])

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        self.close()
        return False

    def close(self):
        if self.proc.poll() is None:
            self.proc.terminate()  # by its pid: the process this object started
        try:
            out, _ = self.proc.communicate(timeout=10)
        except subprocess.TimeoutExpired:
            self.proc.kill()
            out, _ = self.proc.communicate(timeout=10)
        words = out.split()
        if len(words) >= 2 and words[-2] == "served":
            self.served = int(words[-1])


def check_lines(name, kind, target, interval_s, timeout_s, retries=3):
    """The TOML of [programs.NAME.healthcheck] (after the program's own keys)."""
    return [f"[programs.{name}.healthcheck]", f"{kind} = {json.dumps(target)}",
            f"interval = {interval_s:g}", f"timeout = {timeout_s:g}", f"retries = {retries}"]


def checked_programs(n, kind, port, interval_s, timeout_s):
    """n idle programs (default startsecs = 1), each with a `kind` ("tcp" or "http") check of
    the server on `port` every interval_s. The checks are superv's lines: supervisord, which has
    none, would run the same helpers unchecked."""
    target = port if kind == "tcp" else f"http://127.0.0.1:{port}/health"
    names = ProgramSet(n).names
    return ProgramSet(n, startsecs=1, superv_lines={
        name: check_lines(name, kind, target, interval_s, timeout_s) for name in names})


def _health(daemon, names):
    """{name: the `health` object of status} (raises when one lacks it)."""
    reply = daemon.client.request({"cmd": "status"}, 30)
    health = {p["name"]: (p.get("healthy"), p.get("health")) for p in reply["processes"]}
    missing = [n for n in names if health.get(n, (None, None))[1] is None]
    if missing:
        raise RuntimeError(f"{daemon.label}: no health in status for {len(missing)}, e.g. "
                           f"{missing[0]}")
    return health


def wait_healthy(daemon, names, deadline):
    """Until status shows every name healthy (its check passed)."""
    last = None
    while time.monotonic() < deadline:
        health = _health(daemon, names)
        wrong = [n for n in names if health[n][0] is not True]
        if not wrong:
            return health
        last = f"{len(wrong)} not healthy, e.g. {wrong[0]}: {health[wrong[0]][1]}"
        time.sleep(0.1)
    raise TimeoutError(f"{daemon.label}: not every program became healthy: {last}")


def checked_idle(ctx, peer, n, kind, interval_s, timeout_s, idle_s, settle_s):
    """superv with n programs checked by `kind` every interval_s, the runner's server answering:
    read settle_s after all are RUNNING and healthy, over idle_s. Status (with each program's
    health) is read just before the first reading and just after the second, outside the
    window. Returns {"switches", "cpu_ms", "checks" (health.checks made between the two status
    readings), "server_cpu_ms", "server_switches" (the server's, over the same window)}; a
    program that failed a check or restarted meanwhile fails the run."""
    out = {}
    with Server(ctx, kind) as server:
        programs = checked_programs(n, kind, server.port, interval_s, timeout_s)
        names = programs.names
        with session(ctx, peer, programs) as daemon:
            deadline = time.monotonic() + 60 + 0.2 * n
            wait_status(daemon, names, deadline, f"{peer.label} start of {n}")
            wait_healthy(daemon, names, deadline + interval_s * 3)
            time.sleep(settle_s)
            first = _health(daemon, names)
            before, server_before = sample(daemon.pid), sample(server.pid)
            time.sleep(idle_s)
            after, server_after = sample(daemon.pid), sample(server.pid)
            last = _health(daemon, names)
            bad = [x for x in names if last[x][0] is not True
                   or last[x][1]["restarts"] != first[x][1]["restarts"]
                   or last[x][1]["failures"] != 0]
            if bad:
                raise RuntimeError(f"{peer.label}: {len(bad)} programs failed a {kind} check "
                                   f"during the reading, e.g. {bad[0]}: {last[bad[0]][1]}")
            out["checks"] = sum(last[x][1]["checks"] - first[x][1]["checks"] for x in names)
            out["latency_ms"] = sorted(last[x][1]["last"]["latency_ms"] for x in names)[n // 2]
        out["switches"] = (after.voluntary + after.nonvoluntary
                           - before.voluntary - before.nonvoluntary)
        out["cpu_ms"] = (after.cpu_s - before.cpu_s) * 1000
        out["threads"] = after.threads
        out["server_cpu_ms"] = (server_after.cpu_s - server_before.cpu_s) * 1000
        out["server_switches"] = (server_after.voluntary + server_after.nonvoluntary
                                  - server_before.voluntary - server_before.nonvoluntary)
    ctx.log(f"  {peer.label} N={n}, {kind} checks every {interval_s:g} s: {out}")
    return out


def failing_program(ctx, interval_s, timeout_s):
    """One helper (startsecs = 0) whose exec check (helper/benchcheck.c) stamps and fails every
    time, with retries = 1: each instance is unhealthy at its first check, interval_s after its
    spawn, and restarted (on_unhealthy's default)."""
    name = ProgramSet(1).names[0]
    lines = check_lines(name, "exec", [ctx.check, configs.STAMPS, name], interval_s, timeout_s,
                        retries=1)
    return ProgramSet(1, term_delay_ms=0, superv_lines={name: lines})


def unhealthy_to_term(ctx, peer, rounds, interval_s, timeout_s):
    """`rounds` restarts on unhealthy: per round, ms from the failing check's stamp (taken just
    before it exits 1) to the SIGTERM stamp of the instance it checked. Each instance must get
    exactly one check, and the count of health.restarts must equal the rounds at the end."""
    programs = failing_program(ctx, interval_s, timeout_s)
    name = programs.names[0]
    samples = []
    with session(ctx, peer, programs) as daemon:
        stamps = daemon.stamps
        wait_status(daemon, [name], time.monotonic() + 30, f"{peer.label} start")
        first_restarts = _health(daemon, [name])[name][1]["restarts"]
        for i in range(rounds):
            what = f"{peer.label}: unhealthy restart {i + 1}/{rounds}"
            start = stamps.starts[name]
            deadline = time.monotonic() + 10 + 5 * interval_s

            def term():
                return [e for e in stamps.events if e.what == "term" and e.pid == start.pid]

            if not stamps.wait_for(lambda: term(), deadline):
                raise TimeoutError(f"{what}: pid {start.pid} got no SIGTERM")
            sigterm = term()[0]
            checks = [e for e in stamps.events if e.what == "check" and e.name == name
                      and start.ns < e.ns < sigterm.ns]
            if len(checks) != 1:
                raise RuntimeError(f"{what}: {len(checks)} checks of pid {start.pid} before its "
                                   "SIGTERM (retries = 1: one expected)")
            samples.append((sigterm.ns - checks[0].ns) / 1e6)
            wait_all_started(stamps, [name], {name: start.pid}, deadline, what)
            if i % 50 == 49:
                stamps.forget_dead()
        # The last instance is restarted too, whenever its check fails: stop counting first.
        restarts = _health(daemon, [name])[name][1]["restarts"] - first_restarts
        if restarts < rounds:
            raise RuntimeError(f"{peer.label}: health.restarts counted {restarts} restarts, "
                               f"{rounds} seen")
    ordered = sorted(samples)
    ctx.log(f"  {peer.label}: {rounds} restarts on unhealthy, failed check to SIGTERM median "
            f"{ordered[len(ordered) // 2]:.3f} ms, max {ordered[-1]:.3f} ms")
    return samples
