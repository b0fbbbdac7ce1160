"""Figures to text: a console line per figure, the tables of RESULTS.md."""

import math

from .figures import INIT_KEYS, INIT_SUPERV_KEYS, PEER_LABELS, SUPERV_KEYS, WITHOUT_LISTENER
from .measure import median, percentile


def fmt(value, unit):
    if value is None:
        return "-"
    if unit == "s":
        return f"{value:.3f} s"
    if unit == "ms":
        return f"{value:.2f} ms"
    if unit == "KiB":
        return f"{value / 1024:.2f} MiB"
    return f"{value:g}"


def fmt_ratio(r):
    if r is None:
        return "-"
    if math.isinf(r):
        return "inf"
    return f"{r:.1f}x" if r >= 10 else f"{r:.2f}x"


def fmt_target(fig):
    return "-" if fig.target is None else f"<= {fmt(fig.target, fig.unit)}"


def verdict(fig, key):
    ok = fig.meets_target(key)
    return "" if ok is None else ("met" if ok else "MISSED")


def peer_keys(fig, superv_keys):
    theirs = [k for k in ("supervisord", "supervisord-nogroup") if k in fig.samples
              or k in fig.notes]
    return [k for k in SUPERV_KEYS if k in superv_keys] + theirs


def _init_columns(figures):
    """The inits in any of the figures, in report order, and superv's among them."""
    present = [k for k in INIT_KEYS if any(k in f.samples or k in f.notes for f in figures)]
    return present, [k for k in present if k in INIT_SUPERV_KEYS]


def _value_text(fig, key):
    value = fig.value(key)
    return fmt(value, fig.unit) if value is not None else fig.notes.get(key, "-")


def _cell(fig, key, markdown=True):
    """The peer's figure with its verdict on the target, if it has one."""
    text = _value_text(fig, key)
    ok = verdict(fig, key)
    if not ok:
        return text
    if not markdown:
        return f"{text} [{ok}]"
    return text + (f" **{ok}**" if ok == "MISSED" else f" {ok}")


def console_line(fig, superv_keys):
    if fig.section == "init":
        keys, mine = _init_columns([fig])
        ratios = [f"{PEER_LABELS[k]} {fmt_ratio(fig.ratio(k))}" for k in mine]
        return (f"{fig.title} ({fig.stat}; target {fmt_target(fig)}): "
                + " | ".join(f"{PEER_LABELS[k]} {_cell(fig, k, markdown=False)}" for k in keys)
                + f" | ratio {PEER_LABELS[fig.peer_for_ratio()]}/superv: " + ", ".join(ratios))
    parts = []
    for key in peer_keys(fig, superv_keys):
        text = _cell(fig, key, markdown=False) if key in superv_keys else _value_text(fig, key)
        parts.append(f"{PEER_LABELS[key]} {text}")
    ratios = [f"{PEER_LABELS[k]} {fmt_ratio(fig.ratio(k))}" for k in superv_keys]
    return (f"{fig.title} ({fig.stat}; target {fmt_target(fig)}): " + " | ".join(parts)
            + f" | ratio {PEER_LABELS[fig.peer_for_ratio()]}/superv: " + ", ".join(ratios))


def figures_table(figures, superv_keys):
    """Markdown: one row per figure, superv's backends side by side, supervisord, the ratios."""
    head = ["figure", "stat", "target"]
    head += [PEER_LABELS[k] for k in superv_keys]
    head += ["supervisord"]
    head += [f"ratio vs {PEER_LABELS[k]}" for k in superv_keys]
    rows = ["| " + " | ".join(head) + " |", "|" + "---|" * len(head)]
    for fig in figures:
        theirs = fig.peer_for_ratio()
        title = fig.title + (f" [run {fig.run + 1}]" if fig.run else "")
        cells = [title, fig.stat, fmt_target(fig)]
        cells += [_cell(fig, k) for k in superv_keys]
        value = fig.value(theirs)
        label = "" if theirs == "supervisord" else " (no group)"
        cells.append(fmt(value, fig.unit) + label if value is not None
                     else fig.notes.get(theirs, "-"))
        cells += [fmt_ratio(fig.ratio(k)) for k in superv_keys]
        rows.append("| " + " | ".join(cells) + " |")
    return "\n".join(rows)


def init_table(figures):
    """Markdown for section "init": one row per figure, a column per init, the ratios of tini's
    figure to each superv build's."""
    keys, mine = _init_columns(figures)
    head = ["figure", "stat", "target", *(PEER_LABELS[k] for k in keys),
            *(f"ratio tini / {PEER_LABELS[k]}" for k in mine)]
    rows = ["| " + " | ".join(head) + " |", "|" + "---|" * len(head)]
    for fig in figures:
        title = fig.title + (f" [run {fig.run + 1}]" if fig.run else "")
        cells = [title, fig.stat, fmt_target(fig), *(_cell(fig, k) for k in keys),
                 *(fmt_ratio(fig.ratio(k)) for k in mine)]
        rows.append("| " + " | ".join(cells) + " |")
    return "\n".join(rows)


def nogroup_rows(figures, superv_keys):
    """The reload figures that also have supervisord without a group."""
    rows = []
    for fig in figures:
        key = "supervisord-nogroup"
        if key not in fig.samples and key not in fig.notes:
            continue
        value = fig.value(key)
        text = fmt(value, fig.unit) if value is not None else fig.notes[key]
        ratios = ", ".join(f"{fmt_ratio(_ratio(value, fig.value(k)))} vs {PEER_LABELS[k]}"
                           for k in superv_keys)
        rows.append(f"- {fig.title}, supervisord without a group (its default, one group per "
                    f"program): {text}" + (f" ({ratios})" if value is not None else ""))
    return rows


def listener_rows(figures, superv_keys):
    """superv's footprint with the XML-RPC listener next to the same binary's without it (read
    in the same run, in the figure's details)."""
    rows = []
    for fig in figures:
        cells = []
        for key in superv_keys:
            off = fig.extra.get(key, {}).get(WITHOUT_LISTENER)
            on = fig.value(key)
            if on is not None and off is not None:
                cells.append(f"{PEER_LABELS[key]} {on / 1024:.2f} MiB against {off:.2f} MiB "
                             f"({on / 1024 - off:+.2f} MiB)")
        if cells:
            rows.append(f"- {fig.title}, against the same binary without the listener (no "
                        f"calls), same run: " + "; ".join(cells))
    return rows


def _ratio(theirs, mine):
    if theirs is None or not mine:
        return None
    return theirs / mine


def details_rows(figures):
    rows = []
    for fig in figures:
        for key, extra in fig.extra.items():
            shown = ", ".join(f"{name} {fmt_any(v)}" for name, v in extra.items())
            rows.append(f"- {fig.title}, {PEER_LABELS[key]}: {shown}")
    return rows


def fmt_any(v):
    return f"{v:.3f}" if isinstance(v, float) else str(v)


def platform_rows(platform):
    rows = []
    if "respawn_floor_ms" in platform:
        floor = platform["respawn_floor_ms"]
        rows.append(
            f"- SIGKILL to exit seen on a pidfd: median {median(platform['exit_seen_ms']):.2f} ms; "
            f"posix_spawn to the helper's main(): median "
            f"{median(platform['spawn_to_main_ms']):.2f} ms; together (the floor of any "
            f"crash-to-respawn): median {median(floor):.2f} ms, p99 {percentile(floor, 99):.2f} ms")
    for n, v in sorted(platform.get("serial_spawn", {}).items(), key=lambda kv: int(kv[0])):
        rows.append(f"- {n} helpers started one after the other with posix_spawn "
                    f"(clone(CLONE_VM|CLONE_VFORK), as superv): all spawned after "
                    f"{v['spawned_s']:.3f} s ({v['spawned_s'] / int(n) * 1000:.2f} ms each), all in "
                    f"main() after {v['all_started_s']:.3f} s; shared by {v['spawners']} spawner "
                    f"processes in parallel: all in main() after {v['parallel_started_s']:.3f} s; "
                    f"SIGKILL to all at once until all reaped: "
                    f"{v.get('killed_reaped_s', float('nan')):.3f} s")
    for before, samples in platform.get("supervisorctl_startup_ms", {}).items():
        rows.append(f"- supervisorctl's start-up with no call (`supervisorctl -c CONF help`: "
                    f"Python, its imports, its config), measured before the {before} "
                    f"scenario: median {median(samples):.0f} ms, worst {max(samples):.0f} ms "
                    f"({len(samples)} runs)")
    return rows


def floor_rows(record):
    """superv next to the platform floor: what is left of each figure once the machine's own
    cost is taken out."""
    rows = []
    platform = record["platform"]
    serial = platform.get("serial_spawn", {})
    for fig in record["figures"]:
        if not fig.key.startswith("reload."):
            continue
        n = int(fig.key.split(".")[1])
        if n not in serial:
            continue
        parts = []
        for key in record["superv_keys"]:
            extra = fig.extra.get(key, {})
            if fig.value(key) is None or "last old exit (s)" not in extra:
                continue
            spawn_phase = fig.value(key) - extra["last old exit (s)"]
            parts.append(f"{PEER_LABELS[key]} {extra['last old exit (s)']:.3f} s to the last old "
                         f"exit, then {spawn_phase:.3f} s to the last new start")
        if parts:
            rows.append(f"- reload {n}: " + "; ".join(parts) + f". Floor: {n} serial posix_spawn "
                        f"until all in main() {serial[n]['all_started_s']:.3f} s")
    for fig in record["figures"]:
        if fig.key.startswith("stop.") and int(fig.key.split(".")[1]) in serial:
            n = int(fig.key.split(".")[1])
            reaped = serial[n].get("killed_reaped_s")
            mine = ", ".join(f"{PEER_LABELS[k]} {fmt(fig.value(k), 's')}"
                             for k in record["superv_keys"] if fig.value(k) is not None)
            if reaped is not None and mine:
                rows.append(f"- stop all {n}: {mine}. Floor: SIGKILL to {n} helpers at once "
                            f"until all reaped {reaped:.3f} s")
    startup = platform.get("supervisorctl_startup_ms", {})
    for fig in record["figures"]:
        before = {"ctlreload": "supervisorctl reload", "ctlstatus": "supervisorctl status"}.get(
            fig.key.split(".")[0])
        if before not in startup or fig.stat != "median":
            continue
        keys = [*record["superv_keys"], fig.peer_for_ratio()]
        mine = ", ".join(f"{PEER_LABELS[k]} {fmt(fig.value(k), fig.unit)}" for k in keys
                         if fig.value(k) is not None)
        rows.append(f"- {fig.title}: {mine}. Floor: supervisorctl's own start-up before any "
                    f"call {median(startup[before]):.0f} ms")
    if "respawn_floor_ms" in platform:
        fig = next((f for f in record["figures"] if f.key == "respawn.median"), None)
        if fig is not None:
            mine = ", ".join(f"{PEER_LABELS[k]} {fmt(fig.value(k), 'ms')}"
                             for k in record["superv_keys"] if fig.value(k) is not None)
            rows.append(f"- crash to respawn, median: {mine}. Floor (SIGKILL, exit seen, "
                        f"posix_spawn, main()): {median(platform['respawn_floor_ms']):.2f} ms")
    return rows
