"""superv as a container's init, beside tini, tini-static and dumb-init: each is PID 1 of a fresh
PID and mount namespace (`unshare -p -f --mount-proc`, a tmpfs on /run), as in a container.

Latency: helper/initprobe.c (static) reads CLOCK_MONOTONIC, writes it and execs the init, whose
program is initprobe again, reading CLOCK_MONOTONIC first thing in main(): exec of the init to
its program's first instruction. The floors: the program exec'd with no init at all, and an init
that only posix_spawns and waits (initprobe mini-init).

Memory: the init with `-- sleep 1000`, read from /proc/PID/smaps_rollup once sleep runs and the
init has settled; then the namespace's PID 1 is SIGKILLed through a pidfd (which ends sleep too).
"""

import contextlib
import os
import signal
import subprocess
import time
from dataclasses import dataclass

UNSHARE = ["unshare", "--pid", "--fork", "--mount-proc", "--kill-child"]
SLEEP = "/usr/bin/sleep"


@dataclass
class InitPeer:
    key: str  # figures.INIT_KEYS
    prefix: list  # the init's argv before its program's ([] for the floor without an init)
    memory: bool = True  # also read with `-- sleep 1000`


def init_peers(probe, superv_default, superv_lean):
    """The inits measured: superv's builds (either may be None: not measured), the Debian
    packages' tini, tini-static and dumb-init, and the two floors."""
    peers = []
    if superv_default:
        peers.append(InitPeer("superv-default", [superv_default, "daemon", "--"]))
    if superv_lean:
        peers.append(InitPeer("superv-lean", [superv_lean, "daemon", "--"]))
        peers.append(InitPeer("superv-lean-epoll",
                              [superv_lean, "daemon", "--backend", "epoll", "--"]))
    peers += [InitPeer("tini", ["/usr/bin/tini", "--"]),
              InitPeer("tini-static", ["/usr/bin/tini-static", "--"]),
              InitPeer("dumb-init", ["/usr/bin/dumb-init"]),
              InitPeer("mini-init", [probe, "mini-init"], memory=False),
              InitPeer("no-init", [], memory=False)]
    return peers


def _env():
    # What a container's init gets: no SUPERV_* of the runner's (its socket, its log level).
    return {k: v for k, v in os.environ.items() if not k.startswith("SUPERV_")}


def _first_instruction_ms(ctx, peer, workdir):
    stamps = os.path.join(workdir, f"{peer.key}.stamps")
    argv = [*UNSHARE, ctx.probe, "exec", stamps, *peer.prefix, ctx.probe, "first", stamps]
    with open(os.path.join(workdir, f"{peer.key}.log"), "ab") as log:
        done = subprocess.run(argv, stdin=subprocess.DEVNULL, stdout=log, stderr=log,
                              env=_env(), timeout=30)
    if done.returncode != 0:
        raise RuntimeError(f"{peer.key}: `{' '.join(argv)}` exited {done.returncode} (log in "
                           f"{workdir})")
    with open(stamps) as f:
        times = dict(line.split() for line in f)
    if set(times) != {"exec", "first"}:
        raise RuntimeError(f"{peer.key}: stamps {times} lack exec or first")
    return (int(times["first"]) - int(times["exec"])) / 1e6


def first_instruction(ctx, peers, samples):
    """{key: [ms]}: `samples` rounds after one unmeasured, every peer once per round, the order
    rotated from one round to the next (the load of the machine drifts)."""
    workdir = os.path.join(ctx.workroot, "init")
    os.makedirs(workdir, exist_ok=True)
    out = {p.key: [] for p in peers}
    for round_ in range(samples + 1):
        shift = round_ % len(peers)
        for peer in peers[shift:] + peers[:shift]:
            took = _first_instruction_ms(ctx, peer, workdir)
            if round_:
                out[peer.key].append(took)
    for key, values in out.items():
        ctx.log(f"  {key}: exec to first instruction, median "
                f"{sorted(values)[len(values) // 2]:.3f} ms")
    return out


def _children(pid):
    try:
        with open(f"/proc/{pid}/task/{pid}/children") as f:
            return [int(c) for c in f.read().split()]
    except FileNotFoundError:
        return []


def _exe(pid):
    try:
        return os.readlink(f"/proc/{pid}/exe")
    except OSError:
        return None


def _wait(what, predicate, deadline):
    while time.monotonic() < deadline:
        value = predicate()
        if value:
            return value
        time.sleep(0.005)
    raise TimeoutError(what)


def smaps_rollup(pid):
    """The fields of /proc/PID/smaps_rollup, in KiB."""
    out = {}
    with open(f"/proc/{pid}/smaps_rollup") as f:
        for line in f:
            key, _, value = line.partition(":")
            parts = value.split()
            if len(parts) == 2 and parts[1] == "kB":
                out[key] = int(parts[0])
    return out


@contextlib.contextmanager
def running_init(workroot, probe, prefix, program, settle_s, name="init"):
    """prefix + program as PID 1 of a fresh namespace; yields the init's pid (outside the
    namespace) settle_s after the program was exec'd under it, then SIGKILLs it through a pidfd
    (it is the namespace's PID 1: everything in the namespace ends with it)."""
    workdir = os.path.join(workroot, "init")
    os.makedirs(workdir, exist_ok=True)
    init_exe, program_exe = os.path.realpath(prefix[0]), os.path.realpath(program[0])
    argv = [*UNSHARE, probe, "exec", "-", *prefix, *program]
    log = open(os.path.join(workdir, f"{name}.memory.log"), "ab")
    proc = subprocess.Popen(argv, stdin=subprocess.DEVNULL, stdout=log, stderr=log, env=_env())
    log.close()
    pidfd = None
    try:
        deadline = time.monotonic() + 20
        pid = _wait(f"{name}: the namespace's PID 1", lambda: next(
            iter(_children(proc.pid)), None), deadline)
        pidfd = os.pidfd_open(pid)
        _wait(f"{name}: PID 1 execs {init_exe}", lambda: _exe(pid) == init_exe, deadline)
        _wait(f"{name}: {program_exe} runs under PID 1",
              lambda: any(_exe(c) == program_exe for c in _children(pid)), deadline)
        time.sleep(settle_s)
        if proc.poll() is not None:
            raise RuntimeError(f"{name}: the init exited {proc.returncode} with its program "
                               f"running")
        yield pid
    finally:
        if pidfd is not None:
            signal.pidfd_send_signal(pidfd, signal.SIGKILL)
            os.close(pidfd)
        try:
            proc.wait(timeout=10)
        except subprocess.TimeoutExpired:
            proc.kill()  # unshare --kill-child: its child is SIGKILLed when it dies
            proc.wait(timeout=10)


def memory(ctx, peer, settle_s):
    """smaps_rollup of the init with `sleep 1000` running under it, settle_s after sleep was
    exec'd."""
    with running_init(ctx.workroot, ctx.probe, peer.prefix, [SLEEP, "1000"], settle_s,
                      peer.key) as pid:
        return smaps_rollup(pid)
