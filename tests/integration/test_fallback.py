"""Where io_uring is refused, superv falls back to epoll and works the same."""
import os
import signal

import pytest

from superv_harness import wait_for
from test_engine import DEAF, sh

NO_URING = os.environ.get("SUPERV_NO_URING", "no-uring")


@pytest.mark.parametrize("refusal, message", [
    ("EPERM", "Operation not permitted"),   # Docker >= 25, containerd, io_uring_disabled
    ("ENOSYS", "Function not implemented"),  # seccomp profiles that hide the syscall
])
def test_refused_io_uring_falls_back_to_epoll_and_works(daemon, refusal, message):
    d = daemon(sh("web", "exec sleep 1000", startsecs=0.1)
               + sh("deaf", DEAF, startsecs=0.1, stopwaitsecs=0.3),
               wrapper=[NO_URING, refusal], env={"SUPERV_BACKEND": "auto"})
    d.wait_log(rf"io_uring unavailable \(io_uring_setup: {message}\): using epoll")
    d.wait_log(r"starting \(pid \d+, backend epoll")
    d.wait_ready()
    assert "backend epoll" in d.ctl("version").stdout
    d.wait_status("web", "RUNNING")
    first = d.status()["web"]["pid"]
    os.kill(first, signal.SIGKILL)  # exits are still seen (pidfd + epoll)...
    wait_for(lambda: d.status()["web"]["pid"] not in (0, first), what="a new web")
    r = d.ctl("stop", "all")  # ...and grace timers still fire (timerfd)
    assert r.returncode == 0
    assert "deaf: still running after its grace period, sent SIGKILL" in d.log()


def test_forcing_io_uring_where_it_is_refused_is_a_clear_error(daemon):
    d = daemon(sh("web", "exec sleep 1000"), wrapper=[NO_URING, "EPERM"],
               env={"SUPERV_BACKEND": "uring"})
    assert d.wait_exit() == 2
    assert "event loop: io_uring_setup: Operation not permitted" in d.log()
