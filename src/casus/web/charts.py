"""Inline SVG charts drawn on the server: no chart library, no script, nothing fetched.

Colours use SVG presentation attributes (``fill=``), not ``style=``, so the page's Content-Security-Policy
(no inline styles) leaves them alone. Every label is escaped; every bar and node has a ``<title>`` that a
browser shows as a tooltip. Each function returns ``Markup`` (safe to drop into a template) or an empty
string when there is nothing to draw.
"""
from __future__ import annotations

import math
from typing import Any, Sequence

from markupsafe import Markup, escape

QUAD_COLOURS = {1: "#7fbf7b", 2: "#1b7837", 3: "#f4a582", 4: "#b2182b"}  # the report's colours
QUAD_LABELS = {1: "verbal cooperation", 2: "material cooperation", 3: "verbal conflict", 4: "material conflict"}
FONT = 'font-family="system-ui, sans-serif" font-size="12"'


def _num(x: float) -> str:
    return f"{x:.1f}".rstrip("0").rstrip(".")


def goldstein_colour(g: float | None) -> str:
    """Red (-10, conflict) through grey (0) to green (+10, cooperation)."""
    if g is None:
        return "#999999"
    t = max(-1.0, min(1.0, g / 10.0))
    lo, mid, hi = (178, 24, 43), (153, 153, 153), (27, 120, 55)
    end = hi if t > 0 else lo
    rgb = [round(m + (e - m) * abs(t)) for m, e in zip(mid, end)]
    return "#{:02x}{:02x}{:02x}".format(*rgb)


def _svg(width: int, height: int, label: str, body: list[str]) -> Markup:
    head = (f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {width} {height}" width="{width}" height="{height}" '
            f'role="img" aria-label="{escape(label)}" class="chart" {FONT}>')
    return Markup(head + f"<title>{escape(label)}</title>" + "".join(body) + "</svg>")


def hbars(items: Sequence[dict[str, Any]], label: str, width: int = 560) -> Markup | str:
    """Horizontal bars: ``items`` of ``{label, value, href?, colour?, note?}``, drawn in the given order."""
    if not items:
        return ""
    row, left, right = 22, 150, 60  # px per bar, label column, value column
    top = max(float(i["value"]) for i in items) or 1.0
    body = []
    for n, it in enumerate(items):
        y = n * row
        w = (width - left - right) * float(it["value"]) / top
        name = escape(it["label"])
        tip = escape(f"{it['label']}: {_num(float(it['value']))}" + (f" ({it['note']})" if it.get("note") else ""))
        bar = (f'<rect x="{left}" y="{y + 4}" width="{max(w, 1):.1f}" height="{row - 8}" '
               f'fill="{escape(it.get("colour") or "#4e79a7")}"><title>{tip}</title></rect>')
        text = f'<text x="{left - 6}" y="{y + row / 2 + 4}" text-anchor="end">{name}</text>'
        if it.get("href"):
            text = f'<a href="{escape(it["href"])}">{text}</a>'
        value = f'<text x="{left + w + 5:.1f}" y="{y + row / 2 + 4}">{escape(_num(float(it["value"])))}</text>'
        body.append(text + bar + value)
    return _svg(width, row * len(items) + 4, label, body)


def _x_labels(periods: Sequence[str], x0: float, step: float, y: float) -> list[str]:
    every = max(1, math.ceil(len(periods) / 10))  # at most about ten labels, whatever the span
    out = []
    for i, p in enumerate(periods):
        if i % every == 0:
            out.append(f'<text x="{x0 + (i + 0.5) * step:.1f}" y="{y}" text-anchor="middle">{escape(p[5:])}</text>')
    return out


def timeline(rows: Sequence[dict[str, Any]], label: str, width: int = 1160, height: int = 280) -> Markup | str:
    """Weekly cooperation (QuadClass 1-2) stacked upwards and conflict (3-4) stacked downwards, from series
    rows (``SeriesRow.to_dict()``: ``period`` and ``by_quad``)."""
    if not rows or not any(sum(r["by_quad"].values()) for r in rows):
        return ""
    left, bottom, top_pad = 40, 34, 10
    plot_h = height - bottom - top_pad
    up = [r["by_quad"].get("1", 0) + r["by_quad"].get("2", 0) for r in rows]
    down = [r["by_quad"].get("3", 0) + r["by_quad"].get("4", 0) for r in rows]
    scale = plot_h / max(1, max(up) + max(down))
    zero = top_pad + max(up) * scale
    step = (width - left - 10) / len(rows)
    body = [f'<line x1="{left}" x2="{width - 10}" y1="{zero:.1f}" y2="{zero:.1f}" stroke="#555"/>',
            f'<text x="{left - 6}" y="{top_pad + 8}" text-anchor="end">{max(up)}</text>',
            f'<text x="{left - 6}" y="{height - bottom}" text-anchor="end">{max(down)}</text>',
            f'<text x="{left - 6}" y="{zero + 4:.1f}" text-anchor="end">0</text>']
    for i, r in enumerate(rows):
        x = left + i * step + step * 0.1
        w = step * 0.8
        y_up, y_down = zero, zero
        for q in (1, 2):
            h = r["by_quad"].get(str(q), 0) * scale
            if h:
                y_up -= h
                body.append(f'<rect x="{x:.1f}" y="{y_up:.1f}" width="{w:.1f}" height="{h:.1f}" '
                            f'fill="{QUAD_COLOURS[q]}"><title>{escape(r["period"])}: '
                            f'{r["by_quad"][str(q)]} {QUAD_LABELS[q]}</title></rect>')
        for q in (3, 4):
            h = r["by_quad"].get(str(q), 0) * scale
            if h:
                body.append(f'<rect x="{x:.1f}" y="{y_down:.1f}" width="{w:.1f}" height="{h:.1f}" '
                            f'fill="{QUAD_COLOURS[q]}"><title>{escape(r["period"])}: '
                            f'{r["by_quad"][str(q)]} {QUAD_LABELS[q]}</title></rect>')
                y_down += h
    body += _x_labels([r["period"] for r in rows], left, step, height - bottom + 16)
    years = sorted({r["period"][:4] for r in rows})
    span = years[0] if len(years) == 1 else f"{years[0]}–{years[-1]}"
    body.append(f'<text x="{left}" y="{height - 4}">cooperation above the line, conflict below; '
                f'week starting (month-day, {escape(span)})</text>')
    return _svg(width, height, label, body)


def goldstein_line(rows: Sequence[dict[str, Any]], label: str, width: int = 760, height: int = 200) -> Markup | str:
    """Mean Goldstein score per period (-10 conflict .. +10 cooperation) as a line; empty periods are gaps."""
    pts = [(i, r.get("goldstein_mean")) for i, r in enumerate(rows)]
    if not any(g is not None for _, g in pts):
        return ""
    left, bottom, top_pad = 40, 24, 10
    plot_h = height - bottom - top_pad
    step = (width - left - 10) / len(rows)
    y_of = lambda g: top_pad + (10 - g) / 20 * plot_h  # noqa: E731
    body = [f'<line x1="{left}" x2="{width - 10}" y1="{y_of(0):.1f}" y2="{y_of(0):.1f}" stroke="#999" '
            f'stroke-dasharray="4 3"/>']
    for g in (10, 0, -10):
        body.append(f'<text x="{left - 6}" y="{y_of(g) + 4:.1f}" text-anchor="end">{g:+d}</text>')
    segment: list[str] = []
    for i, g in pts + [(len(pts), None)]:
        if g is None:
            if len(segment) > 1:
                body.append(f'<polyline points="{" ".join(segment)}" fill="none" stroke="#333" stroke-width="2"/>')
            segment = []
            continue
        x, y = left + (i + 0.5) * step, y_of(g)
        segment.append(f"{x:.1f},{y:.1f}")
        body.append(f'<circle cx="{x:.1f}" cy="{y:.1f}" r="4" fill="{goldstein_colour(g)}"><title>'
                    f'{escape(rows[i]["period"])}: mean Goldstein {g:+.2f} over {rows[i]["events"]} events'
                    f'</title></circle>')
    body += _x_labels([r["period"] for r in rows], left, step, height - 6)
    return _svg(width, height, label, body)


def network(center: str, partners: Sequence[dict[str, Any]], href, label: str, size: int = 520,
            limit: int = 16) -> Markup | str:
    """The actor in the middle, its busiest partners on a circle; line width = events, colour = mean
    Goldstein. ``href(code)`` gives each node's link."""
    partners = list(partners[:limit])
    if not partners:
        return ""
    c = size / 2
    radius = size / 2 - 90  # room for a node and its label (up to 12 characters) outside the circle
    top = max(p["events"] for p in partners)
    body = []
    nodes = []
    for i, p in enumerate(partners):
        angle = 2 * math.pi * i / len(partners) - math.pi / 2
        x, y = c + radius * math.cos(angle), c + radius * math.sin(angle)
        w = 1.5 + 7 * p["events"] / top
        colour = goldstein_colour(p["goldstein_mean"])
        tip = escape(f"{center} – {p['partner']}: {p['events']} events ({p['cooperation']} cooperation, "
                     f"{p['conflict']} conflict), mean Goldstein {p['goldstein_mean']:+.2f}")
        body.append(f'<line x1="{c:.1f}" y1="{c:.1f}" x2="{x:.1f}" y2="{y:.1f}" stroke="{colour}" '
                    f'stroke-width="{w:.1f}" stroke-linecap="round"><title>{tip}</title></line>')
        r = 14 + 10 * math.sqrt(p["events"] / top)
        anchor = "start" if math.cos(angle) > 0.3 else ("end" if math.cos(angle) < -0.3 else "middle")
        dx = (r + 4) * (1 if anchor == "start" else -1 if anchor == "end" else 0)
        dy = 4 if anchor != "middle" else (r + 14) * (1 if math.sin(angle) > 0 else -1) + 4
        nodes.append(f'<a href="{escape(href(p["partner"]))}" class="node"><circle cx="{x:.1f}" cy="{y:.1f}" '
                     f'r="{r:.1f}" fill="#ffffff" stroke="{colour}" stroke-width="2.5"><title>{tip}</title></circle>'
                     f'<text x="{x + dx:.1f}" y="{y + dy:.1f}" text-anchor="{anchor}" font-weight="bold">'
                     f'{escape(p["partner"])}</text>'
                     f'<text x="{x:.1f}" y="{y + 4:.1f}" text-anchor="middle">{p["events"]}</text></a>')
    body += nodes
    body.append(f'<circle cx="{c:.1f}" cy="{c:.1f}" r="34" fill="#1f3b57"/>'
                f'<text x="{c:.1f}" y="{c + 5:.1f}" text-anchor="middle" fill="#ffffff" font-weight="bold" '
                f'font-size="14">{escape(center)}</text>')
    return _svg(size, size, label, body)


__all__ = ["hbars", "timeline", "goldstein_line", "network", "goldstein_colour", "QUAD_COLOURS", "QUAD_LABELS"]
