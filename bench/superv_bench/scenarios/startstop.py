"""`start all` of N stopped programs until all RUNNING, and `stop all` of N programs that exit at
once on SIGTERM, until the command returns (every process stopped)."""

import time

from ..measure import median
from ..peers import ProgramSet
from ..session import Call, session, wait_all_started, wait_status


def starts_and_stops(ctx, peer, n, reps, programs=None):
    """Returns (stop samples, start samples, details), in seconds. programs: n alike that exit at
    once on SIGTERM unless given (the start order scenario gives them dependencies)."""
    programs = programs or ProgramSet(n, term_delay_ms=0)
    names = programs.names
    limit = 60 + 0.5 * n
    stops, starts, all_dead = [], [], []
    with session(ctx, peer, programs) as daemon:
        stamps = daemon.stamps
        wait_status(daemon, names, time.monotonic() + limit, f"{peer.label} start")
        for rep in range(reps):
            what = f"{peer.label}: stop all {rep + 1}/{reps} of {n}"
            live = stamps.current_pids(names)
            stamps.watch(live.values())
            t0 = time.monotonic_ns()
            call = Call(daemon.stop_all, limit)
            deadline = time.monotonic() + limit
            stamps.wait_for(lambda: call.done_ns is not None and not stamps.watched, deadline)
            t1 = call.join(deadline, what)
            dead = stamps.wait_dead(list(live.values()), deadline)
            if len(dead) != len(live):
                raise RuntimeError(f"{what}: {len(live) - len(dead)} processes still alive")
            wait_status(daemon, names, deadline, what, state="STOPPED")
            stops.append((t1 - t0) / 1e9)
            all_dead.append((max(dead.values()) - t0) / 1e9)
            stamps.forget_dead()

            what = f"{peer.label}: start all {rep + 1}/{reps} of {n}"
            t0 = time.monotonic_ns()
            daemon.start_all(limit)
            t1 = time.monotonic_ns()
            deadline = time.monotonic() + limit
            last_start = wait_all_started(stamps, names, live, deadline, what)
            wait_status(daemon, names, deadline, what)
            starts.append((max(t1, last_start) - t0) / 1e9)
            ctx.log(f"  {peer.label} N={n}: stop all {stops[-1]:.3f} s, "
                    f"start all {starts[-1]:.3f} s")
    return stops, starts, {"last death seen (s)": median(all_dead)}
