"""Reload: every program needs `delay_ms` after SIGTERM to exit 0; time until all run again."""

import time

from ..measure import median
from ..peers import ProgramSet
from ..session import Call, session, wait_all_started, wait_status


def reload_limit(peer, n, delay_ms):
    """A deadline generous enough for any honest reload (supervisord without a group stops its
    programs one after the other)."""
    stops = n if peer.key == "supervisord-nogroup" else 1
    return stops * delay_ms / 1000 + 60 + 0.3 * n


def reloads(ctx, peer, n, delay_ms, reps):
    """Returns ([seconds from the reload request until the last new pid's start], details).

    A sample ends at the start stamp of the last of the n programs to run again with a new pid;
    the old pids must all be dead and the daemon must report all n RUNNING with the new pids.
    The details split it in phases (medians, from the request): the first SIGTERM a program saw,
    the last old process's death, the first new start, and the daemon's reply."""
    programs = ProgramSet(n, term_delay_ms=delay_ms, stopwaitsecs=delay_ms // 1000 + 10)
    names = programs.names
    limit = reload_limit(peer, n, delay_ms)
    samples = []
    phases = {"first SIGTERM seen (s)": [], "last old exit (s)": [], "first new start (s)": [],
              "reply (s)": []}
    with session(ctx, peer, programs) as daemon:
        stamps = daemon.stamps
        wait_status(daemon, names, time.monotonic() + limit, f"{peer.label} start")
        for rep in range(reps):
            what = f"{peer.label}: reload {rep + 1}/{reps} of {n}"
            old = stamps.current_pids(names)
            stamps.watch(old.values())
            mark = stamps.mark()
            t0 = time.monotonic_ns()
            call = Call(daemon.reload, limit)
            deadline = time.monotonic() + limit
            last_start = wait_all_started(stamps, names, old, deadline, what)
            done = call.join(deadline, what)
            dead = stamps.wait_dead(list(old.values()), deadline)
            if len(dead) != len(old):
                raise RuntimeError(f"{what}: {len(old) - len(dead)} old processes still alive")
            wait_status(daemon, names, deadline, what)
            samples.append((last_start - t0) / 1e9)
            terms = [e.ns for e in stamps.since(mark, "term")]
            starts = [e.ns for e in stamps.since(mark, "start")]
            for key, ns in (("first SIGTERM seen (s)", min(terms, default=None)),
                            ("last old exit (s)", max(dead.values())),
                            ("first new start (s)", min(starts)), ("reply (s)", done)):
                if ns is not None:
                    phases[key].append((ns - t0) / 1e9)
            stamps.forget_dead()
            ctx.log(f"  {what}: {samples[-1]:.3f} s (last old exit "
                    f"{phases['last old exit (s)'][-1]:.3f} s, first new start "
                    f"{phases['first new start (s)'][-1]:.3f} s)")
    return samples, {key: median(values) for key, values in phases.items() if values}
