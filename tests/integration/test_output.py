"""Program output captured by superv: files, rotation, reopen, tail -f, floods."""
import os
import signal
import subprocess
import time

from superv_harness import SUPERV, request, wait_for
from test_engine import sh

SLEEPER = "exec sleep 1000"


def lines(n, prefix="line"):
    return f"i=0; while [ $i -lt {n} ]; do echo {prefix}-$i; i=$((i+1)); done"


def test_stdout_and_stderr_go_to_their_files(daemon, tmp_path):
    out, err = tmp_path / "out.log", tmp_path / "err.log"
    d = daemon(sh("talk", f"echo to-out; echo to-err >&2; {SLEEPER}",
                  stdout_logfile=str(out), stderr_logfile=str(err))).wait_ready()
    wait_for(lambda: out.exists() and out.read_text() == "to-out\n", what="stdout in its file")
    wait_for(lambda: err.exists() and err.read_text() == "to-err\n", what="stderr in its file")
    assert "to-out" not in d.output() and "to-err" not in d.log()


def test_redirect_stderr_puts_both_in_the_stdout_file(daemon, tmp_path):
    out = tmp_path / "out.log"
    daemon(sh("talk", f"echo one; echo two >&2; echo three; {SLEEPER}",
              stdout_logfile=str(out), redirect_stderr=True)).wait_ready()
    wait_for(lambda: out.exists() and out.read_text() == "one\ntwo\nthree\n",
             what="all three lines in order")


def test_output_survives_restarts_in_one_file(daemon, tmp_path):
    out = tmp_path / "out.log"
    d = daemon(sh("again", "echo run; sleep 0.3; exit 1", stdout_logfile=str(out),
                  autorestart="always", startsecs=0.1)).wait_ready()
    wait_for(lambda: out.exists() and out.read_text().count("run\n") >= 3, what="three runs")


def test_rotates_at_the_size_with_the_right_number_of_backups(daemon, tmp_path):
    out = tmp_path / "out.log"
    d = daemon(sh("chatty", f"{lines(2000)}; {SLEEPER}", stdout_logfile=str(out),
                  stdout_logfile_maxbytes="1KB", stdout_logfile_backups=3)).wait_ready()
    d.wait_status("chatty", "RUNNING")
    wait_for(lambda: out.exists() and "line-1999" in out.read_text(), what="the last line")
    files = sorted(p.name for p in tmp_path.iterdir() if p.name.startswith("out.log"))
    assert files == ["out.log", "out.log.1", "out.log.2", "out.log.3"]
    for name in files:
        size = (tmp_path / name).stat().st_size
        assert 0 < size <= 1024, (name, size)
        assert (tmp_path / name).read_text().endswith("\n")  # lines kept whole
    # Nothing lost between the files: .1 ends just before the current one starts.
    last_of_backup = int((tmp_path / "out.log.1").read_text().split()[-1][5:])
    first_of_current = int(out.read_text().split()[0][5:])
    assert last_of_backup + 1 == first_of_current


def test_sigusr2_reopens_log_files(daemon, tmp_path):
    out = tmp_path / "out.log"
    d = daemon(sh("ticker", "while :; do echo tick; sleep 0.05; done",
                  stdout_logfile=str(out))).wait_ready()
    wait_for(lambda: out.exists() and "tick" in out.read_text(), what="first ticks")
    moved = tmp_path / "out.log.old"
    os.rename(out, moved)  # as logrotate does
    d.signal(signal.SIGUSR2)
    d.wait_log("SIGUSR2: reopening log files")
    wait_for(lambda: out.exists() and "tick" in out.read_text(), what="ticks in the new file")
    size = moved.stat().st_size
    # Several more ticks later, all of them went to the new file.
    wait_for(lambda: out.read_text().count("tick") >= 5, what="more ticks in the new file")
    assert moved.stat().st_size == size


def test_tail_f_follows_new_output(daemon, tmp_path):
    out = tmp_path / "out.log"
    d = daemon(sh("ticker", "i=0; while :; do echo tick-$i; i=$((i+1)); sleep 0.05; done",
                  stdout_logfile=str(out))).wait_ready()
    wait_for(lambda: out.exists() and "tick-3" in out.read_text(), what="some ticks")
    follower = subprocess.Popen([SUPERV, "tail", "-f", "ticker"], env=d.env,
                                stdout=subprocess.PIPE, text=True)
    try:
        seen = []
        deadline = time.monotonic() + 10
        while time.monotonic() < deadline:
            line = follower.stdout.readline()
            seen.append(line)
            if line.startswith("tick-") and int(line[5:]) > 30:
                break
        assert int(seen[-1][5:]) > 30, seen[-5:]
    finally:
        follower.kill()
        follower.wait()
    # The daemon noticed the hang-up and goes on serving.
    assert d.ctl("status", "ticker").returncode == 0


def test_tail_of_stderr_and_of_a_redirected_stream(daemon, tmp_path):
    d = daemon(sh("a", f"echo oops >&2; {SLEEPER}", stderr_logfile=str(tmp_path / "a.err"))
               + sh("b", SLEEPER, stdout_logfile=str(tmp_path / "b.out"), redirect_stderr=True)
               ).wait_ready()
    wait_for(lambda: d.ctl("tail", "a", "stderr").stdout == "oops\n", what="stderr tail")
    r = d.ctl("tail", "b", "stderr")
    assert r.returncode == 1 and "redirected to stdout" in r.stderr


def test_a_flood_does_not_delay_others(daemon, tmp_path):
    """A program writing as fast as it can does not starve the loop: control requests are
    answered promptly. Timed over the socket itself, so the client's start-up (slow under the
    sanitizers) is not part of it."""
    d = daemon(sh("flood", "exec yes 'a fairly long line of output, again and again'",
                  stdout_logfile=str(tmp_path / "flood.log"),
                  stdout_logfile_maxbytes="4MB", stdout_logfile_backups=1)
               + sh("quiet", SLEEPER)).wait_ready()
    d.wait_status("flood", "RUNNING")
    wait_for(lambda: (tmp_path / "flood.log.1").exists(), what="the flood to rotate its log")
    times = []
    for _ in range(20):
        t0 = time.monotonic()
        reply = request(d, {"cmd": "status", "names": ["quiet"]})
        times.append(time.monotonic() - t0)
        assert reply[0]["ok"] and reply[0]["processes"][0]["state"] == "RUNNING", reply
    times.sort()
    # Loose bounds for loaded 2-CPU machines: a starved loop would answer in seconds, or never.
    assert times[len(times) // 2] < 0.25 and times[-1] < 1.0, times


def test_an_unwritable_log_path_is_reported_and_the_program_runs(daemon, tmp_path):
    d = daemon(sh("lost", f"echo hello; {SLEEPER}",
                  stdout_logfile=str(tmp_path / "no" / "such" / "dir.log"))).wait_ready()
    d.wait_status("lost", "RUNNING")
    d.wait_log(r"lost stdout log .*dir\.log: open: No such file or directory; output discarded")
    r = d.ctl("status", "lost")
    assert r.returncode == 0
