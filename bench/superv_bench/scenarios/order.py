"""Start order (depends_on, readiness): a dependency's READY=1 to its dependent's spawn, reloads
of ordered and of mixed-speed programs, the idle cost of readiness, and a graph of 1000 programs.

The programs are the bench helper (helper/benchhelper.c), which signals readiness only when its
environment asks for it (BENCH_NOTIFY, BENCH_READY_FD, BENCH_READY_TCP) and then stamps
"ready NAME PID NS", NS taken just before the signal was given."""

import os
import socket
import subprocess
import tempfile
import time

from .. import configs
from ..figures import SUPERV_KEYS
from ..measure import median, sample
from ..peers import ProgramSet
from ..session import session, wait_all_started, wait_status
from . import reload

PAUSE_S = 0.02  # between two rounds of ready-to-spawn


def _depends(targets, condition):
    """superv.toml's `depends_on = { A = "cond", ... }`."""
    return "depends_on = { " + ", ".join(f'{t} = "{condition}"' for t in targets) + " }"


NOTIFY = ['ready = "notify"', 'environment = { BENCH_NOTIFY = "1" }']


# -- 1. a dependency's READY=1 to its dependent's spawn ------------------------------------------

def ready_to_spawn(ctx, peer, rounds):
    """db (ready = "notify") and app (depends_on = { db = "ready" }), `restart db` (which
    restarts app after it) `rounds` times. Returns ([ms from db's READY=1 to app's start stamp],
    details). An app started before its db's READY=1 is an ordering failure and raises."""
    db, app = "p0000", "p0001"
    programs = ProgramSet(2, superv_lines={db: NOTIFY, app: [_depends([db], "ready")]})
    samples, replies = [], []
    with session(ctx, peer, programs) as daemon:
        stamps = daemon.stamps
        wait_status(daemon, programs.names, time.monotonic() + 30, f"{peer.label} start")
        for i in range(rounds):
            what = f"{peer.label}: restart db {i + 1}/{rounds}"
            old = stamps.current_pids(programs.names)
            mark = stamps.mark()
            t0 = time.monotonic_ns()
            daemon.client.request({"cmd": "restart", "names": [db]}, 30)
            replies.append((time.monotonic_ns() - t0) / 1e6)
            deadline = time.monotonic() + 30
            wait_all_started(stamps, programs.names, old, deadline, what)
            new_db = stamps.starts[db].pid

            def readiness():
                return [e for e in stamps.since(mark, "ready") if e.pid == new_db]

            if not stamps.wait_for(lambda: readiness(), deadline):
                raise TimeoutError(f"{what}: no ready stamp from db (pid {new_db})")
            gap = (stamps.starts[app].ns - readiness()[0].ns) / 1e6
            if gap < 0:
                raise RuntimeError(f"{what}: app started {-gap:.3f} ms before db's READY=1")
            samples.append(gap)
            if i % 50 == 49:
                stamps.forget_dead()
            time.sleep(PAUSE_S)
        wait_status(daemon, programs.names, time.monotonic() + 30, f"{peer.label} after")
    ordered = sorted(samples)
    ctx.log(f"  {peer.label}: {rounds} rounds, READY=1 to spawn median "
            f"{ordered[len(ordered) // 2]:.3f} ms, max {ordered[-1]:.3f} ms")
    return samples, {"`restart db` request to reply (ms)": median(replies)}


# -- 2. a reload of programs in a chain of levels ------------------------------------------------

def chain(levels, width, delay_ms, condition):
    """levels x width programs that each need delay_ms after SIGTERM: every program of level k+1
    depends on every program of level k (condition), so a reload stops level by level, the
    last level first."""
    n = levels * width
    lines = {}
    names = ProgramSet(n).names
    for level in range(1, levels):
        below = names[(level - 1) * width:level * width]
        for name in names[level * width:(level + 1) * width]:
            lines[name] = [_depends(below, condition)]
    return ProgramSet(n, term_delay_ms=delay_ms, stopwaitsecs=delay_ms // 1000 + 10,
                      superv_lines=lines)


# -- 3. a reload of fast programs beside a slow one -----------------------------------------------

def mixed_reloads(ctx, peer, fast, fast_ms, slow_ms, reps):
    """`fast` programs needing fast_ms after SIGTERM and one needing slow_ms, reloaded `reps`
    times. Returns ([seconds from the request until the last fast one's new start stamp],
    details of reload.reloads: the slow one's new start among them). Each reload is checked like
    the others: every old pid dead, all reported RUNNING with the stamped pids."""
    programs = ProgramSet(fast + 1, term_delay_ms=fast_ms, stopwaitsecs=slow_ms // 1000 + 10,
                          term_delays={f"p{fast:04d}": slow_ms})
    return reload.reloads(ctx, peer, fast + 1, slow_ms, reps, programs=programs,
                          until=programs.names[:fast])


# -- 4. the idle cost of readiness -----------------------------------------------------------------

def _free_ports(k):
    """k TCP ports of 127.0.0.1 free right now (bound to port 0 together, then released)."""
    socks = []
    try:
        for _ in range(k):
            s = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
            s.bind(("127.0.0.1", 0))
            socks.append(s)
        return [s.getsockname()[1] for s in socks]
    finally:
        for s in socks:
            s.close()


def readiness_programs(n):
    """n programs (default startsecs = 1) in thirds: ready = "notify", { fd = 3 }, { tcp = PORT }
    (each its own port). The readiness lines are superv's: supervisord, which has none, runs the
    same helpers with no readiness asked for."""
    names = ProgramSet(n).names
    ports = iter(_free_ports(len(names[2::3])))
    lines = {}
    for i, name in enumerate(names):
        if i % 3 == 0:
            lines[name] = NOTIFY
        elif i % 3 == 1:
            lines[name] = ["ready = { fd = 3 }", 'environment = { BENCH_READY_FD = "3" }']
        else:
            port = next(ports)
            lines[name] = [f"ready = {{ tcp = {port} }}",
                           f'environment = {{ BENCH_READY_TCP = "{port}" }}']
    return ProgramSet(n, startsecs=1, superv_lines=lines)


def readiness_idle(ctx, peer, n, idle_s, settle_s):
    """The daemon's context switches (every thread) over idle_s, settle_s after all n are
    RUNNING (for superv: and ready, each having stamped its readiness). Returns {"switches",
    "cpu_ms", "kinds"}."""
    programs = readiness_programs(n)
    names = programs.names
    out = {}
    with session(ctx, peer, programs) as daemon:
        deadline = time.monotonic() + 60 + 0.2 * n
        if peer.key in SUPERV_KEYS:
            stamps = daemon.stamps

            def all_ready():
                pids = {stamps.starts[x].pid for x in names}
                return len({e.pid for e in stamps.events if e.what == "ready"} & pids) == n

            if not stamps.wait_for(all_ready, deadline):
                raise TimeoutError(f"{peer.label}: not every program signalled readiness")
        wait_status(daemon, names, deadline, f"{peer.label} start of {n}")
        if peer.key in SUPERV_KEYS:
            reply = daemon.client.request({"cmd": "status"}, 10)
            unready = [p["name"] for p in reply["processes"] if p.get("ready") is not True]
            if unready:
                raise RuntimeError(f"{peer.label}: {len(unready)} not ready, e.g. {unready[0]}")
        time.sleep(settle_s)
        before = sample(daemon.pid)
        time.sleep(idle_s)
        after = sample(daemon.pid)
        out["switches"] = (after.voluntary + after.nonvoluntary
                           - before.voluntary - before.nonvoluntary)
        out["cpu_ms"] = (after.cpu_s - before.cpu_s) * 1000
    ctx.log(f"  {peer.label} N={n} with readiness: {out}")
    return out


# -- 5. a graph of 1000 programs ------------------------------------------------------------------

def graph(n, chains, fan, condition="started"):
    """n programs: `chains` chains of (n - 2 * fan) / chains links (each link depends on the one
    before), then a diamond of 2 x fan: fan programs each depending on the last link of every
    chain, and fan more each depending on all of those. startsecs = 0, exit at once on
    SIGTERM."""
    names = ProgramSet(n).names
    length = (n - 2 * fan) // chains
    if length * chains + 2 * fan != n or length < 1:
        raise ValueError(f"{n} programs do not split into {chains} chains and 2 x {fan}")
    lines = {}
    tails = []
    for c in range(chains):
        links = names[c * length:(c + 1) * length]
        for before, name in zip(links, links[1:]):
            lines[name] = [_depends([before], condition)]
        tails.append(links[-1])
    first = names[chains * length:chains * length + fan]
    second = names[chains * length + fan:]
    for name in first:
        lines[name] = [_depends(tails, condition)]
    for name in second:
        lines[name] = [_depends(first, condition)]
    return ProgramSet(n, term_delay_ms=0, superv_lines=lines)


def graph_independent(n):
    """The same n programs with no dependency: the floor of graph(n, ...)."""
    return ProgramSet(n, term_delay_ms=0)


def depth(programs):
    """The longest chain of dependencies (in programs) of a ProgramSet made by graph()."""
    needs = {}
    for name, lines in (programs.superv_lines or {}).items():
        for line in lines:
            if line.startswith("depends_on"):
                needs[name] = [t.split(" = ")[0].strip() for t in
                               line.split("{", 1)[1].rsplit("}", 1)[0].split(",")]
    memo = {}

    def longest(name):
        if name not in memo:
            memo[name] = 1 + max((longest(t) for t in needs.get(name, [])), default=0)
        return memo[name]

    return max(longest(name) for name in programs.names)


def check_times(ctx, binary, programs, runs):
    """Seconds `superv check -c superv.toml` takes on the programs' config (`runs` times, after
    one unmeasured); each must exit 0. Returns (samples, the config's size in bytes)."""
    workdir = tempfile.mkdtemp(prefix=f"check-{programs.count}-", dir=ctx.workroot)
    path = os.path.join(workdir, "superv.toml")
    configs.superv_toml(path, programs, ctx.helper, os.path.join(workdir, "stamps.fifo"),
                        os.path.join(workdir, "superv.sock"))
    samples = []
    for i in range(runs + 1):
        t0 = time.monotonic_ns()
        done = subprocess.run([binary, "check", "-c", path], stdin=subprocess.DEVNULL,
                              capture_output=True, text=True, timeout=60)
        took = (time.monotonic_ns() - t0) / 1e9
        if done.returncode != 0:
            raise RuntimeError(f"superv check -c {path} exited {done.returncode}: "
                               f"{(done.stdout + done.stderr).strip()[:500]}")
        if i > 0:
            samples.append(took)
    return samples, os.path.getsize(path)
