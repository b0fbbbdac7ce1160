"""A measured figure: samples per peer, the statistic reported, the target."""

from dataclasses import dataclass, field

from .measure import median, percentile

# Peer keys, in report order. The superv ones are backends; "supervisord" is supervisord with all
# programs in one [group:x]; "supervisord-nogroup" is one group per program (its default).
SUPERV_KEYS = ("uring", "epoll")
# The detail of an XML-RPC footprint figure: superv's reading without the listener, same run.
WITHOUT_LISTENER = "without the listener, same run (MiB)"
PEER_LABELS = {
    "uring": "superv io_uring",
    "epoll": "superv epoll",
    "supervisord": "supervisord",
    "supervisord-nogroup": "supervisord (no group)",
}
# The inits of section "init" (superv as a container's PID 1), in report order: superv's builds,
# then the peers, then the floors of the platform. The ratios are tini's figure / superv's.
INIT_SUPERV_KEYS = ("superv-default", "superv-lean", "superv-lean-epoll")
INIT_KEYS = INIT_SUPERV_KEYS + ("tini", "tini-static", "dumb-init", "mini-init", "no-init")
INIT_RATIO_PEER = "tini"
PEER_LABELS.update({
    "superv-default": "superv default build",
    "superv-lean": "superv lean build",
    "superv-lean-epoll": "superv lean, --backend epoll",
    "tini": "tini",
    "tini-static": "tini-static",
    "dumb-init": "dumb-init",
    "mini-init": "floor: posix_spawn + wait",
    "no-init": "floor: no init",
})


@dataclass
class Figure:
    key: str  # e.g. "reload.30"
    title: str
    unit: str  # "s", "ms", "KiB", "" (a count)
    stat: str = "median"  # "median", "p90", "p99", "worst" (the largest absolute value)
    target: float = None  # superv's target (lower is better), in unit
    samples: dict = field(default_factory=dict)  # peer key -> [float]
    notes: dict = field(default_factory=dict)  # peer key -> why there is no value
    extra: dict = field(default_factory=dict)  # peer key -> {name: value}, shown as detail
    section: str = ""  # "" (the main table) or "xmlrpc" (supervisord's interface)
    run: int = 0  # 0: measured by the record's run; k: by its k-th partial run (--only)
    target_peers: list = None  # the peers the target is for (None: every superv peer)

    def add(self, peer, value):
        self.samples.setdefault(peer, []).append(value)

    def value(self, peer):
        values = self.samples.get(peer)
        if not values:
            return None
        if self.stat.startswith("p"):  # "p90", "p99"
            return percentile(values, int(self.stat[1:]))
        if self.stat == "worst":
            return max(abs(v) for v in values)
        return median(values)

    def peer_for_ratio(self):
        """The peer superv is compared with in this figure: tini for the inits, else the
        supervisord variant."""
        if self.section == "init":
            return INIT_RATIO_PEER
        if "supervisord" in self.samples or "supervisord" in self.notes:
            return "supervisord"
        return "supervisord-nogroup"

    def ratio(self, superv_peer):
        """supervisord's figure / superv's: how many times better superv is (None if unknown)."""
        mine, theirs = self.value(superv_peer), self.value(self.peer_for_ratio())
        if mine is None or theirs is None:
            return None
        if mine == 0:
            return float("inf") if theirs > 0 else 1.0
        return theirs / mine

    def meets_target(self, superv_peer):
        v = self.value(superv_peer)
        if self.target_peers is not None and superv_peer not in self.target_peers:
            return None
        if self.target is None or v is None:
            return None
        return abs(v) <= self.target  # SIGKILL may come early as well as late

    def to_json(self):
        return {
            "key": self.key, "title": self.title, "unit": self.unit, "stat": self.stat,
            "target": self.target, "samples": self.samples, "notes": self.notes,
            "extra": self.extra, "section": self.section, "run": self.run,
            "target_peers": self.target_peers,
        }

    @classmethod
    def from_json(cls, d):
        return cls(d["key"], d["title"], d["unit"], d["stat"], d["target"], d["samples"],
                   d["notes"], d.get("extra", {}), d.get("section", ""), d.get("run", 0),
                   d.get("target_peers"))
