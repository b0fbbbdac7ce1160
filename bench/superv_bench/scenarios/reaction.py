"""Reaction times: crash-to-respawn latency and SIGKILL escalation after stopwaitsecs."""

import time

from ..peers import ProgramSet
from ..session import Call, session, wait_all_started, wait_status

PAUSE_S = 0.02  # between two crashes


def respawns(ctx, peer, crashes):
    """Milliseconds from SIGKILL of the program to the start of its next instance (its own
    CLOCK_MONOTONIC stamp at the top of main(): fork/exec included)."""
    programs = ProgramSet(1, autorestart=True)
    name = programs.names[0]
    latencies = []
    with session(ctx, peer, programs) as daemon:
        stamps = daemon.stamps
        wait_status(daemon, [name], time.monotonic() + 30, f"{peer.label} start")
        for i in range(crashes):
            pid = stamps.starts[name].pid
            t0 = time.monotonic_ns()
            stamps.kill(pid)
            wait_all_started(stamps, [name], {name: pid}, time.monotonic() + 10,
                             f"{peer.label}: respawn {i + 1}")
            latencies.append((stamps.starts[name].ns - t0) / 1e6)
            if i % 50 == 49:
                stamps.forget_dead()
            time.sleep(PAUSE_S)
    latencies_sorted = sorted(latencies)
    ctx.log(f"  {peer.label}: {crashes} respawns, median "
            f"{latencies_sorted[len(latencies) // 2]:.2f} ms, max {latencies_sorted[-1]:.2f} ms")
    return latencies


def escalations(ctx, peer, reps, stopwait_s=1):
    """A program ignoring SIGTERM, stopwaitsecs=1, stopped reps times.

    Returns (ms from its SIGTERM to its death - stopwaitsecs, ms from the stop request to its
    death - stopwaitsecs). Its death is seen on a pidfd; its SIGTERM is its own stamp."""
    programs = ProgramSet(1, ignore_term=True, stopwaitsecs=stopwait_s)
    name = programs.names[0]
    from_term, from_request = [], []
    with session(ctx, peer, programs) as daemon:
        stamps = daemon.stamps
        wait_status(daemon, [name], time.monotonic() + 30, f"{peer.label} start")
        for i in range(reps):
            what = f"{peer.label}: escalation {i + 1}/{reps}"
            if i > 0:
                old = stamps.current_pids([name])
                daemon.start(name, 30)
                wait_all_started(stamps, [name], old, time.monotonic() + 30, what)
            pid = stamps.starts[name].pid
            mark = stamps.mark()
            t0 = time.monotonic_ns()
            call = Call(daemon.stop, name, stopwait_s + 30)
            deadline = time.monotonic() + stopwait_s + 30
            dead = stamps.wait_dead([pid], deadline)
            if pid not in dead:
                raise RuntimeError(f"{what}: pid {pid} still alive")
            call.join(deadline, what)
            stamps.drain()
            terms = [e for e in stamps.since(mark, "term") if e.pid == pid]
            if not terms:
                raise RuntimeError(f"{what}: pid {pid} never got SIGTERM")
            from_term.append((dead[pid] - terms[0].ns) / 1e6 - stopwait_s * 1000)
            from_request.append((dead[pid] - t0) / 1e6 - stopwait_s * 1000)
            wait_status(daemon, [name], deadline, what, state="STOPPED")
            ctx.log(f"  {what}: killed {from_term[-1]:+.2f} ms after stopwaitsecs "
                    f"({from_request[-1]:+.2f} ms counted from the request)")
    return from_term, from_request
