"""The scenarios of superv as a drop-in for supervisord (issue 13): both daemons serve
supervisord's XML-RPC interface and are driven by the real supervisorctl, or by xmlrpc.client from
the runner. Their figures are in section "xmlrpc" (a table of their own in RESULTS.md)."""

from .figures import SUPERV_KEYS, WITHOUT_LISTENER, Figure
from .measure import median
from .scenarios import footprint, latency, platform

SECTION = "xmlrpc"


class DropInScenarios:
    """Part of plan.Run: uses its settings, _scenario, _peers, _done and reload_figure."""

    def measure_supervisorctl_startup(self, before):
        """supervisorctl's own start-up (no call), measured next to what it bounds."""
        samples = platform.supervisorctl_startup(self.ctx, max(3, self.settings.command_calls // 4))
        self.platform.setdefault("supervisorctl_startup_ms", {})[before] = [
            t * 1000 for t in samples]
        self.ctx.log(f"  platform: supervisorctl start-up without a call, median "
                     f"{median(samples) * 1000:.0f} ms")

    def measure_supervisorctl_reload(self):
        s = self.settings
        n, delay = s.ctl_reload_size, s.reload_delay_ms
        self._scenario(f"supervisorctl reload, N={n}, {delay / 1000:g} s stop each")
        self.measure_supervisorctl_startup("supervisorctl reload")
        fig = Figure(f"ctlreload.{n}", f"`supervisorctl reload`, {n} x {delay / 1000:g} s", "s",
                     section=SECTION)
        self.reload_figure(fig, n, with_nogroup=True, via_supervisorctl=True)

    def measure_status_latency(self):
        s = self.settings
        n = s.status_size
        self._scenario(f"status latency, N={n}, {s.command_calls} commands and {s.rpc_calls} "
                       f"requests each")
        self.measure_supervisorctl_startup("supervisorctl status")

        def pair(key, title):
            return (Figure(f"{key}.{n}.median", f"{title}, median", "ms", section=SECTION),
                    Figure(f"{key}.{n}.p99", f"{title}, p99", "ms", stat="p99", section=SECTION))

        ctl = pair("ctlstatus", f"`supervisorctl status`, {n} programs (the command)")
        rpc = pair("getall", f"getAllProcessInfo over XML-RPC, {n} programs")
        cli = pair("supervstatus", f"`superv status`, {n} programs (the command)")
        for f in cli:
            f.notes["supervisord"] = "superv's own client (JSON socket)"
        for peer, why in self._peers("reload", n, factor=2.0):
            if peer is None:
                for f in ctl + rpc:
                    f.notes["supervisord"] = why
                continue
            out = latency.status_latency(self.ctx, peer, n, s.command_calls, s.rpc_calls)
            k = peer.key

            def ms(values):
                return [v * 1000 for v in values]

            for f in ctl:
                f.samples[k] = ms(out["supervisorctl"])
            for f in rpc:
                f.samples[k] = ms(out["xmlrpc"])
            rpc[0].extra[k] = {"reply read, not decoded (ms)": median(ms(out["unparsed"])),
                               "reply size (KiB)": out["reply_bytes"] / 1024}
            if k in SUPERV_KEYS:
                for f in cli:
                    f.samples[k] = ms(out["superv_cli"])
                cli[0].extra[k] = {"status over the JSON socket from the runner (ms)":
                                   median(ms(out["json"]))}
        self._done(*ctl, *rpc, *cli)

    def measure_http_footprint(self):
        s = self.settings
        n, calls, reps = s.http_rss_size, 2 * s.http_rounds, s.http_rss_reps
        self._scenario(f"footprint with the XML-RPC listener, N={n}, after {calls} calls, "
                       f"{reps} daemon{'s' if reps > 1 else ''} each")
        suffix = f"{n} programs, XML-RPC listener, after {calls} calls"
        rss = Figure(f"rss.http.{n}", f"RSS, {suffix}", "KiB", section=SECTION)
        anon = Figure(f"anon.http.{n}", f"RssAnon, {suffix}", "KiB", section=SECTION)
        for peer, why in self._peers("reload", n, factor=2.0):
            if peer is None:
                rss.notes["supervisord"] = anon.notes["supervisord"] = why
                continue
            # The file pages resident vary from one daemon to the next (the kernel's fault-around
            # maps what the page cache holds): superv's daemons with and without the listener
            # alternate, the median of each is compared.
            before, plain = [], []
            for _ in range(reps):
                out = footprint.footprint(self.ctx, peer, n, 0, s.settle_s,
                                          http_rounds=s.http_rounds)
                rss.add(peer.key, out["rss"])
                anon.add(peer.key, out["anon"])
                before.append(out["before_calls"])
                if peer.key in SUPERV_KEYS:
                    plain.append(footprint.footprint(self.ctx, peer, n, 0, s.settle_s))
            for fig, i, name in ((rss, 0, "rss"), (anon, 1, "anon")):
                fig.extra[peer.key] = {"before the first call (MiB)":
                                       median([b[i] for b in before]) / 1024}
                if plain:
                    fig.extra[peer.key][WITHOUT_LISTENER] = median([p[name] for p in plain]) / 1024
        self._done(rss, anon)
