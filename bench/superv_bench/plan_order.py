"""The scenario of the start order (issue 15: depends_on, readiness, one-shots). Its figures are
in section "order" (a table of their own in RESULTS.md). supervisord has no dependencies and no
readiness: it is beside superv where it has the operation (a reload, an idle daemon, a start
all), and its cell says so elsewhere."""

from .figures import SUPERV_KEYS, Figure
from .measure import median, percentile
from .report import fmt
from .scenarios import order, platform, reload, startstop

SECTION = "order"
# Targets of issue 15.
READY_TO_SPAWN_MS = 1.0
CHAIN_RELOAD_S = 9.1  # 3 levels x 3 s of stops, then the spawns
INDEPENDENT_RELOAD_S = 3.05
MIXED_RELOAD_S = 0.2
NO_ORDER = "no depends_on or readiness"


class OrderScenarios:
    """Part of plan.Run: uses its ctx, settings, superv_peers, group_peer, platform, _scenario,
    _peers, _measured and _done."""

    def measure_order(self):
        self.measure_ready_to_spawn()
        self.measure_ordered_reloads()
        self.measure_mixed_reload()
        self.measure_readiness_idle()
        self.measure_graph()

    def measure_ready_to_spawn(self):
        rounds = self.settings.order_rounds
        self._scenario(f"start order: READY=1 to the dependent's spawn, {rounds} rounds")
        # The platform's own spawn-to-main(), right before: what any spawn costs on this machine.
        floor = platform.respawn_floor(self.ctx, rounds)
        self.platform["order_spawn_to_main_ms"] = [r[1] for r in floor]
        self.ctx.log(f"  platform: posix_spawn to the helper's main(), median "
                     f"{median([r[1] for r in floor]):.3f} ms")
        med = Figure("order.ready.median", "db's READY=1 to app's spawn (depends_on ready), "
                     "median", "ms", target=READY_TO_SPAWN_MS, section=SECTION)
        p99 = Figure("order.ready.p99", "db's READY=1 to app's spawn (depends_on ready), p99",
                     "ms", stat="p99", section=SECTION)
        for peer in self.superv_peers:
            samples, details = order.ready_to_spawn(self.ctx, peer, rounds)
            med.samples[peer.key] = p99.samples[peer.key] = samples
            med.extra[peer.key] = details
        med.notes["supervisord"] = p99.notes["supervisord"] = NO_ORDER
        self._done(med, p99)

    def measure_ordered_reloads(self):
        s = self.settings
        delay, n, levels = s.reload_delay_ms, 30, 3
        width = n // levels
        self._scenario(f"start order: reload of {n} x {delay / 1000:g} s, independent and in "
                       f"a chain of {levels} levels of {width}")
        full = delay == 3000
        title = f"reload {n} x {delay / 1000:g} s"
        flat = Figure(f"order.reload.{n}", f"{title}, independent", "s",
                      target=INDEPENDENT_RELOAD_S if full else None, section=SECTION)
        chained = Figure(f"order.reload.{n}.chain", f"{title}, chain of {levels} levels of "
                         f"{width} (each level depends on the one below, \"running\")", "s",
                         target=CHAIN_RELOAD_S if full else None, section=SECTION)
        for peer, reps in self._peers("reload", n, s.reps):
            if peer is None:
                flat.notes["supervisord"] = reps
                continue
            samples, details = reload.reloads(self.ctx, peer, n, delay, reps)
            flat.samples[peer.key], flat.extra[peer.key] = samples, details
            if peer is self.group_peer:
                self.budget.record("reload", n, max(samples))
                continue
            programs = order.chain(levels, width, delay, "running")
            samples, details = reload.reloads(self.ctx, peer, n, delay, reps, programs=programs,
                                              stops=levels)
            chained.samples[peer.key], chained.extra[peer.key] = samples, details
        theirs = flat.value("supervisord")
        chained.notes["supervisord"] = (
            "cannot order by dependencies (priority only, stops one after the other)"
            + (f"; its reload of the {n} independent in one group: {fmt(theirs, 's')}, row above"
               if theirs is not None else ""))
        self._done(flat, chained)

    def measure_mixed_reload(self):
        s = self.settings
        fast, fast_ms, slow_ms = 29, 100, s.reload_delay_ms
        self._scenario(f"start order: reload of {fast} x {fast_ms / 1000:g} s beside 1 x "
                       f"{slow_ms / 1000:g} s")
        fig = Figure(f"order.mixed.{fast + 1}", f"reload {fast} x {fast_ms / 1000:g} s + 1 x "
                     f"{slow_ms / 1000:g} s: the {fast} fast ones running again", "s",
                     target=MIXED_RELOAD_S, section=SECTION)
        for peer, reps in self._peers("reload", fast + 1, s.reps):
            if peer is None:
                fig.notes["supervisord"] = reps
                continue
            samples, details = order.mixed_reloads(self.ctx, peer, fast, fast_ms, slow_ms, reps)
            fig.samples[peer.key], fig.extra[peer.key] = samples, details
        self._done(fig)

    def measure_readiness_idle(self):
        s = self.settings
        n, idle_s = s.order_idle_size, s.idle_s
        self._scenario(f"start order: idle {idle_s:g} s with readiness, {n} programs")
        switches = Figure("order.idle.switches", f"wake-ups in {idle_s:g} s idle, {n} programs "
                          "ready by notify, fd, tcp (a third each)", "", target=0,
                          section=SECTION)
        cpu = Figure("order.idle.cpu", f"CPU time in {idle_s:g} s idle, the same", "ms",
                     section=SECTION)
        for peer in self._measured("reload", n, (switches, cpu), factor=2.0):
            out = order.readiness_idle(self.ctx, peer, n, idle_s, s.settle_s)
            switches.add(peer.key, out["switches"])
            cpu.add(peer.key, out["cpu_ms"])
        if "supervisord" in switches.samples:
            switches.extra["supervisord"] = {"programs": "the same helpers, no readiness (it has "
                                                         "none)"}
        self._done(switches, cpu)

    def measure_graph(self):
        s = self.settings
        n, chains, fan = s.order_graph_size, s.order_graph_chains, s.order_graph_fan
        graph = order.graph(n, chains, fan)
        deep = order.depth(graph)
        flat = order.graph_independent(n)
        self._scenario(f"start order: a graph of {n} programs ({chains} chains of "
                       f"{(n - 2 * fan) // chains}, a diamond of 2 x {fan}; depth {deep})")
        shape = f"{chains} chains of {(n - 2 * fan) // chains} + diamond 2 x {fan}, depth {deep}"
        check_graph = Figure(f"order.check.{n}.graph", f"`superv check`, {n} programs: {shape}",
                             "ms", section=SECTION)
        check_flat = Figure(f"order.check.{n}", f"`superv check`, {n} independent programs",
                            "ms", section=SECTION)
        start_graph = Figure(f"order.start.{n}.graph", f"start all {n} until RUNNING: {shape} "
                             "(\"started\")", "s", section=SECTION)
        start_flat = Figure(f"order.start.{n}", f"start all {n} until RUNNING, independent",
                            "s", section=SECTION)
        stop_graph = Figure(f"order.stop.{n}.graph", f"stop all {n} (exit at once): {shape}",
                            "s", section=SECTION)
        stop_flat = Figure(f"order.stop.{n}", f"stop all {n} (exit at once), independent", "s",
                           section=SECTION)
        for peer in self.superv_peers:
            for fig, programs in ((check_graph, graph), (check_flat, flat)):
                samples, size = order.check_times(self.ctx, peer.binary, programs,
                                                  s.order_check_runs)
                fig.samples[peer.key] = [t * 1000 for t in samples]
                fig.extra[peer.key] = {"config (KiB)": size / 1024,
                                       "worst (ms)": max(samples) * 1000}
            for start, stop, programs in ((start_graph, stop_graph, graph),
                                          (start_flat, stop_flat, flat)):
                stops, starts, details = startstop.starts_and_stops(self.ctx, peer, n, s.reps,
                                                                    programs=programs)
                start.samples[peer.key], stop.samples[peer.key] = starts, stops
                stop.extra[peer.key] = details
        for fig in (check_graph, check_flat):
            fig.notes["supervisord"] = "no check command"
        for fig in (start_graph, stop_graph):
            fig.notes["supervisord"] = "no depends_on"
        # supervisord's start all of the same number of independent programs, once.
        if self.budget.reps("startstop", n, 1):
            stops, starts, details = startstop.starts_and_stops(self.ctx, self.group_peer, n, 1,
                                                                programs=flat)
            start_flat.samples["supervisord"], stop_flat.samples["supervisord"] = starts, stops
            stop_flat.extra["supervisord"] = dict(details, repetitions=1)
        else:
            start_flat.notes["supervisord"] = stop_flat.notes["supervisord"] = \
                self.budget.note("startstop", n)
        self._done(check_graph, check_flat, start_graph, start_flat, stop_graph, stop_flat)


def order_notes(record):
    """The lines under the section's table: the platform floor beside READY=1 to spawn."""
    floor = record["platform"].get("order_spawn_to_main_ms")
    if not floor:
        return []
    figs = {f.key: f for f in record["figures"]}
    ready = figs.get("order.ready.median")
    mine = ""
    if ready is not None:
        parts = [f"{k} {ready.value(k):.3f} ms" for k in SUPERV_KEYS if ready.value(k) is not None]
        mine = " (READY=1 to spawn, median: " + ", ".join(parts) + ")" if parts else ""
    return [f"- platform floor, same run, no supervisor: posix_spawn to the helper's main(), "
            f"median {median(floor):.3f} ms, p99 {percentile(floor, 99):.3f} ms "
            f"({len(floor)} rounds): the part of READY=1 to spawn no supervisor can avoid{mine}"]
