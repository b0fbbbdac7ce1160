"""The same supervisorctl commands against supervisord 4.2.5 and against superv, on the same
supervisord.conf: the printed output and exit codes match, allowing only pids, times and the
version (supervisord_compat.normalise)."""
from concurrent.futures import ThreadPoolExecutor

import pytest

from superv_harness import Daemon, wait_for
from supervisorctl_support import (SupervisordDaemon, comparable, ctl, run_scenario, wait_settled,
                                write_conf)


def against_supervisord(directory, **auth):
    conf = write_conf(directory, **auth)
    daemon = SupervisordDaemon(conf).start()
    try:
        return run_scenario(conf, password=auth.get("password"))
    finally:
        daemon.stop()


def against_superv(directory, **auth):
    conf = write_conf(directory, **auth)
    daemon = Daemon(directory, config_name="supervisord.conf").start()
    try:
        wait_for(lambda: ctl(conf, "pid", password=auth.get("password"))[0] == 0, 10,
                 what="superv to answer supervisorctl")
        return run_scenario(conf, password=auth.get("password"))
    finally:
        daemon.stop()


@pytest.mark.parametrize("auth", [{}, {"username": "admin", "password": "s3cret"}],
                         ids=["no-password", "password"])
def test_supervisorctl_prints_the_same_for_both_daemons(tmp_path, auth):
    (tmp_path / "supervisord").mkdir()
    (tmp_path / "superv").mkdir()
    # The two daemons run side by side, each in its own directory and socket.
    with ThreadPoolExecutor(2) as pool:
        reference = pool.submit(against_supervisord, tmp_path / "supervisord", **auth)
        ours = pool.submit(against_superv, tmp_path / "superv", **auth)
        expected, got = reference.result(), ours.result()
    assert [r[0] for r in got] == [r[0] for r in expected]
    for (args, mode, code, out), (_, _, want_code, want_out) in zip(got, expected):
        assert (code, comparable(mode, out)) == (want_code, comparable(mode, want_out)), \
            f"supervisorctl {' '.join(args)}:\nsuperv:\n{out}\nsupervisord:\n{want_out}"
