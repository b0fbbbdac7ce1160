"""The machine's own floor, measured with no supervisor at all (helper/benchfloor.c): what any
supervisor pays to notice an exit and to get a new process to main()."""

import os
import subprocess

from ..clients import run_command, supervisorctl
from ..configs import supervisorctl_conf


def _run(ctx, *args, timeout):
    fifo = os.path.join(ctx.workroot, "floor.fifo")
    out = subprocess.run([ctx.floor, ctx.helper, fifo, *map(str, args)], capture_output=True,
                         text=True, timeout=timeout, check=True)
    return [line.split() for line in out.stdout.splitlines()]


def respawn_floor(ctx, k):
    """Per round, ms: (SIGKILL -> exit seen on a pidfd, posix_spawn -> the helper's main())."""
    rows = _run(ctx, "respawn", k, timeout=30 + k)
    return [(int(r[1]) / 1e6, int(r[2]) / 1e6) for r in rows if r[0] == "respawn"]


def connect_floor(ctx, k, port):
    """K TCP connections to 127.0.0.1:port from one process, 1000 a second: non-blocking
    connect, poll until writable, close. Returns (CPU ns per connection, failures)."""
    rows = _run(ctx, "connect", k, port, timeout=30 + k / 500)
    row = next(r for r in rows if r[0] == "connect")
    return int(row[2]) / int(row[1]), int(row[3])


def spawn_batch_floor(ctx, n):
    """Seconds to posix_spawn n helpers one after the other, until all n ran main(), and to
    SIGKILL all n at once and reap them."""
    rows = _run(ctx, "batch", n, timeout=60 + 0.1 * n)
    row = next(r for r in rows if r[0] == "batch")
    return int(row[3]) / 1e9, int(row[4]) / 1e9, int(row[5]) / 1e9


def parallel_spawn_floor(ctx, n, spawners):
    """Seconds until n helpers ran main() when `spawners` processes share the spawning: about the
    best any supervisor can do with that many CPUs."""
    rows = _run(ctx, "batch", n, spawners, timeout=60 + 0.1 * n)
    row = next(r for r in rows if r[0] == "batch")
    return int(row[4]) / 1e9


def supervisorctl_startup(ctx, k):
    """Seconds `supervisorctl -c CONF help` takes, k times: its Python start-up, imports and
    config reading, with no call to a daemon (what every supervisorctl command pays first)."""
    conf = os.path.join(ctx.workroot, "supervisorctl-floor.conf")
    supervisorctl_conf(conf, os.path.join(ctx.workroot, "no-daemon.sock"))
    samples = []
    for _ in range(k):
        took, done = run_command(supervisorctl(conf, "help"), timeout=60)
        if done.returncode != 0:
            raise RuntimeError(f"supervisorctl help exited {done.returncode}: {done.stderr}")
        samples.append(took)
    return samples
