"""superv as a drop-in for tini and dumb-init: the same signals reach the program, the
same flags mean the same, the same exit codes come out. Every case runs the real tini
or dumb-init (Debian packages) beside superv on the same command, in a fresh PID
namespace (superv as PID 1) or not."""
import os
import shutil
import signal
import subprocess
import threading
import time
from pathlib import Path

import pytest

from superv_harness import BACKEND, SUPERV, children_of, descendants, proc_state, wait_for

TINI = shutil.which("tini")
DUMB_INIT = shutil.which("dumb-init")
pytestmark = pytest.mark.skipif(not TINI or not DUMB_INIT,
                                reason="needs tini and dumb-init (scripts/install-deps)")
UNSHARE = ["unshare", "--pid", "--fork", "--mount-proc", "--kill-child"]
S = signal.Signals
UNCATCHABLE = {S.SIGKILL, S.SIGSTOP, S.SIGCHLD}
FAULTS = {S.SIGILL, S.SIGTRAP, S.SIGABRT, S.SIGBUS, S.SIGFPE, S.SIGSEGV, S.SIGSYS}
STOPS = {S.SIGTERM, S.SIGINT, S.SIGQUIT}
# What tini forwards: every signal it does not leave at its default (the faults, which
# would end it) or ignore (SIGTTIN, SIGTTOU).
TINI_FORWARDS = {S(n) for n in range(1, 32)} - UNCATCHABLE - FAULTS - {S.SIGTTIN, S.SIGTTOU}


# The program: records every signal it gets (SIGCHLD aside: its own children's) (one number a line) in $REC, after "ready".
RECORDER = """
for s in $(seq 1 16) $(seq 18 31); do trap "echo $s >> $REC" $s 2>/dev/null; done
trap 'echo 15 >> $REC; exit 0' TERM
echo ready >> $REC
while :; do sleep 0.02; done
"""


def superv_env(**extra):
    env = {k: v for k, v in os.environ.items() if not k.startswith(("SUPERV_", "TINI_",
                                                                    "DUMB_INIT_"))}
    env["SUPERV_BACKEND"] = BACKEND
    env.update(extra)
    return env


class Init:
    """One init (tini, dumb-init or superv) running `command`, as PID 1 of a new PID
    namespace or as a plain child."""

    def __init__(self, argv, tmp, pid1=False, env=None, name="init"):
        self.rec = Path(tmp) / f"{name}.rec"
        self.err = open(Path(tmp) / f"{name}.err", "w")
        full_env = superv_env(REC=str(self.rec), **(env or {}))
        self.proc = subprocess.Popen((UNSHARE if pid1 else []) + argv, env=full_env,
                                     stdin=subprocess.DEVNULL, stdout=self.err,
                                     stderr=subprocess.STDOUT, start_new_session=True)
        self.pid1 = pid1
        self.started = time.monotonic()

    @property
    def pid(self):
        """The init's pid as seen from here (the unshare's child as PID 1)."""
        if not self.pid1:
            return self.proc.pid
        return wait_for(lambda: (children_of(self.proc.pid) or [None])[0], 10,
                        what="the init under unshare")

    def program(self):
        return wait_for(lambda: (children_of(self.pid) or [None])[0], 10, what="the program")

    def lines(self):
        try:
            return self.rec.read_text().split()
        except FileNotFoundError:
            return []

    def got(self):
        return {S(int(x)) for x in self.lines() if x.isdigit()}

    def wait_ready(self):
        wait_for(lambda: "ready" in self.lines(), 10, what="the program to be ready")

    def signal(self, sig):
        os.kill(self.pid, sig)

    def wait_taken(self, sig):
        """Until `sig` is no longer pending for the init: it has read it from its signalfd."""
        def pending():
            fields = dict(l.split(":", 1) for l in open(f"/proc/{self.pid}/status"))
            return any(int(fields[k], 16) >> (sig - 1) & 1 for k in ("SigPnd", "ShdPnd"))
        wait_for(lambda: not pending(), 5, interval=0.005, what=f"the init to take {sig.name}")

    def wait_exit(self, timeout=20):
        try:
            return self.proc.wait(timeout)
        finally:
            self.cleanup()

    def cleanup(self):
        if self.proc.poll() is None:
            for pid in [self.proc.pid] + descendants(self.proc.pid):
                try:
                    os.kill(pid, signal.SIGKILL)
                except ProcessLookupError:
                    pass
            self.proc.wait(10)
        self.err.close()


@pytest.fixture
def inits(tmp_path):
    started = []

    def make(argv, pid1=False, env=None, name="init"):
        i = Init(argv, tmp_path, pid1, env, name)
        started.append(i)
        return i

    yield make
    for i in started:
        if not i.err.closed:
            i.cleanup()


def superv_cmd(*flags):
    return [SUPERV, "daemon", *flags, "--"]


def sh(script):
    return ["/bin/sh", "-c", script]


def in_parallel(*calls):
    """Runs each call on its own thread; returns their results in order."""
    results, errors = [None] * len(calls), []

    def run(i, call):
        try:
            results[i] = call()
        except BaseException as e:  # noqa: B902 - re-raised below
            errors.append(e)
    threads = [threading.Thread(target=run, args=(i, c)) for i, c in enumerate(calls)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    if errors:
        raise errors[0]
    return results


def signal_matrix(init, send, expect):
    """Sends each of `send` in turn, waiting for the ones in `expect` to arrive; then
    SIGTERM, which the program takes as its cue to exit 0. Returns what it saw."""
    init.wait_ready()
    for sig in send:
        init.signal(sig)
        if sig in expect:
            wait_for(lambda: sig in init.got(), 5, what=f"{sig.name} to reach the program")
    init.signal(S.SIGTERM)
    assert init.wait_exit() == 0
    return init.got() - {S.SIGTERM}


@pytest.mark.parametrize("pid1", [True, False], ids=["pid1", "child"])
def test_every_signal_reaches_the_program_as_under_tini(inits, pid1):
    catchable = [S(n) for n in range(1, 32) if S(n) not in UNCATCHABLE | STOPS]
    for_tini = [s for s in catchable if s not in FAULTS]  # each would end tini
    tini = inits([TINI, "-s", "--"] + sh(RECORDER), pid1, name="tini")
    superv = inits(superv_cmd() + sh(RECORDER), pid1, name="superv")
    expect_superv = set(catchable) - FAULTS
    tini_got, superv_got = in_parallel(
        lambda: signal_matrix(tini, for_tini, TINI_FORWARDS),
        lambda: signal_matrix(superv, catchable, expect_superv))
    assert tini_got == TINI_FORWARDS - STOPS
    # The same, plus SIGTTIN and SIGTTOU (tini ignores them); the fault signals sent
    # to superv neither reached the program nor ended superv.
    assert superv_got == tini_got | {S.SIGTTIN, S.SIGTTOU}


@pytest.mark.parametrize("sig", [S.SIGINT, S.SIGQUIT, S.SIGTERM], ids=lambda s: s.name)
def test_stop_signals_reach_the_program_as_themselves(inits, sig):
    script = f"trap 'echo {int(sig)} >> $REC; exit 7' {sig.name[3:]}; echo ready >> $REC; " \
             "while :; do sleep 0.02; done"
    runs = [inits([TINI, "-s", "--"] + sh(script), True, name="tini"),
            inits(superv_cmd() + sh(script), True, name="superv")]
    for r in runs:
        r.wait_ready()
        r.signal(sig)
    assert [r.wait_exit() for r in runs] == [7, 7]
    assert [r.got() for r in runs] == [{sig}, {sig}]


def test_docker_stop_t_30_a_program_needing_12s_ends_with_its_own_exit_0(inits):
    script = "trap 'sleep 12; exit 0' TERM; echo ready >> $REC; while :; do sleep 0.02; done"
    r = inits(superv_cmd() + sh(script), True)
    r.wait_ready()
    t0 = time.monotonic()
    r.signal(S.SIGTERM)
    assert r.wait_exit(timeout=30) == 0  # docker's SIGKILL would come at 30 s
    assert time.monotonic() - t0 >= 11.5


def test_a_second_sigterm_escalates_and_stopwaitsecs_limits_the_grace(inits, tmp_path):
    deaf = "trap '' TERM; echo ready >> $REC; while :; do sleep 0.02; done"
    twice = inits(superv_cmd() + sh(deaf), True, name="twice")
    graced = inits(superv_cmd("--stopwaitsecs", "0.5") + sh(deaf), True, name="graced")
    # The same grace from a config: [programs.main] configures the command line's program.
    conf = tmp_path / "main.toml"
    conf.write_text("[programs.main]\nstopwaitsecs = 0.5\n")
    configured = inits(superv_cmd("-c", str(conf)) + sh(deaf), True, name="configured")
    for r in (twice, graced, configured):
        r.wait_ready()
        r.signal(S.SIGTERM)
    # A second SIGTERM sent while the first is still pending would merge with it.
    twice.wait_taken(S.SIGTERM)
    twice.signal(S.SIGTERM)
    assert twice.wait_exit(5) == 128 + S.SIGKILL
    assert graced.wait_exit(5) == 128 + S.SIGKILL
    assert configured.wait_exit(5) == 128 + S.SIGKILL


def test_nested_and_parallel_instances_all_run(inits):
    # As root every superv used to bind /run/superv.sock: the second failed.
    nested = inits(superv_cmd() + superv_cmd() + sh("exit 5"), True, name="nested")
    a = inits(superv_cmd() + sh("sleep 0.3; exit 3"), name="a")
    b = inits(superv_cmd() + sh("sleep 0.3; exit 4"), name="b")
    assert [r.wait_exit() for r in (nested, a, b)] == [5, 3, 4]


def test_a_socket_that_cannot_be_bound_does_not_stop_the_command(inits, tmp_path):
    r = inits(superv_cmd("-v") + sh("exit 6"),
              env={"SUPERV_SOCKET": str(tmp_path / "no" / "such" / "dir.sock")})
    assert r.wait_exit() == 6
    assert "running without it" in (tmp_path / "init.err").read_text()


def test_quiet_by_default(inits, tmp_path):
    r = inits(superv_cmd() + sh("echo out; exit 0"))
    assert r.wait_exit() == 0
    assert (tmp_path / "init.err").read_text() == "out\n"


def as_tool(tmp_path, tool):
    link = tmp_path / tool
    if not link.exists():
        link.symlink_to(SUPERV)
    return str(link)


GROUP = """
(trap 'echo 10 >> $REC' USR1; trap 'echo 12 >> $REC' USR2
 trap 'trap "" TERM; echo 15 >> $REC; exit' TERM
 echo ready >> $REC; while :; do sleep 0.02; done) &
trap 'echo 10 >> $REC' USR1; trap 'echo 12 >> $REC; sleep 0.3; exit 9' USR2
while [ "$(grep -c ready $REC)" != 1 ]; do sleep 0.02; done
echo ready >> $REC
while :; do sleep 0.02; done
"""


def compare(inits, tmp_path, tool, real, args, script, env=None, pid1=True, signals=(),
            settle=None):
    """Runs `tool args -- script` for real and as superv; returns both (exit code, what
    the program and its group saw)."""
    results = []
    for name, binary in (("real", real), ("superv", as_tool(tmp_path, tool))):
        r = inits([binary, *args] + sh(script), pid1, env, name=name)
        if signals:
            wait_for(lambda: r.lines().count("ready") >= 2 if "&" in script
                     else "ready" in r.lines(), 10, what="ready")
            for sig, wait in signals:
                r.signal(sig)
                if wait:
                    wait_for(lambda: wait(r), 5, what=f"after {sig.name}")
        results.append(r)
    codes = [r.wait_exit() for r in results]
    if settle:
        for r in results:
            wait_for(lambda: settle(r), 5, what="the group's end")
    return [(c, sorted(r.lines())) for c, r in zip(codes, results)]


TINI_CASES = {
    "remap-e": (["-e", "3", "--"], "exit 3", {}),
    "remap-other": (["-e", "3", "--"], "exit 4", {}),
    "subreaper-s": (["-s", "--"], "exit 0", {}),
    "verbose-v": (["-vvv", "--"], "exit 2", {}),
    "warn-w": (["-w", "--"], "(sleep 0.1 &); exit 0", {}),
    "pdeathsig-p": (["-p", "SIGKILL", "--"], "exit 1", {}),
    "env-verbosity": (["--"], "exit 0", {"TINI_VERBOSITY": "0"}),
    "env-subreaper": (["--"], "exit 0", {"TINI_SUBREAPER": "1"}),
    "not-found": (["--"], "exec /nonexistent", {}),
}


@pytest.mark.parametrize("case", TINI_CASES, ids=list(TINI_CASES))
def test_tini_flag_as_real_tini(inits, tmp_path, case):
    args, script, env = TINI_CASES[case]
    real, ours = compare(inits, tmp_path, "tini", TINI, args, script, env)
    assert real == ours


@pytest.mark.parametrize("args,env", [(["-g", "--"], {}),
                                      (["--"], {"TINI_KILL_PROCESS_GROUP": "1"}),
                                      (["--"], {})], ids=["g", "env", "no-group"])
def test_tini_group_signals_as_real_tini(inits, tmp_path, args, env):
    def got_usr2(r):
        return r.lines().count("12") >= (2 if args[0] == "-g" or env else 1)
    real, ours = compare(inits, tmp_path, "tini", TINI, args, GROUP, env,
                         signals=[(S.SIGUSR2, got_usr2)])
    assert real == ours
    assert real[0] == 9


@pytest.mark.parametrize("argv", [[], ["-x", "true"], ["sh", "-c", "true"], ["--version"],
                                  ["-h"], ["-l"], ["-e", "256", "true"], ["-p", "KILL", "true"]],
                         ids=["none", "bad", "permuted", "version", "help", "license", "e",
                              "p"])
def test_tini_usage_as_real_tini(tmp_path, argv):
    codes = [subprocess.run([b, *argv], capture_output=True, timeout=10, env=superv_env())
             .returncode for b in (TINI, as_tool(tmp_path, "tini"))]
    assert codes[0] == codes[1]


DUMB_CASES = {
    "setsid": ([], {}),
    "single-child-c": (["-c"], {}),
    "single-child-long": (["--single-child"], {}),
    "env-setsid-0": ([], {"DUMB_INIT_SETSID": "0"}),
    "rewrite-r": (["-r", "12:10"], {}),
    "rewrite-long": (["--rewrite", "12:10"], {}),
    "verbose": (["-v"], {}),
}


@pytest.mark.parametrize("case", DUMB_CASES, ids=list(DUMB_CASES))
def test_dumb_init_flag_as_real_dumb_init(inits, tmp_path, case):
    """USR2 to the init: the program (and in setsid mode its group) gets it (or USR1
    when rewritten); the program exits 9 on USR2, and in setsid mode the rest of its
    group then gets SIGTERM."""
    args, env = DUMB_CASES[case]
    group = "-c" not in args and "--single-child" not in args and not env
    rewritten = "12:10" in args

    def delivered(r):  # to the program, and to the rest of its group in setsid mode
        return r.lines().count("10" if rewritten else "12") >= (2 if group else 1)

    def settled(r):
        return "15" in r.lines() if group else True
    if rewritten:
        signals = [(S.SIGUSR2, delivered), (S.SIGTERM, None)]
    else:
        signals = [(S.SIGUSR2, delivered)]
    # Without setsid the rest of the group outlives the program: the namespace's end
    # takes it. With it, the SIGTERM does, and must be seen: not as PID 1.
    real, ours = compare(inits, tmp_path, "dumb-init", DUMB_INIT, args, GROUP, env,
                         pid1=not group, signals=signals, settle=settled)
    assert real == ours


def test_dumb_init_stops_itself_with_its_program_on_sigtstp(inits, tmp_path):
    # Not as PID 1: a namespace's init cannot stop itself.
    def round_of(name, binary):
        r = inits([binary] + sh("echo ready >> $REC; while :; do sleep 0.02; done"), False,
                  name=name)
        r.wait_ready()
        program = r.program()
        r.signal(S.SIGTSTP)
        try:
            wait_for(lambda: proc_state(r.pid) == "T" and proc_state(program) == "T", 5,
                     what=f"{name}: the init and its program stopped")
        except AssertionError as e:
            raise AssertionError(f"{e} (init {r.pid}: {proc_state(r.pid)}, "
                                 f"program {program}: {proc_state(program)})") from None
        finally:
            r.signal(S.SIGCONT)
        wait_for(lambda: proc_state(r.pid) != "T" and proc_state(program) != "T", 5,
                 what=f"{name}: both resumed")
        r.signal(S.SIGTERM)
        assert r.wait_exit() == 128 + S.SIGTERM

    # The real dumb-init, the reference, missed the stop in two loaded CI runs out of many
    # (its own race, not superv's): it gets a second round; superv gets one.
    try:
        round_of("real", DUMB_INIT)
    except AssertionError as e:
        print(f"real dumb-init, first round: {e}")
        round_of("real-again", DUMB_INIT)
    round_of("superv", as_tool(tmp_path, "dumb-init"))


@pytest.mark.parametrize("argv", [[], ["-x", "true"], ["-r", "99:1", "true"], ["-r", "1"],
                                  ["-V"], ["--version"], ["-h"], ["/nonexistent"],
                                  ["sh", "-c", "exit 4"]],
                         ids=["none", "bad", "rewrite-range", "rewrite-form", "V", "version",
                              "help", "not-found", "code"])
def test_dumb_init_usage_as_real_dumb_init(tmp_path, argv):
    codes = [subprocess.run([b, *argv], capture_output=True, timeout=10, env=superv_env())
             .returncode for b in (DUMB_INIT, as_tool(tmp_path, "dumb-init"))]
    assert codes[0] == codes[1]


def test_superv_daemon_long_options(inits):
    remap = inits(superv_cmd("--remap-exit", "3=0") + sh("exit 3"), name="remap")
    rewrite = inits(superv_cmd("--rewrite-signal", "USR1=USR2") + sh(RECORDER), name="rw")
    rewrite.wait_ready()
    rewrite.signal(S.SIGUSR1)
    wait_for(lambda: S.SIGUSR2 in rewrite.got(), 5, what="USR1 forwarded as USR2")
    rewrite.signal(S.SIGTERM)
    assert remap.wait_exit() == 0
    assert rewrite.wait_exit() == 0
    assert S.SIGUSR1 not in rewrite.got()


def test_superv_daemon_kill_group(inits):
    r = inits(superv_cmd("--kill-group") + sh(GROUP))
    wait_for(lambda: r.lines().count("ready") == 2, 10, what="both ready")
    r.signal(S.SIGUSR2)  # to the group: both record it, the program exits 9
    assert r.wait_exit() == 9
    # What was left of the group got SIGTERM.
    wait_for(lambda: "15" in r.lines(), 5, what="the rest of the group's SIGTERM")
    assert r.lines().count("12") == 2


@pytest.mark.parametrize("tool", ["tini", "superv"])
def test_parent_death_signal_reaches_the_program(tmp_path, tool):
    """tini -p SIGTERM / superv daemon --pdeathsig TERM: when the init's parent dies, the
    init gets the signal and forwards it."""
    rec, pidfile = tmp_path / "rec", tmp_path / "init.pid"
    init = [TINI, "-p", "SIGTERM", "--"] if tool == "tini" else superv_cmd("--pdeathsig",
                                                                            "TERM")
    parent = ('"$@" & echo $! > "$PIDFILE"; '
              'while ! grep -q ready "$REC" 2>/dev/null; do sleep 0.02; done; exit 0')
    subprocess.run(["/bin/sh", "-c", parent, "parent"] + init + sh(RECORDER), timeout=20,
                   env=superv_env(REC=str(rec), PIDFILE=str(pidfile)), check=True,
                   stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    pid = int(pidfile.read_text())
    try:
        wait_for(lambda: "15" in rec.read_text().split(), 10, what="the forwarded SIGTERM")
        wait_for(lambda: proc_state(pid) in (None, "Z"), 10, what="the init to exit")
    finally:
        for victim in [pid] + descendants(pid):
            try:
                os.kill(victim, signal.SIGKILL)
            except ProcessLookupError:
                pass
