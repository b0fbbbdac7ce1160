"""superv reads supervisord.conf as supervisord 4.2.5 does.

Each case is loaded twice: by supervisord's own parser (ServerOptions from
the installed supervisor package, process_config() only: no daemon starts)
and by superv (the config-dump test binary, which prints what superv loaded
as JSON). Every process's options, the daemon's settings and the HTTP
servers must agree; a config supervisord refuses, superv must refuse too.
"""
import getpass
import json
import os
import pwd
import shlex
import subprocess

import pytest

from superv_harness import run_cli

DUMP = os.environ.get("SUPERV_CONFIG_DUMP", "config-dump")
options = pytest.importorskip("supervisor.options")
datatypes = pytest.importorskip("supervisor.datatypes")
loggers = pytest.importorskip("supervisor.loggers")

LEVELS = {
    loggers.LevelsByName.CRIT: "error", loggers.LevelsByName.ERRO: "error",
    loggers.LevelsByName.WARN: "warn", loggers.LevelsByName.INFO: "info",
    loggers.LevelsByName.DEBG: "debug", loggers.LevelsByName.TRAC: "trace",
    loggers.LevelsByName.BLAT: "trace",
}


def supervisord_load(path):
    opts = options.ServerOptions()
    opts.configfile = str(path)
    opts.process_config(do_usage=False)
    return opts


def user_name(uid):
    return "" if uid is None else pwd.getpwuid(uid).pw_name


def log_view(section, process, stream):
    target = getattr(process, f"{stream}_logfile")
    if target is datatypes.Automatic:
        target = f"{section.childlogdir}/{process.name}-{stream}---{section.identifier}.log"
    elif target == f"/dev/{stream}":
        target = "inherit"
    return {"target": target,
            "maxbytes": getattr(process, f"{stream}_logfile_maxbytes"),
            "backups": getattr(process, f"{stream}_logfile_backups")}


def fallback_serverurl(section):
    """The serverurl ServerOptions.realize() gives programs without one."""
    for config in section.server_configs:
        if "file" in config:
            return "unix://" + config["file"]
    for config in section.server_configs:
        if "port" in config:
            return f"http://{config['host'] or 'localhost'}:{config['port']}"
    return ""


def supervisord_processes(opts):
    section = opts.configroot.supervisord
    restart = {datatypes.RestartUnconditionally: "always",
               datatypes.RestartWhenExitUnexpected: "on-failure", False: "never"}
    processes = {}
    for group in opts.process_group_configs:
        for p in group.process_configs:
            processes[(group.name, p.name)] = {
                "group_priority": group.priority,
                "priority": p.priority,
                "command": shlex.split(p.command),
                "directory": p.directory or "",
                "environment": p.environment or {},
                "user": user_name(p.uid),
                "umask": p.umask,
                "autostart": p.autostart,
                "autorestart": restart[p.autorestart],
                "startsecs": float(p.startsecs),
                "startretries": p.startretries,
                "stopsignal": p.stopsignal,
                "stopwaitsecs": float(p.stopwaitsecs),
                "stopasgroup": p.stopasgroup,
                "killasgroup": p.killasgroup,
                "exitcodes": p.exitcodes,
                "redirect_stderr": p.redirect_stderr,
                "stdout": log_view(section, p, "stdout"),
                "stderr": log_view(section, p, "stderr"),
                "serverurl": p.serverurl or fallback_serverurl(section),
            }
    return processes


def superv_load(path):
    r = subprocess.run([DUMP, str(path)], capture_output=True, text=True, timeout=30)
    return r, json.loads(r.stdout) if r.returncode == 0 else None


def superv_processes(dump):
    processes = {}
    for p in dump["processes"]:
        assert p.pop("stdin_pipe") is True  # supervisord gives every child one
        processes[(p.pop("group"), p.pop("name"))] = p
    return processes


def compare(path):
    opts = supervisord_load(path)
    r, dump = superv_load(path)
    assert r.returncode == 0, r.stderr
    theirs, ours = supervisord_processes(opts), superv_processes(dump)
    assert sorted(ours) == sorted(theirs)
    for key, expected in theirs.items():
        got = ours[key]
        # superv keeps a [group:x] priority only when the section sets one;
        # a program's own group has its program's priority anyway.
        group_priority = got.pop("group_priority")
        theirs_group = expected.pop("group_priority")
        assert group_priority in (theirs_group, None), key
        if group_priority is None:
            assert theirs_group in (999, expected["priority"]), key
        assert got == expected, key
    return opts, dump


def compare_daemon(opts, dump):
    section = opts.configroot.supervisord
    daemon = dump["daemon"]
    assert daemon["identifier"] == section.identifier
    assert daemon["minfds"] == section.minfds
    assert daemon["minprocs"] == section.minprocs
    assert daemon["umask"] == section.umask
    assert daemon["directory"] == (section.directory or "")
    assert daemon["user"] == (section.user and user_name(datatypes.name_to_uid(section.user)) or "")
    assert daemon["environment"] == section.environment
    assert daemon["log_level"] == LEVELS[section.loglevel]
    servers = []
    for c in section.server_configs:
        if "file" in c:
            uid, gid = c["chown"]
            servers.append({"unix": True, "path": c["file"], "mode": c["chmod"],
                            "owner": user_name(uid) if uid != -1 else "",
                            "group": "" if gid == -1 else __import__("grp").getgrgid(gid).gr_name,
                            "host": "", "port": 0,
                            "username": c["username"] or "", "password": c["password"] or ""})
        else:
            servers.append({"unix": False, "path": "", "mode": 0o600, "owner": "", "group": "",
                            "host": c["host"], "port": c["port"],
                            "username": c["username"] or "", "password": c["password"] or ""})
    # supervisord lists inet servers first; superv puts unix ones first,
    # which is the one supervisord's programs talk to.
    key = lambda s: (s["unix"], s["path"], s["host"], s["port"])
    assert sorted(daemon["http"], key=key) == sorted(servers, key=key)


def write(tmp_path, files):
    for name, text in files.items():
        target = tmp_path / name
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_text(text.replace("{tmp}", str(tmp_path)).replace("{user}", getpass.getuser()))
    return tmp_path / "supervisord.conf"


REALISTIC = {
    "srv/.keep": "",
    "logs/.keep": "",
    "supervisord.conf": """\
; supervisord.conf much as echo_supervisord_conf writes it
[unix_http_server]
file={tmp}/supervisor.sock   ; the path to the socket file
chmod=0770                 ; socket file mode (default 0700)

[inet_http_server]         ; inet (TCP) server disabled by default
port=127.0.0.1:9001        ; ip_address:port specifier, *:port for all iface
username=user              ; default is no username (open server)
password=123               ; default is no password (open server)

[supervisord]
logfile={tmp}/supervisord.log ; main log file; default $CWD/supervisord.log
logfile_maxbytes=50MB        ; max main logfile bytes b4 rotation; default 50MB
logfile_backups=10           ; # of main logfile backups; 0 means none, default 10
loglevel=blather             ; log level; default info; others: debug,warn,trace
pidfile={tmp}/supervisord.pid ; supervisord pidfile; default supervisord.pid
nodaemon=true                ; start in foreground if true; default false
minfds=2048                  ; min. avail startup file descriptors; default 1024
minprocs=100                 ; min. avail process descriptors;default 200
umask=027
identifier=compat
directory=%(here)s
childlogdir={tmp}/logs
environment=KEY1="value1",KEY2="a,b",PATHX=/usr/bin:/bin

[rpcinterface:supervisor]
supervisor.rpcinterface_factory = supervisor.rpcinterface:make_main_rpcinterface

[supervisorctl]
serverurl=unix://{tmp}/supervisor.sock ; use a unix:// URL  for a unix socket

[program:web]
command=/usr/bin/python3 -m http.server %(ENV_COMPAT_PORT)s ; the program
directory=%(here)s/srv
priority=10
autorestart=true
startsecs=2
startretries=5
exitcodes=0,2
stopsignal=QUIT
stopwaitsecs=15
stopasgroup=true
redirect_stderr=true
stdout_logfile=%(here)s/logs/web.log
stdout_logfile_maxbytes=1MB
stdout_logfile_backups=3
environment=PORT="%(ENV_COMPAT_PORT)s",MODE=prod,KEY1=own

[program:worker]
command=/bin/sh -c "exec sleep %(process_num)d"
process_name=%(program_name)s_%(process_num)02d
numprocs=3
numprocs_start=1
umask=022
autostart=false
user={user}
stderr_logfile=NONE
stdout_logfile=/dev/stdout
stdout_logfile_maxbytes=0
serverurl=AUTO

[program:cron]
command = /usr/sbin/cron -f
  -L 15
stopsignal = 9
killasgroup = yes
autorestart = unexpected
stdout_logfile = AUTO

[group:jobs]
programs = cron, mailer
priority = 50

[program:mailer]
command=/bin/mailer --id %(group_name)s-%(host_node_name)s %(ENV_KEY2)s
exitcodes=
stdout_capture_maxbytes=0
serverurl=http://127.0.0.1:9001

[include]
files = conf.d/*.conf
""",
    "conf.d/a.conf": """\
[program:extra]
command = /bin/extra %(here)s
directory = %(here)s
Stdout_Logfile = %(here)s/extra.log ; key case
autostart = off
""",
}

QUIRKS = {
    "supervisord.conf": """\
[supervisord]
childlogdir={tmp}
[program:q]
command = /bin/echo a;b x#y #z ;w
    continued "quoted arg"   ; comment
  ; a comment line inside the value

    after-blank
priority = 1
Priority = 2
environment = A=1;B=2 , C = "x y" , D='q',URL=http://x?y=1
stopsignal = sigusr1
[program:q]
startsecs = 0
[DEFAULT]
startretries = 9
[program: spaced ]
command: /bin/spaced   --flag=  "a b"
stdout_logfile = off
stderr_logfile = /dev/stderr
stderr_logfile_maxbytes = 0
""",
}

FORMATS = {
    "supervisord.conf": """\
[supervisord]
childlogdir={tmp}
[program:f]
command = /bin/f %(process_num)03d %(process_num)-3d| %(numprocs)d %(program_name).2s %(process_num)#x %%
process_name = f-%(process_num)03d
numprocs = 2
numprocs_start = 9
directory = {tmp}/%(process_num)d
stdout_logfile = {tmp}/f-%(process_num)d-%%%%.log
stderr_logfile = {tmp}/f-%(process_num)d.err
environment = N="%(process_num)d",G=%(group_name)s
""",
}


@pytest.mark.parametrize("files", [REALISTIC, QUIRKS, FORMATS], ids=["realistic", "quirks", "formats"])
def test_superv_loads_what_supervisord_loads(tmp_path, monkeypatch, files):
    monkeypatch.setenv("COMPAT_PORT", "8080")
    path = write(tmp_path, files)
    opts, dump = compare(path)
    compare_daemon(opts, dump)


def sample_with_every_program_option(tmp_path):
    """supervisord's own sample.conf with [inet_http_server] and the sample
    [program:x] (every option it has) uncommented."""
    sample = (os.path.dirname(options.__file__) + "/skel/sample.conf")
    lines, uncomment = [], False
    for line in open(sample).read().splitlines():
        if line.startswith(";[program:") or line.startswith(";[inet_http_server]"):
            uncomment = True
        elif not line.startswith(";") or line.startswith("; "):
            uncomment = False
        if uncomment:
            line = line[1:]
        lines.append(line)
    text = "\n".join(lines).replace("/tmp/supervisor", str(tmp_path / "supervisor"))
    text = text.replace("user=chrism", "user=" + getpass.getuser())
    text = text.replace("/a/path", str(tmp_path / "a.log"))
    text = text.replace("childlogdir=", f"childlogdir={tmp_path} ;")
    return text


def test_superv_loads_supervisords_sample_with_every_program_option(tmp_path):
    path = tmp_path / "supervisord.conf"
    path.write_text(sample_with_every_program_option(tmp_path))
    opts, dump = compare(path)
    compare_daemon(opts, dump)
    assert len(dump["processes"]) == 1  # the sample program, compared option by option
    assert len(dump["daemon"]["http"]) == 2


def test_the_realistic_case_reads_its_include_and_logfile(tmp_path, monkeypatch):
    monkeypatch.setenv("COMPAT_PORT", "8080")
    path = write(tmp_path, REALISTIC)
    _, dump = superv_load(path)
    assert dump["included"] == [str(tmp_path / "conf.d/a.conf")]
    assert dump["daemon"]["logfile"]["target"] == str(tmp_path / "supervisord.log")
    assert dump["daemon"]["pidfile"] == str(tmp_path / "supervisord.pid")


REFUSED = {
    "bad_boolean": "[program:a]\ncommand=x\nautostart=maybe\n",
    "numprocs_without_process_num": "[program:a]\ncommand=x\nnumprocs=2\n",
    "unknown_expansion": "[program:a]\ncommand=%(ENV_SUPERV_COMPAT_UNSET)s\n",
    "process_num_where_unknown": "[program:a]\ncommand=x\npriority=%(process_num)d\n",
    "bad_format": "[program:a]\ncommand=50%\n",
    "environment_without_comma": "[program:a]\ncommand=x\nenvironment=A=1 B=2\n",
    "killasgroup_contradiction": "[program:a]\ncommand=x\nstopasgroup=true\nkillasgroup=false\n",
    "group_of_nothing": "[group:g]\nprograms=nope\n",
    "no_command": "[program:a]\nautostart=true\n",
    "inet_without_port": "[inet_http_server]\nusername=u\npassword=p\n",
    "half_credentials": "[unix_http_server]\nfile=/tmp/x.sock\nusername=u\n",
    "exit_code_range": "[program:a]\ncommand=x\nexitcodes=0,256\n",
    "float_seconds": "[program:a]\ncommand=x\nstartsecs=1.5\n",
    "include_without_files": "[include]\n",
    "log_in_missing_dir": "[program:a]\ncommand=x\nstdout_logfile=/no/such/dir/x.log\n",
    "bad_umask": "[program:a]\ncommand=x\numask=9\n",
    "name_with_space": "[program:a]\ncommand=x\nprocess_name=a b\n",
    "unparsable_line": "[program:a]\ncommand=x\ngarbage\n",
    "bad_signal": "[program:a]\ncommand=x\nstopsignal=NOPE\n",
    "bad_size": "[program:a]\ncommand=x\nstdout_logfile_maxbytes=5B\n",
    "unknown_user": "[program:a]\ncommand=x\nuser=superv_compat_no_such_user\n",
    "bad_loglevel": "[supervisord]\nloglevel=warning\n",
    "unclosed_quote_in_environment": "[program:a]\ncommand=x\nenvironment=A=\"1\n",
}


@pytest.mark.parametrize("name", sorted(REFUSED))
def test_superv_refuses_what_supervisord_refuses(tmp_path, name):
    text = REFUSED[name]
    if not text.startswith("[supervisord]"):
        text = "[supervisord]\n" + text
    path = tmp_path / "supervisord.conf"
    path.write_text(text)
    with pytest.raises(ValueError):
        supervisord_load(path)
    r, _ = superv_load(path)
    assert r.returncode == 2, r.stdout
    assert r.stderr.startswith(f"{path}:"), r.stderr


def test_check_prints_warnings_and_still_passes(tmp_path):
    cfg = tmp_path / "supervisord.conf"
    cfg.write_text("[supervisord]\n[program:a]\ncommand=/bin/true\nstopwaitsec=3\n")
    r = run_cli("check", "-c", str(cfg))
    assert r.returncode == 0, r.stderr
    assert "supervisord format" in r.stdout
    assert r.stderr.splitlines() == [
        f'{cfg}:4:1: warning: unknown option "stopwaitsec" in [program:a] '
        '(did you mean "stopwaitsecs"?); ignored, as supervisord ignores it']


def test_check_reports_every_error_of_a_supervisord_conf(tmp_path):
    cfg = tmp_path / "supervisord.conf"
    cfg.write_text("[supervisord]\n[program:a]\ncommand=/bin/true\nstartsecs=soon\n"
                   "[eventlistener:e]\ncommand=/bin/true\nevents=TICK_5\n")
    r = run_cli("check", "-c", str(cfg))
    assert r.returncode == 2
    lines = r.stderr.strip().splitlines()
    assert len(lines) == 2, r.stderr
    assert lines[0].startswith(f"{cfg}:4:11: ") and "startsecs" in lines[0]
    assert lines[1].startswith(f"{cfg}:5:1: ") and "event listeners" in lines[1]
