"""The machine's own floor, measured with no supervisor at all (helper/benchfloor.c): what any
supervisor pays to notice an exit and to get a new process to main()."""

import os
import subprocess


def _run(ctx, *args, timeout):
    fifo = os.path.join(ctx.workroot, "floor.fifo")
    out = subprocess.run([ctx.floor, ctx.helper, fifo, *map(str, args)], capture_output=True,
                         text=True, timeout=timeout, check=True)
    return [line.split() for line in out.stdout.splitlines()]


def respawn_floor(ctx, k):
    """Per round, ms: (SIGKILL -> exit seen on a pidfd, posix_spawn -> the helper's main())."""
    rows = _run(ctx, "respawn", k, timeout=30 + k)
    return [(int(r[1]) / 1e6, int(r[2]) / 1e6) for r in rows if r[0] == "respawn"]


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
