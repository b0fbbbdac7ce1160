"""superv as PID 1 of a fresh PID namespace, the way a container runs it."""
import os
import signal
import subprocess
import time

import pytest

from superv_harness import (BACKEND, SUPERV, Daemon, children_of, descendants, proc_state,
                            wait_for)
from test_engine import DEAF, SLOW_STOP, sh

UNSHARE = ["unshare", "--pid", "--fork", "--mount-proc", "--kill-child"]


@pytest.fixture
def init(tmp_path):
    """init(config_text=None, command=None, args=()) -> superv as PID 1, started."""
    started = []

    def make(config_text=None, command=None, args=()):
        d = Daemon(tmp_path, config_text, command=command, args=args, wrapper=UNSHARE).start()
        started.append(d)
        d.wait_log(r"superv .* starting \(pid 1, init mode")
        return d

    yield make
    for d in started:
        d.stop()


def test_exit_code_of_the_command_is_superv_s(init):
    d = init(command=["/bin/sh", "-c", "sleep 0.2; exit 7"])
    assert d.wait_exit() == 7


def test_killed_by_signal_gives_128_plus_n(init):
    d = init(command=["/bin/sh", "-c", "sleep 0.2; kill -SEGV $$"])
    assert d.wait_exit() == 128 + signal.SIGSEGV


def test_sigterm_is_the_program_s_own_shutdown_and_its_code(init):
    d = init(command=["/bin/sh", "-c", "trap 'exit 42' TERM; sleep 1000 & wait"])
    d.wait_state("main", "RUNNING")
    d.signal(signal.SIGTERM)
    assert d.wait_exit() == 42


def test_orphaned_grandchildren_are_reaped(init):
    # The subshell's background sleep is orphaned at once, re-parented to PID 1.
    d = init(command=["/bin/sh", "-c", "(sleep 2 &); exec sleep 1000"])
    d.wait_state("main", "RUNNING")
    superv = d.pid
    # The orphan shows up under superv, then exits: no zombie may stay.
    wait_for(lambda: len(children_of(superv)) == 2, 10, what="the orphan under PID 1")
    wait_for(lambda: len(children_of(superv)) == 1, 10, what="the orphan to be reaped")
    assert all(proc_state(p) != "Z" for p in descendants(superv))
    d.signal(signal.SIGTERM)
    assert d.wait_exit() == 128 + signal.SIGTERM  # sleep dies of the SIGTERM


def test_sigterm_stops_several_programs_concurrently_within_their_grace(init):
    cfg = "".join(sh(f"svc{i}", SLOW_STOP.format(secs=1), stopwaitsecs=5) for i in range(5))
    d = init(cfg)
    d.wait_log(r"-> RUNNING", count=5)
    superv = d.pid
    t0 = time.monotonic()
    d.signal(signal.SIGTERM)
    assert d.wait_exit() == 0  # no critical program: 0 after a requested shutdown
    took = time.monotonic() - t0
    assert 0.9 <= took < 5, took  # one grace period (1 s), not five
    assert d.count(r"STOPPING -> STOPPED \(exit status 0\)") == 5
    assert not descendants(superv)


def test_critical_program_ending_stops_the_rest(init):
    cfg = sh("helper", SLOW_STOP.format(secs=0.2)) + sh("other", "exec sleep 1000")
    d = init(cfg, command=["/bin/sh", "-c", "sleep 0.5; exit 3"])
    d.wait_state("helper", "RUNNING")
    assert d.wait_exit() == 3
    assert "main: critical program ended (exit status 3), exit code 3" in d.log()
    assert d.count(r"(helper|other): \w+ -> STOPPED") == 2


def test_shutdown_timeout_is_enforced_with_sigkill(init):
    cfg = '[superv]\nshutdown_timeout = 1\n\n' + sh("deaf", DEAF, stopwaitsecs=30)
    d = init(cfg)
    d.wait_state("deaf", "RUNNING")
    t0 = time.monotonic()
    d.signal(signal.SIGTERM)
    assert d.wait_exit() == 0
    took = time.monotonic() - t0
    assert 0.9 <= took < 3, took
    assert "shutdown_timeout reached: sending SIGKILL to every process" in d.log()
    assert "deaf: STOPPING -> STOPPED (terminated by SIGKILL)" in d.log()


def test_second_sigint_kills_at_once(init):
    d = init(sh("deaf", DEAF, stopwaitsecs=30))
    d.wait_state("deaf", "RUNNING")
    d.signal(signal.SIGINT)
    d.wait_log(r"shutting down \(SIGINT\)")
    t0 = time.monotonic()
    d.signal(signal.SIGINT)
    assert d.wait_exit() == 0
    assert time.monotonic() - t0 < 2
    assert "SIGINT during shutdown: sending SIGKILL to every process" in d.log()


def test_user_and_job_control_signals_are_forwarded_and_superv_does_not_stop(init):
    d = init(command=["/bin/sh", "-c",
                      "trap 'echo got-usr1' USR1; trap 'echo got-winch' WINCH; "
                      "trap 'echo got-hup' HUP; trap 'echo got-tstp' TSTP; "
                      "while :; do sleep 0.05; done"])
    d.wait_state("main", "RUNNING")
    for sig in (signal.SIGUSR1, signal.SIGWINCH, signal.SIGHUP, signal.SIGTSTP):
        d.signal(sig)
    wait_for(lambda: all(w in d.output() for w in ("got-usr1", "got-winch", "got-hup",
                                                    "got-tstp")),
             5, what="the forwarded signals")
    assert proc_state(d.pid) != "T"  # SIGTSTP did not stop superv
    d.signal(signal.SIGTERM)
    d.wait_exit()


def test_the_command_reads_superv_s_stdin(tmp_path):
    env = {**os.environ, "SUPERV_SOCKET": str(tmp_path / "s.sock"), "SUPERV_BACKEND": BACKEND}
    r = subprocess.run([SUPERV, "daemon", "--", "/bin/sh", "-c", 'read line; echo "read: $line"'],
                       input="hello\n", capture_output=True, text=True, timeout=30, env=env)
    assert r.returncode == 0, r.stderr
    assert "read: hello" in r.stdout


def test_an_interactive_command_owns_the_terminal(tmp_path):
    """`docker run -it image superv daemon -- sh`: the program, not superv, is the
    terminal's foreground: it can read it, and Ctrl-C reaches it."""
    import pty
    import select
    env = {**os.environ, "SUPERV_SOCKET": str(tmp_path / "s.sock"), "SUPERV_BACKEND": BACKEND,
           "SUPERV_LOG_LEVEL": "info"}
    pid, master = pty.fork()
    if pid == 0:  # the child: a session leader with the pty as its terminal
        os.execve(SUPERV, [SUPERV, "daemon", "--", "/bin/sh", "-c",
                           'read line; echo "got:$line"; exec sleep 1000'], env)
    main_pid = None
    try:
        def read_until(marker, timeout=10):
            data, deadline = b"", time.monotonic() + timeout
            while marker not in data:
                left = deadline - time.monotonic()
                assert left > 0, data
                if select.select([master], [], [], left)[0]:
                    data += os.read(master, 4096)
            return data

        read_until(b"main: STARTING -> RUNNING")
        os.write(master, b"hello\n")
        read_until(b"got:hello")
        # Ctrl-C only once the shell has become `sleep`: a SIGINT that reaches dash
        # between two commands is caught and ignored, which would test dash, not superv.
        main_pid = children_of(pid)[0]
        wait_for(lambda: open(f"/proc/{main_pid}/comm").read().strip() == "sleep",
                 what="main to exec sleep")
        os.write(master, b"\x03")  # Ctrl-C: SIGINT to the foreground group

        def exited():
            got, status = os.waitpid(pid, os.WNOHANG)
            return (status,) if got else None
        status, = wait_for(exited, timeout=30, what="superv to exit after Ctrl-C")
        pid = None  # reaped
        assert os.waitstatus_to_exitcode(status) == 128 + signal.SIGINT
    finally:
        for victim in (main_pid, pid):
            try:
                if victim:
                    os.kill(victim, signal.SIGKILL)
            except ProcessLookupError:
                pass
        if pid:
            os.waitpid(pid, 0)
        os.close(master)
