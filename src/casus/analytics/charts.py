"""PNG charts of the situation report, drawn with matplotlib's Agg backend (no display, no network).

Each function takes prepared data, writes one PNG and returns its path, or None when there is nothing
to draw (the report then says so instead of showing an empty frame).
"""
from __future__ import annotations

import datetime as dt
import math
from pathlib import Path
from typing import Any, Sequence

import matplotlib

matplotlib.use("Agg")  # before pyplot: files only, never a window
import matplotlib.dates as mdates  # noqa: E402
import matplotlib.pyplot as plt  # noqa: E402
from matplotlib.colors import Normalize  # noqa: E402
from matplotlib.ticker import MaxNLocator  # noqa: E402

WIDTH, HEIGHT, DPI = 10.0, 4.2, 110  # 1100 x 462 px: sharp in a 1000-px column, small files
QUAD_COLOURS = {1: "#7fbf7b", 2: "#1b7837", 3: "#f4a582", 4: "#b2182b"}
QUAD_LABELS = {1: "verbal cooperation", 2: "material cooperation", 3: "verbal conflict", 4: "material conflict"}
GOLDSTEIN_CMAP = "RdYlGn"  # red = conflict (-10), green = cooperation (+10)
LINE_COLOURS = ["#1f77b4", "#d62728", "#9467bd", "#ff7f0e", "#17becf", "#8c564b"]
_META = {"Software": None}  # no version string in the file: same data, same bytes

plt.rcParams.update({"font.size": 10, "axes.titlesize": 12, "axes.titleweight": "bold",
                     "axes.spines.top": False, "axes.spines.right": False, "figure.dpi": DPI})


def _save(fig, path: Path) -> Path:
    fig.savefig(path, dpi=DPI, metadata=_META)
    plt.close(fig)
    return path


def _week_axis(ax, weeks: Sequence[dt.date]) -> None:
    ax.xaxis.set_major_formatter(mdates.DateFormatter("%d %b\n%Y"))
    if len(weeks) <= 16:
        ax.set_xticks(list(weeks))
    else:
        ax.xaxis.set_major_locator(mdates.AutoDateLocator(maxticks=12))
    ax.tick_params(axis="x", labelsize=8)


def coop_conflict_chart(weeks: Sequence[dt.date], by_quad: dict[int, Sequence[int]], path: Path) -> Path | None:
    """Weekly counts: cooperation (QuadClass 1, 2) stacked upwards, conflict (3, 4) stacked downwards."""
    if not weeks or not any(any(v) for v in by_quad.values()):
        return None
    fig, ax = plt.subplots(figsize=(WIDTH, HEIGHT), layout="constrained")
    width = 5.0  # days: a week's bar with a gap
    up = [0] * len(weeks)
    for q in (1, 2):
        ax.bar(weeks, by_quad[q], width, bottom=up, color=QUAD_COLOURS[q], label=QUAD_LABELS[q])
        up = [a + b for a, b in zip(up, by_quad[q])]
    down = [0] * len(weeks)
    for q in (3, 4):
        neg = [-v for v in by_quad[q]]
        ax.bar(weeks, neg, width, bottom=down, color=QUAD_COLOURS[q], label=QUAD_LABELS[q])
        down = [a + b for a, b in zip(down, neg)]
    ax.axhline(0, color="#333", linewidth=0.8)
    top = max(max(up), -min(down), 1)
    ax.set_ylim(-top * 1.15, top * 1.15)
    ax.yaxis.set_major_locator(MaxNLocator(integer=True))  # counts: no 0.5 events
    ax.yaxis.set_major_formatter(plt.FuncFormatter(lambda v, _: f"{abs(int(round(v)))}"))
    ax.set_ylabel("events per week\n← conflict | cooperation →")
    ax.set_title("Cooperation versus conflict (asserted events, by week)")
    _week_axis(ax, weeks)
    ax.legend(loc="upper left", bbox_to_anchor=(1.0, 1.0), frameon=False, fontsize=9)
    return _save(fig, path)


def goldstein_chart(weeks: Sequence[dt.date], overall: Sequence[float | None],
                    dyads: dict[str, Sequence[float | None]], path: Path) -> Path | None:
    """Weekly mean Goldstein score of all events (thick) and of the busiest dyads (thin)."""
    if not weeks or all(v is None for v in overall):
        return None
    fig, ax = plt.subplots(figsize=(WIDTH, HEIGHT), layout="constrained")
    nan = lambda seq: [math.nan if v is None else v for v in seq]  # noqa: E731  gaps where a week has no event
    ax.axhspan(0, 10.5, color="#1b7837", alpha=0.05)
    ax.axhspan(-10.5, 0, color="#b2182b", alpha=0.05)
    ax.axhline(0, color="#333", linewidth=0.8)
    for i, (label, values) in enumerate(dyads.items()):
        colour = LINE_COLOURS[i % len(LINE_COLOURS)]
        known = [(w, v) for w, v in zip(weeks, values) if v is not None]
        if len(known) > 1:  # dotted across weeks without events, so a sparse dyad's trend still reads
            ax.plot([w for w, _ in known], [v for _, v in known], linestyle=":", linewidth=1.1, color=colour, alpha=0.7)
        ax.plot(weeks, nan(values), marker="o", markersize=4.5, linewidth=1.4, color=colour, label=label)
    ax.plot(weeks, nan(overall), color="black", linewidth=2.6, marker="s", markersize=5, label="all events")
    ax.set_ylim(-10.5, 10.5)
    ax.set_ylabel("mean Goldstein score\n(-10 conflict … +10 cooperation)")
    ax.text(0.005, 0.01, "dotted: weeks without events of the dyad", transform=ax.transAxes, fontsize=8, color="#666")
    ax.set_title("Goldstein trend (weekly mean, asserted events)")
    _week_axis(ax, weeks)
    ax.legend(loc="upper left", bbox_to_anchor=(1.0, 1.0), frameon=False, fontsize=9)
    return _save(fig, path)


def _circle_order(nodes: dict[str, int], edges: dict[tuple[str, str], tuple[int, float]]) -> list[str]:
    """Nodes in circle order: start with the busiest, then always the unplaced node most tied to the last
    one placed (else the busiest left), so partners sit side by side and few lines cross the circle."""
    weight: dict[tuple[str, str], int] = {}
    for (a, b), (count, _) in edges.items():
        weight[(a, b)] = weight[(b, a)] = count
    left = sorted(nodes, key=lambda n: (-nodes[n], n))
    order = [left.pop(0)]
    while left:
        nxt = max(left, key=lambda n: (weight.get((order[-1], n), 0), nodes[n], [-ord(c) for c in n]))
        left.remove(nxt)
        order.append(nxt)
    return order


def network_chart(nodes: dict[str, int], edges: dict[tuple[str, str], tuple[int, float]], path: Path,
                  bars: list[tuple[str, int, float]] | None = None) -> Path | None:
    """Left: the most connected actors on a circle (node size = events, line width = events of the dyad,
    line colour = the dyad's mean Goldstein). Right: the busiest dyads ranked (``bars``: label, events,
    mean Goldstein), in the same colours."""
    if not nodes or not edges:
        return None
    names = _circle_order(nodes, edges)
    pos = {}
    for i, n in enumerate(names):
        angle = math.pi / 2 - 2 * math.pi * i / len(names)
        pos[n] = (math.cos(angle), math.sin(angle))
    fig, (ax, bx) = plt.subplots(1, 2, figsize=(WIDTH, 5.6), layout="constrained", width_ratios=[1.35, 1])
    cmap, norm = plt.get_cmap(GOLDSTEIN_CMAP), Normalize(-10, 10)
    most = max(e[0] for e in edges.values())
    for (a, b), (count, mean) in sorted(edges.items(), key=lambda kv: kv[1][0]):
        (x1, y1), (x2, y2) = pos[a], pos[b]
        ax.plot([x1, x2], [y1, y2], color=cmap(norm(mean)), linewidth=1.2 + 8 * count / most, alpha=0.9,
                solid_capstyle="butt", zorder=1)
    biggest = max(nodes.values())
    for n in names:
        x, y = pos[n]
        ax.scatter([x], [y], s=40 + 260 * nodes[n] / biggest, color="#34495e", edgecolor="white", zorder=2)
        ax.text(x * 1.2, y * 1.2, f"{n}\n{nodes[n]}", ha="center", va="center", fontsize=8.5, fontweight="bold")
    ax.set_xlim(-1.4, 1.4)
    ax.set_ylim(-1.4, 1.4)
    ax.set_aspect("equal")
    ax.axis("off")
    ax.set_title("Most connected actors")
    bars = bars or [(f"{a}–{b}", c, m) for (a, b), (c, m) in sorted(edges.items(), key=lambda kv: -kv[1][0])][:10]
    ys = list(range(len(bars)))  # busiest at the top
    counts = [b[1] for b in bars]
    bx.barh(ys, counts, height=0.7, color=[cmap(norm(b[2])) for b in bars], edgecolor="#555", linewidth=0.5)
    for y, (label, c, mean) in zip(ys, bars):
        bx.text(c, y, f" {c}  ({mean:+.1f})", va="center", fontsize=8.5)
    bx.set_yticks(ys, [b[0] for b in bars])
    bx.set_xlim(0, max(counts) * 1.35)
    bx.set_ylim(max(len(bars), 6) - 0.4, -0.6)  # inverted; a short list keeps slim bars instead of filling the panel
    bx.xaxis.set_major_locator(MaxNLocator(integer=True))
    bx.set_xlabel("asserted events (mean Goldstein)")
    bx.set_title("Busiest dyads")
    bx.tick_params(axis="y", labelsize=9)
    fig.colorbar(plt.cm.ScalarMappable(cmap=cmap, norm=norm), ax=[ax, bx], shrink=0.55, pad=0.02,
                 label="mean Goldstein (red conflict, green cooperation)")
    return _save(fig, path)


def map_chart(points: list[dict[str, Any]], path: Path) -> Path | None:
    """Event locations on longitude/latitude axes (no basemap): size = events, colour = mean Goldstein.
    ``points``: ``{name, country, lat, lon, events, goldstein}``."""
    if not points:
        return None
    fig, ax = plt.subplots(figsize=(WIDTH, 5.2), layout="constrained")
    lons = [p["lon"] for p in points]
    lats = [p["lat"] for p in points]
    biggest = max(p["events"] for p in points)
    cmap, norm = plt.get_cmap(GOLDSTEIN_CMAP), Normalize(-10, 10)
    sizes = [60 + 440 * p["events"] / biggest for p in points]
    ax.scatter(lons, lats, s=sizes,
               c=[p["goldstein"] for p in points], cmap=cmap, norm=norm, edgecolor="#333", linewidth=0.6,
               alpha=0.9, zorder=2)
    pad_x = max(10.0, (max(lons) - min(lons)) * 0.12)
    pad_y = max(6.0, (max(lats) - min(lats)) * 0.15)
    ax.set_xlim(max(-180, min(lons) - pad_x), min(180, max(lons) + pad_x * 2))  # room for the labels on the right
    ax.set_ylim(max(-90, min(lats) - pad_y), min(90, max(lats) + pad_y))
    labels = [((p["lon"], p["lat"]), f"{p['name']} ({p['country']}) {p['events']}", math.sqrt(s) / 2)
              for p, s in sorted(zip(points, sizes), key=lambda ps: -ps[0]["events"])]
    _place_labels(fig, ax, labels)
    ax.axhline(0, color="#999", linewidth=0.6, linestyle="--")
    ax.grid(True, color="#ddd", linewidth=0.6)
    ax.set_xlabel("longitude (°E)")
    ax.set_ylabel("latitude (°N)")
    fig.colorbar(plt.cm.ScalarMappable(cmap=cmap, norm=norm), ax=ax, shrink=0.7, label="mean Goldstein")
    ax.set_title("Where events happened (places with coordinates; size = events)")
    return _save(fig, path)


_OFFSETS = [(1, 0), (1, -1), (-1, 0), (-1, -1), (0, 1), (0, -1.6), (1.6, 1.2), (1.6, -2), (-1.6, 1.2), (-1.6, -2),
            (2.5, 2), (2.5, -3), (-2.5, 2), (-2.5, -3)]  # in marker radii: right, left, above, below, farther out


def _place_labels(fig, ax, labels: list[tuple[tuple[float, float], str, float]]) -> None:
    """Annotate points (``(xy, text, marker radius in points)``), trying offsets in turn until a label
    overlaps no label placed before it (greedy; a label that fits nowhere takes the last offset)."""
    fig.canvas.draw()  # run the layout first, so the boxes measured are the final ones
    renderer = fig.canvas.get_renderer()
    placed = []
    for xy, text, radius in labels:
        for i, (ox, oy) in enumerate(_OFFSETS):
            dx, dy = ox * (radius + 2), oy * (radius + 2) - 3  # -3: centre the 8-pt text on the offset line
            ha = "left" if dx > 0 else "right" if dx < 0 else "center"
            last = i == len(_OFFSETS) - 1
            ann = ax.annotate(text, xy, xytext=(dx, dy), textcoords="offset points", fontsize=8, ha=ha,
                              arrowprops={"arrowstyle": "-", "color": "#777", "lw": 0.6} if abs(ox) > 1.2 else None,
                              bbox={"boxstyle": "round,pad=0.1", "fc": "white", "ec": "none", "alpha": 0.7})
            box = ann.get_window_extent(renderer).expanded(1.05, 1.15)
            if last or not any(box.overlaps(b) for b in placed):
                placed.append(box)
                break
            ann.remove()


def escalation_chart(weeks: Sequence[dt.date], dyads: dict[str, dict[str, Sequence[Any]]], path: Path) -> Path | None:
    """Weekly conflict score per dyad (bars), the score that would alert (dashed line), alert weeks (▲).
    ``dyads``: label → ``{score, threshold, alert}`` aligned with ``weeks``."""
    if not weeks or not dyads:
        return None
    n = len(dyads)
    fig, axes = plt.subplots(n, 1, figsize=(WIDTH, 1.2 + 2.3 * n), sharex=True, layout="constrained", squeeze=False)
    for ax, (label, d) in zip(axes[:, 0], dyads.items()):
        colours = ["#b2182b" if a else "#9e9e9e" for a in d["alert"]]
        ax.bar(weeks, d["score"], 5.0, color=colours)
        thr = [math.nan if t is None else t for t in d["threshold"]]
        ax.step(weeks, thr, where="mid", color="#333", linestyle="--", linewidth=1.1, label="alert threshold")
        top = max([*d["score"], *(t for t in thr if not math.isnan(t)), 1.0])
        for w, s, a in zip(weeks, d["score"], d["alert"]):
            if a:
                ax.annotate(f"▲ {s:g}", (w, s), xytext=(0, 3), textcoords="offset points", ha="center",
                            fontsize=9, color="#b2182b", fontweight="bold")
        ax.set_ylim(0, top * 1.25)
        ax.set_ylabel(label, rotation=0, ha="right", va="center", fontweight="bold")
        ax.grid(axis="y", color="#eee")
        ax.set_axisbelow(True)
    axes[0, 0].set_title("Escalation index: weekly conflict score per dyad (red = alert week)")
    axes[0, 0].legend(loc="upper left", frameon=False, fontsize=9)
    _week_axis(axes[-1, 0], weeks)
    return _save(fig, path)


__all__ = ["coop_conflict_chart", "goldstein_chart", "network_chart", "map_chart", "escalation_chart"]
