"""The plot: reload time against the number of programs (matplotlib, Debian's python3-matplotlib)."""

import matplotlib

matplotlib.use("Agg")
import matplotlib.pyplot as plt  # noqa: E402

from .figures import PEER_LABELS  # noqa: E402

STYLES = {
    "uring": dict(marker="o", color="tab:blue"),
    "epoll": dict(marker="s", color="tab:green"),
    "supervisord": dict(marker="^", color="tab:red"),
    "supervisord-nogroup": dict(marker="v", color="tab:purple", linestyle="none"),
}


def plot_reload(record, path):
    reloads = sorted((f for f in record["figures"] if f.key.startswith("reload.")),
                     key=lambda f: int(f.key.split(".")[1]))
    if not reloads:
        return False
    delay_s = record["reload_delay_ms"] / 1000
    sizes = [int(f.key.split(".")[1]) for f in reloads]
    fig, ax = plt.subplots(figsize=(8, 5), dpi=110)
    for key, style in STYLES.items():
        points = [(n, f.value(key)) for n, f in zip(sizes, reloads) if f.value(key) is not None]
        if points:
            xs, ys = zip(*points)
            ax.plot(xs, ys, label=PEER_LABELS[key] + (" (one group)" if key == "supervisord"
                                                       else ""), **style)
            for x, y in points:
                ax.annotate(f"{y:.2f}", (x, y), textcoords="offset points", xytext=(4, 4),
                            fontsize=7, color=style["color"])
    serial = record["platform"].get("serial_spawn", {})
    floor = [(n, delay_s + serial[n]["all_started_s"]) for n in sizes if n in serial]
    if floor:
        xs, ys = zip(*floor)
        ax.plot(xs, ys, linestyle="--", color="gray",
                label=f"{delay_s:g} s + N serial posix_spawn (this machine, no supervisor)")
    best = [(n, delay_s + serial[n]["parallel_started_s"]) for n in sizes
            if n in serial and "parallel_started_s" in serial[n]]
    if best:
        xs, ys = zip(*best)
        spawners = serial[sizes[0]].get("spawners", "?")
        ax.plot(xs, ys, linestyle="-.", color="silver",
                label=f"{delay_s:g} s + N posix_spawn by {spawners} parallel spawners")
    ax.axhline(delay_s, linestyle=":", color="black", label=f"{delay_s:g} s stop floor")
    targets = [(n, f.target) for n, f in zip(sizes, reloads) if f.target is not None]
    if targets:
        xs, ys = zip(*targets)
        ax.plot(xs, ys, linestyle="none", marker="x", markersize=9, color="black",
                label="superv target")
    ax.set_xscale("log")
    ax.set_yscale("log")
    ax.set_xticks(sizes)
    ax.set_xticklabels([str(n) for n in sizes])
    ax.set_xlabel("programs (each needs %g s after SIGTERM to exit)" % delay_s)
    ax.set_ylabel("reload until all run again with new pids (s)")
    ax.set_title("Reload time against number of programs")
    ax.grid(True, which="both", alpha=0.3)
    ax.legend(fontsize=8)
    fig.tight_layout()
    fig.savefig(path)
    plt.close(fig)
    return True
