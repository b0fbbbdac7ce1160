"""The daemon-wide settings supervisord.conf users carry over ([superv] in TOML): what they do
to superv's own process — pidfile, umask, directory, minfds, user, and superv's log file."""
import os
import shutil
import stat
import subprocess
import tempfile

import pytest

from superv_harness import wait_for

PROGRAM = '[programs.w]\ncommand = ["/bin/sh", "-c", "umask > umask.txt; pwd > pwd.txt; exec sleep 1000"]\nstartsecs = 0\n'


def test_pidfile_umask_directory_and_logfile(daemon, tmp_path):
    work = tmp_path / "work"
    work.mkdir()
    d = daemon(f'[superv]\npidfile = "superv.pid"\numask = "027"\ndirectory = "{work}"\n'
               f'logfile = "own.log"\n' + PROGRAM)
    d.wait_ready()
    wait_for(lambda: (work / "pwd.txt").exists() and (work / "umask.txt").read_text().strip(), 5)
    assert (tmp_path / "superv.pid").read_text() == f"{d.pid}\n"
    assert (work / "pwd.txt").read_text().strip() == str(work)
    assert (work / "umask.txt").read_text().strip() == "0027"
    wait_for(lambda: "w: spawned pid" in (tmp_path / "own.log").read_text(), 5)
    d.signal(15)
    assert d.wait_exit() == 0
    assert not (tmp_path / "superv.pid").exists()


def test_minfds_above_what_superv_may_have_refuses_to_start(daemon):
    hard = 1 << 30  # above fs.nr_open: not even root gets it
    d = daemon(f"[superv]\nminfds = {hard}\n" + PROGRAM)
    assert d.wait_exit() == 2
    assert f"minfds = {hard}: cannot raise RLIMIT_NOFILE" in d.log()


def test_minfds_within_reach_raises_the_limit(daemon):
    d = daemon("[superv]\nminfds = 4096\n" + PROGRAM)
    d.wait_ready()
    limits = open(f"/proc/{d.pid}/limits").read()
    soft = int([l for l in limits.splitlines() if l.startswith("Max open files")][0].split()[3])
    assert soft >= 4096


@pytest.fixture
def public_dir():
    path = tempfile.mkdtemp(prefix="superv-test-")
    os.chmod(path, 0o777)
    yield path
    shutil.rmtree(path, ignore_errors=True)


def test_user_switches_superv_itself(daemon, public_dir):
    sock = f"{public_dir}/superv.sock"
    d = daemon(f'[superv]\nuser = "nobody"\nsocket = "{sock}"\n' + PROGRAM.replace(
        "umask > umask.txt; pwd > pwd.txt; ", ""), env={"SUPERV_SOCKET": sock})
    d.wait_ready()
    uids = [l for l in open(f"/proc/{d.pid}/status") if l.startswith("Uid:")][0].split()[1:]
    assert set(uids) == {str(65534)}
    assert os.stat(sock).st_uid == 65534
    pid = d.status()["w"]["pid"]
    assert [l for l in open(f"/proc/{pid}/status") if l.startswith("Uid:")][0].split()[1] == "65534"
