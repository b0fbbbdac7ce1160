"""Privileges through the real binary, as root: what a program really gets
(uid/gid/groups, capability sets, NoNewPrivs, limits, fds, environment), read
from /proc, and each misconfiguration refused by `superv check` with its
FILE:LINE:COL."""
import os
import socket
import tempfile
from pathlib import Path

import pytest

from superv_harness import run_cli

NET_BIND_SERVICE = 1 << 10
NOBODY = 65534

pytestmark = pytest.mark.skipif(os.geteuid() != 0, reason="hands out privileges: needs root")


def program(name, command, **opts):
    """A [programs.NAME] table; `command` is an argv list."""
    opts.setdefault("startsecs", 0.2)
    opts.setdefault("stopwaitsecs", 2)
    lines = [f"[programs.{name}]", f"command = {_toml(command)}"]
    lines += [f"{key} = {_toml(value)}" for key, value in opts.items()]
    return "\n".join(lines) + "\n\n"


def sleeper(name, **opts):
    # Exec'd directly: a shell would add PWD and the like to its environment.
    return program(name, ["/bin/sleep", "1000"], directory="/", **opts)


def _toml(v):
    if isinstance(v, bool):
        return "true" if v else "false"
    if isinstance(v, str):
        return '"' + v.replace("\\", "\\\\").replace('"', '\\"').replace("\n", "\\n") + '"'
    if isinstance(v, list):
        return "[" + ", ".join(_toml(x) for x in v) + "]"
    if isinstance(v, dict):
        return "{ " + ", ".join(f"{k} = {_toml(x)}" for k, x in v.items()) + " }"
    return str(v)


def status_of(pid):
    """/proc/PID/status as a dict of its "Key:\tvalue" lines."""
    out = {}
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        key, _, value = line.partition(":")
        out[key] = value.strip()
    return out


def limits_of(pid):
    """/proc/PID/limits as {"Max open files": ("256", "512"), ...}."""
    out = {}
    for line in Path(f"/proc/{pid}/limits").read_text().splitlines()[1:]:
        name = line[:26].strip()
        soft, hard = line[26:].split()[:2]
        out[name] = (soft, hard)
    return out


def environ_of(pid):
    raw = Path(f"/proc/{pid}/environ").read_bytes().split(b"\0")
    return dict(entry.decode().split("=", 1) for entry in raw if entry)


def running_pid(d, name):
    d.wait_state(name, "RUNNING")
    return d.pids_of(name)[-1]


def free_privileged_port():
    """A port below 1024 nothing listens on (we are root, so we may try)."""
    for port in range(700, 1000):
        with socket.socket() as s:
            try:
                s.bind(("127.0.0.1", port))
                return port
            except OSError:
                continue
    pytest.skip("no free privileged port")


def test_user_gets_its_uid_gid_groups_and_home(daemon):
    d = daemon(sleeper("w", user="nobody"))
    pid = running_pid(d, "w")
    st = status_of(pid)
    assert st["Uid"].split() == [str(NOBODY)] * 4
    assert st["Gid"].split() == [str(NOBODY)] * 4  # nobody's primary group, nogroup
    assert st["Groups"].split() == [str(NOBODY)]
    env = environ_of(pid)
    assert (env["USER"], env["LOGNAME"]) == ("nobody", "nobody")
    assert env["HOME"] == "/nonexistent"
    # No `capabilities`: setuid alone leaves nobody with no usable capability.
    assert int(st["CapEff"], 16) == 0 and int(st["CapPrm"], 16) == 0


def test_capability_is_kept_as_ambient_for_nobody_and_lets_it_bind_a_low_port(daemon, tmp_path):
    port = free_privileged_port()
    server = ("import socket, time\n"
              f"s = socket.socket(); s.bind(('127.0.0.1', {port})); s.listen()\n"
              "time.sleep(1000)\n")
    d = daemon(program("web", ["/usr/bin/python3", "-c", server], user="nobody", directory="/",
                       capabilities=["CAP_NET_BIND_SERVICE"], startsecs=1)
               + program("denied", ["/usr/bin/python3", "-c", server], user="nobody",
                         directory="/", startsecs=1, startretries=0,
                         stderr_logfile=str(tmp_path / "denied.err")))
    pid = running_pid(d, "web")
    st = status_of(pid)
    for field in ("CapInh", "CapPrm", "CapEff", "CapBnd", "CapAmb"):
        assert int(st[field], 16) == NET_BIND_SERVICE, (field, st[field])
    assert st["Uid"].split()[0] == str(NOBODY)
    with socket.create_connection(("127.0.0.1", port), timeout=5):
        pass
    # Without the capability the same bind is refused (EACCES comes before EADDRINUSE).
    d.wait_state("denied", "FATAL", timeout=15)
    assert "PermissionError" in (tmp_path / "denied.err").read_text()


def test_capabilities_without_user_bound_what_root_keeps(daemon):
    d = daemon(sleeper("r", capabilities=["CAP_NET_BIND_SERVICE", "CAP_KILL"]))
    st = status_of(running_pid(d, "r"))
    kept = NET_BIND_SERVICE | (1 << 5)  # CAP_KILL
    assert st["Uid"].split()[0] == "0"
    for field in ("CapPrm", "CapEff", "CapBnd", "CapAmb"):
        assert int(st[field], 16) == kept, (field, st[field])


def test_no_new_privs_is_set_only_when_asked(daemon):
    d = daemon(sleeper("locked", user="nobody", no_new_privs=True)
               + sleeper("plain", user="nobody"))
    assert status_of(running_pid(d, "locked"))["NoNewPrivs"] == "1"
    assert status_of(running_pid(d, "plain"))["NoNewPrivs"] == "0"


def test_rlimits_are_what_the_program_sees(daemon):
    d = daemon(sleeper("lim", user="nobody",
                       rlimits={"nofile": 256, "core": 0, "memlock": "1MB",
                                "nproc": {"soft": 100, "hard": 200}}))
    limits = limits_of(running_pid(d, "lim"))
    assert limits["Max open files"] == ("256", "256")
    assert limits["Max core file size"] == ("0", "0")
    assert limits["Max locked memory"] == ("1048576", "1048576")
    assert limits["Max processes"] == ("100", "200")


def test_programs_get_only_fds_0_1_2(daemon, tmp_path):
    d = daemon(sleeper("plain", user="nobody")
               + sleeper("captured", stdout_logfile=str(tmp_path / "out.log"),
                         stderr_logfile=str(tmp_path / "err.log")))
    for name in ("plain", "captured"):
        pid = running_pid(d, name)
        assert sorted(int(fd) for fd in os.listdir(f"/proc/{pid}/fd")) == [0, 1, 2], name


def test_clear_environment_keeps_only_a_minimal_one(daemon, tmp_path):
    config = (sleeper("clean", user="nobody", clear_environment=True, environment={"MODE": "prod"})
              + sleeper("inherits"))
    d = daemon(config, env={"SECRET_TOKEN": "xyz"})
    env = environ_of(running_pid(d, "clean"))
    assert env == {
        "PATH": "/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin",
        "HOME": "/nonexistent", "USER": "nobody", "LOGNAME": "nobody", "MODE": "prod",
        "SUPERV_PROCESS_NAME": "clean", "SUPERV_GROUP_NAME": "clean",
        "SUPERVISOR_ENABLED": "1", "SUPERVISOR_PROCESS_NAME": "clean",
        "SUPERVISOR_GROUP_NAME": "clean",
    }
    assert environ_of(running_pid(d, "inherits"))["SECRET_TOKEN"] == "xyz"


def check_errors(config_text, as_user=None):
    """`superv check` on `config_text` (as uid `as_user` if given): its error lines."""
    directory = tempfile.mkdtemp(prefix="superv-sec-")
    try:
        os.chmod(directory, 0o755)  # readable by `as_user`, writable by root only
        path = Path(directory) / "superv.toml"
        path.write_text(config_text)
        os.chmod(path, 0o644)
        demote = None
        if as_user is not None:
            def demote():
                os.setgroups([])
                os.setgid(as_user)
                os.setuid(as_user)
        r = run_cli("check", "-c", str(path), preexec_fn=demote)
        assert r.returncode == 2, (r.stdout, r.stderr)
        return [line.replace(str(path), "FILE") for line in r.stderr.strip().splitlines()]
    finally:
        for entry in Path(directory).iterdir():
            entry.unlink()
        os.rmdir(directory)


def test_check_rejects_each_misconfiguration_with_its_position():
    config = ('[programs.web]\n'
              'command = "/bin/web"\n'
              'capabilities = ["CAP_NET_BIND_SERVCE", "CAP_KILL", "cap_kill"]\n'
              'rlimits = { nofiles = 10, core = "lots", nproc = { soft = 20, hard = 10 } }\n'
              'no_new_privs = "yes"\n'
              'clear_environment = "no"\n')
    assert check_errors(config) == [
        'FILE:3:17: unknown capability "CAP_NET_BIND_SERVCE" (did you mean '
        '"CAP_NET_BIND_SERVICE"?)',
        'FILE:3:52: capability "CAP_KILL" is listed twice',
        'FILE:4:13: unknown resource limit "nofiles" in "rlimits" (did you mean "nofile"?)',
        'FILE:4:34: "rlimits.core" must be a size like 1048576, "50MB" or "1GB", not "lots"',
        'FILE:4:50: "rlimits.nproc": soft limit 20 is above hard limit 10',
        'FILE:5:16: "no_new_privs" must be true or false, not a string',
        'FILE:6:21: "clear_environment" must be true or false, not a string',
    ]


def test_check_as_non_root_refuses_what_superv_could_not_hand_out():
    hard_nofile = int(limits_of(os.getpid())["Max open files"][1])
    config = ('[programs.web]\n'
              'command = "/bin/web"\n'
              'user = "root"\n'
              'capabilities = ["CAP_NET_BIND_SERVICE"]\n'
              f'rlimits = {{ nofile = {hard_nofile + 1} }}\n')
    assert check_errors(config, as_user=NOBODY) == [
        'FILE:3:8: superv runs as uid 65534 and cannot switch to user "root" (uid 0); run '
        'superv as root or drop "user"',
        'FILE:4:16: superv does not hold CAP_SETPCAP, which dropping the other capabilities '
        'from the bounding set needs; run superv as root or drop "capabilities"',
        'FILE:4:17: superv does not hold CAP_NET_BIND_SERVICE (it must be in superv\'s '
        'effective, permitted and bounding sets to be passed on)',
        f'FILE:5:22: "rlimits.nofile": hard limit {hard_nofile + 1} is above superv\'s own '
        f'({hard_nofile}) and superv lacks CAP_SYS_RESOURCE to raise it',
    ]


def test_strict_modes_refuse_a_config_others_can_write(daemon, tmp_path):
    """As root, superv will not run what another user could have written (like sshd's
    StrictModes): not at start, not on reload; --no-strict-modes opts out."""
    d = daemon(sleeper("web")).wait_ready()
    pid = running_pid(d, "web")
    d.config.chmod(0o666)
    r = d.ctl("reload")
    assert r.returncode == 2
    assert f"{d.config}: writable by group/others; fix its mode or run with --no-strict-modes" \
        in r.stderr
    assert d.pids_of("web")[-1] == pid and d.status()["web"]["state"] == "RUNNING"
    d.stop()

    refused = daemon()  # the same, now writable, config
    assert refused.wait_exit() == 2
    assert "writable by group/others" in refused.log()

    opted_out = daemon(args=["--no-strict-modes"]).wait_ready()
    running_pid(opted_out, "web")
