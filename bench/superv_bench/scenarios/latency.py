"""Asking for the status of many processes: the real `supervisorctl status` (its Python start-up
included), supervisor.getAllProcessInfo over XML-RPC from the runner (no client start-up), and for
superv its own `superv status` over its JSON socket."""

import time

from ..clients import SupervisordClient, run_command, supervisorctl
from ..figures import SUPERV_KEYS
from ..peers import ProgramSet
from ..session import session, wait_status


def _timed(fn):
    t0 = time.monotonic_ns()
    result = fn()
    return (time.monotonic_ns() - t0) / 1e9, result


def _command(argv, n, what, timeout):
    """Seconds the command took; it must exit 0 and print one line per process."""
    took, done = run_command(argv, timeout)
    lines = done.stdout.splitlines()
    if done.returncode != 0 or len(lines) != n:
        raise RuntimeError(f"{what}: exit {done.returncode}, {len(lines)} lines for {n} "
                           f"processes: {(done.stderr or done.stdout)[-300:].strip()}")
    return took


def status_latency(ctx, peer, n, ctl_calls, calls):
    """n running programs; every sample in seconds, each request on a new connection, after one
    unmeasured warm-up of each kind.

    Returns {"supervisorctl": `supervisorctl -c CONF status` from its start to its exit,
    "xmlrpc": getAllProcessInfo with xmlrpc.client (decoded), "unparsed": the same call with its
    reply read but not decoded, "reply_bytes": that reply's size} and, for superv, "superv_cli":
    `superv -s SOCKET status` from its start to its exit, "json": the status request over the
    JSON socket from the runner."""
    programs = ProgramSet(n)
    timeout = 60 + 0.05 * n
    out = {"supervisorctl": [], "xmlrpc": [], "unparsed": []}
    with session(ctx, peer, programs, http=True) as daemon:
        wait_status(daemon, programs.names, time.monotonic() + timeout, f"{peer.label} start")
        xmlrpc = SupervisordClient(daemon.http_socket)

        def all_info():
            infos = xmlrpc.call("getAllProcessInfo", timeout=timeout)
            if len(infos) != n or any(i["statename"] != "RUNNING" for i in infos):
                raise RuntimeError(f"{peer.label}: getAllProcessInfo is not {n} RUNNING")

        ctl = supervisorctl(daemon.ctl_config, "status")
        for i in range(calls + 1):
            took, _ = _timed(all_info)
            out["xmlrpc"] += [took] if i else []
        for i in range(calls + 1):
            took, reply = _timed(lambda: xmlrpc.call_unparsed("getAllProcessInfo", timeout))
            out["unparsed"] += [took] if i else []
            out["reply_bytes"] = len(reply)
        for i in range(ctl_calls + 1):
            took = _command(ctl, n, f"{peer.label}: supervisorctl status", timeout)
            out["supervisorctl"] += [took] if i else []
        if peer.key in SUPERV_KEYS:
            out["superv_cli"], out["json"] = [], []
            for i in range(ctl_calls + 1):
                took = _command(daemon.cli + ["status"], n, f"{peer.label}: superv status",
                                timeout)
                out["superv_cli"] += [took] if i else []
            for i in range(calls + 1):
                took, status = _timed(lambda: daemon.client.status(timeout))
                if len(status) != n:
                    raise RuntimeError(f"{peer.label}: status lacks processes")
                out["json"] += [took] if i else []
    ctx.log(f"  {peer.label} N={n}: " + ", ".join(
        f"{k} median {sorted(v)[len(v) // 2] * 1000:.1f} ms" for k, v in out.items()
        if isinstance(v, list)))
    return out
