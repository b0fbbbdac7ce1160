"""bench/run: measure superv and supervisord in the same run, print and record the figures."""

import argparse
import datetime
import os
import resource
import shlex
import shutil
import signal
import sys
import tempfile
import time

from . import plan, system
from .figures import SUPERV_KEYS
from .peers import SupervPeer
from .report import console_line
from .session import Context


def parse_args(argv):
    p = argparse.ArgumentParser(
        prog="bench/run",
        description="Benchmarks superv against supervisord (Debian's 4.2.5) in one run: reload "
                    "of programs that need 3 s to stop, its scaling, start/stop all, idle cost, "
                    "memory, crash-to-respawn latency, SIGKILL escalation accuracy; and, both "
                    "serving supervisord's XML-RPC interface, the real supervisorctl's reload and "
                    "status, getAllProcessInfo latency and the footprint with the listener; and superv "
                    "as PID 1 of a PID namespace beside tini, tini-static and dumb-init: exec to "
                    "its program's first instruction, RSS and PSS; and the start order: a "
                    "dependency's READY=1 to its dependent's spawn, ordered and mixed-speed "
                    "reloads, idle with readiness, a graph of 1000 programs; and health checks: "
                    "the CPU time and wake-ups of 1000 TCP and of 100 HTTP checks every second "
                    "beside the same programs unchecked, a failed check to the restart's "
                    "SIGTERM.")
    p.add_argument("--superv", metavar="PATH", help="superv binary (default: build one)")
    p.add_argument("--superv-default", metavar="PATH",
                   help="superv's default build, measured as an init beside the lean one "
                        "(scenario init; default: built in BUILD_DIR-default unless --superv "
                        "is given)")
    p.add_argument("--build-dir", metavar="DIR",
                   default=os.path.join(tempfile.gettempdir(), "superv-bench-build"),
                   help="where to build superv when --superv is not given (default: %(default)s)")
    p.add_argument("--rev", metavar="REV",
                   help="build this git revision (exported with git archive) instead of the "
                        "working tree")
    p.add_argument("--backend", choices=["uring", "epoll", "both"], default="both",
                   help="superv event-loop backend(s) to measure (default: both)")
    p.add_argument("--quick", action="store_true",
                   help="a short smoke run: N=10, 1 s stops, one repetition, no slow case; "
                        "writes no result files unless asked")
    p.add_argument("--skip-slow", action="store_true",
                   help="skip supervisord's reload without a group (about 95 s)")
    p.add_argument("--reps", type=int, help="repetitions of reloads and start/stop (default 3)")
    p.add_argument("--only", metavar="NAME[,NAME...]", type=_scenarios,
                   help="measure only these scenarios, of: " + ", ".join(plan.SCENARIOS) + "; "
                        "their figures replace those of the same name in the existing "
                        "results.json (or are added), marked with this run's command, date and "
                        "load; everything else in it is kept")
    p.add_argument("--results", metavar="FILE",
                   help="RESULTS.md to update (default: bench/RESULTS.md; none with --quick)")
    p.add_argument("--json", metavar="FILE",
                   help="raw samples (default: bench/results.json; none with --quick)")
    p.add_argument("--plot", metavar="FILE",
                   help="the PNG plot (default: bench/reload-scaling.png; none with --quick)")
    p.add_argument("--report-only", metavar="JSON",
                   help="measure nothing: rewrite RESULTS.md and the plot from a results.json")
    p.add_argument("--no-install", action="store_true", help="do not apt-get install anything")
    p.add_argument("--keep", action="store_true", help="keep the work directory (logs, configs)")
    return p.parse_args(argv)


def _scenarios(text):
    names = [n.strip() for n in text.split(",") if n.strip()]
    unknown = [n for n in names if n not in plan.SCENARIOS]
    if unknown or not names:
        raise argparse.ArgumentTypeError(f"unknown scenario {', '.join(unknown) or text!r}; "
                                         f"choose from {', '.join(plan.SCENARIOS)}")
    return names


def outputs(args):
    """(results.md, results.json, plot.png), each None when not wanted."""
    here = system.BENCH_DIR
    if args.quick:
        return args.results, args.json, args.plot
    # A run of some scenarios leaves the plot of the reloads alone unless it measured them.
    replot = not args.only or "reload" in args.only
    return (args.results or os.path.join(here, "RESULTS.md"),
            args.json or os.path.join(here, "results.json"),
            args.plot or (os.path.join(here, "reload-scaling.png") if replot else None))


def log(message):
    print(message, flush=True)


def write_outputs(record, md_path, json_path, plot_path):
    from . import results
    if json_path:
        results.save_json(json_path, record)
        log(f"raw samples: {json_path}")
    plot_name = "(no plot)"
    if plot_path and not system.have_matplotlib():  # --report-only or --no-install
        log(f"matplotlib is missing: {plot_path} is not redrawn")
        plot_path = None
    if md_path and not plot_path:  # not redrawn: the one already beside RESULTS.md, if any
        kept = os.path.join(os.path.dirname(os.path.abspath(md_path)), "reload-scaling.png")
        plot_name = os.path.basename(kept) if os.path.exists(kept) else plot_name
    if plot_path:
        from .plot import plot_reload
        if plot_reload(record, plot_path):
            log(f"plot: {plot_path}")
        if md_path:
            plot_name = os.path.relpath(plot_path, os.path.dirname(os.path.abspath(md_path)))
    if md_path:
        results.write_results_md(md_path, record, plot_name)
        log(f"results: {md_path}")


def measure(args, command):
    settings = plan.quick_settings() if args.quick else plan.full_settings(args.skip_slow)
    if args.skip_slow:
        settings.skip_slow = True
    if args.reps:
        settings.reps = args.reps
    if not args.no_install:
        system.ensure_packages(log)
    if args.superv:
        binary, source = os.path.abspath(args.superv), f"binary {args.superv} (given)"
    else:
        binary, source = system.build_superv(args.build_dir, args.rev, log)
    keys = list(SUPERV_KEYS) if args.backend == "both" else [args.backend]
    init_binaries, default_source = {"lean": binary}, None
    if "init" in (args.only or plan.SCENARIOS):
        if args.superv_default:
            init_binaries["default"] = os.path.abspath(args.superv_default)
            default_source = f"binary {args.superv_default} (given)"
        elif not args.superv:
            init_binaries["default"], default_source = system.build_superv(
                args.build_dir + "-default", args.rev, log, lean=False)
    workroot = tempfile.mkdtemp(prefix="superv-bench-")
    started = time.monotonic()
    try:
        helper, floor, probe = system.compile_tools(workroot)
        check, serve = system.compile_health_tools(workroot)
        ctx = Context(helper=helper, floor=floor, workroot=workroot, log=log, probe=probe,
                      check=check, serve=serve)
        run = plan.Run(ctx, [SupervPeer(binary, k) for k in keys], settings,
                       on_figure=lambda f: log(">> " + console_line(f, keys)), only=args.only,
                       init_binaries=init_binaries)
        figures = run.run()
    finally:
        if args.keep:
            log(f"work directory kept: {workroot}")
        else:
            shutil.rmtree(workroot, ignore_errors=True)
    return {
        "command": command,
        "date": datetime.datetime.now().isoformat(timespec="seconds"),
        "duration_s": time.monotonic() - started,
        "machine": system.describe_machine(binary, source, default_source),
        "superv_keys": keys,
        "reload_delay_ms": settings.reload_delay_ms,
        "figures": figures,
        "platform": run.platform,
        "load": run.load,
    }


def _interrupt(signum, frame):
    raise KeyboardInterrupt


def main(argv):
    args = parse_args(argv)
    command = "bench/run" + ("" if not argv else " " + shlex.join(argv))
    # A SIGTERM unwinds like Ctrl-C, so every daemon and helper is still cleaned up.
    signal.signal(signal.SIGTERM, _interrupt)
    soft, hard = resource.getrlimit(resource.RLIMIT_NOFILE)
    resource.setrlimit(resource.RLIMIT_NOFILE, (hard, hard))  # a pidfd per helper
    md_path, json_path, plot_path = outputs(args)
    if args.report_only:
        from .results import load_json
        record = load_json(args.report_only)
        write_outputs(record, md_path, None, plot_path)
        return 0
    record = measure(args, command)
    log("")
    for fig in record["figures"]:
        log(console_line(fig, record["superv_keys"]))
    if args.only and json_path and os.path.exists(json_path):
        from .results import load_json, merge
        record = merge(load_json(json_path), record)
        log(f"figures merged into the record of {json_path}")
    write_outputs(record, md_path, json_path, plot_path)
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
