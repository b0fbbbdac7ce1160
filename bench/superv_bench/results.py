"""The run's record: results.json (raw samples) and the generated part of RESULTS.md.

RESULTS.md has a generated block between two marker lines; everything outside it (the analysis
of what bounds each figure) is written by people and kept as it is when the block is replaced.
"""

import json
import os

from .figures import Figure
from .measure import median
from .plan_health import health_notes
from .plan_order import order_notes
from .report import (details_rows, figures_table, floor_rows, init_table, listener_rows,
                     nogroup_rows, platform_rows)

BEGIN = "<!-- bench/run: generated block begin -->"
END = "<!-- bench/run: generated block end -->"


def save_json(path, record):
    out = dict(record, figures=[f.to_json() for f in record["figures"]])
    with open(path, "w") as f:
        json.dump(out, f, indent=1)


def load_json(path):
    with open(path) as f:
        record = json.load(f)
    record["figures"] = [Figure.from_json(d) for d in record["figures"]]
    # JSON object keys are strings: sizes back to ints.
    serial = record["platform"].get("serial_spawn", {})
    record["platform"]["serial_spawn"] = {int(n): v for n, v in serial.items()}
    return record


def merge(base, partial):
    """base, a whole run's record, with the figures of a partial run (--only): each replaces the
    figure of the same key or is added at the end, and is marked as coming from that run, whose
    command, date, machine and load are kept in base["partial_runs"]."""
    runs = base.setdefault("partial_runs", [])
    runs.append({k: partial[k] for k in ("command", "date", "duration_s", "machine", "load")})
    index = {f.key: i for i, f in enumerate(base["figures"])}
    for fig in partial["figures"]:
        fig.run = len(runs)
        if fig.key in index:
            base["figures"][index[fig.key]] = fig
        else:
            base["figures"].append(fig)
    for name, value in partial["platform"].items():
        if isinstance(value, dict) and isinstance(base["platform"].get(name), dict):
            base["platform"][name].update(value)
        else:
            base["platform"][name] = value
    return base


def _partial_run_rows(record):
    used = {f.run for f in record["figures"]}
    same = ("cpu", "nproc", "ram_gib", "kernel", "os", "supervisord", "python")
    rows = []
    for i, run in enumerate(record.get("partial_runs", []), start=1):
        if i not in used:
            continue
        m = run["machine"]
        machine = ("same machine" if all(m[k] == record["machine"][k] for k in same) else
                   f"machine: {m['cpu']}, nproc {m['nproc']}, {m['ram_gib']} GiB RAM, kernel "
                   f"{m['kernel']}, {m['os']}, supervisord {m['supervisord']}")
        loads = ", ".join(f"{name} {load:.2f}" for name, load in run["load"])
        rows.append(f"- run {i + 1}, the figures marked [run {i + 1}]: `{run['command']}`, "
                    f"{run['date']}, {run['duration_s'] / 60:.1f} min, {machine}, superv from "
                    f"{m['superv_source']}; load average (1 min) at the start of each of its "
                    f"scenarios: {loads}")
    return rows


def _dropin_section(dropin, figures, keys):
    if not dropin:
        return []
    notes = [*nogroup_rows(dropin, keys), *listener_rows(figures, keys)]
    return ["## supervisord's interface: supervisorctl and XML-RPC", "",
            "Both daemons serve supervisord's XML-RPC interface on a unix socket and are driven "
            "by the real `/usr/bin/supervisorctl` or by xmlrpc.client from the runner.", "",
            figures_table(dropin, keys), "", *notes, *([""] if notes else [])]


def _table_section(record, keys, section, heading, intro, notes):
    """A section of RESULTS.md with a table of its own: its figures, then the lines of
    notes(record) under the table; nothing when the record has none of its figures."""
    figures = [f for f in record["figures"] if f.section == section]
    if not figures:
        return []
    lines = notes(record)
    return [heading, "", intro, "", figures_table(figures, keys), "", *lines,
            *([""] if lines else [])]


def _order_section(record, keys):
    return _table_section(
        record, keys, "order", "## Start order: depends_on and readiness",
        "A dependency's READY=1 to its dependent's spawn, reloads of programs in a chain and "
        "of fast programs beside a slow one, the idle cost of readiness, a graph of many "
        "programs. supervisord has no dependencies and no readiness: it is measured where it "
        "has the operation (a reload, an idle daemon, a start all), with all programs in one "
        "`[group:x]`.", order_notes)


def _health_section(record, keys):
    return _table_section(
        record, keys, "health", "## Health checks",
        "superv's CPU time and wake-ups (every thread) while it checks idle programs by TCP "
        "or HTTP, all against one server of the runner's (its cost, in the details, is not "
        "superv's), beside the same programs without checks (the floor), and a failed exec "
        "check to the restart's SIGTERM. supervisord has no health checks: it is measured on "
        "the floor rows only (the same programs, idle, all in one `[group:x]`).", health_notes)


def _init_section(record):
    inits = [f for f in record["figures"] if f.section == "init"]
    if not inits:
        return []
    # The machine of the run that measured them: the record's, or a later partial run's.
    runs = [record["machine"]] + [r["machine"] for r in record.get("partial_runs", [])]
    machine = runs[inits[0].run] if inits[0].run < len(runs) else record["machine"]
    versions = ", ".join(f"{name} {v}" for name, v in machine.get("inits", {}).items())
    default = machine.get("superv_default_source")
    return ["## superv as a container's init: tini and dumb-init", "",
            "Each init is PID 1 of a fresh PID and mount namespace (`unshare -p -f --mount-proc`, "
            "a tmpfs on /run), as in a container; `superv daemon -- CMD`, `tini -- CMD`, "
            "`dumb-init CMD` (Debian's packages: " + versions + "). Exec to its program's first "
            "instruction: a static probe reads CLOCK_MONOTONIC and execs the init, whose program "
            "(the probe, static) reads it first thing in main(); every init once per round, "
            "rounds after one unmeasured, the target being tini's median in the same run. The "
            "floors: an init that only posix_spawns and waits, and the program exec'd with no "
            "init. Memory: each init with `-- sleep 1000` (`/usr/bin/sleep`), "
            "/proc/PID/smaps_rollup once sleep runs and the init has settled; median of the "
            "instances. Ratio = tini's figure / superv's (below 1: superv is slower or bigger)."
            + (f" The default build is {default}." if default else ""), "",
            init_table(inits), ""]


def generated_block(record, plot_name):
    m = record["machine"]
    loads = [load for _, load in record["load"]]
    keys = record["superv_keys"]
    main = [f for f in record["figures"] if not f.section]
    dropin = [f for f in record["figures"] if f.section == "xmlrpc"]
    partial = _partial_run_rows(record)
    lines = [
        BEGIN,
        "## Run",
        "",
        f"- command: `{record['command']}`",
        f"- date: {record['date']}, duration {record['duration_s'] / 60:.1f} min",
        f"- machine: {m['cpu']}, {m['cores']} CPUs (nproc {m['nproc']}), {m['ram_gib']} GiB RAM, "
        f"kernel {m['kernel']}, {m['os']}",
        f"- superv {' '.join(m['superv'])} from {m['superv_source']}; "
        f"supervisord {m['supervisord']} (Debian), Python {m['python']}",
        f"- load average (1 min) at the start of each scenario: min {min(loads):.2f}, median "
        f"{median(loads):.2f}, max {max(loads):.2f} (other engineers build and test on the "
        "same 2 CPUs: compare ratios and medians, not single samples)",
        *(["", "Some figures come from later runs of only some scenarios (`--only`):", "",
           *partial] if partial else []),
        "",
        "## Figures",
        "",
        "Medians unless the stat column says otherwise; ratio = supervisord's figure / superv's "
        "(how many times superv is better). supervisord has all programs in one `[group:x]` "
        "(the known work-around) unless marked.",
        "",
        figures_table(main, keys),
        "",
        *nogroup_rows(main, keys),
        "",
        *_dropin_section(dropin, record["figures"], keys),
        *_init_section(record),
        *_order_section(record, keys),
        *_health_section(record, keys),
        "## Platform floor (same run, no supervisor)",
        "",
        "Measured next to what it bounds (right after superv's reloads of the same N; right "
        "before the respawns), since the load varies during a run.",
        "",
        *platform_rows(record["platform"]),
        "",
        "superv against the floor (medians):",
        "",
        *floor_rows(record),
        "",
        "## Details",
        "",
        *details_rows(record["figures"]),
        "",
        f"![reload time against number of programs]({plot_name})",
        "",
        "Load average per scenario: " + ", ".join(f"{name} {load:.2f}"
                                                  for name, load in record["load"]),
        END,
    ]
    return "\n".join(lines)


def write_results_md(path, record, plot_name):
    block = generated_block(record, plot_name)
    if os.path.exists(path):
        with open(path) as f:
            text = f.read()
        if BEGIN in text and END in text:
            head, rest = text.split(BEGIN, 1)
            _, tail = rest.split(END, 1)
            text = head + block + tail
        else:
            text = text.rstrip("\n") + "\n\n" + block + "\n"
    else:
        text = "# superv benchmarks: results\n\nMade by `bench/run` (see bench/README.md).\n\n" \
            + block + "\n"
    with open(path, "w") as f:
        f.write(text)
