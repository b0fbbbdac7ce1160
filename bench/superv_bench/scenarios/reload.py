"""Reload: every program needs `delay_ms` after SIGTERM to exit 0; time until all run again.
Asked for by the runner over each daemon's protocol, or by the real `supervisorctl reload`."""

import functools
import time

from ..clients import ControlError, run_command, supervisorctl
from ..figures import SUPERV_KEYS
from ..measure import median
from ..peers import ProgramSet
from ..session import Call, session, wait_all_started, wait_status

# What superv reads when supervisorctl drives it: "toml" (superv.toml with [superv.http], and a
# supervisorctl.conf pointing at it) or "ini" (a supervisord.conf, as supervisord's without the
# group: superv as a drop-in).
SUPERV_CONFIG_FOR_SUPERVISORCTL = "ini"


def reload_limit(peer, n, delay_ms):
    """A deadline generous enough for any honest reload (supervisord without a group stops its
    programs one after the other)."""
    stops = n if peer.key == "supervisord-nogroup" else 1
    return stops * delay_ms / 1000 + 60 + 0.3 * n


def supervisorctl_reload(daemon, timeout):
    """`supervisorctl -c CONF reload`, the real one; returns when it has exited."""
    _, done = run_command(supervisorctl(daemon.ctl_config, "reload"), timeout)
    if done.returncode != 0 or "Restarted supervisord" not in done.stdout:
        raise ControlError(f"{daemon.label}: supervisorctl reload exited {done.returncode}: "
                           f"{(done.stdout + done.stderr).strip()}")


def reloads(ctx, peer, n, delay_ms, reps, via_supervisorctl=False, programs=None, stops=None,
            until=None):
    """Returns ([seconds from the reload request until the last new pid's start], details).
    With via_supervisorctl, the request is running `supervisorctl reload`, and the reply is its
    exit.

    A sample ends at the start stamp of the last of the n programs to run again with a new pid;
    the old pids must all be dead and the daemon must report all n RUNNING with the new pids.
    The details split it in phases (medians, from the request): the first SIGTERM a program saw,
    the last old process's death, the first new start, and the daemon's reply.

    programs (default: n alike, each needing delay_ms) may order them (depends_on); stops is then
    how many stops of delay_ms one after the other the reload needs at most (for its deadline).
    With until (some of the names), a sample ends at the last new start of those; the others'
    last new start is then in the details, and the sample is checked the same way."""
    if programs is None:
        programs = ProgramSet(n, term_delay_ms=delay_ms, stopwaitsecs=delay_ms // 1000 + 10)
    names = programs.names
    limit = reload_limit(peer, n, delay_ms) + (stops or 0) * delay_ms / 1000
    samples = []
    reply = "supervisorctl exited (s)" if via_supervisorctl else "reply (s)"
    phases = {"first SIGTERM seen (s)": [], "last old exit (s)": [], "first new start (s)": [],
              reply: []}
    rest = [name for name in names if name not in (until or names)]
    if rest:
        phases["last new start of the others (s)"] = []
    launch = {}
    if via_supervisorctl:
        launch = {"http": True, "config_format": SUPERV_CONFIG_FOR_SUPERVISORCTL}
    with session(ctx, peer, programs, **launch) as daemon:
        request = daemon.reload
        if via_supervisorctl:
            request = functools.partial(supervisorctl_reload, daemon)
        stamps = daemon.stamps
        wait_status(daemon, names, time.monotonic() + limit, f"{peer.label} start")
        for rep in range(reps):
            what = (f"{peer.label}: {'supervisorctl ' if via_supervisorctl else ''}reload "
                    f"{rep + 1}/{reps} of {n}")
            old = stamps.current_pids(names)
            stamps.watch(old.values())
            mark = stamps.mark()
            t0 = time.monotonic_ns()
            call = Call(request, limit)
            deadline = time.monotonic() + limit
            last_start = wait_all_started(stamps, until or names, old, deadline, what)
            if rest:
                others = wait_all_started(stamps, rest, old, deadline, what)
                phases["last new start of the others (s)"].append((others - t0) / 1e9)
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
                            ("first new start (s)", min(starts)), (reply, done)):
                if ns is not None:
                    phases[key].append((ns - t0) / 1e9)
            stamps.forget_dead()
            ctx.log(f"  {what}: {samples[-1]:.3f} s (last old exit "
                    f"{phases['last old exit (s)'][-1]:.3f} s, first new start "
                    f"{phases['first new start (s)'][-1]:.3f} s)")
    details = {key: median(values) for key, values in phases.items() if values}
    if via_supervisorctl and peer.key in SUPERV_KEYS:
        details["config"] = ("supervisord.conf (no group)"
                             if SUPERV_CONFIG_FOR_SUPERVISORCTL == "ini" else "superv.toml")
    return samples, details
