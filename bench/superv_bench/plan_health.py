"""The scenario of health checks (issue 16). Its figures are in section "health" (a table of
their own in RESULTS.md). supervisord has no health checks: it is beside superv where it has the
operation (the same programs idle, unchecked: the floor rows), and its cell says so elsewhere."""

from .figures import PEER_LABELS, SUPERV_KEYS, Figure
from .measure import median, percentile
from .report import fmt, fmt_ratio
from .scenarios import footprint, health, platform

SECTION = "health"
# Targets of issue 16: under 2 % of one CPU; a failed check to the restart's SIGTERM <= 1 ms.
CPU_SHARE = 0.02
TERM_MS = 1.0
NO_CHECKS = "no health checks"


def _cpu_target(idle_s):
    return CPU_SHARE * idle_s * 1000  # ms of CPU time over idle_s


class HealthScenarios:
    """Part of plan.Run: uses its ctx, settings, superv_peers, platform, _scenario, _measured
    and _done."""

    def measure_health(self):
        s = self.settings
        self.measure_checked_idle("tcp", s.health_size)
        self.measure_checked_idle("http", s.health_http_size)
        self.measure_unhealthy_restart()

    def measure_checked_idle(self, kind, n):
        s = self.settings
        idle_s, every = s.idle_s, s.health_interval_s
        name = kind.upper()
        self._scenario(f"health: {n} programs, a {name} check each every {every:g} s, and "
                       f"unchecked; {idle_s:g} s read")
        what = f"{n} programs, each checked by {name} every {every:g} s"
        cpu = Figure(f"health.{kind}.{n}.cpu", f"CPU time in {idle_s:g} s, {what}", "ms",
                     target=_cpu_target(idle_s), section=SECTION)
        cpu_floor = Figure(f"health.{kind}.{n}.floor.cpu", f"CPU time in {idle_s:g} s, the same "
                           f"{n} programs without checks (floor)", "ms", section=SECTION)
        switches = Figure(f"health.{kind}.{n}.switches", f"wake-ups in {idle_s:g} s, {what} "
                          f"(expected about {n / every * idle_s:g})", "", section=SECTION)
        switches_floor = Figure(f"health.{kind}.{n}.floor.switches", f"wake-ups in {idle_s:g} s, "
                                f"the same {n} programs without checks (floor)", "", target=0,
                                section=SECTION)
        if kind == "tcp":
            self.measure_connect_floor(n * 2)
        for peer in self._measured("reload", n, (cpu_floor, switches_floor), factor=2.0):
            # The floor first, then the same programs checked, one daemon after the other.
            floor = footprint.footprint(self.ctx, peer, n, idle_s, s.settle_s)
            cpu_floor.add(peer.key, floor["cpu_ms"])
            switches_floor.add(peer.key, floor["switches"])
            if peer not in self.superv_peers:
                continue
            out = health.checked_idle(self.ctx, peer, n, kind, every, s.health_timeout_s,
                                      idle_s, s.settle_s)
            cpu.add(peer.key, out["cpu_ms"])
            switches.add(peer.key, out["switches"])
            cpu.extra[peer.key] = {
                "share of one CPU (%)": out["cpu_ms"] / (idle_s * 10),
                "per check (us)": out["cpu_ms"] * 1000 / max(out["checks"], 1),
                f"the {name} server's CPU, not superv's (ms)": out["server_cpu_ms"]}
            switches.extra[peer.key] = {
                "checks made (health.checks, status just before and after)": out["checks"],
                "wake-ups per check": out["switches"] / max(out["checks"], 1),
                "threads": out["threads"],
                "median last check latency (ms)": out["latency_ms"],
                f"the {name} server's wake-ups": out["server_switches"]}
        cpu.notes["supervisord"] = switches.notes["supervisord"] = NO_CHECKS
        self._done(cpu, cpu_floor, switches, switches_floor)

    def measure_connect_floor(self, k):
        """The kernel's part of a TCP check: k loopback connects at 1000 a second, no
        supervisor, against the server the checks use."""
        with health.Server(self.ctx, "tcp") as server:
            per_ns, failed = platform.connect_floor(self.ctx, k, server.port)
        if failed:
            raise RuntimeError(f"platform: {failed} of {k} loopback connects failed")
        self.platform["health_connect_cpu_us"] = {"connects": k, "cpu_us": per_ns / 1000}
        self.ctx.log(f"  platform: a loopback connect and close, 1000 a second: "
                     f"{per_ns / 1000:.1f} us of CPU each")

    def measure_unhealthy_restart(self):
        s = self.settings
        rounds, every, timeout = s.health_rounds, s.health_fail_interval_s, s.health_fail_timeout_s
        self._scenario(f"health: a failed exec check (retries = 1) to the restart's SIGTERM, "
                       f"{rounds} rounds")
        # The platform's own exit-to-pidfd, right before: what noticing any exit costs here.
        floor = platform.respawn_floor(self.ctx, rounds)
        self.platform["health_exit_seen_ms"] = [r[0] for r in floor]
        self.ctx.log(f"  platform: SIGKILL to the exit seen on a pidfd, median "
                     f"{median([r[0] for r in floor]):.3f} ms")
        title = (f"failed exec check (retries = 1, interval {every:g} s) to the restart's "
                 "SIGTERM")
        med = Figure("health.term.median", f"{title}, median", "ms", target=TERM_MS,
                     section=SECTION)
        p99 = Figure("health.term.p99", f"{title}, p99", "ms", stat="p99", section=SECTION)
        for peer in self.superv_peers:
            samples = health.unhealthy_to_term(self.ctx, peer, rounds, every, timeout)
            med.samples[peer.key] = p99.samples[peer.key] = samples
        med.notes["supervisord"] = p99.notes["supervisord"] = NO_CHECKS
        self._done(med, p99)


def health_notes(record):
    """The lines under the section's table: each checked reading against its floor (same run),
    and the platform floor beside the failed check to SIGTERM."""
    figs = {f.key: f for f in record["figures"]}
    lines = []
    for fig in record["figures"]:
        if fig.section != SECTION or not fig.key.endswith(".cpu") or ".floor." in fig.key:
            continue
        base = fig.key[:-len(".cpu")]
        floor_cpu, switches = figs.get(base + ".floor.cpu"), figs.get(base + ".switches")
        floor_switches = figs.get(base + ".floor.switches")
        parts = []
        for k in SUPERV_KEYS:
            mine, bare = fig.value(k), floor_cpu.value(k) if floor_cpu else None
            if mine is None or bare is None:
                continue
            times = f", {fmt_ratio(mine / bare)}" if bare else ""  # no ratio to a floor of 0
            text = (f"{PEER_LABELS[k]} {fmt(mine, 'ms')} against {fmt(bare, 'ms')} "
                    f"({mine - bare:+.2f} ms{times})")
            if switches and floor_switches and switches.value(k) is not None:
                text += (f", wake-ups {fmt(switches.value(k), '')} against "
                         f"{fmt(floor_switches.value(k), '')}")
            parts.append(text)
        if parts:
            title = fig.title.split(", ", 1)[1]
            lines.append(f"- {title}, against the same programs without checks (same run, "
                         f"median): " + "; ".join(parts))
    connect = record["platform"].get("health_connect_cpu_us")
    tcp = next((f for f in record["figures"] if f.key.startswith("health.tcp.")
                and f.key.endswith(".cpu") and ".floor." not in f.key), None)
    if connect and tcp is not None:
        checks = {k: tcp.extra.get(k, {}).get("per check (us)") for k in SUPERV_KEYS}
        mine = ", ".join(f"{PEER_LABELS[k]} {v:.1f} us, {fmt_ratio(v / connect['cpu_us'])} "
                         "the floor" for k, v in checks.items() if v is not None)
        lines.append(f"- platform floor, same run, no supervisor: a non-blocking connect to "
                     f"127.0.0.1, poll until writable, close, 1000 a second "
                     f"({connect['connects']} connects): {connect['cpu_us']:.1f} us of CPU each, "
                     f"at 1000 a second {connect['cpu_us'] / 10:.2f} % of one CPU: the kernel's "
                     f"part of a TCP check, against the target of {CPU_SHARE * 100:g} %"
                     + (f" (superv's CPU per check: {mine})" if mine else ""))
    floor = record["platform"].get("health_exit_seen_ms")
    term = figs.get("health.term.median")
    if floor and term is not None:
        parts = [f"{k} {term.value(k):.3f} ms" for k in SUPERV_KEYS if term.value(k) is not None]
        mine = " (failed check to SIGTERM, median: " + ", ".join(parts) + ")" if parts else ""
        lines.append(f"- platform floor, same run, no supervisor: SIGKILL to the exit seen on a "
                     f"pidfd, median {median(floor):.3f} ms, p99 {percentile(floor, 99):.3f} ms "
                     f"({len(floor)} rounds): part of what a failed exec check's exit and its "
                     f"notification cost before any supervisor acts{mine}")
    return lines
