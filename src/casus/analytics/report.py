"""The situation report: ``index.html`` and ``report.md`` with PNG charts, from event dicts or the store.

``build_report(events, out_dir)`` does the work on any iterable of event dicts; ``write_report(db, out_dir)``
reads the store first. The HTML is self-contained apart from its PNGs, which sit next to it and are
referenced relatively: no CDN, no fonts, no scripts, CSS inline, so the folder opens offline and can be
zipped or mailed. Article text is escaped (jinja2 autoescape in HTML; an escaping filter in Markdown).

Sections: a summary, the escalation alerts with the events that drove them, the escalation index chart,
cooperation versus conflict per week, the Goldstein trend, the most connected actors, a map of event
locations (when events have coordinates), key events with their evidence sentences, and the method.
"""
from __future__ import annotations

import datetime as dt
import math
import re
from collections import Counter, defaultdict
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Iterable

from jinja2 import Environment, FileSystemLoader, StrictUndefined

from ..errors import OptionError
from ..ontology import plover_label
from . import charts
from .escalation import AlertOptions, escalation_index, find_alerts, observed_weeks
from .series import build_series, dyad_label, dyad_of, event_period, periods, story_of

TEMPLATES = Path(__file__).resolve().parent / "templates"
MAX_GAP_WEEKS = 8  # a silence longer than a baseline window separates background dates from the period covered
TOP_DYADS_TREND = 4  # dyad lines on the Goldstein chart: more become unreadable
TOP_NODES = 14  # actors on the network drawing: more labels collide on the circle
TOP_DYADS_TABLE = 8  # rows of the busiest-dyads table
KEY_EVENTS = 15  # a page of key events: enough to brief, short enough to read
MAX_ESCALATION_PANELS = 4
CHARTS = ("escalation", "coop_conflict", "goldstein", "network", "map")


@dataclass
class ReportResult:
    """What ``build_report`` wrote and found."""

    out_dir: Path
    index_html: Path
    report_md: Path
    charts: dict[str, Path] = field(default_factory=dict)
    alerts: list = field(default_factory=list)
    events: int = 0
    first_week: dt.date | None = None
    last_week: dt.date | None = None


def coverage(weeks: Iterable[dt.date], since: dt.date | None = None,
             max_gap_weeks: int = MAX_GAP_WEEKS) -> tuple[dt.date, dt.date] | None:
    """The weeks the report covers: from ``since`` (or, without it, back from the last observed week until
    a silence longer than ``max_gap_weeks``: "in 2010" background events do not stretch the charts)."""
    ws = sorted(set(weeks))
    if since is not None:
        ws = [w for w in ws if w + dt.timedelta(days=6) >= since]
    if not ws:
        return None
    first = ws[-1]
    for w in reversed(ws[:-1]):
        if (first - w).days > 7 * max_gap_weeks:
            break
        first = w
    return first, ws[-1]


def split_trigger(sentence: str, span: Any, trigger: str | None) -> tuple[str, str, str]:
    """``(before, trigger, after)`` of an evidence sentence, for highlighting (escaped later, never here)."""
    if isinstance(span, (list, tuple)) and len(span) == 2 and all(isinstance(v, int) for v in span):
        a, b = span
        if 0 <= a < b <= len(sentence):
            return sentence[:a], sentence[a:b], sentence[b:]
    if trigger:
        i = sentence.lower().find(trigger.lower())
        if i >= 0:
            return sentence[:i], sentence[i:i + len(trigger)], sentence[i + len(trigger):]
    return sentence, "", ""


def _side(actor: dict | None) -> str:
    if not actor:
        return "—"
    return actor.get("code") or actor.get("country") or actor.get("text") or "?"


def _key_events(events: list[dict], drivers: set[str], n: int) -> list[dict]:
    """One event per story, the gravest or warmest (largest |Goldstein|), ranked by |Goldstein| weighted by
    how widely the story was carried; shown by date."""
    best: dict[str, tuple[tuple, dict]] = {}
    for ev in events:
        if not ev.get("source") or not ev.get("sentence"):
            continue
        rank = (abs(float(ev.get("goldstein") or 0)), ev.get("target") is not None, ev.get("confidence") or 0,
                ev.get("event_id") or "")
        s = story_of(ev)
        if s not in best or rank > best[s][0]:
            best[s] = (rank, ev)

    def weight(ev: dict) -> float:
        return abs(float(ev.get("goldstein") or 0)) * (1 + math.log2(ev.get("num_articles") or 1))

    chosen = sorted((ev for _, ev in best.values()),
                    key=lambda ev: (-(ev.get("event_id") in drivers), -weight(ev), ev.get("date") or "",
                                    ev.get("event_id") or ""))[:n]
    return [_event_view(ev, ev.get("event_id") in drivers) for ev in sorted(
        chosen, key=lambda ev: (ev.get("date") or "", ev.get("event_id") or ""))]


def _event_view(ev: dict, driver: bool = False) -> dict:
    """An event as the templates show it (full event dicts and alert drivers, whose sides are codes already)."""
    before, trig, after = split_trigger(ev.get("sentence") or "", ev.get("trigger_span"), ev.get("trigger"))
    g = ev.get("goldstein")
    side = lambda a: a if isinstance(a, str) else _side(a)  # noqa: E731
    return {"date": ev.get("date"), "source": side(ev.get("source")), "target": side(ev.get("target")),
            "plover": plover_label(ev.get("plover"), ev.get("cameo")), "cameo": ev.get("cameo"),
            "cameo_name": ev.get("cameo_name") or "", "goldstein": "" if g is None else f"{float(g):+.1f}",
            "modality": ev.get("modality") or "asserted", "articles": ev.get("num_articles") or 1,
            "doc_id": ev.get("doc_id") or "", "event_id": ev.get("event_id") or "",
            "sentence": ev.get("sentence") or "", "before": before, "trigger": trig, "after": after, "driver": driver}


def _chart_data(window: list[dict], weeks: list[dt.date], first: Iterable[str] = ()) -> dict[str, Any]:
    """Everything the charts draw; ``first``: dyads (``A:B``) to put first on the Goldstein chart (alerted ones)."""
    overall = {r.period: r for r in build_series(window, by="all", freq="week")}
    by_quad = {q: [overall[w].by_quad[q] if w in overall else 0 for w in weeks] for q in (1, 2, 3, 4)}
    mean_all = [overall[w].goldstein_mean if w in overall else None for w in weeks]
    dyad_rows = build_series(window, by="dyad", freq="week")
    totals: Counter = Counter()
    for r in dyad_rows:
        totals[r.key] += r.events
    busiest = [k for k, _ in sorted(totals.items(), key=lambda kv: (-kv[1], kv[0]))]
    top = list(dict.fromkeys([k for k in first if k in totals] + busiest))[:TOP_DYADS_TREND]
    per = {(r.key, r.period): r.goldstein_mean for r in dyad_rows}
    dyad_means = {k.replace(":", "–"): [per.get((k, w)) for w in weeks] for k in top}
    # network: unordered dyads among the best-connected identities
    edges: dict[tuple[str, str], list[float]] = defaultdict(list)
    for ev in window:
        if (ev.get("modality") or "asserted") == "asserted" and (d := dyad_of(ev)):
            edges[d].append(float(ev.get("goldstein") or 0.0))
    degree: Counter = Counter()
    for (a, b), gs in edges.items():
        degree[a] += len(gs)
        degree[b] += len(gs)
    nodes = dict(sorted(degree.items(), key=lambda kv: (-kv[1], kv[0]))[:TOP_NODES])
    net = {d: (len(gs), sum(gs) / len(gs)) for d, gs in edges.items() if d[0] in nodes and d[1] in nodes}
    bars = [(f"{a}–{b}", len(gs), sum(gs) / len(gs))
            for (a, b), gs in sorted(edges.items(), key=lambda kv: (-len(kv[1]), kv[0]))[:TOP_DYADS_TABLE]]
    # map: places with coordinates
    places: dict[tuple, list[float]] = defaultdict(list)
    for ev in window:
        loc = ev.get("location") or {}
        asserted = (ev.get("modality") or "asserted") == "asserted"
        if asserted and loc.get("lat") is not None and loc.get("lon") is not None:
            places[(loc.get("name") or "?", loc.get("country") or "?", float(loc["lat"]), float(loc["lon"]))].append(
                float(ev.get("goldstein") or 0.0))
    points = [{"name": k[0], "country": k[1], "lat": k[2], "lon": k[3], "events": len(v), "goldstein": sum(v) / len(v)}
              for k, v in sorted(places.items())]
    return {"by_quad": by_quad, "mean_all": mean_all, "dyad_means": dyad_means, "nodes": nodes, "edges": net,
            "points": points, "bars": bars,
            "top_dyads": [(k.replace(":", "–"), totals[k]) for k in busiest[:TOP_DYADS_TABLE]]}


def _escalation_panels(context: list[dict], alerts: list, weeks: list[dt.date], opts: AlertOptions,
                       dyad: str | None) -> dict:
    """Per dyad to draw (the alerted ones; without alerts, those with the most conflict, so the reader sees
    why none fired): score, threshold and alert flag for each week. Baselines use every event of ``context``,
    so the weeks the corpus covers are known even when the report is about one dyad."""
    dyads = [a.dyad for a in alerts]
    if not dyads:
        scores: Counter = Counter()
        for r in escalation_index(context, opts):
            if not dyad or _pair_in(r.dyad, dyad):
                scores[r.dyad] += r.score
        dyads = [d for d, s in scores.most_common() if s > 0]
    dyads = list(dict.fromkeys(dyads))[:MAX_ESCALATION_PANELS]
    if not dyads or not weeks:
        return {}
    rows = {(r.dyad, r.week): r for r in escalation_index(context, opts, dyads=dyads)}
    panels = {}
    for d in dyads:
        rs = [rows.get((d, w)) for w in weeks]
        panels[f"{d[0]}–{d[1]}"] = {"score": [r.score if r else 0.0 for r in rs],
                                    "threshold": [r.threshold if r else None for r in rs],
                                    "alert": [bool(r and r.alert) for r in rs]}
    return panels


def _env() -> Environment:
    env = Environment(loader=FileSystemLoader(str(TEMPLATES)), undefined=StrictUndefined,
                      autoescape=lambda name: bool(name) and name.endswith(".html.j2"),
                      trim_blocks=True, lstrip_blocks=True, keep_trailing_newline=True)
    env.filters["md"] = md_escape
    return env


def md_escape(value: Any) -> str:
    """Text for Markdown: HTML-significant characters as entities, Markdown markup characters backslashed,
    newlines as spaces (so table rows stay one line)."""
    s = str(value if value is not None else "")
    s = s.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
    for ch in "\\`*_[]|#":
        s = s.replace(ch, "\\" + ch)
    return " ".join(s.split())


def _parse_since(since: str | dt.date | None) -> dt.date | None:
    if since is None or isinstance(since, dt.date):
        return since
    try:
        return dt.date.fromisoformat(since)
    except ValueError:
        raise OptionError(f"since date {since!r} is not a date (YYYY-MM-DD)") from None


def build_report(events: Iterable[dict[str, Any]], out_dir: str | Path, *, title: str = "Situation report",
                 since: str | dt.date | None = None, dyad: str | None = None,
                 alert_options: AlertOptions | None = None, context_events: Iterable[dict[str, Any]] | None = None,
                 source: str | None = None) -> ReportResult:
    """Write ``index.html``, ``report.md`` and the PNG charts of ``events`` into ``out_dir``.

    ``context_events``: all events of the store when ``events`` were filtered to one dyad, so that alerts
    see which weeks the corpus covers (a week without the dyad's events is then a quiet week, not an
    unknown one). ``since`` starts the charts and alerts there (baselines still reach back before it).
    """
    if dyad is not None:
        parts = dyad.split(":")
        if len(parts) != 2 or not all(re.fullmatch(r"[A-Za-z0-9]{2,12}", p.strip()) for p in parts):
            raise OptionError(f"dyad {dyad!r} is not A:B with two actor or country codes (e.g. ARM:AZE)")
        dyad = ":".join(p.strip().upper() for p in parts)
    events = list(events)
    context = list(context_events) if context_events is not None else events
    start = _parse_since(since)
    opts = (alert_options or AlertOptions()).validated()
    out = Path(out_dir)
    out.mkdir(parents=True, exist_ok=True)
    span = coverage(observed_weeks(context), start)  # the corpus's weeks, even in a one-dyad report
    if span is None:
        weeks: list[dt.date] = []
        window: list[dict] = []
    else:
        weeks = list(periods(span[0], span[1], "week"))
        window = [ev for ev in events if (w := event_period(ev, "week")) is not None and span[0] <= w <= span[1]]
    if opts.since is None and span is not None:
        opts = AlertOptions(**{**opts.to_dict(), "since": span[0].isoformat()})
    alerts = find_alerts(context, opts)
    if dyad:
        alerts = [a for a in alerts if _pair_in(a.dyad, dyad)]
    data = _chart_data(window, weeks, [dyad_label(a.dyad) for a in alerts])
    made: dict[str, Path] = {}
    drawers = (
        ("escalation", lambda p: charts.escalation_chart(
            weeks, _escalation_panels(context, alerts, weeks, opts, dyad), p)),
        ("coop_conflict", lambda p: charts.coop_conflict_chart(weeks, data["by_quad"], p)),
        ("goldstein", lambda p: charts.goldstein_chart(weeks, data["mean_all"], data["dyad_means"], p)),
        ("network", lambda p: charts.network_chart(data["nodes"], data["edges"], p, data["bars"])),
        ("map", lambda p: charts.map_chart(data["points"], p)),
    )
    for name, draw in drawers:
        path = out / f"{name}.png"
        if path.exists():
            path.unlink()  # a chart of an earlier report must not survive when this one has nothing to draw
        if draw(path) is not None:
            made[name] = path
    drivers = {e["event_id"] for a in alerts for e in a.events if e.get("event_id")}
    asserted = [e for e in window if (e.get("modality") or "asserted") == "asserted"]
    modalities = Counter(e.get("modality") or "asserted" for e in window)
    ctx = {
        "title": title, "source": source, "dyad": dyad.upper() if dyad else None,
        "first": span[0].isoformat() if span else None,
        "last": (span[1] + dt.timedelta(days=6)).isoformat() if span else None,
        "n_events": len(window), "n_asserted": len(asserted), "modalities": dict(sorted(modalities.items())),
        "n_stories": len({story_of(e) for e in window}),
        "n_dyads": len({d for e in asserted if (d := dyad_of(e))}),
        "n_located": sum(p["events"] for p in data["points"]),
        "n_background": len(events) - len(window),
        "alerts": [_alert_view(a) for a in alerts], "options": opts.to_dict(),
        "charts": {k: made[k].name if k in made else None for k in CHARTS},
        "top_dyads": data["top_dyads"], "trend_dyads": list(data["dyad_means"]),
        "key_events": _key_events(asserted, drivers, KEY_EVENTS),
        "coder_versions": sorted({e.get("coder_version") for e in events if e.get("coder_version")}),
    }
    env = _env()
    index = out / "index.html"
    index.write_text(env.get_template("report.html.j2").render(**ctx), encoding="utf-8")
    md = out / "report.md"
    md.write_text(env.get_template("report.md.j2").render(**ctx), encoding="utf-8")
    return ReportResult(out, index, md, made, alerts, len(window), span[0] if span else None,
                        span[1] if span else None)


def _pair_in(pair: tuple[str, str] | None, dyad: str) -> bool:
    """Whether an unordered pair of identities is the ``A:B`` dyad (either way; a code matches by prefix,
    as the store's dyad filter does)."""
    if not pair:
        return False
    a, b = (p.strip().upper() for p in dyad.split(":"))
    return (pair[0].startswith(a) and pair[1].startswith(b)) or (pair[0].startswith(b) and pair[1].startswith(a))


def _alert_view(alert) -> dict:
    d = alert.to_dict()
    d["events"] = [_event_view(e, True) for e in alert.events]
    return d


def write_report(db_path: str | Path, out_dir: str | Path, *, dyad: str | None = None,
                 since: str | None = None, alert_options: AlertOptions | None = None) -> ReportResult:
    """Read the store at ``db_path`` and write the report into ``out_dir`` (see :func:`build_report`)."""
    from .load import load_events

    opts = (alert_options or AlertOptions()).validated()
    context = load_events(db_path, since=since, lookback_weeks=opts.baseline_weeks + 1)
    events = load_events(db_path, since=since, dyad=dyad) if dyad else [
        e for e in context if not since or (e.get("date") or "") >= since]
    title = f"Situation report: {dyad.upper().replace(':', '–')}" if dyad else "Situation report"
    return build_report(events, out_dir, title=title, since=since, dyad=dyad, alert_options=opts,
                        context_events=context, source=str(db_path))


__all__ = ["build_report", "write_report", "ReportResult", "coverage", "split_trigger", "md_escape"]
