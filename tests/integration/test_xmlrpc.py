"""supervisord's XML-RPC interface, driven by Python's xmlrpc.client: every method, its faults,
its `wait` semantics and system.multicall (supervisor 4.2.5's rpcinterface.py is the reference)."""
import hashlib
import os
import time
import xmlrpc.client

import pytest

from superv_harness import alive, wait_for
from xmlrpc_support import free_port, tcp_proxy, unix_proxy

# supervisor.xmlrpc.Faults
UNKNOWN_METHOD, INCORRECT_PARAMETERS, BAD_ARGUMENTS, SIGNATURE_UNSUPPORTED = 1, 2, 3, 4
BAD_NAME, BAD_SIGNAL, NO_FILE, NOT_EXECUTABLE, FAILED = 10, 11, 20, 21, 30
ABNORMAL_TERMINATION, SPAWN_ERROR, ALREADY_STARTED, NOT_RUNNING, SUCCESS = 40, 50, 60, 70, 80
ALREADY_ADDED, STILL_RUNNING, CANT_REREAD = 90, 91, 92

PROGRAMS = """
[programs.talker]
command = ["/bin/sh", "-c", "echo hello-out; echo hello-err >&2; exec sleep 1000"]
stdout_logfile = "talker.out"
stderr_logfile = "talker.err"
startsecs = 0.2

[programs.echo]
command = ["/bin/cat"]
stdin = "pipe"
stdout_logfile = "echo.out"
startsecs = 0.2

[programs.trapper]
command = ["/bin/sh", "-c", "trap 'echo got-usr1; kill $!' USR1; while :; do sleep 1000 & wait $!; done"]
stdout_logfile = "trapper.out"
startsecs = 0.2

[programs.pool]
command = ["/bin/sleep", "1000"]
numprocs = 2
startsecs = 0.2

[programs.quick]
command = ["/bin/sh", "-c", "exit 3"]
autostart = false
startsecs = 1
startretries = 0

[programs.missing]
command = ["/nonexistent/program"]
autostart = false

[programs.plain]
command = ["/bin/sleep", "1000"]
autostart = false
startsecs = 0
"""


def config(tmp, port, extra_http="", programs=PROGRAMS):
    return (f'[superv]\nidentifier = "test-ident"\nlogfile = "main.log"\n'
            f'[superv.http]\nlisten = ["{tmp}/http.sock", "127.0.0.1:{port}"]\n{extra_http}\n'
            + programs)


@pytest.fixture
def server(daemon, tmp_path):
    port = free_port()
    d = daemon(config(tmp_path, port))
    d.wait_ready()
    d.port = port
    proxy = tcp_proxy(port)
    wait_for(lambda: all(p["state"] == "RUNNING" for p in d.status().values()
                         if p["name"] not in ("quick", "missing", "plain")), 10,
             what="autostart programs RUNNING")
    return d, proxy.supervisor, proxy


def fault_of(call, *args):
    with pytest.raises(xmlrpc.client.Fault) as e:
        call(*args)
    return e.value.faultCode, e.value.faultString


def test_identity_and_state(server):
    d, s, proxy = server
    assert s.getAPIVersion() == "3.0"
    assert s.getVersion() == "3.0"
    assert s.getSupervisorVersion()
    assert s.getIdentification() == "test-ident"
    assert s.getState() == {"statecode": 1, "statename": "RUNNING"}
    assert s.getPID() == d.pid


def test_process_info_has_supervisords_fields(server):
    d, s, _ = server
    info = s.getProcessInfo("talker")
    assert set(info) == {"name", "group", "start", "stop", "now", "state", "statename",
                         "spawnerr", "exitstatus", "logfile", "stdout_logfile", "stderr_logfile",
                         "pid", "description"}
    assert info["name"] == info["group"] == "talker"
    assert info["state"] == 20 and info["statename"] == "RUNNING"
    assert info["pid"] == d.status()["talker"]["pid"]
    assert abs(info["now"] - time.time()) < 5 and info["start"] <= info["now"]
    assert info["description"].startswith(f"pid {info['pid']}, uptime 0:00:")
    assert info["stdout_logfile"].endswith("talker.out") and info["logfile"] == info["stdout_logfile"]
    never = s.getProcessInfo("plain")
    assert never["statename"] == "STOPPED" and never["description"] == "Not started"
    assert never["start"] == 0 and never["pid"] == 0
    assert s.getProcessInfo("pool:pool_00")["group"] == "pool"
    assert fault_of(s.getProcessInfo, "nope") == (BAD_NAME, "BAD_NAME: nope")
    assert fault_of(s.getProcessInfo, "pool_00")[0] == BAD_NAME  # its group is pool


def test_all_process_info_is_sorted_by_group_then_name(server):
    _, s, _ = server
    names = [(i["group"], i["name"]) for i in s.getAllProcessInfo()]
    assert names == sorted(names)
    assert ("pool", "pool_01") in names and len(names) == 8


def test_start_and_stop_wait_and_their_faults(server):
    d, s, _ = server
    assert s.stopProcess("talker") is True
    assert s.getProcessInfo("talker")["statename"] == "STOPPED"
    assert fault_of(s.stopProcess, "talker") == (NOT_RUNNING, "NOT_RUNNING: talker")
    stopped = s.getProcessInfo("talker")
    assert stopped["stop"] >= stopped["start"] > 0
    assert stopped["description"] != "Not started"
    assert s.startProcess("talker") is True
    assert s.getProcessInfo("talker")["statename"] == "RUNNING"  # waited for startsecs
    assert fault_of(s.startProcess, "talker") == (ALREADY_STARTED, "ALREADY_STARTED: talker")
    assert s.stopProcess("talker", False) is True
    wait_for(lambda: s.getProcessInfo("talker")["statename"] == "STOPPED", 5)
    assert s.startProcess("talker", False) is True
    assert s.getProcessInfo("talker")["statename"] == "STARTING"  # did not wait
    wait_for(lambda: s.getProcessInfo("talker")["statename"] == "RUNNING", 5)


def test_failed_starts_are_faults(server, tmp_path):
    _, s, _ = server
    assert fault_of(s.startProcess, "quick") == (SPAWN_ERROR, "SPAWN_ERROR: quick")
    info = s.getProcessInfo("quick")
    assert info["statename"] in ("BACKOFF", "FATAL")
    assert info["spawnerr"] == "Exited too quickly (process log may have details)"
    assert info["description"] == info["spawnerr"]
    code, text = fault_of(s.startProcess, "missing")
    assert code == NO_FILE and "/nonexistent/program" in text
    assert fault_of(s.startProcess, "nope")[0] == BAD_NAME


def test_group_and_all_operations_return_result_structs(server):
    _, s, _ = server
    results = s.stopProcessGroup("pool")
    assert sorted(r["name"] for r in results) == ["pool_00", "pool_01"]
    assert all(r == {"name": r["name"], "group": "pool", "status": SUCCESS, "description": "OK"}
               for r in results)
    assert s.stopProcessGroup("pool") == []  # nothing running in it
    assert [r["status"] for r in s.startProcessGroup("pool")] == [SUCCESS, SUCCESS]
    assert s.stopProcess("pool:*") == [
        {"name": "pool_00", "group": "pool", "status": SUCCESS, "description": "OK"},
        {"name": "pool_01", "group": "pool", "status": SUCCESS, "description": "OK"}]
    assert fault_of(s.startProcessGroup, "nope") == (BAD_NAME, "BAD_NAME: nope")
    stopped = s.stopAllProcesses()
    assert {r["name"] for r in stopped} == {"talker", "echo", "trapper"}
    started = {(r["name"], r["status"], r["description"]) for r in s.startAllProcesses()}
    assert ("talker", SUCCESS, "OK") in started and ("pool_00", SUCCESS, "OK") in started
    assert ("quick", SPAWN_ERROR, "SPAWN_ERROR: quick") in started
    assert any(name == "missing" and code == NO_FILE for name, code, _ in started)


def test_signals(server, tmp_path):
    _, s, _ = server
    assert s.signalProcess("trapper", "USR1") is True
    wait_for(lambda: "got-usr1" in (tmp_path / "trapper.out").read_text(), 5)
    # One at a time: a signal sent while the last one is still pending merges with it.
    assert s.signalProcess("trapper", "sigusr1") is True  # any case, with or without SIG
    wait_for(lambda: (tmp_path / "trapper.out").read_text().count("got-usr1") == 2, 5)
    assert s.signalProcess("trapper", 10) is True  # a number
    wait_for(lambda: (tmp_path / "trapper.out").read_text().count("got-usr1") == 3, 5)
    assert fault_of(s.signalProcess, "trapper", "NOPE") == (BAD_SIGNAL, "BAD_SIGNAL: NOPE")
    assert fault_of(s.signalProcess, "plain", "HUP") == (NOT_RUNNING, "NOT_RUNNING: plain")
    assert [r["status"] for r in s.signalProcessGroup("pool", "CONT")] == [SUCCESS, SUCCESS]
    assert {r["name"] for r in s.signalAllProcesses("CONT")} == {
        "talker", "echo", "trapper", "pool_00", "pool_01"}


def test_reading_tailing_and_clearing_logs(server, tmp_path):
    d, s, _ = server
    wait_for(lambda: "hello-out" in s.readProcessStdoutLog("talker", 0, 0), 5)
    assert s.readProcessStdoutLog("talker", 0, 0) == "hello-out\n"
    assert s.readProcessLog("talker", 0, 5) == "hello"
    assert s.readProcessStdoutLog("talker", -4, 0) == "out\n"
    assert s.readProcessStderrLog("talker", 0, 0) == "hello-err\n"
    assert fault_of(s.readProcessStdoutLog, "talker", -4, 2) == (BAD_ARGUMENTS, "BAD_ARGUMENTS")
    assert fault_of(s.readProcessStdoutLog, "pool:pool_00", 0, 0)[0] == NO_FILE  # inherit
    assert s.tailProcessStdoutLog("talker", 0, 5) == ["-out\n", 10, True]
    assert s.tailProcessStdoutLog("talker", 0, 100) == ["hello-out\n", 10, False]
    assert s.tailProcessLog("talker", 10, 100) == ["", 10, False]
    assert s.tailProcessStderrLog("talker", 0, 100) == ["hello-err\n", 10, False]
    assert s.clearProcessLogs("talker") is True
    assert (tmp_path / "talker.out").read_text() == ""
    assert s.clearProcessLog("talker") is True
    results = s.clearAllProcessLogs()
    assert {r["name"] for r in results} == {p["name"] for p in d.status().values()}
    assert all(r["status"] == SUCCESS for r in results)
    wait_for(lambda: "talker" in s.readLog(0, 0), 5)  # superv's own log file
    assert s.readMainLog(-10, 0) == s.readLog(-10, 0)
    assert s.clearLog() is True
    assert not (tmp_path / "main.log").read_text().count("spawned pid")


def test_stdin_reaches_the_program(server, tmp_path):
    _, s, _ = server
    assert s.sendProcessStdin("echo", "line one\n") is True
    assert s.sendProcessStdin("echo", "ünïcode\n") is True
    wait_for(lambda: (tmp_path / "echo.out").read_text() == "line one\nünïcode\n", 5)
    assert fault_of(s.sendProcessStdin, "plain", "x") == (NOT_RUNNING, "NOT_RUNNING: plain")
    assert fault_of(s.sendProcessStdin, "talker", "x") == (NO_FILE, "NO_FILE: talker")
    assert fault_of(s.sendProcessStdin, "echo", 5)[0] == INCORRECT_PARAMETERS
    assert s.sendRemoteCommEvent("type", "data") is True


def test_config_info(server, tmp_path):
    _, s, _ = server
    infos = {i["name"]: i for i in s.getAllConfigInfo()}
    assert list(infos) == sorted(infos)
    t = infos["talker"]
    assert t["command"].startswith("/bin/sh -c 'echo hello-out;")
    assert t["group"] == "talker" and t["inuse"] is True and t["autostart"] is True
    assert t["startsecs"] == 0 and t["stopwaitsecs"] == 10 and t["stopsignal"] == 15
    assert t["exitcodes"] == [0] and t["process_prio"] == 999 and t["group_prio"] == 999
    assert t["stdout_logfile"] == str(tmp_path / "talker.out")
    assert t["stdout_logfile_maxbytes"] == 50 * 1024 * 1024 and t["stdout_logfile_backups"] == 10
    assert infos["pool_01"]["group"] == "pool"
    assert infos["plain"]["directory"] == "none" and infos["plain"]["uid"] == "none"


def test_reload_config_then_add_and_remove_groups(server, tmp_path):
    d, s, _ = server
    text = d.config.read_text()
    text = text.replace('[programs.plain]\ncommand = ["/bin/sleep", "1000"]',
                        '[programs.plain]\ncommand = ["/bin/sleep", "999"]')
    text = text.replace("[programs.trapper]", "[programs.gone_trapper_x]\nautostart = false\n"
                        "command = [\"/bin/true\"]\n[programs.trapper]")
    text = text.replace('[programs.quick]', '[programs.fresh]\ncommand = ["/bin/sleep", "1000"]\n'
                        'startsecs = 0\n\n[programs.quick]')
    text = text.replace('[programs.missing]\ncommand = ["/nonexistent/program"]\nautostart = false\n', '')
    d.config.write_text(text)
    added, changed, removed = s.reloadConfig()[0]
    assert sorted(added) == ["fresh", "gone_trapper_x"]
    assert changed == ["plain"] and removed == ["missing"]
    pid_before = d.status()["talker"]["pid"]
    assert s.addProcessGroup("fresh") is True
    wait_for(lambda: s.getProcessInfo("fresh")["statename"] == "RUNNING", 5)
    assert fault_of(s.addProcessGroup, "fresh") == (ALREADY_ADDED, "ALREADY_ADDED: fresh")
    assert fault_of(s.addProcessGroup, "nope") == (BAD_NAME, "BAD_NAME: nope")
    assert fault_of(s.removeProcessGroup, "fresh") == (STILL_RUNNING, "STILL_RUNNING: fresh")
    assert s.removeProcessGroup("missing") is True
    assert fault_of(s.removeProcessGroup, "missing") == (BAD_NAME, "BAD_NAME: missing")
    assert d.status()["talker"]["pid"] == pid_before  # nothing else touched
    d.config.write_text(text + "\n[programs.broken\n")
    code, message = fault_of(s.reloadConfig)
    assert code == CANT_REREAD and "superv.toml:" in message


def test_system_methods(server):
    _, s, proxy = server
    methods = proxy.system.listMethods()
    assert methods == sorted(methods)
    for name in ("supervisor.startProcess", "supervisor.getAllConfigInfo", "supervisor.readMainLog",
                 "supervisor.tailProcessLog", "system.multicall", "system.methodHelp"):
        assert name in methods
    assert proxy.system.methodSignature("supervisor.startProcess") == ["boolean", "string", "boolean"]
    assert proxy.system.methodSignature("supervisor.getAllProcessInfo") == ["array"]
    assert "@param string name" in proxy.system.methodHelp("supervisor.stopProcess")
    assert fault_of(proxy.system.methodHelp, "nope.nope")[0] == SIGNATURE_UNSUPPORTED
    assert fault_of(proxy.system.methodSignature, "nope")[0] == SIGNATURE_UNSUPPORTED


def test_multicall_runs_calls_in_order_and_waits(server):
    _, s, proxy = server
    results = proxy.system.multicall([
        {"methodName": "supervisor.getAPIVersion", "params": []},
        {"methodName": "supervisor.startProcess", "params": ["plain"]},
        {"methodName": "supervisor.getProcessInfo", "params": ["plain"]},
        {"methodName": "supervisor.getProcessInfo", "params": ["nope"]},
        {"methodName": "system.multicall", "params": [[]]},
        {"params": []},
    ])
    assert results[0] == ["3.0"]
    assert results[1] == [True]
    assert results[2][0]["statename"] == "RUNNING"  # after the start it waited for
    assert results[3] == {"faultCode": BAD_NAME, "faultString": "BAD_NAME: nope"}
    assert results[4]["faultCode"] == INCORRECT_PARAMETERS
    assert results[5] == {"faultCode": INCORRECT_PARAMETERS,
                          "faultString": "INCORRECT_PARAMETERS: No methodName"}
    multi = xmlrpc.client.MultiCall(proxy)
    multi.supervisor.getIdentification()
    multi.supervisor.getState()
    assert list(multi()) == ["test-ident", {"statecode": 1, "statename": "RUNNING"}]


@pytest.mark.parametrize("method,args", [
    ("supervisor.nope", ()),
    ("nope", ()),
    ("supervisor._getAllProcesses", ()),
    ("supervisor.getState.__class__", ()),
    ("a.b.c", ()),
])
def test_unknown_methods(server, method, args):
    _, _, proxy = server
    assert fault_of(getattr(proxy, method), *args) == (UNKNOWN_METHOD, "UNKNOWN_METHOD")


@pytest.mark.parametrize("method,args", [
    ("getState", (1,)),
    ("startProcess", ()),
    ("startProcess", ("talker", True, 3)),
    ("startProcess", (5,)),
    ("readLog", ("a", 0)),
    ("getProcessInfo", (["talker"],)),
    ("stopProcess", ("talker", "yes")),
])
def test_wrong_arguments_are_incorrect_parameters(server, method, args):
    _, s, _ = server
    assert fault_of(getattr(s, method), *args) == (INCORRECT_PARAMETERS, "INCORRECT_PARAMETERS")


def test_unix_listener_and_the_children_environment(server, tmp_path):
    d, _, _ = server
    s = unix_proxy(tmp_path / "http.sock").supervisor
    assert s.getIdentification() == "test-ident"
    pid = d.status()["talker"]["pid"]
    env = dict(line.split("=", 1) for line in
               open(f"/proc/{pid}/environ").read().split("\0") if "=" in line)
    assert env["SUPERVISOR_ENABLED"] == "1"
    assert env["SUPERVISOR_PROCESS_NAME"] == "talker"
    assert env["SUPERVISOR_GROUP_NAME"] == "talker"
    assert env["SUPERVISOR_SERVER_URL"] == f"unix://{tmp_path}/http.sock"
    assert oct(os.stat(tmp_path / "http.sock").st_mode & 0o777) == "0o600"


def test_restart_restarts_everything_and_answers_first(server):
    d, s, _ = server
    before = d.status()["talker"]["pid"]
    assert s.restart() is True
    wait_for(lambda: d.status()["talker"]["pid"] not in (0, before)
             and d.status()["talker"]["state"] == "RUNNING", 20)
    assert s.getPID() == d.pid


def test_shutdown_answers_then_the_daemon_exits(server):
    d, s, _ = server
    assert s.shutdown() is True
    assert d.wait_exit() == 0


def test_basic_auth_plain_and_sha(daemon, tmp_path):
    port = free_port()
    digest = hashlib.sha1(b"s3cret").hexdigest()
    d = daemon(config(tmp_path, port, f'username = "admin"\npassword = "{{SHA}}{digest}"\n',
                      programs=""))
    d.wait_ready()
    assert tcp_proxy(port, "admin", "s3cret").supervisor.getAPIVersion() == "3.0"
    for user, password in (("admin", "wrong"), ("other", "s3cret"), (None, None)):
        with pytest.raises(xmlrpc.client.ProtocolError) as e:
            tcp_proxy(port, user, password).supervisor.getAPIVersion()
        assert e.value.errcode == 401
    assert unix_proxy(tmp_path / "http.sock", "admin", "s3cret").supervisor.getPID() == d.pid
    with pytest.raises(xmlrpc.client.ProtocolError):
        unix_proxy(tmp_path / "http.sock").supervisor.getPID()
