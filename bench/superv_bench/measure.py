"""Readings from /proc and the statistics the report uses."""

import os
import statistics
import time
from dataclasses import dataclass

CLOCK_TICKS = os.sysconf("SC_CLK_TCK")


@dataclass
class ProcSample:
    when: float  # monotonic seconds
    voluntary: int  # context switches, summed over every thread
    nonvoluntary: int
    main_voluntary: int  # the main thread's alone (what /proc/PID/status shows)
    main_nonvoluntary: int
    cpu_s: float  # time on a CPU of every thread, user and kernel (schedstat: ns resolution)
    stat_cpu_s: float  # utime + stime from /proc/PID/stat (clock ticks: 10 ms resolution)
    threads: int


def _status_fields(path):
    fields = {}
    with open(path) as f:
        for line in f:
            key, _, value = line.partition(":")
            fields[key] = value.strip()
    return fields


def cpu_seconds(pid):
    with open(f"/proc/{pid}/stat") as f:
        stat = f.read()
    # Fields after the command (which may contain spaces) start after the last ')'.
    rest = stat[stat.rindex(")") + 2:].split()
    utime, stime = int(rest[11]), int(rest[12])  # fields 14 and 15 of proc(5)
    return (utime + stime) / CLOCK_TICKS


def _run_ns(pid, tid):
    """Time the thread spent on a CPU (first field of schedstat), in ns."""
    with open(f"/proc/{pid}/task/{tid}/schedstat") as f:
        return int(f.read().split()[0])


def sample(pid):
    voluntary = nonvoluntary = run_ns = 0
    tids = os.listdir(f"/proc/{pid}/task")
    for tid in tids:
        try:
            f = _status_fields(f"/proc/{pid}/task/{tid}/status")
            run_ns += _run_ns(pid, tid)
        except FileNotFoundError:
            continue  # a thread that just ended
        voluntary += int(f["voluntary_ctxt_switches"])
        nonvoluntary += int(f["nonvoluntary_ctxt_switches"])
    main = _status_fields(f"/proc/{pid}/status")
    return ProcSample(time.monotonic(), voluntary, nonvoluntary,
                      int(main["voluntary_ctxt_switches"]),
                      int(main["nonvoluntary_ctxt_switches"]), run_ns / 1e9, cpu_seconds(pid),
                      len(tids))


def memory_kib(pid):
    """VmRSS and RssAnon of a process, in KiB."""
    f = _status_fields(f"/proc/{pid}/status")
    return int(f["VmRSS"].split()[0]), int(f["RssAnon"].split()[0])


def loadavg():
    with open("/proc/loadavg") as f:
        return float(f.read().split()[0])


def median(values):
    return statistics.median(values) if values else None


def percentile(values, p):
    """Nearest-rank percentile (p in 0..100)."""
    if not values:
        return None
    ordered = sorted(values)
    rank = max(1, -(-len(ordered) * p // 100))  # ceil(n * p / 100)
    return ordered[int(rank) - 1]
