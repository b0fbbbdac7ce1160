#!/usr/bin/python3
"""Experiment: where an init's (or a daemon's) resident memory goes, mapping by mapping.

Reads /proc/PID/smaps and prints, per mapping (file and permissions, or [heap], [stack], an
anonymous mapping, the io_uring rings), its Size, Rss, Pss, Anonymous and Private_Dirty in KiB,
and the totals. Either of an existing process, or of an init started the way the init scenario
starts one (PID 1 of a fresh PID namespace, its program `/usr/bin/sleep 1000`):

    bench/experiments/smaps_breakdown.py --pid PID
    bench/experiments/smaps_breakdown.py [--settle S] -- INIT [ARG...]   # e.g. -- superv daemon --
    bench/experiments/smaps_breakdown.py -- /usr/bin/tini --

The second form compiles helper/initprobe.c (the launcher) into a temporary directory.
"""

import argparse
import os
import subprocess
import sys
import tempfile

sys.path.insert(0, os.path.dirname(os.path.dirname(os.path.abspath(__file__))))

from superv_bench.scenarios.init import SLEEP, running_init  # noqa: E402
from superv_bench.system import BENCH_DIR  # noqa: E402

FIELDS = ("Size", "Rss", "Pss", "Anonymous", "Private_Dirty")


def mappings(pid):
    """[(name, perms, {field: KiB})] of /proc/PID/smaps."""
    out = []
    with open(f"/proc/{pid}/smaps") as f:
        for line in f:
            head = line.split()
            if "-" in head[0] and len(head) >= 5 and not head[0].endswith(":"):
                name = head[5] if len(head) > 5 else "[anonymous]"
                out.append((name, head[1], {}))
            elif len(head) == 3 and head[2] == "kB":
                out[-1][2][head[0].rstrip(":")] = int(head[1])
    return out


def report(pid):
    rows = mappings(pid)
    print(f"{'mapping':60} {'perm':4} " + " ".join(f"{k:>13}" for k in FIELDS))
    totals = dict.fromkeys(FIELDS, 0)
    for name, perms, values in rows:
        if not values.get("Rss"):
            continue
        print(f"{name[-60:]:60} {perms:4} " + " ".join(f"{values.get(k, 0):13}" for k in FIELDS))
        for k in FIELDS:
            totals[k] += values.get(k, 0)
    print(f"{'total':60} {'':4} " + " ".join(f"{totals[k]:13}" for k in FIELDS))


def main(argv):
    p = argparse.ArgumentParser(description=__doc__.splitlines()[1])
    p.add_argument("--pid", type=int, help="an existing process")
    p.add_argument("--settle", type=float, default=1.0,
                   help="seconds from sleep's exec to the reading (default 1)")
    p.add_argument("init", nargs="*", help="the init's argv before its program")
    args = p.parse_args(argv)
    if args.pid:
        report(args.pid)
        return 0
    if not args.init:
        p.error("give --pid or an init's command line after --")
    with tempfile.TemporaryDirectory(prefix="smaps-") as work:
        probe = os.path.join(work, "initprobe")
        subprocess.run(["cc", "-O2", "-static", "-o", probe,
                        os.path.join(BENCH_DIR, "helper", "initprobe.c")], check=True)
        with running_init(work, probe, args.init, [SLEEP, "1000"], args.settle) as pid:
            report(pid)
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
