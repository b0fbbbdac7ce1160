import pytest

from superv_harness import Daemon


@pytest.fixture
def daemon(tmp_path):
    """daemon(config_text, **kw) -> a started Daemon; stopped after the test."""
    started = []

    def make(config_text=None, **kw):
        d = Daemon(tmp_path, config_text, **kw).start()
        started.append(d)
        return d

    yield make
    for d in started:
        d.stop()
