"""The config files the daemons and supervisorctl read: superv.toml, supervisord.conf, and a
supervisorctl config for a superv whose config is TOML.

Both supervisors get the same programs with the same options. A supervisord.conf is written the
same way for supervisord and for superv reading it (a drop-in for supervisord): only its paths
differ.
"""

import json
import os

# In a program's extra TOML lines (ProgramSet.superv_lines), replaced by the stamp fifo's path:
# a health check that stamps (helper/benchcheck.c) needs it.
STAMPS = "@STAMPS@"


def superv_toml(path, programs, helper, fifo, socket_path, http_socket=None):
    """superv.toml: the control socket, the HTTP listener when http_socket is given, and one
    [programs.NAME] per program (its extra lines with STAMPS replaced by the fifo's path)."""
    lines = ["[superv]", f"socket = {json.dumps(socket_path)}", ""]
    if http_socket:
        lines += ["[superv.http]", f"listen = [{json.dumps(http_socket)}]", ""]
    for name in programs.names:
        lines += [
            f"[programs.{name}]",
            f"command = {json.dumps(programs.command(helper, fifo, name))}",
            f"autostart = {json.dumps(programs.autostart)}",
            f"autorestart = {json.dumps('always' if programs.autorestart else 'never')}",
            f"startsecs = {programs.startsecs}",
            f"stopwaitsecs = {programs.stopwaitsecs}",
            *(line.replace(STAMPS, fifo) for line in programs.extra_superv_lines(name)),
            "",
        ]
    _write(path, lines)


def supervisord_conf(path, programs, helper, fifo, http_socket, group, workdir):
    """supervisord.conf: [unix_http_server] file = http_socket, the daemon in the foreground with
    its log, pid file and child logs in workdir, [supervisorctl] pointing at the socket, one
    [program:NAME] per program, and with `group` all of them in [group:GROUP]."""
    lines = [
        "[unix_http_server]",
        f"file = {http_socket}",
        "",
        "[supervisord]",
        "nodaemon = true",
        f"logfile = {os.path.join(workdir, 'supervisord-main.log')}",
        f"pidfile = {os.path.join(workdir, 'supervisord.pid')}",
        f"childlogdir = {workdir}",
        "minfds = 16384",
        "loglevel = info",
        "",
        "[rpcinterface:supervisor]",
        "supervisor.rpcinterface_factory = supervisor.rpcinterface:make_main_rpcinterface",
        "",
        "[supervisorctl]",
        f"serverurl = unix://{http_socket}",
        "",
    ]
    for name in programs.names:
        command = " ".join(programs.command(helper, fifo, name)).replace("%", "%%")
        lines += [
            f"[program:{name}]",
            f"command = {command}",
            f"autostart = {str(programs.autostart).lower()}",
            f"autorestart = {str(programs.autorestart).lower()}",
            f"startsecs = {programs.startsecs}",
            f"stopwaitsecs = {programs.stopwaitsecs}",
            "",
        ]
    if group:
        lines += [f"[group:{group}]", f"programs = {','.join(programs.names)}", ""]
    _write(path, lines)


def supervisorctl_conf(path, http_socket):
    """What `supervisorctl -c PATH` needs to reach a daemon on http_socket."""
    _write(path, ["[supervisorctl]", f"serverurl = unix://{http_socket}", ""])


def _write(path, lines):
    with open(path, "w") as f:
        f.write("\n".join(lines))
