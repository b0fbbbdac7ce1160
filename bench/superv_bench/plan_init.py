"""The scenario of superv as a container's init (issue 14), beside tini, tini-static and
dumb-init. Its figures are in section "init" (a table of their own in RESULTS.md), with tini's
figure / superv's as the ratio."""

from .figures import INIT_RATIO_PEER, INIT_SUPERV_KEYS, Figure
from .measure import median
from .scenarios import init

SECTION = "init"
# Targets of issue 14, for the lean build (what containers ship).
RSS_TARGET_KIB = 2048
PSS_TARGET_KIB = 1024


class InitScenarios:
    """Part of plan.Run: uses its ctx, settings, init_binaries, _scenario and _done."""

    def measure_init(self):
        s = self.settings
        peers = init.init_peers(self.ctx.probe, self.init_binaries.get("default"),
                                self.init_binaries.get("lean"))
        self._scenario(f"init: exec to the program's first instruction as PID 1, "
                       f"{s.init_samples} rounds of {len(peers)} inits")
        first = Figure("init.first.median", "init: exec to its program's first instruction",
                       "ms", target_peers=list(INIT_SUPERV_KEYS), section=SECTION)
        first_p90 = Figure("init.first.p90", "init: exec to its program's first instruction, "
                           "p90", "ms", stat="p90", section=SECTION)
        for key, values in init.first_instruction(self.ctx, peers, s.init_samples).items():
            first.samples[key] = first_p90.samples[key] = values
        # The target is tini's median in the same run: at or below it.
        first.target = first.value(INIT_RATIO_PEER)

        with_memory = [p for p in peers if p.memory]
        self._scenario(f"init: memory with `-- sleep 1000`, {s.init_memory_reps} instance"
                       f"{'s' if s.init_memory_reps > 1 else ''} of {len(with_memory)} inits")
        rss = Figure("init.rss", "init: RSS with `-- sleep 1000`", "KiB", target=RSS_TARGET_KIB,
                     target_peers=["superv-lean"], section=SECTION)
        pss = Figure("init.pss", "init: PSS with `-- sleep 1000`", "KiB", target=PSS_TARGET_KIB,
                     target_peers=["superv-lean"], section=SECTION)
        details = {}
        for _ in range(s.init_memory_reps):
            for peer in with_memory:  # alternating: the page cache's state drifts
                rollup = init.memory(self.ctx, peer, s.init_settle_s)
                rss.add(peer.key, rollup["Rss"])
                pss.add(peer.key, rollup["Pss"])
                details.setdefault(peer.key, []).append(rollup)
        for key, rollups in details.items():
            rss.extra[key] = {f"{name} (KiB)": median([r.get(name, 0) for r in rollups])
                              for name in ("Anonymous", "Private_Clean", "Private_Dirty",
                                           "Shared_Clean")}
            pss.extra[key] = {f"{name} (KiB)": median([r.get(name, 0) for r in rollups])
                              for name in ("Pss_Anon", "Pss_File")}
            self.ctx.log(f"  {key}: RSS {rss.value(key)} KiB, PSS {pss.value(key)} KiB")
        self._done(first, first_p90, rss, pss)
