"""What a run measures, in which order, and the figures it produces."""

import os
import time
from dataclasses import dataclass

from .figures import Figure
from .measure import loadavg
from .peers import SupervisordPeer
from .plan_dropin import DropInScenarios
from .plan_health import HealthScenarios
from .plan_init import InitScenarios
from .plan_order import OrderScenarios
from .scenarios import footprint, platform, reaction, reload, startstop

# The scenarios in the order a run measures them (`--only` picks some).
SCENARIOS = ("reload", "startstop", "footprint", "reaction", "supervisorctl-reload",
             "status-latency", "http-rss", "init", "order", "health")


@dataclass
class Settings:
    sizes: list  # N for reload and start/stop scaling
    reload_delay_ms: int  # what each program needs after SIGTERM
    reps: int  # repetitions of reloads and start/stop
    crashes: int  # respawn samples
    supervisord_crashes: int  # fewer: each takes supervisord about a second
    escalations: int  # SIGKILL escalation samples
    idle_s: float
    rss_sizes: list
    skip_slow: bool  # supervisord reload without a group (about N x delay)
    budget_s: float  # a supervisord measurement predicted to take longer is skipped
    settle_s: float  # after all RUNNING, before memory and idle readings
    ctl_reload_size: int  # N of the reload through supervisorctl
    status_size: int  # N of the status latencies
    command_calls: int  # samples of each status command (supervisorctl, superv)
    rpc_calls: int  # samples of each status request from the runner
    http_rss_size: int  # N of the footprint with the XML-RPC listener
    http_rounds: int  # rounds of supervisorctl status's calls before that reading
    http_rss_reps: int  # daemons read, with the listener (and superv's without it)
    init_samples: int  # rounds of exec-to-first-instruction, every init once in each
    init_memory_reps: int  # instances of each init read with `-- sleep 1000`
    init_settle_s: float  # from sleep's exec to that reading
    order_rounds: int  # READY=1-to-spawn samples (restarts of the dependency)
    order_idle_size: int  # programs with readiness in the idle reading
    order_graph_size: int  # programs of the dependency graph
    order_graph_chains: int  # its chains
    order_graph_fan: int  # the width of each of its diamond's two levels
    order_check_runs: int  # `superv check` runs on each config
    health_size: int  # programs checked by TCP in the idle reading
    health_http_size: int  # programs checked by HTTP in the idle reading
    health_interval_s: float  # their checks' interval
    health_timeout_s: float  # and timeout
    health_rounds: int  # restarts on unhealthy (failed check to SIGTERM samples)
    health_fail_interval_s: float  # the failing exec check's interval
    health_fail_timeout_s: float  # and timeout


def full_settings(skip_slow):
    return Settings(sizes=[30, 100, 300, 1000], reload_delay_ms=3000, reps=3, crashes=200,
                    supervisord_crashes=50, escalations=5, idle_s=10.0, rss_sizes=[100, 1000],
                    skip_slow=skip_slow, budget_s=180.0, settle_s=2.0, ctl_reload_size=30,
                    status_size=1000, command_calls=20, rpc_calls=50, http_rss_size=100,
                    http_rounds=5, http_rss_reps=3, init_samples=50, init_memory_reps=3,
                    init_settle_s=1.0, order_rounds=100, order_idle_size=100,
                    order_graph_size=1000, order_graph_chains=10, order_graph_fan=50,
                    order_check_runs=10, health_size=1000, health_http_size=100,
                    health_interval_s=1.0, health_timeout_s=0.5, health_rounds=50,
                    health_fail_interval_s=0.2, health_fail_timeout_s=0.1)


def quick_settings():
    return Settings(sizes=[10], reload_delay_ms=1000, reps=1, crashes=20,
                    supervisord_crashes=3, escalations=1, idle_s=1.0, rss_sizes=[10],
                    skip_slow=True, budget_s=20.0, settle_s=0.5, ctl_reload_size=10,
                    status_size=20, command_calls=3, rpc_calls=5, http_rss_size=10,
                    http_rounds=2, http_rss_reps=1, init_samples=10, init_memory_reps=1,
                    init_settle_s=0.5, order_rounds=10, order_idle_size=12, order_graph_size=100,
                    order_graph_chains=4, order_graph_fan=10, order_check_runs=3,
                    health_size=20, health_http_size=10, health_interval_s=1.0,
                    health_timeout_s=0.5, health_rounds=10, health_fail_interval_s=0.2,
                    health_fail_timeout_s=0.1)


class Budget:
    """Predicts how long one supervisord repetition at size n takes, from its last measured size
    (linear in n), and decides how many repetitions fit (none: skipped)."""

    def __init__(self, limit_s):
        self.limit_s = limit_s
        self.last = {}  # what -> (n, seconds one repetition took)

    def predict(self, what, n):
        if what not in self.last:
            return None
        last_n, took = self.last[what]
        return took * n / last_n

    def reps(self, what, n, wanted, factor=1.0):
        """Repetitions that fit; `factor` widens the budget for a one-off measurement."""
        predicted = self.predict(what, n)
        if predicted is None:
            return wanted
        if predicted > self.limit_s * factor:
            return 0
        return max(1, min(wanted, int(self.limit_s // max(predicted, 1e-3))))

    def record(self, what, n, seconds):
        self.last[what] = (n, seconds)

    def note(self, what, n, factor=1.0):
        last_n, _ = self.last[what]
        return (f"skipped: one repetition predicted to take {self.predict(what, n):.0f} s "
                f"(from N={last_n}) > budget {self.limit_s * factor:.0f} s")


class Run(DropInScenarios, InitScenarios, OrderScenarios, HealthScenarios):
    def __init__(self, ctx, superv_peers, settings, on_figure, only=None, init_binaries=None):
        self.ctx = ctx
        # superv as an init: {"default": the default build, "lean": the lean build}, either
        # None when not measured.
        self.init_binaries = init_binaries or {}
        self.only = only or SCENARIOS
        self.superv_peers = superv_peers
        self.settings = settings
        self.on_figure = on_figure  # called with each finished figure
        self.figures = []
        self.platform = {}
        self.load = []
        self.budget = Budget(settings.budget_s)
        self.group_peer = SupervisordPeer(group=True)
        self.started = time.monotonic()

    def _scenario(self, name):
        self.load.append((name, loadavg()))
        elapsed = time.monotonic() - self.started
        self.ctx.log(f"== [{elapsed:5.1f} s] {name} (load {self.load[-1][1]:.2f})")

    def _done(self, *figures):
        for f in figures:
            self.figures.append(f)
            self.on_figure(f)

    def _peers(self, what, n, reps=1, factor=1.0):
        """(peer, repetitions): the superv peers, then supervisord with as many repetitions as
        the budget allows; (None, why) when it allows none."""
        for peer in self.superv_peers:
            yield peer, reps
        allowed = self.budget.reps(what, n, reps, factor)
        if allowed:
            yield self.group_peer, allowed
        else:
            yield None, self.budget.note(what, n, factor)

    def _measured(self, what, n, figures, factor=1.0):
        """The peers of _peers(what, n, 1, factor) that are measured: when the budget allows
        supervisord none, each of figures gets the reason in its supervisord cell."""
        for peer, why in self._peers(what, n, factor=factor):
            if peer is not None:
                yield peer
                continue
            for f in figures:
                f.notes["supervisord"] = why

    def run(self):
        s = self.settings
        steps = {
            "reload": lambda: [self.measure_reload(n) for n in s.sizes],
            "startstop": lambda: [self.measure_start_stop(n) for n in s.sizes],
            "footprint": self.measure_footprint,
            "reaction": self.measure_reaction,
            "supervisorctl-reload": self.measure_supervisorctl_reload,
            "status-latency": self.measure_status_latency,
            "http-rss": self.measure_http_footprint,
            "init": self.measure_init,
            "order": self.measure_order,
            "health": self.measure_health,
        }
        for name in SCENARIOS:
            if name in self.only:
                steps[name]()
        return self.figures

    # -- the machine's own floor, measured next to what it bounds (the load varies) ------------

    def measure_spawn_floor(self, n):
        cpus = os.cpu_count() or 1
        spawned, started, reaped = platform.spawn_batch_floor(self.ctx, n)
        parallel = platform.parallel_spawn_floor(self.ctx, n, cpus) if cpus > 1 else started
        self.platform.setdefault("serial_spawn", {})[n] = {
            "spawned_s": spawned, "all_started_s": started, "parallel_started_s": parallel,
            "spawners": cpus, "killed_reaped_s": reaped}
        self.ctx.log(f"  platform: {n} serial posix_spawn {spawned:.3f} s, all in main() "
                     f"{started:.3f} s; {cpus} spawners in parallel: {parallel:.3f} s; "
                     f"SIGKILL all and reap {reaped:.3f} s")

    def measure_respawn_floor(self):
        rounds = platform.respawn_floor(self.ctx, self.settings.crashes)
        self.platform["exit_seen_ms"] = [r[0] for r in rounds]
        self.platform["spawn_to_main_ms"] = [r[1] for r in rounds]
        self.platform["respawn_floor_ms"] = [r[0] + r[1] for r in rounds]

    # -- scenarios ---------------------------------------------------------------------------

    def measure_reload(self, n):
        s = self.settings
        delay = s.reload_delay_ms
        self._scenario(f"reload, N={n}, {delay / 1000:g} s stop each")
        target = {30: 3.05, 1000: 3.5}.get(n) if delay == 3000 else None
        fig = Figure(f"reload.{n}", f"reload {n} x {delay / 1000:g} s", "s", target=target)
        self.reload_figure(fig, n, with_nogroup=n == s.sizes[0], floor=True)

    def reload_figure(self, fig, n, with_nogroup, floor=False, via_supervisorctl=False):
        """Every peer's reloads of n programs into fig; supervisord without a group too (one
        repetition, unless --skip-slow) when with_nogroup; the spawn floor right after superv's
        reloads when floor."""
        s = self.settings
        delay = s.reload_delay_ms
        for peer, reps in self._peers("reload", n, s.reps):
            if floor and (peer is None or peer is self.group_peer):
                self.measure_spawn_floor(n)  # right after superv's reloads
            if peer is None:
                fig.notes["supervisord"] = reps
                continue
            samples, details = reload.reloads(self.ctx, peer, n, delay, reps, via_supervisorctl)
            if peer is self.group_peer:
                self.budget.record("reload", n, max(samples))
                details["repetitions"] = reps
            fig.samples[peer.key] = samples
            fig.extra[peer.key] = details
        if with_nogroup:
            nogroup = SupervisordPeer(group=False)
            if s.skip_slow:
                fig.notes[nogroup.key] = "skipped (--skip-slow)"
            else:
                samples, details = reload.reloads(self.ctx, nogroup, n, delay, 1,
                                                  via_supervisorctl)
                fig.samples[nogroup.key] = samples
                fig.extra[nogroup.key] = details
        self._done(fig)

    def measure_start_stop(self, n):
        s = self.settings
        self._scenario(f"start all / stop all, N={n}")
        stop = Figure(f"stop.{n}", f"stop all {n} (exit at once)", "s")
        start = Figure(f"start.{n}", f"start all {n} until RUNNING", "s")
        for peer, reps in self._peers("startstop", n, s.reps):
            if peer is None:
                stop.notes["supervisord"] = start.notes["supervisord"] = reps
                continue
            stops, starts, details = startstop.starts_and_stops(self.ctx, peer, n, reps)
            if peer is self.group_peer:
                self.budget.record("startstop", n, max(a + b for a, b in zip(stops, starts)))
                details["repetitions"] = reps
            stop.samples[peer.key], start.samples[peer.key] = stops, starts
            stop.extra[peer.key] = details
        self._done(start, stop)

    def measure_footprint(self):
        s = self.settings
        for i, n in enumerate(s.rss_sizes):
            idle_s = s.idle_s if i == 0 else 0
            self._scenario(f"footprint, N={n}" + (f", idle {idle_s:g} s" if idle_s else ""))
            rss = Figure(f"rss.{n}", f"RSS, {n} programs", "KiB", target=4096 if n == 100 else None)
            anon = Figure(f"anon.{n}", f"RssAnon, {n} programs", "KiB")
            figs = [rss, anon]
            if idle_s:
                switches = Figure("idle.switches", f"wake-ups in {idle_s:g} s idle, {n} programs",
                                  "", target=0)
                cpu = Figure("idle.cpu", f"CPU time in {idle_s:g} s idle", "ms")
                figs = [switches, cpu, rss, anon]
            # Its start-up costs supervisord about what a reload of n does; it is done once,
            # so twice the budget is allowed.
            for peer, why in self._peers("reload", n, factor=2.0):
                if peer is None:
                    for f in figs:
                        f.notes["supervisord"] = why
                    continue
                out = footprint.footprint(self.ctx, peer, n, idle_s, s.settle_s)
                rss.add(peer.key, out["rss"])
                anon.add(peer.key, out["anon"])
                if idle_s:
                    switches.add(peer.key, out["switches"])
                    cpu.add(peer.key, out["cpu_ms"])
                    switches.extra[peer.key] = {"main thread": out["main_switches"],
                                                "threads": out["threads"]}
                    cpu.extra[peer.key] = {"utime+stime of /proc/PID/stat (ms)":
                                           out["stat_cpu_ms"]}
            self._done(*figs)

    def measure_reaction(self):
        s = self.settings
        self._scenario(f"crash-to-respawn, {s.crashes} crashes "
                       f"({s.supervisord_crashes} for supervisord)")
        self.measure_respawn_floor()
        median = Figure("respawn.median", "crash to respawn, median", "ms", target=2.0)
        p99 = Figure("respawn.p99", "crash to respawn, p99", "ms", stat="p99")
        for peer, _ in self._peers("respawn", 1):
            crashes = s.supervisord_crashes if peer is self.group_peer else s.crashes
            samples = reaction.respawns(self.ctx, peer, crashes)
            median.samples[peer.key] = p99.samples[peer.key] = samples
        self._done(median, p99)

        self._scenario(f"SIGKILL escalation, stopwaitsecs=1, {s.escalations} stops")
        late = Figure("kill.late", "stop request to death - stopwaitsecs, median", "ms",
                      target=10.0)
        worst = Figure("kill.worst", "stop request to death - stopwaitsecs, worst", "ms",
                       stat="worst", target=10.0)
        for peer, _ in self._peers("kill", 1):
            from_term, from_request = reaction.escalations(self.ctx, peer, s.escalations)
            late.samples[peer.key] = worst.samples[peer.key] = from_request
            late.extra[peer.key] = {"counted from the SIGTERM the program saw (ms)":
                                    sorted(from_term)[len(from_term) // 2]}
        self._done(late, worst)
